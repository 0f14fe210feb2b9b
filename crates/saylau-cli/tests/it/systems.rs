//! The systems through the binary: the JSON contract of `saylau allocate --json`
//! (`lists[].seats`, `districts[].lists[].seats`, the mixed parts), the terminal views,
//! comparisons across files and charts for every system.

use serde_json::Value;

use crate::command::{json, saylau};

/// `(id, seats)` of every list in a report.
fn seats(report: &Value) -> Vec<(String, u64)> {
    report["lists"]
        .as_array()
        .expect("lists is an array")
        .iter()
        .map(|list| {
            let id = list["id"].as_str().expect("a list has an id").to_owned();
            (id, list["seats"].as_u64().expect("seats is a number"))
        })
        .collect()
}

/// Checks `(id, seats)` of a report's lists, and that each list's seats are the sum of its
/// seats by district when the report has districts.
fn check(report: &Value, expect: &[(&str, u64)]) {
    let expect: Vec<(String, u64)> = expect.iter().map(|(id, n)| ((*id).to_owned(), *n)).collect();
    assert_eq!(seats(report), expect);
    let Some(districts) = report["districts"].as_array() else { return };
    for (idx, (id, total)) in expect.iter().enumerate() {
        let by_district: u64 = districts
            .iter()
            .map(|district| {
                let list = &district["lists"][idx];
                assert_eq!(list["id"].as_str(), Some(id.as_str()));
                list["seats"].as_u64().expect("seats by district")
            })
            .sum();
        assert_eq!(by_district, *total, "{id}: its districts' seats add up to its seats");
    }
}

#[test]
fn district_json_keeps_the_list_contract_and_adds_districts() {
    let report = json(&["allocate", "data/kz/reform-17-districts.toml", "--json"]);
    assert_eq!(report["system"], "districts");
    check(
        &report,
        &[("nur-otan", 76), ("ak-zhol", 17), ("peoples-party", 5), ("auyl", 0), ("adal", 0)],
    );
    let lists = &report["lists"];
    assert_eq!(lists[0]["votes"], 5_148_074, "the national total of the district votes");
    assert_eq!(
        (lists[2]["qualified"].as_bool(), lists[3]["qualified"].as_bool()),
        (Some(true), Some(false))
    );
    let districts = report["districts"].as_array().expect("districts");
    assert_eq!(districts.len(), 17);
    assert_eq!(
        (districts[0]["id"].as_str(), districts[0]["seats"].as_u64()),
        (Some("akmola"), Some(4))
    );
    let total: u64 = districts.iter().map(|it| it["seats"].as_u64().expect("seats")).sum();
    assert_eq!(total, 98);
    assert_eq!(report["magnitudes"]["house"], 98, "the apportionment of the house");
    assert_eq!(report["scenario"]["modelled"], true);
    assert_eq!(report["model"]["district_votes"], "population-share");
}

#[test]
fn mixed_json_has_electorates_list_seats_and_overhang() {
    let report = json(&["allocate", "data/nz/nz-2020.toml", "--json"]);
    assert_eq!(report["system"], "mmp");
    check(
        &report,
        &[
            ("labour", 65),
            ("national", 33),
            ("green", 10),
            ("act", 10),
            ("maori", 2),
            ("nz-first", 0),
        ],
    );
    let labour = &report["lists"][0];
    assert_eq!(
        (labour["electorates"].as_u64(), labour["list_seats"].as_u64()),
        (Some(46), Some(19))
    );
    assert_eq!(labour["overhang"], 0);
    assert_eq!(report["official_seats"][4], 2);
    assert!(report.get("districts").is_none(), "a mixed file has no districts");
}

#[test]
fn biproportional_json_gives_every_district_seat() {
    let report = json(&["allocate", "data/ch/zh-kantonsrat-2015.toml", "--json"]);
    check(
        &report,
        &[
            ("svp", 54),
            ("sp", 36),
            ("fdp", 31),
            ("glp", 14),
            ("gruene", 13),
            ("cvp", 9),
            ("evp", 8),
            ("al", 5),
            ("edu", 5),
            ("bdp", 5),
        ],
    );
    let districts = report["districts"].as_array().expect("districts");
    let official = report["official_district_seats"].as_array().expect("official by district");
    for (district_idx, district) in districts.iter().enumerate() {
        for (list_idx, list) in district["lists"].as_array().expect("lists").iter().enumerate() {
            assert_eq!(list["seats"], official[list_idx][district_idx], "{}", district["id"]);
        }
    }
}

#[test]
fn terminal_views_of_the_systems() {
    for (name, file) in [
        ("view_districts", "data/kz/reform-7-regions.toml"),
        ("view_mmp", "data/nz/nz-2020.toml"),
        ("view_two_tiers", "data/cz/psp-2021.toml"),
        ("view_parallel", "data/kz/reform-mixed-50-50.toml"),
    ] {
        let output = saylau(&["allocate", file]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        insta::assert_snapshot!(name, String::from_utf8_lossy(&output.stdout));
    }
}

#[test]
fn compare_sets_files_side_by_side() {
    let comparison = json(&[
        "compare",
        "data/kz/mazhilis-2021.toml",
        "data/kz/reform-7-regions.toml",
        "data/kz/reform-mixed-50-50.toml",
        "--set",
        "rules.threshold=5%",
        "--json",
    ]);
    let variants = comparison["variants"].as_array().expect("variants");
    let labels: Vec<&str> = variants.iter().filter_map(|it| it["label"].as_str()).collect();
    assert_eq!(labels, ["mazhilis-2021", "reform-7-regions", "reform-mixed-50-50", "threshold=5%"]);
    let by_seats = |variant: &Value| seats(variant).into_iter().map(|it| it.1).collect::<Vec<_>>();
    assert_eq!(by_seats(&variants[0]), [76, 12, 10, 0, 0]);
    assert_eq!(by_seats(&variants[1]), [77, 12, 9, 0, 0]);
    assert_eq!(by_seats(&variants[2]), [87, 6, 5, 0, 0]);
    assert_eq!(by_seats(&variants[3]), [72, 11, 9, 6, 0], "the --set applies to the first file");
    let text = saylau(&["compare", "data/kz/mazhilis-2021.toml", "data/nz/nz-2020.toml"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("– = not in that file"), "{text}");
    assert!(text.contains("nz-2020: New Zealand 2020"), "{text}");
}

#[test]
fn charts_draw_every_system() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let svg = dir.path().join("systems.svg");
    let args = [
        "compare",
        "data/kz/reform-17-districts.toml",
        "data/kz/reform-mixed-50-50.toml",
        "data/nz/nz-2020.toml",
        "data/ch/zh-kantonsrat-2015.toml",
        "--chart",
        svg.to_str().expect("a UTF-8 path"),
    ];
    let output = saylau(&args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = std::fs::read_to_string(&svg).expect("the chart was written");
    // A circle per seat in each hemicycle, and a legend dot per seated list.
    let seats = 98 + 98 + 120 + 180;
    let seated = 3 + 3 + 5 + 10;
    assert_eq!(text.matches("<circle").count(), seats + seated);
}

#[test]
fn a_system_without_its_data_is_rejected() {
    let output =
        saylau(&["allocate", "data/kz/mazhilis-2021.toml", "--set", "rules.system=districts"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("missing [[districts]]") && stderr.contains("rule E-4"), "{stderr}");
}
