//! The observation pages and their API: the numbers of the app's report view model, the
//! refusals an observer recorded in the region where they happened, the quick-count page's
//! explanation when none is published, and every `obs-` message in all three languages.

use std::collections::BTreeSet;

use saylau_app::observe::report::report;
use saylau_web::i18n::Lang;

use crate::fixture::{Fixture, fixture, get};

/// The observation routes, for every public-route test.
pub(crate) fn public_routes(fixture: &Fixture) -> Vec<String> {
    let region = fixture.station.to_string()[..2].to_owned();
    let mut routes = Vec::new();
    for lang in ["kk", "ru", "en"] {
        routes.push(format!("/{lang}/observation"));
        routes.push(format!("/{lang}/observation/{region}"));
        routes.push(format!("/{lang}/quick-count"));
    }
    routes.extend([
        "/api/v1/observation".to_owned(),
        format!("/api/v1/observation/{region}"),
        "/api/v1/quick-count".to_owned(),
    ]);
    routes
}

/// Registers an observer organisation and imports its statuses: a copy refused at the
/// fixture's station, the observer kept out of the next one.
async fn refusals(fixture: &Fixture) -> Vec<String> {
    let dir = tempfile::tempdir().expect("a directory");
    let election = &fixture.election.id;
    let store = &fixture.store;
    saylau_app::observe::add_organisation(store, election, "golos", "Golos", &fixture.key)
        .await
        .expect("registered");
    let key =
        saylau_app::observe::new_observer_key(store, election, "golos", dir.path(), &fixture.key)
            .await
            .expect("a key");
    let key = saylau_app::observe::CommissionKey::read_pem(&key.private_key).expect("the key");
    let first = fixture.station.to_string();
    let mut stations = saylau_store::observe::stations(store, election).await.expect("stations");
    stations.retain(|it| it.starts_with(&first[..2]) && *it != first);
    let second = stations.first().expect("another station in the region").clone();
    let file = dir.path().join("statuses.csv");
    std::fs::write(
        &file,
        format!(
            "station,status,time,note\n{first},refused,2021-01-10T20:40,no paper\n\
             {second},not-admitted,2021-01-10T07:55,\n"
        ),
    )
    .expect("written");
    let view = saylau_app::observe::import::import_file(store, election, &file, &key, "test")
        .await
        .expect("imported");
    assert_eq!(view.counts.accepted, 2, "{view:?}");
    vec![first, second]
}

#[tokio::test]
async fn the_observation_pages_show_the_report_numbers_and_the_refusals() {
    let fixture = fixture().await;
    let stations = refusals(&fixture).await;
    let region = stations[0][..2].to_owned();
    let view = report(&fixture.store, &fixture.election.id, None).await.expect("a report");
    let found = view.regions.iter().find(|it| it.region == region).expect("the region");
    assert_eq!((found.refused, found.not_admitted, found.observed), (1, 1, 2));

    let page = get(&fixture.app, "/en/observation", &[]).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains(&format!("href=\"/en/observation/{region}\"")), "drill-down link");
    assert!(html.contains("<svg"), "inline charts");
    for list in &view.published.lists {
        for seats in list.observed_seats.iter().chain(&list.official_seats) {
            assert!(html.contains(&format!("<td class=\"num\">{seats}</td>")), "{seats}");
        }
        assert!(html.contains(&format!(">{}<", list.observed_share)), "{}", list.observed_share);
    }
    assert!(html.contains(">36.2<") && html.contains(">63.2<"), "the aggregate's turnout");
    assert!(html.contains(&Lang::En.t("obs-incidents-none")), "no incident reported");

    let api = get(&fixture.app, "/api/v1/observation", &[]).await.json();
    assert_eq!(api["regions"], serde_json::to_value(&view.regions).expect("JSON"));
    assert_eq!(api["published"], serde_json::to_value(&view.published).expect("JSON"));
    assert_eq!(api["findings"]["by_status"]["refused"], 1);

    let drill = get(&fixture.app, &format!("/kk/observation/{region}"), &[]).await;
    let html = drill.text();
    assert!(html.contains(&format!("href=\"/kk/s/{}\"", stations[0])), "station link");
    assert!(html.contains(&Lang::Kk.t("obs-status-refused")) && html.contains("no paper"));
    assert!(html.contains(&Lang::Kk.t("obs-status-not-admitted")));
    let rows = get(&fixture.app, &format!("/api/v1/observation/{region}"), &[]).await.json();
    let refused: Vec<&str> = rows["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .filter(|it| it["status"] == "refused")
        .map(|it| it["station"].as_str().expect("an id"))
        .collect();
    assert_eq!(refused, [stations[0].as_str()]);
    for bad in ["/en/observation/18", "/en/observation/1", "/api/v1/observation/xx"] {
        assert_eq!(get(&fixture.app, bad, &[]).await.status, 404, "{bad}");
    }
}

#[tokio::test]
async fn the_quick_count_page_says_why_there_is_none() {
    let fixture = fixture().await;
    let page = get(&fixture.app, "/ru/quick-count", &[]).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains(&Lang::Ru.t("obs-pvt-none")));
    let api = get(&fixture.app, "/api/v1/quick-count", &[]).await.json();
    assert_eq!(api["available"], false);
    assert!(api["explanation"].as_str().is_some_and(|it| it.contains("saylau pvt")));
}

/// Every argument the `obs-` messages take.
const ARGS: [&str; 13] = [
    "n",
    "region",
    "plan",
    "reports",
    "planned",
    "confidence",
    "seed",
    "violations",
    "stations",
    "share",
    "observed",
    "organisation",
    "refused",
];

const LOCALES: [(&str, &str); 3] = [
    ("kk", include_str!("../../locales/kk/observation.ftl")),
    ("ru", include_str!("../../locales/ru/observation.ftl")),
    ("en", include_str!("../../locales/en/observation.ftl")),
];

fn ids(ftl: &str) -> BTreeSet<String> {
    ftl.lines()
        .filter(|line| line.chars().next().is_some_and(|ch| ch.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

#[test]
fn every_observation_message_is_in_all_three_languages_and_loaded() {
    let en = ids(LOCALES[2].1);
    assert!(en.len() > 50, "{en:?}");
    for (code, ftl) in LOCALES {
        assert_eq!(ids(ftl), en, "{code}");
        let lang = Lang::from_code(code).expect("a language");
        for id in &en {
            let args = ARGS.map(|name| (name, "1".to_owned()));
            let text = lang.t_args(id, &args);
            assert!(!text.is_empty() && !text.contains("Unknown"), "{code}: {id}: {text}");
            if lang != Lang::En {
                assert_ne!(text, Lang::En.t(id), "{code}: {id} falls back to English");
            }
        }
    }
    let sources = [
        include_str!("../../templates/observation_sections.html"),
        include_str!("../../templates/observation_quick_count.html"),
        include_str!("../../templates/observation_published.html"),
        include_str!("../../templates/observation_incidents.html"),
        include_str!("../../src/observation_incidents.rs"),
        include_str!("../../templates/observe_report.html"),
        include_str!("../../templates/observation.html"),
        include_str!("../../templates/observation_region.html"),
        include_str!("../../src/observation.rs"),
        include_str!("../../src/observation_pages.rs"),
    ];
    let portal = ids(include_str!("../../locales/en/portal.ftl"));
    for source in sources {
        for marker in ["tr.t(\"", "lang.t(\"", "lang.t_args(\"", "lang.t_args(\n"] {
            for part in source.split(marker).skip(1) {
                let id = part.trim_start().trim_start_matches('"').split('"').next().expect("id");
                assert!(
                    en.contains(id) || portal.contains(id),
                    "{id} is asked for but not defined"
                );
            }
        }
    }
    for verdict in ["consistent", "inconsistent", "inconclusive"] {
        assert!(en.contains(&format!("obs-verdict-{verdict}")));
    }
    for status in [
        "match",
        "mismatch",
        "missing-official",
        "missing-copy",
        "refused",
        "not-admitted",
        "removed",
    ] {
        assert!(en.contains(&format!("obs-status-{status}")));
    }
}
