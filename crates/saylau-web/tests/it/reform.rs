//! The reform form and API: the app's comparison on the demo store's results, 422 naming
//! a bad parameter, inert markup, the query in the ETag.

use std::time::Duration;

use saylau_app::compare::variants;
use saylau_app::demo::MAZHILIS_2021;
use saylau_app::demo::store::demo_store;
use saylau_app::store::DEFAULT_ELECTION;
use saylau_store::location::Location;
use saylau_store::store::Store;
use saylau_web::i18n::{LANGS, Lang};
use saylau_web::{AppState, Config, app};

use crate::fixture::get;

/// The reform routes, in every language, with and without parameters.
pub(crate) fn public_routes() -> Vec<String> {
    let mut routes: Vec<String> =
        LANGS.iter().map(|lang| format!("/{}/reform", lang.code())).collect();
    routes.push("/en/reform?threshold=5&method=dhondt&seats=107".to_owned());
    routes.push("/kk/reform?plan=17-districts".to_owned());
    routes.push("/api/v1/reform".to_owned());
    routes.push("/api/v1/reform?threshold=5".to_owned());
    routes
}

/// The portal over a fresh demo store (synthetic stations summing to the official 2021
/// totals).
async fn demo() -> (tempfile::TempDir, axum::Router) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("demo.sqlite");
    demo_store(&path, 300, true).await.expect("the demo store");
    let store = Store::open(&Location::sqlite(&path)).await.expect("the store");
    let config = Config {
        election: DEFAULT_ELECTION.parse().expect("an id"),
        max_age: 5,
        head_ttl: Duration::ZERO,
    };
    (dir, app(AppState::new(store, config)))
}

/// Seats per list of a JSON column (`lists[].seats`).
fn seats(column: &serde_json::Value) -> Vec<u64> {
    column["lists"]
        .as_array()
        .expect("lists")
        .iter()
        .map(|it| it["seats"].as_u64().expect("seats"))
        .collect()
}

#[tokio::test]
async fn the_law_gives_the_official_seats_and_5_percent_what_saylau_compare_says() {
    let (_dir, app) = demo().await;
    let got = get(&app, "/api/v1/reform?threshold=5", &[]).await;
    assert_eq!(got.status, 200, "{}", got.text());
    let json = got.json();
    assert_eq!(json["available"], true);
    let columns = json["reform"]["comparison"]["variants"].as_array().expect("variants");
    assert_eq!(columns.len(), 2);
    // `saylau compare data/kz/mazhilis-2021.toml --set rules.threshold=5%` on the file whose
    // votes the demo's stations add up to.
    let (source, text) = MAZHILIS_2021;
    let compare = variants(source, text, &["rules.threshold=5%".to_owned()]).expect("compare");
    let want = |idx: usize| -> Vec<u64> {
        compare[idx].allocated.summary.lists.iter().map(|it| u64::from(it.seats.0)).collect()
    };
    let official: Vec<u64> = compare[0]
        .allocated
        .official
        .iter()
        .map(|it| u64::from(it.expect("official seats").0))
        .collect();
    assert_eq!(seats(&columns[0]), official, "the law reproduces the official seats");
    assert_eq!(seats(&columns[0]), want(0));
    assert_eq!(seats(&columns[1]), want(1), "the variant is saylau compare's");
    assert_ne!(seats(&columns[0]), seats(&columns[1]), "5 % changes the seats in 2021");
    assert_eq!(json["reform"]["sets"][0], "rules.threshold=5%");
    // The trace: quota, threshold test, remainders, lot seed.
    assert!(columns[1]["quota"].is_object() && columns[1]["threshold"].is_object());
    assert!(!columns[1]["remainders"].as_array().expect("remainders").is_empty());
    assert!(columns[1]["lot_seed"].is_string());
    // The page shows the same seats in each language, with the chart and the form.
    for lang in LANGS {
        let uri = format!("/{}/reform?threshold=5", lang.code());
        let page = get(&app, &uri, &[]).await;
        assert_eq!(page.status, 200, "{uri}");
        let html = page.text();
        assert!(html.contains("<form method=\"get\""), "{uri}");
        assert!(
            html.contains("href=\"/ru/reform?threshold=5\""),
            "{uri}: the switch keeps the query"
        );
        assert_eq!(html.matches("<svg").count(), 4, "{uri}: a hemicycle and bars per column");
        assert!(html.contains(&format!("<td class=\"num\">{}</td>", want(1)[3])), "{uri}");
    }
    // House size and method change with the same path.
    let got = get(&app, "/api/v1/reform?seats=107&method=sainte-lague", &[]).await.json();
    let compare =
        variants(source, text, &["election.seats=107;rules.method=\"sainte-lague\"".to_owned()])
            .expect("compare");
    let want: Vec<u64> =
        compare[1].allocated.summary.lists.iter().map(|it| u64::from(it.seats.0)).collect();
    let column = &got["reform"]["comparison"]["variants"][1];
    assert_eq!(seats(column), want);
    assert_eq!(seats(column).iter().sum::<u64>(), 107);
}

#[tokio::test]
async fn bad_parameters_are_a_422_naming_the_parameter_and_markup_is_inert() {
    let (_dir, app) = demo().await;
    for (query, param) in [
        ("threshold=abc", "threshold"),
        ("threshold=101", "threshold"),
        ("threshold=5.123", "threshold"),
        ("threshold=5%25%22%3Brules.seats%3D1", "threshold"),
        ("seats=0", "seats"),
        ("seats=99999999999999999999999", "seats"),
        ("seats=1001", "seats"),
        ("method=bogus", "method"),
        ("plan=bogus", "plan"),
        ("plan=..%2Fmazhilis-2021", "plan"),
        ("plan=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "plan"),
        ("method=dhondt%22%0Aseats%3D1", "method"),
        ("method=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "method"),
        ("threshold=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "threshold"),
    ] {
        let got = get(&app, &format!("/api/v1/reform?{query}"), &[]).await;
        assert_eq!(got.status, 422, "{query}");
        assert_eq!(got.json()["param"], param, "{query}");
        assert_eq!(got.header("cache-control"), Some("no-store"), "{query}");
        for lang in LANGS {
            let page = get(&app, &format!("/{}/reform?{query}", lang.code()), &[]).await;
            assert_eq!(page.status, 422, "{query}");
            let html = page.text();
            assert!(html.contains(&format!("“{param}”")) || html.contains(&format!("«{param}»")));
            for evil in ["<script", "<img src=x", "onerror=alert(1)>"] {
                assert!(!html.contains(evil), "{query}: {evil} unescaped");
            }
        }
    }
}

#[tokio::test]
async fn the_query_is_part_of_the_etag() {
    let (_dir, app) = demo().await;
    let five = get(&app, "/api/v1/reform?threshold=5", &[]).await;
    let three = get(&app, "/api/v1/reform?threshold=3", &[]).await;
    let law = get(&app, "/api/v1/reform", &[]).await;
    let tags: Vec<String> = [&five, &three, &law]
        .iter()
        .map(|it| it.header("etag").expect("an ETag").to_owned())
        .collect();
    assert_ne!(tags[0], tags[1]);
    assert_ne!(tags[0], tags[2]);
    let again = get(&app, "/api/v1/reform?threshold=5", &[("if-none-match", &tags[0])]).await;
    assert_eq!(again.status, 304);
    let other = get(&app, "/api/v1/reform?threshold=3", &[("if-none-match", &tags[0])]).await;
    assert_eq!(other.status, 200);
    // Not served from another query's rendering.
    assert_ne!(other.body, five.body);
    assert_eq!(other.body, three.body);
}

const LOCALES: [(&str, &str); 3] = [
    ("kk", include_str!("../../locales/kk/reform.ftl")),
    ("ru", include_str!("../../locales/ru/reform.ftl")),
    ("en", include_str!("../../locales/en/reform.ftl")),
];

/// The message ids of a Fluent file (lines `id = ...` at the start of a line).
fn ids(ftl: &str) -> std::collections::BTreeSet<String> {
    ftl.lines()
        .filter(|line| line.chars().next().is_some_and(|ch| ch.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

#[test]
fn every_reform_message_is_in_all_three_languages_and_loaded() {
    let en = ids(LOCALES[2].1);
    assert!(en.len() > 10, "{en:?}");
    for (code, ftl) in LOCALES {
        assert_eq!(ids(ftl), en, "{code}");
        let lang = Lang::from_code(code).expect("a language");
        for id in &en {
            let args = [("param", "seats".to_owned()), ("message", "x".to_owned())];
            let text = lang.t_args(id, &args);
            assert!(!text.is_empty() && !text.contains("Unknown"), "{code}: {id}: {text}");
            if lang != Lang::En {
                assert_ne!(text, Lang::En.t_args(id, &args), "{code}: {id} falls back to English");
            }
        }
    }
    let portal = ids(include_str!("../../locales/en/portal.ftl"));
    let sources =
        [include_str!("../../templates/reform.html"), include_str!("../../src/reform_pages.rs")];
    let mut asked = 0;
    for source in sources {
        for marker in ["tr.t(\"", "lang.t(\"", "lang.t_args(\"", "lang.t_args(\n"] {
            for part in source.split(marker).skip(1) {
                let id = part.trim_start().trim_start_matches('"').split('"').next().expect("id");
                assert!(
                    en.contains(id) || portal.contains(id),
                    "{id} is asked for but not defined"
                );
                asked += 1;
            }
        }
    }
    assert!(asked > 15, "{asked}");
}

#[tokio::test]
async fn every_method_and_the_bounds_answer_200_or_422_never_an_error() {
    let (_dir, app) = demo().await;
    for method in saylau_app::reform::methods() {
        for house in ["1", "2", "98", "1000"] {
            for threshold in ["0", "7", "100"] {
                let uri =
                    format!("/api/v1/reform?method={method}&seats={house}&threshold={threshold}");
                let got = get(&app, &uri, &[]).await;
                assert!(got.status == 200 || got.status == 422, "{uri}: {}", got.status);
                if got.status == 200 {
                    let column = &got.json()["reform"]["comparison"]["variants"][1];
                    let filled: u64 = seats(column).iter().sum();
                    assert!(filled <= house.parse().expect("a number"), "{uri}");
                }
            }
        }
    }
}

#[tokio::test]
async fn the_modified_sainte_lague_takes_the_usual_first_divisor() {
    let (_dir, app) = demo().await;
    let got = get(&app, "/api/v1/reform?method=modified-sainte-lague", &[]).await;
    assert_eq!(got.status, 200, "{}", got.text());
    let (source, text) = MAZHILIS_2021;
    let sets = "rules.method=\"modified-sainte-lague\";rules.first_divisor=1.4".to_owned();
    let compare = variants(source, text, &[sets]).expect("compare");
    let want: Vec<u64> =
        compare[1].allocated.summary.lists.iter().map(|it| u64::from(it.seats.0)).collect();
    assert_eq!(seats(&got.json()["reform"]["comparison"]["variants"][1]), want);
}

#[tokio::test]
async fn a_district_plan_on_the_results_is_the_seeds_plan_with_a_hemicycle_and_its_districts() {
    // The demo's stations add up to the official 2021 votes: each plan on them is the
    // plan's file as bundled (`saylau demo`'s reform plans, `saylau compare FILE`).
    let (_dir, app) = demo().await;
    let bundled = saylau_app::demo::comparisons().expect("the demo's comparisons");
    for (plan, label, districts) in [
        ("17-districts", "17 districts", 17),
        ("7-regions", "7 regions", 7),
        ("mixed-50-50", "50/50 parallel", 0),
    ] {
        let got = get(&app, &format!("/api/v1/reform?plan={plan}"), &[]).await;
        assert_eq!(got.status, 200, "{plan}: {}", got.text());
        let json = got.json();
        assert_eq!(json["reform"]["params"]["plan"], plan);
        let columns = json["reform"]["comparison"]["variants"].as_array().expect("variants");
        let file = bundled
            .reform_plans_2021
            .iter()
            .find(|it| it.label == label)
            .expect("the plan in the demo");
        let want: Vec<u64> =
            file.allocated.summary.lists.iter().map(|it| u64::from(it.seats.0)).collect();
        assert_eq!(seats(&columns[1]), want, "{plan}");
        assert_eq!(file.allocated.summary.districts.len(), districts, "{plan}");
        for lang in LANGS {
            let uri = format!("/{}/reform?plan={plan}", lang.code());
            let page = get(&app, &uri, &[]).await;
            assert_eq!(page.status, 200, "{uri}");
            let html = page.text();
            assert!(html.contains(&format!("<option value=\"{plan}\" selected>")), "{uri}");
            assert_eq!(html.matches("<svg").count(), 4, "{uri}");
            // One dot per seat in the two hemicycles: the law's 98 and the plan's.
            let law: u64 = seats(&columns[0]).iter().sum();
            let circles = html.matches("<circle").count() as u64;
            assert_eq!(circles, law + want.iter().sum::<u64>(), "{uri}");
            // The plan's seats per list in the table, its districts' table.
            for (idx, seats) in want.iter().enumerate() {
                assert!(html.contains(&format!("<td class=\"num\">{seats}</td>")), "{uri}: {idx}");
            }
            let rows = html.split("<caption>").nth(1).map_or(0, |it| {
                it.split("</table>")
                    .next()
                    .unwrap_or_default()
                    .matches("<th scope=\"row\">")
                    .count()
            });
            assert_eq!(rows, districts, "{uri}");
            assert!(html.contains("href=\"/ru/reform?plan="), "{uri}: the switch keeps the plan");
        }
    }
    // A plan with a threshold: the variant is the plan under that threshold.
    let got = get(&app, "/api/v1/reform?plan=7-regions&threshold=3", &[]).await;
    assert_eq!(got.status, 200, "{}", got.text());
    let label = got.json()["reform"]["comparison"]["variants"][1]["label"].clone();
    assert_eq!(label, "7 regions; threshold=3%");
}
