//! Party-list files: the bundled summary and synthetic lists read, and bad files report
//! every problem with its line and rule.

use saylau_core::law::candidate_list::{Count, Members};
use saylau_formats::{parse_lists, read_lists};

use crate::data_dir;

#[test]
fn the_2021_summary_reads_with_bounded_women() {
    let file = read_lists(&data_dir().join("kz/lists-2021-summary.toml"))
        .unwrap_or_else(|err| panic!("{err}"));
    assert!(!file.meta.synthetic);
    let women: Vec<(u32, Count)> = file
        .set
        .lists()
        .iter()
        .map(|list| match &list.members {
            Members::Summary(summary) => (summary.candidates, summary.women),
            Members::Named(_) => panic!("the 2021 lists are summaries"),
        })
        .collect();
    let count = |min, max| Count { min, max };
    assert_eq!(
        women,
        [
            (126, count(36, 37)),
            (113, count(33, 33)),
            (38, count(12, 12)),
            (19, count(4, 4)),
            (16, count(4, 4))
        ]
    );
    let house = file.meta.house.expect("the Mazhilis");
    assert_eq!((house.women, house.seats), (29, 107));
    let synthetic = read_lists(&data_dir().join("kz/examples/lists-synthetic.toml"))
        .unwrap_or_else(|err| panic!("{err}"));
    assert!(synthetic.meta.synthetic);
    assert_eq!(synthetic.set.lists().len(), 3);
}

#[test]
fn a_bad_lists_file_reports_every_problem() {
    let text = r#"[list_set]
name = "x"
synthetic = true

[[quotas]]
id = "q"
name = "q"
kind = "combined"
share = "30"
groups = ["women", "elders"]
article = "a"

[[lists]]
id = "a"
candidates = 10
women_percent = "29.5%"

[[lists]]
id = "a"
candidates = 3
women_percent = "1%"
seats = 4

[[lists]]
id = "b"
seats = 1
chosen = ["X", "Y"]
leaving = ["Z"]

[[lists.candidates]]
name = "X"
sex = "female"
birth_date = 1990-01-01

[[lists.candidates]]
name = "X"
sex = "man"

[[lists]]
id = "c"
seats = 3
chosen = ["P", "Q"]
leaving = ["P", "P"]

[[lists.candidates]]
name = "P"
sex = "female"

[[lists.candidates]]
name = "R"
sex = "male"
"#;
    let diagnostics = parse_lists("lists.toml", text).expect_err("a bad file");
    insta::assert_snapshot!(diagnostics, @r#"
        lists.toml:9: quotas[0].share: "30" is not a percentage (expected a number followed by %, like 5% or 1.5%) (rule E-9)
        lists.toml:10: quotas[0].groups[1]: unknown group "elders" (expected one of women, under-29, disability) (rule E-8)
        lists.toml:16: lists[0].women_percent: 29.5% is not a whole percentage (published shares are rounded) (rule E-9)
        lists.toml:19: lists[1].id: a is given twice (rule E-29)
        lists.toml:21: lists[1].women_percent: no whole number of women out of 3 rounds or cuts down to 1% (rule E-32)
        lists.toml:33: lists[2].candidates[0].birth_date: a birth date needs [list_set] election_day (rule E-27)
        lists.toml:36: lists[2].candidates[1].name: X is given twice (rule E-29)
        lists.toml:37: lists[2].candidates[1].sex: unknown sex "man" (expected one of female, male) (rule E-8)
        lists.toml:41: lists[3].seats: 3 is more than 2 (rule E-32)
        lists.toml:42: lists[3].chosen[1]: Q is not a candidate of the list (rule E-30)
        lists.toml:42: lists[3].chosen: 2 deputies chosen for 3 seats (rule E-30)
        lists.toml:43: lists[3].leaving[1]: P is named twice (rule E-30)
        "#);
}
