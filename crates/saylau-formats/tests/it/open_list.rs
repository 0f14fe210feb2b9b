//! Preference votes in lists files: the vendored Czech 2021 list reads with its rule, and
//! no bytes or mutated file make the reader panic or accept preference votes that the
//! open-list rule cannot apply.

use proptest::prelude::{Strategy, any, prop};
use proptest::prop_oneof;
use proptest::strategy::Just;
use saylau_core::law::candidate_list::Members;
use saylau_core::law::open_list::{OpenListRule, open_list};
use saylau_formats::{parse_lists, read_lists};

use crate::reach::{Reached, properties};
use crate::shared_dir;

fn usti() -> String {
    std::fs::read_to_string(shared_dir().join("cz-2021-preferences/usti-pirstan.toml"))
        .expect("the vendored list")
}

#[test]
fn the_vendored_czech_list_reads_with_its_threshold_rule() {
    let file = read_lists(&shared_dir().join("cz-2021-preferences/usti-pirstan.toml"))
        .unwrap_or_else(|err| panic!("{err}"));
    let open = file.open.expect("preference votes");
    let OpenListRule::Threshold { percent } = &open.rule else { panic!("a threshold rule") };
    assert_eq!(percent.to_decimal(0), "5");
    assert_eq!(open.lists.len(), 1);
    assert_eq!(
        (open.lists[0].votes, open.lists[0].preferences.clone()),
        (52_797, vec![10_000, 3_830, 9_227])
    );
}

/// The vendored file with one line replaced, deleted, or random bytes.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let lines = usti().lines().count();
    let replacement = prop_oneof![
        Just("votes = 0".to_owned()),
        Just("votes = -5".to_owned()),
        Just("seats = 9".to_owned()),
        Just("rule = \"preferences\"".to_owned()),
        Just("rule = \"stv\"".to_owned()),
        Just("threshold = \"0%\"".to_owned()),
        Just("threshold = 5".to_owned()),
        Just("  { name = \"X\", sex = \"female\" },".to_owned()),
        Just("  { name = \"Y\", sex = \"female\", preferences = 99999 },".to_owned()),
        Just("  { name = \"Z\", sex = \"female\", preferences = 52797 },".to_owned()),
        Just("leaving = [\"Ivan Bartoš\"]".to_owned()),
        "[ -~]{0,30}",
    ];
    let edit = (0..lines, prop::option::of(replacement)).prop_map(|(idx, line)| {
        let mut out: Vec<String> = usti().lines().map(str::to_owned).collect();
        match line {
            Some(line) => out[idx] = line,
            None => {
                out.remove(idx);
            }
        }
        out.join("\n").into_bytes()
    });
    prop_oneof![4 => edit, 1 => prop::collection::vec(any::<u8>(), 0..400)]
}

properties! {
    cases = Some(512);
    fn no_input_panics_and_accepted_preferences_reorder(bytes in mutated()) {
        let text = String::from_utf8_lossy(&bytes);
        match parse_lists("l.toml", &text) {
            Ok(file) => {
                for prefs in file.open.iter().flat_map(|open| &open.lists) {
                    let open = file.open.as_ref().expect("rule");
                    let list = file.set.lists().iter().find(|it| it.id == prefs.list);
                    let list = list.expect("preferences of a list in the file");
                    // An accepted file's preferences apply: one per named candidate, none
                    // above the list's votes.
                    let report = open_list(list, prefs, &open.rule)
                        .map_err(|err| proptest::test_runner::TestCaseError::fail(err.to_string()))?;
                    let Members::Named(named) = &list.members else {
                        return Err(proptest::test_runner::TestCaseError::fail("a summary list"));
                    };
                    proptest::prop_assert_eq!(report.rows.len(), named.len());
                    for row in &report.rows {
                        proptest::prop_assert!(row.preferences <= prefs.votes);
                    }
                    // Those who move up come first, in order of preference votes.
                    let up: Vec<_> = report.rows.iter().filter(|it| it.reaches != Some(false)).collect();
                    proptest::prop_assert!(report.rows[..up.len()].iter().all(|it| it.reaches != Some(false)));
                    for pair in up.windows(2) {
                        proptest::prop_assert!(pair[0].preferences >= pair[1].preferences);
                    }
                    let elected = report.rows.iter().filter(|it| it.elected).count();
                    let seats = usize::try_from(report.seats).expect("seats");
                    proptest::prop_assert_eq!(elected, seats.min(named.len()));
                }
            }
            Err(diagnostics) => {
                // Every problem names its rule.
                proptest::prop_assert!(!diagnostics.0.is_empty());
                for diagnostic in &diagnostics.0 {
                    proptest::prop_assert!(diagnostic.rule.to_string().starts_with("E-"));
                }
            }
        }
        Ok(Reached::Yes)
    }
}
