//! Calendar files: the bundled ones read, a bad file reports every problem with file,
//! line, field and rule, and no bytes or mutated file make the reader panic or accept a
//! calendar whose periods run backwards.

use proptest::prelude::{Strategy, any, prop};
use proptest::prop_oneof;
use proptest::strategy::Just;
use saylau_core::law::calendar::schedule;
use saylau_formats::{parse_calendar, read_calendar};

use crate::data_dir;
use crate::reach::{Reached, properties};

/// Every bundled calendar reads, and its campaign length is the one its comments state.
#[test]
fn bundled_calendars_read_with_their_campaigns() {
    for (name, campaign_days, whole_days) in [
        ("akim-2021.toml", 10, 40),
        ("akim-proposal-rec19.toml", 30, 60),
        ("mazhilis-2021.toml", 30, 81),
    ] {
        let path = data_dir().join("kz/calendar").join(name);
        let file = read_calendar(&path).unwrap_or_else(|err| panic!("{name}: {err}"));
        let dated = schedule(&file.calendar, file.election_day).expect("a dated calendar");
        let days = |id: &str| {
            dated.periods.iter().find(|it| it.period.id == id).map(|it| it.days).expect(id)
        };
        assert_eq!((days("campaign"), days("whole")), (campaign_days, whole_days), "{name}");
        assert_eq!(file.meta.scenario.is_some(), name.contains("proposal"), "{name}");
    }
}

#[test]
fn a_bad_calendar_reports_every_problem() {
    let text = r#"[calendar]
format = 1
name = "x"
election_day = "2021-02-30"

[[events]]
id = "call"
name = "Call"
days_before = 40
days_after = 2
article = "art. 1"

[[events]]
id = "call"
name = "Again"
days_after = 1
time = "25:00"
article = "art. 1"

[[events]]
id = "silence"
name = "Silence"
article = ""

[[periods]]
id = "campaign"
name = "Campaign"
from = "call"
to = "silence"
article = "art. 27"
minimum_days = 14
"#;
    let diagnostics = parse_calendar("c.toml", text).expect_err("a bad file");
    insta::assert_snapshot!(diagnostics, @r#"
    c.toml:4: calendar.election_day: 2021-02-30 is not a day of the calendar (rule E-25)
    c.toml:6: events[0].days_before: both of days_before and days_after given: write exactly one (0 for election day) (rule E-49)
    c.toml:14: events[1].id: id "call" is used twice (first by events[0]) (rule E-33)
    c.toml:17: events[1].time: "25:00" is not a time of day written HH:MM, such as 18:00 (rule E-49)
    c.toml:20: events[2].days_before: neither of days_before and days_after given: write exactly one (0 for election day) (rule E-49)
    c.toml:23: events[2].article: must not be empty (rule E-14)
    c.toml:25: periods[0].minimum_source: minimum_days needs minimum_source: a minimum says where it comes from (rule E-4)
    "#);
}

#[test]
fn periods_must_run_forward_between_known_events() {
    let base = "[calendar]\nname = \"x\"\nelection_day = 2021-07-25\n\
        [[events]]\nid = \"call\"\nname = \"c\"\ndays_before = 40\narticle = \"a\"\n\
        [[events]]\nid = \"silence\"\nname = \"s\"\ndays_before = 1\narticle = \"a\"\n";
    let backwards = format!(
        "{base}[[periods]]\nid = \"p\"\nname = \"p\"\nfrom = \"silence\"\nto = \"call\"\narticle = \"a\"\n"
    );
    let unknown = format!(
        "{base}[[periods]]\nid = \"p\"\nname = \"p\"\nfrom = \"call\"\nto = \"vote\"\narticle = \"a\"\n"
    );
    let message = |text: &str| parse_calendar("c.toml", text).expect_err("refused").to_string();
    insta::assert_snapshot!(message(&backwards), @"c.toml:14: periods[0].to: period p: call (-40 days) comes before silence (-1 days) (rule E-49)");
    insta::assert_snapshot!(message(&unknown), @r#"c.toml:14: periods[0].from: period p: no event "vote" (rule E-34)"#);
}

/// The bundled 2021 akim calendar, as text.
fn akim_2021() -> String {
    std::fs::read_to_string(data_dir().join("kz/calendar/akim-2021.toml")).expect("bundled")
}

/// The bundled file with one line replaced by `line`, deleted, or with random bytes.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let lines = akim_2021().lines().count();
    let replacement = prop_oneof![
        Just("days_before = -3".to_owned()),
        Just("days_after = 99999".to_owned()),
        Just("time = \"7:00\"".to_owned()),
        Just("from = \"nowhere\"".to_owned()),
        Just("to = \"call\"".to_owned()),
        Just("minimum_days = 0".to_owned()),
        Just("election_day = 1.5".to_owned()),
        Just("[[periods]]".to_owned()),
        "[ -~]{0,30}",
    ];
    let edit = (0..lines, prop::option::of(replacement)).prop_map(|(idx, line)| {
        let mut out: Vec<String> = akim_2021().lines().map(str::to_owned).collect();
        match line {
            Some(line) => out[idx] = line,
            None => {
                out.remove(idx);
            }
        }
        out.join("\n").into_bytes()
    });
    prop_oneof![edit, prop::collection::vec(any::<u8>(), 0..400)]
}

properties! {
    cases = Some(512);
    fn no_input_panics_and_accepted_calendars_date(bytes in mutated()) {
        let text = String::from_utf8_lossy(&bytes);
        match parse_calendar("c.toml", &text) {
            Ok(file) => {
                // An accepted file dates without error, and every period runs forward.
                let dated = schedule(&file.calendar, file.election_day)
                    .map_err(|err| proptest::test_runner::TestCaseError::fail(err.to_string()))?;
                for period in &dated.periods {
                    proptest::prop_assert!(period.start <= period.end);
                }
            }
            Err(diagnostics) => {
                // Every problem names its rule, and a line when the file has one.
                proptest::prop_assert!(!diagnostics.0.is_empty());
                for diagnostic in &diagnostics.0 {
                    proptest::prop_assert!(diagnostic.rule.to_string().starts_with("E-"));
                }
            }
        }
        Ok(Reached::Yes)
    }
}
