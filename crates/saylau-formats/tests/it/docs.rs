//! The documentation's rule tables and the rule enums agree both ways: every code of
//! [`FileRule`], [`ProtocolFileRule`], [`ProtocolRule`], [`StationRule`] and [`QuickCountRule`]
//! is a row of a table in `docs/`,
//! once, and every row of such a table names a code that exists.

use std::collections::BTreeMap;

use saylau_core::count::protocol::rule::ProtocolRule;
use saylau_formats::rule::{
    CommissionRule, FileRule, ObservationRule, ProtocolFileRule, QuickCountRule, StationRule,
};
use strum::IntoEnumIterator;

/// Every rule code in the tables of `docs/*.md` (a row starting with `` | `X-N` | ``), with
/// the files and lines that document it.
fn documented_codes() -> BTreeMap<String, Vec<String>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs");
    let mut res: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let entries = std::fs::read_dir(dir).unwrap_or_else(|err| panic!("{dir}: {err}"));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
        for (idx, line) in text.lines().enumerate() {
            let Some(code) = line.strip_prefix("| `").and_then(|rest| rest.split_once("` |"))
            else {
                continue;
            };
            let code = code.0;
            if is_rule_code(code) {
                res.entry(code.to_owned()).or_default().push(format!("{name}:{}", idx + 1));
            }
        }
    }
    res
}

/// `X-N`: a capital letter, a hyphen and a number.
fn is_rule_code(text: &str) -> bool {
    let Some((family, number)) = text.split_once('-') else {
        return false;
    };
    family.len() == 1
        && family.chars().all(|it| it.is_ascii_uppercase())
        && !number.is_empty()
        && number.chars().all(|it| it.is_ascii_digit())
}

/// Every code of the rule enums, in enum order.
fn enum_codes() -> Vec<String> {
    let file = FileRule::iter().map(|rule| rule.to_string());
    let protocol_file = ProtocolFileRule::iter().map(|rule| rule.to_string());
    let protocol = ProtocolRule::iter().map(|rule| rule.to_string());
    let station = StationRule::iter().map(|rule| rule.to_string());
    let quick_count = QuickCountRule::iter().map(|rule| rule.to_string());
    let observation = ObservationRule::iter().map(|rule| rule.to_string());
    let commission = CommissionRule::iter().map(|rule| rule.to_string());
    let families = file.chain(protocol_file).chain(protocol).chain(station).chain(quick_count);
    families.chain(observation).chain(commission).collect()
}

#[test]
fn every_rule_code_is_documented_and_every_documented_code_exists() {
    let documented = documented_codes();
    let codes = enum_codes();
    let undocumented: Vec<&String> =
        codes.iter().filter(|code| !documented.contains_key(*code)).collect();
    assert!(undocumented.is_empty(), "rule codes without a row in a docs/ table: {undocumented:?}");
    let unknown: Vec<(&String, &Vec<String>)> =
        documented.iter().filter(|(code, _)| !codes.contains(code)).collect();
    assert!(unknown.is_empty(), "docs/ rows naming codes no rule enum has: {unknown:?}");
    let twice: Vec<(&String, &Vec<String>)> =
        documented.iter().filter(|(_, places)| places.len() > 1).collect();
    assert!(twice.is_empty(), "rule codes documented more than once: {twice:?}");
    // The tables are where a reader looks for them.
    for (code, places) in &documented {
        let doc = match &code[..1] {
            "E" => "election-format.md",
            "S" => "forensics.md",
            "Q" => "pvt.md",
            "O" => "observation.md",
            "C" => "commissions.md",
            _ => "protocol.md",
        };
        assert!(places[0].starts_with(doc), "{code} is documented in {places:?}, not {doc}");
    }
}

#[test]
fn codes_are_numbered_in_order_within_each_family() {
    let check = |codes: Vec<String>, family: &str| {
        let expected: Vec<String> = (1..=codes.len()).map(|n| format!("{family}-{n}")).collect();
        assert_eq!(codes, expected);
    };
    check(FileRule::iter().map(|rule| rule.to_string()).collect(), "E");
    check(ProtocolFileRule::iter().map(|rule| rule.to_string()).collect(), "F");
    check(ProtocolRule::iter().map(|rule| rule.to_string()).collect(), "P");
    check(StationRule::iter().map(|rule| rule.to_string()).collect(), "S");
    check(QuickCountRule::iter().map(|rule| rule.to_string()).collect(), "Q");
    check(ObservationRule::iter().map(|rule| rule.to_string()).collect(), "O");
    check(CommissionRule::iter().map(|rule| rule.to_string()).collect(), "C");
}
