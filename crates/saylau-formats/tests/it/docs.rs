//! The format's documentation covers every rule code.

use saylau_formats::rule;

#[test]
fn every_rule_code_is_documented() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/election-format.md");
    let text = std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{path}: {err}"));
    for code in rule::ALL {
        assert!(
            text.contains(&format!("| `{code}` |")),
            "{code} is not in the rule table of {path}"
        );
    }
    let documented = text.lines().filter(|line| line.starts_with("| `E-")).count();
    assert_eq!(documented, rule::ALL.len(), "the rule table lists exactly the codes in rule.rs");
}
