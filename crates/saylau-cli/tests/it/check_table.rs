//! `saylau check-table`: the seed's tables 2 and 3 of the 2021 rural akim elections, checked
//! against their relations; exactly the rows that do not add up are reported.

use serde_json::Value;

use crate::command::saylau;

/// Runs `check-table FILE --json` and returns its exit code and JSON.
fn check_json(path: &str) -> (Option<i32>, Value) {
    let output = saylau(&["check-table", path, "--json"]);
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!("--json prints JSON ({err}): {}", String::from_utf8_lossy(&output.stderr))
    });
    (output.status.code(), report)
}

/// `(row, column, expected, found)` of every problem.
fn problems(report: &Value) -> Vec<(String, String, Value, Value)> {
    let problems = report["problems"].as_array().expect("problems is an array");
    problems
        .iter()
        .map(|problem| {
            let text = |value: &Value| value.as_str().unwrap_or("").to_owned();
            (
                text(&problem["row"]),
                text(&problem["column"]),
                problem["expected"].clone(),
                problem["found"].clone(),
            )
        })
        .collect()
}

#[test]
fn table_3_reports_zhambyl_and_the_national_total_only() {
    let (code, report) = check_json("data/kz/akim-2021-results.toml");
    assert_eq!(code, Some(1), "a table with problems exits 1");
    assert_eq!(report["consistent"], false);
    assert_eq!(
        problems(&report),
        [
            ("zhambyl".to_owned(), String::new(), Value::from(38), Value::from(37)),
            ("total".to_owned(), String::new(), Value::from(730), Value::from(729)),
        ]
    );
    assert!(report["notes"].as_array().expect("notes").is_empty(), "no blank figure is needed");
}

#[test]
fn table_2_adds_up_but_the_text_refusal_share_does_not() {
    let (code, report) = check_json("data/kz/akim-2021-registration.toml");
    assert_eq!(code, Some(1));
    // 277 of 2,211 nominated is 12.53 %, printed as 12.6 % in the seed's text.
    assert_eq!(
        problems(&report),
        [("shares".to_owned(), "refused".to_owned(), Value::from("12.6%"), Value::from("12.5%"))]
    );
    assert!(!report["notes"].as_array().expect("notes").is_empty(), "blank regions are noted");
}

#[test]
fn a_consistent_table_exits_0_and_the_view_names_the_rows() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("ok.toml");
    let text = "[table]\nname = \"ok\"\n[[columns]]\nid = \"seats\"\n[[columns]]\nid = \"won\"\n\
                [[rows]]\nid = \"a\"\ncells = { seats = 2, won = 2 }\n\
                [[rows]]\nid = \"total\"\nrole = \"total\"\ncells = { seats = 2, won = 2 }\n\
                [[relations]]\nname = \"won = seats\"\nkind = \"row-sum\"\ntotal = \"seats\"\nparts = [\"won\"]\n";
    std::fs::write(&path, text).expect("writing the table");
    let (code, report) = check_json(path.to_str().expect("a UTF-8 path"));
    assert_eq!((code, report["consistent"].clone()), (Some(0), Value::Bool(true)));
    let output = saylau(&["check-table", "data/kz/akim-2021-results.toml"]);
    insta::assert_snapshot!("check_table_akim_2021", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn a_bad_table_is_rejected_with_lines() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bad.toml");
    let text = "[table]\nname = \"bad\"\n[[columns]]\nid = \"seats\"\n\
                [[rows]]\nid = \"a\"\ncells = { seats = 2.5, won = 1 }\n";
    std::fs::write(&path, text).expect("writing the table");
    let output = saylau(&["check-table", path.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr =
        String::from_utf8_lossy(&output.stderr).replace(&path.display().to_string(), "bad.toml");
    assert_eq!(
        stderr.trim_end(),
        "bad.toml:7: rows[0].cells.seats: expected a whole number, not negative, found the float 2.5 (rule E-6)\n\
         bad.toml:7: rows[0].cells.won: won is not a column of the table (rule E-34)"
    );
}

#[test]
fn the_akim_stages_add_up_to_2238_not_the_stated_2345() {
    let (code, report) = check_json("data/kz/akim-stages-2021-2025.toml");
    assert_eq!(code, Some(1));
    assert_eq!(
        problems(&report),
        [("total".to_owned(), "akims".to_owned(), Value::from(2345), Value::from(2238))]
    );
}
