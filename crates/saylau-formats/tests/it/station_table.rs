//! Station tables for forensics: the bundled files, a column mapping, and bad rows named
//! with their line, field and rule and kept out with a count.

use saylau_formats::{
    StationColumns, parse_station_columns, parse_station_table, read_station_table,
    rule::{Rule, StationRule},
};
use strum::IntoEnumIterator;

use crate::shared_dir;

const HEADER: &str = "station_id,region,tik,voters,given,valid,invalid,v_a,v_b\n";

fn check(rows: &str, expect_good: usize, expect: &[(u32, &str, StationRule)]) {
    let text = format!("{HEADER}{rows}");
    let table = parse_station_table("t.csv", text.as_bytes(), &StationColumns::default())
        .expect("the header is good");
    assert_eq!(table.rows.len(), expect_good);
    let found: Vec<(u32, &str, Rule)> = table
        .rejected
        .iter()
        .flat_map(|row| {
            row.diagnostics.iter().map(move |it| (row.line, it.field.as_str(), it.rule))
        })
        .collect();
    let expect: Vec<(u32, &str, Rule)> =
        expect.iter().map(|&(line, field, rule)| (line, field, Rule::from(rule))).collect();
    assert_eq!(found, expect);
}

#[test]
fn bad_rows_are_named_and_kept_out() {
    check(
        "1,R,T,100,50,48,2,30,18\n\
         2,R,T,0,0,0,0,0,0\n\
         3,R,T,100,50,40,2,30,18\n\
         1,R,T,100,50,48,2,30,18\n\
         4,R,T,100,,48,2,30,18\n\
         5,R,T,100,5x,48,2,30,18\n\
         6,R,T,100,50,48\n",
        1,
        &[
            (3, "voters", StationRule::NoVoters),
            (4, "valid", StationRule::VotesAboveBallots),
            (5, "station_id", StationRule::Duplicate),
            (6, "given", StationRule::Empty),
            (7, "given", StationRule::Number),
            (8, "", StationRule::Row),
        ],
    );
}

#[test]
fn missing_columns_reject_the_file() {
    let text = "station_id,region,voters,valid,invalid\n1,R,100,48,2\n";
    let err = parse_station_table("t.csv", text.as_bytes(), &StationColumns::default())
        .expect_err("columns are missing");
    let fields: Vec<&str> = err.0.iter().map(|it| it.field.as_str()).collect();
    assert_eq!(fields, ["tik", "given", "lists"]);
    assert!(
        err.0.iter().all(|it| it.rule == Rule::from(StationRule::Header) && it.line == Some(1))
    );
    assert_eq!(
        err.0[0].to_string(),
        "t.csv:1: tik: the commission column \"tik\" is missing from the header (rule S-2)"
    );
}

#[test]
fn a_toml_mapping_reads_the_uganda_file() {
    let mapping = parse_station_columns(
        "uganda.toml",
        "commission = \"constituency\"\ngiven = [\"cast\"]\nother_lines = []\n",
    )
    .expect("a good mapping");
    let path = shared_dir().join("forensics/uganda-2011-president/uganda-2011-president.csv.gz");
    let table = read_station_table(&path, &mapping).expect("the bundled file reads");
    assert_eq!(table.rows.len() + table.rejected.len(), 23_968);
    let museveni = table.lists.iter().position(|it| it == "v_museveni").expect("Museveni's column");
    let votes: u64 = table.rows.iter().map(|row| row.votes[museveni]).sum();
    // Every rejected row has no voters (S-7); the README's station sums count them too.
    assert!(
        table
            .rejected
            .iter()
            .all(|row| row.diagnostics[0].rule == Rule::from(StationRule::NoVoters))
    );
    assert!(votes <= 5_436_639 && votes > 5_400_000, "{votes}");
    let err = parse_station_columns("bad.toml", "\n\nvoter = \"x\"\n").expect_err("an unknown key");
    assert_eq!((err.0[0].line, err.0[0].rule), (Some(3), Rule::from(StationRule::Mapping)));
}

#[test]
fn every_station_rule_is_documented() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/forensics.md");
    let text = std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{path}: {err}"));
    for code in StationRule::iter() {
        assert!(text.contains(&format!("| `{code}` |")), "{code} is not in {path}");
    }
    assert_eq!(
        text.lines().filter(|line| line.starts_with("| `S-")).count(),
        StationRule::iter().count()
    );
}
