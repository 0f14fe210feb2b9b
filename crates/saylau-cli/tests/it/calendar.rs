//! `saylau calendar`: the seed's 40-day akim election with under two weeks of campaign,
//! the Mazhilis calendar of 2021, recommendation 19 beside the law, and a repeat election
//! dated with `--day`.

use serde_json::Value;

use crate::command::saylau;

/// Runs `saylau calendar args --json` and returns its exit code and JSON.
fn calendar_json(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["calendar"];
    all.extend(args);
    all.push("--json");
    let output = saylau(&all);
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!("--json prints JSON ({err}): {}", String::from_utf8_lossy(&output.stderr))
    });
    (output.status.code(), report)
}

/// `(id, start, end, days, short_by)` of every period of calendar `idx`.
fn periods(report: &Value, idx: usize) -> Vec<(String, String, String, u64, Option<u64>)> {
    let periods = report["calendars"][idx]["schedule"]["periods"].as_array().expect("periods");
    periods
        .iter()
        .map(|period| {
            let text = |key: &str| period[key].as_str().unwrap_or("").to_owned();
            (
                text("id"),
                text("start"),
                text("end"),
                period["days"].as_u64().expect("days"),
                period["short_by"].as_u64(),
            )
        })
        .collect()
}

#[test]
fn the_akim_election_of_2021_took_40_days_with_10_of_campaign() {
    let (code, report) = calendar_json(&["data/kz/calendar/akim-2021.toml"]);
    assert_eq!(code, Some(0));
    let periods = periods(&report, 0);
    let whole = &periods[0];
    assert_eq!((whole.1.as_str(), whole.2.as_str(), whole.3), ("2021-06-15", "2021-07-25", 40));
    let campaign = periods.iter().find(|it| it.0 == "campaign").expect("a campaign");
    // Under two weeks (the seed): 18:00 on 14 July to 00:00 on 24 July.
    assert_eq!(
        (campaign.1.as_str(), campaign.2.as_str(), campaign.3, campaign.4),
        ("2021-07-14", "2021-07-24", 10, Some(4))
    );
    assert_eq!(report["calendars"][0]["short_periods"], serde_json::json!(["campaign"]));
}

#[test]
fn the_law_and_recommendation_19_side_by_side() {
    let (code, report) = calendar_json(&[
        "data/kz/calendar/akim-2021.toml",
        "data/kz/calendar/akim-proposal-rec19.toml",
        "data/kz/calendar/mazhilis-2021.toml",
    ]);
    assert_eq!(code, Some(0));
    let row = |id: &str| {
        report["comparison"]
            .as_array()
            .expect("comparison")
            .iter()
            .find(|row| row["id"] == id)
            .map(|row| row["days"].clone())
            .expect(id)
    };
    assert_eq!(row("campaign"), serde_json::json!([10, 30, 30]));
    assert_eq!(row("whole"), serde_json::json!([40, 60, 81]));
    assert_eq!(row("results"), serde_json::json!([null, null, 4]));
    assert!(report["calendars"][1]["meta"]["scenario"].is_object(), "a proposal is a scenario");
}

#[test]
fn a_repeat_election_is_dated_from_its_own_day() {
    let (code, report) = calendar_json(&["data/kz/calendar/akim-2021.toml", "--day", "2021-12-12"]);
    assert_eq!(code, Some(0));
    let events = report["calendars"][0]["schedule"]["events"].as_array().expect("events");
    let dates: Vec<(&str, &str)> = events
        .iter()
        .map(|event| (event["id"].as_str().expect("id"), event["date"].as_str().expect("date")))
        .collect();
    assert_eq!(
        dates,
        [
            ("call", "2021-11-02"),
            ("nomination-start", "2021-11-03"),
            ("registration-end", "2021-12-01"),
            ("silence", "2021-12-11"),
            ("election", "2021-12-12"),
            ("count", "2021-12-12"),
        ]
    );
}

#[test]
fn a_bad_calendar_is_rejected_with_exit_1() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("c.toml");
    std::fs::write(&path, "[calendar]\nname = \"x\"\nelection_day = 2021-07-25\n")
        .expect("written");
    let output = saylau(&["calendar", path.to_str().expect("UTF-8")]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("events: at least one [[events]] entry is needed (rule E-35)"),
        "{stderr}"
    );
}
