//! `saylau pvt`: plan, draw (confirmed by `saylau lot verify`), estimate with verdicts,
//! refusals of bad input, and the observers' published aggregate of 2021.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::command::{json, saylau};
use crate::fixture::{QuickCount, arg, generate, keep_rows, sampled};

fn failed_with(output: &Output, rule: &str) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "exit 1 (input rejected): {stderr}");
    assert!(stderr.contains(&format!("(rule {rule})")), "rule {rule} in: {stderr}");
    stderr
}

/// A generated country (5 % stuffed, every station observed), a past one, a plan by region
/// and settlement, and its draw; returns the draw's JSON.
fn setup(dir: &Path) -> Value {
    let (country, past) = (dir.join("country"), dir.join("past"));
    generate("11", "2000", "0.05", "2000", &country);
    generate("12", "2000", "0", "2000", &past);
    let (plan, draw) = QuickCount {
        frame: &country.join("stations.csv"),
        past: &past.join("protocols.csv"),
        strata: Some("region,settlement"),
        size: "400",
        seed: "2021-01-10/lottery 4 8 15 16 23 42",
        dir,
    }
    .plan_and_draw();
    assert_eq!(plan["plan"]["plan"]["sample"], 400);
    assert_eq!(plan["plan"]["strata"].as_array().map(Vec::len), Some(31));
    draw
}

fn estimate_args(dir: &Path, reports: &Path) -> Vec<String> {
    [
        "pvt",
        "estimate",
        "--plan",
        &arg(&dir.join("plan.toml")),
        "--frame",
        &arg(&dir.join("country/stations.csv")),
        "--draw",
        &arg(&dir.join("draw.toml")),
        "--reports",
        &arg(reports),
        "--official",
        &arg(&dir.join("country/protocols.csv")),
        "--json",
    ]
    .map(str::to_owned)
    .to_vec()
}

#[test]
fn plan_draw_verify_and_estimate() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let draw = setup(dir.path());
    let stations = sampled(&draw);
    assert_eq!(stations.len(), 400);
    // The published draw is a lot file that `saylau lot verify` confirms...
    let verified = json(&["lot", "verify", &arg(&dir.path().join("draw.toml")), "--json"]);
    assert_eq!(verified["matches"], true);
    // ...and a draw with two stations swapped is refused by it.
    let text = std::fs::read_to_string(dir.path().join("draw.toml")).expect("the draw");
    let (first, second) = (&stations[0], &stations[1]);
    let swapped = text
        .replacen(&format!("\"{first}\""), "\"SWAP\"", 1)
        .replacen(&format!("\"{second}\""), &format!("\"{first}\""), 1)
        .replacen("\"SWAP\"", &format!("\"{second}\""), 1);
    std::fs::write(dir.path().join("swapped.toml"), swapped).expect("writing");
    let output = saylau(&["lot", "verify", &arg(&dir.path().join("swapped.toml"))]);
    assert_eq!(output.status.code(), Some(1));

    let reports = dir.path().join("reports.csv");
    std::fs::write(&reports, keep_rows(&dir.path().join("country/observer-copies.csv"), &stations))
        .expect("writing the reports");
    let args = estimate_args(dir.path(), &reports);
    let res = json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let estimates = res["estimates"].as_array().expect("estimates");
    let figures: Vec<&str> =
        estimates.iter().map(|it| it["figure"].as_str().expect("a figure")).collect();
    assert_eq!(figures, ["turnout", "nur-otan", "ak-zhol", "peoples-party", "auyl", "adal"]);
    for it in estimates {
        let number = |key: &str| -> f64 {
            it[key].as_str().expect("a decimal string").parse().expect("a decimal")
        };
        assert!(number("lower") <= number("estimate") && number("estimate") <= number("upper"));
    }
    // 5 % of stations stuffed: the official turnout (63.25 %) is above what observers saw.
    assert_eq!(estimates[0]["official"], "63.25");
    assert_eq!(estimates[0]["verdict"], "inconsistent");
    assert_eq!(res["sample"]["paired"], true);
    assert_eq!(res["seats"]["lists"][0]["official"], 76);
}

#[test]
fn refuses_bad_input() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let draw = setup(dir.path());
    let stations = sampled(&draw);
    let copies = dir.path().join("country/observer-copies.csv");
    // A report for a station that was not drawn.
    let frame = std::fs::read_to_string(dir.path().join("country/stations.csv")).expect("frame");
    let outside = frame
        .lines()
        .filter_map(|line| line.split(',').next())
        .find(|id| id.len() == 10 && !stations.iter().any(|station| station == id))
        .expect("a station outside the sample");
    let mut with_outside = stations.clone();
    with_outside.push(outside.to_owned());
    let reports = dir.path().join("outside.csv");
    std::fs::write(&reports, keep_rows(&copies, &with_outside)).expect("writing");
    let args = estimate_args(dir.path(), &reports);
    let stderr = failed_with(&saylau(&args.iter().map(String::as_str).collect::<Vec<_>>()), "Q-8");
    assert!(stderr.contains(outside), "{stderr}");
    // A report for a station the frame does not have.
    let one = keep_rows(&copies, &stations[..1]);
    let unknown: String = one
        .lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split(',').collect();
            if fields[0] == stations[0] {
                (fields[0], fields[1], fields[3]) = ("17-99-9999", "17", "17-99");
            }
            fields.join(",") + "\n"
        })
        .collect();
    std::fs::write(&reports, unknown).expect("writing");
    let args = estimate_args(dir.path(), &reports);
    let stderr = failed_with(&saylau(&args.iter().map(String::as_str).collect::<Vec<_>>()), "Q-7");
    assert!(stderr.contains("17-99-9999 is not in the frame"), "{stderr}");
    // The same station twice.
    let twice = keep_rows(&copies, &stations[..3]);
    let last = twice.lines().last().expect("a row").to_owned();
    std::fs::write(&reports, format!("{twice}{last}\n")).expect("writing");
    let args = estimate_args(dir.path(), &reports);
    failed_with(&saylau(&args.iter().map(String::as_str).collect::<Vec<_>>()), "F-8");
    // Official protocols of only some stations: the national figures would be wrong.
    std::fs::write(&reports, keep_rows(&copies, &stations)).expect("writing");
    let mut args = estimate_args(dir.path(), &reports);
    let official = args.iter().position(|it| it == "--official").expect("--official") + 1;
    args[official] = arg(&reports);
    failed_with(&saylau(&args.iter().map(String::as_str).collect::<Vec<_>>()), "Q-12");
}

#[test]
fn refuses_a_plan_that_does_not_cover_the_frame() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    setup(dir.path());
    // A plan whose strata do not cover the frame's stations.
    let plan = std::fs::read_to_string(dir.path().join("plan.toml")).expect("the plan");
    let cut = plan.find("[[strata]]").expect("strata");
    let next = plan[cut + 1..].find("[[strata]]").expect("a second stratum") + cut + 1;
    std::fs::write(dir.path().join("plan.toml"), format!("{}{}", &plan[..cut], &plan[next..]))
        .expect("writing");
    let output = saylau(&[
        "pvt",
        "draw",
        &arg(&dir.path().join("plan.toml")),
        "--frame",
        &arg(&dir.path().join("country/stations.csv")),
        "--seed",
        "s",
        "--out",
        &arg(&dir.path().join("d.toml")),
    ]);
    let stderr = failed_with(&output, "Q-4");
    assert!(stderr.contains("no stratum covers"), "{stderr}");
    assert!(!dir.path().join("d.toml").exists(), "nothing written");
}

/// Seats per list id from `saylau allocate FILE [--set ...] --json`.
fn allocated(args: &[&str]) -> Vec<(String, i64)> {
    let mut all = vec!["allocate"];
    all.extend_from_slice(args);
    all.push("--json");
    let res = json(&all);
    let lists = res["lists"].as_array().expect("lists");
    lists
        .iter()
        .map(|it| {
            (it["id"].as_str().expect("an id").to_owned(), it["seats"].as_i64().expect("seats"))
        })
        .collect()
}

#[test]
fn published_aggregate_of_2021_in_seats() {
    let res = json(&["pvt", "published", "--json"]);
    assert_eq!(res["stations"], 505);
    assert_eq!(res["turnout"], "36.2");
    assert_eq!(res["official_turnout"], "63.2");
    // The same seats as the election files allocate, by an independent path: the observed
    // shares scaled to the register (data/kz/mazhilis-2021-observers.toml) and the official
    // votes, at 7 % and with the threshold set to 5 %.
    let expected = [
        ("observed_seats", 0, allocated(&["data/kz/mazhilis-2021-observers.toml"])),
        (
            "observed_seats",
            1,
            allocated(&["data/kz/mazhilis-2021-observers.toml", "--set", "rules.threshold=5%"]),
        ),
        ("official_seats", 0, allocated(&["data/kz/mazhilis-2021.toml"])),
        ("official_seats", 1, allocated(&["data/kz/mazhilis-2021-5pct.toml"])),
    ];
    let lists = res["lists"].as_array().expect("lists");
    for (key, idx, seats) in expected {
        for (id, count) in seats {
            let list = lists.iter().find(|it| it["id"] == id.as_str()).expect("the list");
            assert_eq!(list[key][idx].as_i64(), Some(count), "{id} {key}[{idx}]");
        }
    }
    let nur_otan = &lists[0];
    assert_eq!(nur_otan["observed_seats"], serde_json::json!([54, 54]));
    assert_eq!(nur_otan["official_seats"][0], 76);
}

#[test]
fn official_figures_from_the_store() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let draw = setup(dir.path());
    let db = arg(&dir.path().join("store.sqlite"));
    json(&["--db", &db, "db", "init", "--json"]);
    let keys = arg(&dir.path().join("keys"));
    let key = json(&["--db", &db, "keys", "new", "--commission", "CEC", "--out", &keys, "--json"]);
    let key = key["private_key"].as_str().expect("a key path").to_owned();
    let published = arg(&dir.path().join("country/protocols.csv"));
    json(&["--db", &db, "import", &published, "--key", &key, "--json"]);
    let exported = dir.path().join("official.csv");
    json(&["--db", &db, "export", "--format", "csv", "--out", &arg(&exported), "--json"]);

    let reports = dir.path().join("reports.csv");
    let copies = dir.path().join("country/observer-copies.csv");
    std::fs::write(&reports, keep_rows(&copies, &sampled(&draw))).expect("writing the reports");
    let mut args = estimate_args(dir.path(), &reports);
    let from_file = json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let official = args.iter().position(|it| it == "--official").expect("--official") + 1;
    args[official] = arg(&exported);
    let from_store = json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(from_store["estimates"], from_file["estimates"]);
    assert_eq!(from_store["estimates"][0]["verdict"], "inconsistent");
}
