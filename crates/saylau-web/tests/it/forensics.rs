//! The forensics page and API: the same numbers as `saylau forensics` on the store, inline
//! SVG with tables, the caveat, and the three languages.

use saylau_app::forensics::Boundary;
use saylau_app::forensics::MAX_STATION_VOTERS;
use saylau_app::forensics::portal::{PORTAL_DRAWS, PORTAL_SEED};
use saylau_app::forensics::report::{ForensicsOptions, Test, forensics_report};
use saylau_app::forensics::source::read_store;
use saylau_web::i18n::{LANGS, Lang};

use crate::fixture::{EVIL_NAME, fixture, get};

/// The forensic routes, in every language.
pub(crate) fn public_routes() -> Vec<String> {
    let mut routes: Vec<String> =
        LANGS.iter().map(|lang| format!("/{}/forensics", lang.code())).collect();
    routes.push("/api/v1/forensics".to_owned());
    routes
}

#[tokio::test]
async fn the_api_gives_the_numbers_of_saylau_forensics_on_the_store() {
    let fixture = fixture().await;
    let got = get(&fixture.app, "/api/v1/forensics", &[]).await;
    assert_eq!(got.status, 200);
    let json = got.json();
    assert_eq!(json["available"], true);
    assert!(json["caveat"].as_str().unwrap_or_default().contains("do not prove"));
    let portal = &json["forensics"];
    // The command line's path: the store's current protocols, the same settings.
    let (set, input, _) =
        read_store(&fixture.store, &fixture.election.id, "store").await.expect("the store");
    let options = ForensicsOptions {
        tests: vec![Test::Integer, Test::Shpilkin],
        leader: None,
        draws: PORTAL_DRAWS,
        seed: PORTAL_SEED,
        bin_width: 1.0,
        noise: false,
        boundary: Boundary::Exact,
        max_station_voters: Some(MAX_STATION_VOTERS),
        truth: None,
        corrections: None,
    };
    let report = forensics_report(&set, input, &options).expect("a report");
    assert_eq!(portal["leader"], report.leader);
    assert_eq!(portal["input"]["stations"], set.stations.len());
    let integer = report.integer.expect("the integer test");
    for (key, observed) in [
        ("either", integer.observed.either),
        ("leader", integer.observed.leader),
        ("turnout", integer.observed.turnout),
    ] {
        assert_eq!(portal["integer"]["observed"][key], observed, "{key}");
    }
    assert_eq!(portal["integer"]["stations_kept"], integer.stations_kept);
    let shpilkin = report.shpilkin.expect("Shpilkin");
    // Floats through JSON: equal to the last printed digit.
    let close = |got: &serde_json::Value, want: f64| {
        let got = got.as_f64().expect("a number");
        assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{got} against {want}");
    };
    close(&portal["shpilkin"]["excess_votes"], shpilkin.excess_votes);
    close(
        &portal["shpilkin"]["within_commissions"]["interval95"][0],
        shpilkin.within_commissions.interval95[0],
    );
    // The histogram and the fingerprint count every kept station once.
    let kept = portal["turnout"]["stations_kept"].as_u64().expect("a count");
    assert!(kept > 250, "{kept}");
    let sum = |value: &serde_json::Value| -> u64 {
        value.as_array().expect("an array").iter().map(|it| it.as_u64().expect("a count")).sum()
    };
    assert_eq!(sum(&portal["turnout"]["histogram"]["stations"]), kept);
    let fingerprint: u64 = portal["fingerprint"].as_array().expect("rows").iter().map(sum).sum();
    assert_eq!(fingerprint, kept);
}

#[tokio::test]
async fn the_page_draws_every_chart_beside_its_numbers_in_each_language() {
    let fixture = fixture().await;
    let json = get(&fixture.app, "/api/v1/forensics", &[]).await.json();
    let observed = json["forensics"]["integer"]["observed"]["either"].as_u64().expect("a count");
    let kept = json["forensics"]["turnout"]["stations_kept"].as_u64().expect("a count");
    for lang in LANGS {
        let got = get(&fixture.app, &format!("/{}/forensics", lang.code()), &[]).await;
        assert_eq!(got.status, 200, "{lang:?}");
        let page = got.text();
        assert_eq!(page.matches("<svg").count(), 4, "{lang:?}: four charts");
        assert!(page.matches("<table class=\"data\">").count() >= 4, "{lang:?}: four tables");
        assert!(page.contains(&lang.t("fx-caveat")), "{lang:?}: the caveat");
        assert!(page.contains(&lang.t("fx-integer-title")), "{lang:?}");
        // The integer test's observed count is in its table, and the stations kept in the
        // sentence below it, in the language's digit grouping.
        assert!(
            page.contains(&format!("<td class=\"num\">{}</td>", lang.number(observed))),
            "{lang:?}"
        );
        assert!(page.contains(&lang.number(kept)), "{lang:?}");
        assert!(!page.contains(EVIL_NAME), "{lang:?}: markup is escaped");
        assert!(!page.contains(" style="), "{lang:?}: no style attribute under the CSP");
    }
    let national = get(&fixture.app, "/en/", &[]).await.text();
    assert!(national.contains("href=\"/en/forensics\""), "the national page links to it");
}

const FORENSICS_FTL: [(&str, &str); 3] = [
    ("kk", include_str!("../../locales/kk/forensics.ftl")),
    ("ru", include_str!("../../locales/ru/forensics.ftl")),
    ("en", include_str!("../../locales/en/forensics.ftl")),
];

fn ids(ftl: &str) -> std::collections::BTreeSet<String> {
    ftl.lines()
        .filter(|line| line.chars().next().is_some_and(|ch| ch.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

#[test]
fn every_forensics_message_is_in_all_three_languages_and_defined() {
    let en = ids(FORENSICS_FTL[2].1);
    assert!(en.len() > 40, "{en:?}");
    for (lang, ftl) in FORENSICS_FTL {
        assert_eq!(ids(ftl), en, "{lang}");
    }
    let sources = [
        include_str!("../../templates/forensics.html"),
        include_str!("../../src/forensics_pages.rs"),
    ];
    let mut asked = 0;
    for source in sources {
        for marker in ["tr.t(\"", "lang.t(\"", "lang.t_args(\"", "=> \"fx-", "{ \"fx-"] {
            for part in source.split(marker).skip(1) {
                let id = part.split('"').next().expect("an id");
                let id = if marker.ends_with("fx-") { format!("fx-{id}") } else { id.to_owned() };
                assert!(en.contains(&id), "{id} is asked for but not defined");
                asked += 1;
            }
        }
    }
    assert!(asked > 40, "{asked}");
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        for id in &en {
            assert_ne!(lang.t(id), "", "{lang:?}: {id}");
        }
    }
}
