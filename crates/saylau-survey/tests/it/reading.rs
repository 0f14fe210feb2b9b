//! Codebook and respondent-file reading: good rows kept, bad rows rejected whole with
//! diagnostics naming the line, question and rule.

use saylau_survey::codebook::Codebook;
use saylau_survey::diagnostic::Severity;
use saylau_survey::respondents::{Answers, Respondents};

use crate::data::CODEBOOK;

fn codebook() -> Codebook {
    Codebook::from_toml("test.toml", CODEBOOK).expect("the test codebook is valid")
}

#[test]
fn good_rows_are_kept_and_recodes_derived() {
    let codebook = codebook();
    let csv = "id,region,aware,when\nr1,1,1;2,2\nr2,3,9,\nr3,2,2,1\n";
    let read = Respondents::from_csv(&codebook, "t.csv", csv).expect("a valid header");
    assert!(read.diagnostics.0.is_empty(), "{}", read.diagnostics);
    assert_eq!(read.respondents.len(), 3);
    let macro_idx = codebook.question_index("macro").expect("macro");
    assert_eq!(
        read.respondents.answers(macro_idx),
        &Answers::Single(vec![Some(0), Some(1), Some(1)])
    );
    let aware_idx = codebook.question_index("aware").expect("aware");
    assert!(read.respondents.answers(aware_idx).has(0, 1));
    assert!(!read.respondents.answers(aware_idx).has(1, 1));
}

#[test]
fn bad_rows_are_rejected_whole_with_line_field_and_rule() {
    let codebook = codebook();
    let csv = "id,region,aware,when\n\
               r1,7,1,\n\
               r2,1,1;9,\n\
               r3,1;2,1,\n\
               r4,1,1,2\n\
               r5,2,2,1\n\
               r5,2,2,1\n";
    let read = Respondents::from_csv(&codebook, "t.csv", csv).expect("a valid header");
    assert_eq!(read.respondents.ids(), ["r5"]);
    assert_eq!(read.rejected, 5);
    let found: Vec<(Option<u64>, &str, &str)> =
        read.diagnostics.0.iter().map(|it| (it.line, it.field.as_str(), it.rule)).collect();
    assert_eq!(
        found,
        [
            (Some(2), "region", "R-2"),
            (Some(3), "aware", "R-4"),
            (Some(4), "region", "R-3"),
            (Some(5), "when", "R-5"),
            (Some(7), "id", "R-6"),
        ]
    );
    let text = read.diagnostics.to_string();
    assert!(
        text.contains("t.csv:2: region: \"7\" is not a code of region in the codebook (rule R-2)"),
        "{text}"
    );
}

#[test]
fn a_missing_column_rejects_the_file() {
    let codebook = codebook();
    let err = Respondents::from_csv(&codebook, "t.csv", "id,region,aware\nr1,1,1\n")
        .expect_err("no when column");
    assert_eq!(err.0[0].field, "when");
    assert_eq!(err.0[0].severity, Severity::Error);
}

#[test]
fn codebook_errors_name_the_field() {
    let bad = CODEBOOK.replace(
        "filter = { question = \"aware\", codes = [2] }",
        "filter = { question = \"aware\", codes = [5] }",
    );
    let err = Codebook::from_toml("bad.toml", &bad).expect_err("code 5 does not exist");
    assert_eq!(err.0[0].rule, "K-5");
    assert_eq!(err.0[0].field, "question[3].filter");
    let err = Codebook::from_toml("bad.toml", "[study]\nkey = 1\n").expect_err("not a codebook");
    assert_eq!((err.0[0].rule, err.0[0].line), ("K-1", Some(2)));
}
