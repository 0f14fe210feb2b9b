//! Repeat-rule files: the bundled law and proposal read, a bad file reports every problem,
//! and no bytes or mutated file make the reader panic.

use proptest::prelude::{Strategy, any, prop};
use proptest::prop_oneof;
use proptest::strategy::Just;
use saylau_core::law::plurality::AgainstAllRule;
use saylau_formats::{parse_repeat_rules, read_repeat_rules};

use crate::data_dir;
use crate::reach::{Reached, properties};

#[test]
fn the_law_has_no_quorum_and_the_proposal_has_one() {
    let law = read_repeat_rules(&data_dir().join("kz/repeat/law-2021.toml")).expect("the law");
    assert_eq!((law.quorum.is_none(), law.against_all), (true, AgainstAllRule::NoEffect));
    assert!(law.scenario.is_none() && law.repeat_after.is_none());
    let proposal = read_repeat_rules(&data_dir().join("kz/repeat/proposal-quorum-50.toml"))
        .expect("the proposal");
    let quorum = proposal.quorum.expect("a quorum");
    assert_eq!(quorum.min_turnout.to_string(), "50%");
    assert_eq!(proposal.against_all, AgainstAllRule::VacatesUncontested);
    assert_eq!(proposal.repeat_after.map(|(days, _)| days), Some(60));
    assert!(proposal.scenario.is_some(), "a proposal is a scenario");
}

#[test]
fn a_bad_rule_file_reports_every_problem() {
    let text = r#"[repeat]
name = "x"
quorum = 0.5
against_all = "sometimes"
against_all_source = "s"
repeat_after_days = 0
"#;
    let diagnostics = parse_repeat_rules("r.toml", text).expect_err("a bad file");
    insta::assert_snapshot!(diagnostics, @r#"
    r.toml:1: repeat.quorum_source: missing key quorum_source (rule E-4)
    r.toml:3: repeat.quorum: expected a percentage such as "7%", found the float 0.5; floats are inexact: write quorum = "50%" if 0.5 is a share of one, or "0.5%" (rule E-6)
    r.toml:4: repeat.against_all: unknown against-all rule "sometimes" (expected one of no-effect, vacates-uncontested, vacates-when-beaten) (rule E-8)
    r.toml:6: repeat.repeat_after_days: expected a whole number of days of at least 1, found 0 (rule E-11)
    "#);
}

/// The bundled proposal, as text.
fn proposal() -> String {
    std::fs::read_to_string(data_dir().join("kz/repeat/proposal-quorum-50.toml")).expect("bundled")
}

/// The bundled proposal with one line replaced or deleted, or random bytes.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let lines = proposal().lines().count();
    let replacement = prop_oneof![
        Just("quorum = \"150%\"".to_owned()),
        Just("quorum = \"none\"".to_owned()),
        Just("quorum = 50".to_owned()),
        Just("against_all = \"always\"".to_owned()),
        Just("repeat_after_days = -1".to_owned()),
        Just("[scenario]".to_owned()),
        "[ -~]{0,30}",
    ];
    let edit = (0..lines, prop::option::of(replacement)).prop_map(|(idx, line)| {
        let mut out: Vec<String> = proposal().lines().map(str::to_owned).collect();
        match line {
            Some(line) => out[idx] = line,
            None => {
                out.remove(idx);
            }
        }
        out.join("\n").into_bytes()
    });
    prop_oneof![edit, prop::collection::vec(any::<u8>(), 0..300)]
}

properties! {
    cases = Some(512);
    fn no_rule_file_panics_and_rejections_name_a_rule(bytes in mutated()) {
        let text = String::from_utf8_lossy(&bytes);
        match parse_repeat_rules("r.toml", &text) {
            Ok(rules) => {
                // A quorum read is a percentage of at most 100.
                if let Some(quorum) = &rules.quorum {
                    proptest::prop_assert!(quorum.min_turnout.value().floor() <= 100);
                }
            }
            Err(diagnostics) => {
                proptest::prop_assert!(!diagnostics.0.is_empty());
                for diagnostic in &diagnostics.0 {
                    proptest::prop_assert!(diagnostic.rule.to_string().starts_with("E-"));
                }
            }
        }
        Ok(Reached::Yes)
    }
}
