//! The control-relation messages of the working interface in Kazakh, Russian and English:
//! every rule code has its message in all three Fluent files, the English message says
//! what the core says word for word, and the live check, the entry form and the copy form speak
//! the session's language with its digit grouping.

use std::collections::BTreeSet;

use saylau_app::entry::{Broken, check};
use saylau_core::count::protocol::{BallotCount, ProtocolLines, VoterCount};
use saylau_core::seats::votes::Votes;
use saylau_web::i18n::{LANGS, Lang};
use saylau_web::work::rules::{codes, say};

use crate::fixture::fixture;
use crate::work::{form_of, login, post, world_with};

const WORK: [(&str, &str); 3] = [
    ("kk", include_str!("../../locales/kk/work.ftl")),
    ("ru", include_str!("../../locales/ru/work.ftl")),
    ("en", include_str!("../../locales/en/work.ftl")),
];

fn ids(ftl: &str) -> BTreeSet<String> {
    ftl.lines()
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

#[test]
fn every_rule_code_has_a_message_in_all_three_languages() {
    let codes = codes();
    assert!(codes.len() >= 15, "P-1 to P-14 and form: {codes:?}");
    for (lang, ftl) in WORK {
        let have = ids(ftl);
        let missing: Vec<&String> =
            codes.iter().filter(|code| !have.contains(&format!("broken-{code}"))).collect();
        assert!(missing.is_empty(), "{lang}: no message for {missing:?}");
    }
}

/// Protocols that break P-1 to P-7, from a real station's lines.
fn breaches(lines: &ProtocolLines) -> Vec<ProtocolLines> {
    let change = |f: &dyn Fn(&mut ProtocolLines)| {
        let mut lines = lines.clone();
        f(&mut lines);
        lines
    };
    vec![
        change(&|it| it.ballots_received = BallotCount(it.ballots_received.0 + 1_234)),
        change(&|it| it.voters_on_roll = VoterCount(1)),
        change(&|it| it.found_in_boxes = BallotCount(it.found_in_boxes.0 + 1)),
        change(&|it| it.invalid = BallotCount(it.invalid.0 + 2)),
        change(&|it| it.against_all = Votes(it.against_all.0 + 1_000)),
        change(&|it| {
            it.list_votes.pop();
        }),
        change(&|it| it.valid = BallotCount(5_000_000_000)),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_rules_are_said_in_each_language_with_its_numbers() {
    let fixture = fixture().await;
    let protocol = &fixture.country.protocols[0];
    let mut seen = BTreeSet::new();
    for lines in breaches(protocol.lines()) {
        let broken: Vec<Broken> = check(protocol.station(), &lines, &fixture.country.ballot);
        assert!(!broken.is_empty(), "{lines:?}");
        for it in &broken {
            seen.insert(it.rule.clone());
            assert!(!it.args.is_empty(), "{}: its numbers", it.rule);
            // The English message is the core's, word for word (without the station and
            // the rule, which the form shows beside it).
            let english = say(Lang::En, it);
            assert!(it.message.contains(&format!(": {english} (rule {})", it.rule)), "{english}");
            for lang in LANGS {
                let said = say(lang, it);
                assert!(!said.contains('{') && !said.contains("broken-"), "{lang:?}: {said}");
                for (name, value) in &it.args {
                    if let (Ok(n), false) = (value.parse::<u64>(), *name == "line") {
                        assert!(said.contains(&lang.number(n)), "{lang:?} {name}: {said}");
                    }
                }
                if lang != Lang::En {
                    assert_ne!(said, it.message, "{lang:?} {}", it.rule);
                }
            }
        }
    }
    let expected: BTreeSet<String> =
        ["P-1", "P-2", "P-3", "P-4", "P-5", "P-6", "P-7"].map(str::to_owned).into();
    assert!(expected.is_subset(&seen), "{seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_forms_and_the_live_check_speak_the_sessions_language() {
    let world = world_with(false).await;
    let station = world.inside;
    let pec = login(&world.app, "pec").await;
    let mut form = form_of(&world, station, &[("ballots_received", 1_234)]).await;
    form.push(("csrf".to_owned(), pec.csrf.clone()));
    form.push(("station".to_owned(), station.to_string()));
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for (lang, word) in [("kk", "өзгеше"), ("ru", "не равна"), ("en", "differs from")]
    {
        let cookie = format!("{}; saylau_lang={lang}", pec.cookie);
        let checked = post(&world.app, "/work/check", &fields, &[("cookie", &cookie)]).await;
        let message =
            checked.json()["broken"][0]["message"].as_str().expect("a message").to_owned();
        assert!(message.contains(word), "{lang}: {message}");
        let entered =
            post(&world.app, &format!("/work/s/{station}"), &fields, &[("cookie", &cookie)]).await;
        assert_eq!(entered.status, 422);
        assert!(entered.text().contains(word), "{lang}: {}", entered.text());
    }
    // A line that is not a number, in Russian.
    let mut bad = form.clone();
    bad.iter_mut().find(|(k, _)| k == "valid").expect("valid").1 = "12a".to_owned();
    let fields: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let cookie = format!("{}; saylau_lang=ru", pec.cookie);
    let checked = post(&world.app, "/work/check", &fields, &[("cookie", &cookie)]).await;
    let broken = checked.json()["broken"][0].clone();
    assert_eq!(broken["rule"], "form");
    assert_eq!(broken["message"], "строка 8 (valid): «12a» не целое число");
}

#[test]
fn the_count_record_rules_are_said_with_their_times_and_lines() {
    use saylau_app::entry::violation_args;
    use saylau_core::count::protocol::{ExtraLine, StationTime, ViolationKind};
    let time = |text: &str| StationTime::parse(text).expect("a time");
    let kinds = [
        ViolationKind::SupplementaryAboveRoll {
            supplementary: VoterCount(2_500),
            voters_on_roll: VoterCount(1_200),
        },
        ViolationKind::SignaturesBelowIssued {
            signatures: BallotCount(1_000),
            issued_in_station: BallotCount(1_212),
        },
        ViolationKind::CountBeforeClose {
            started: time("2021-01-10T19:40"),
            polls_close: time("2021-01-10T20:00"),
        },
        ViolationKind::TimeOutOfOrder {
            line: ExtraLine::Posted,
            at: time("2021-01-10T21:00"),
            before: ExtraLine::CountEnded,
            then: time("2021-01-10T22:15"),
        },
        ViolationKind::LateCount {
            started: time("2021-01-10T23:30"),
            polls_close: time("2021-01-10T20:00"),
            minutes: 210,
            limit: 60,
        },
    ];
    for kind in kinds {
        let code = kind.rule().code();
        let broken = Broken {
            rule: code.to_owned(),
            message: kind.to_string(),
            args: violation_args(&kind),
        };
        // English: the core's sentence, but a v2 line by its label on the page.
        let english = say(Lang::En, &broken);
        if !matches!(kind, ViolationKind::TimeOutOfOrder { .. }) {
            assert_eq!(english, broken.message, "{code}");
        }
        for lang in LANGS {
            let said = say(lang, &broken);
            assert!(!said.contains('{') && !said.contains("broken-"), "{lang:?} {code}: {said}");
            for (name, value) in &broken.args {
                let shown = if name.ends_with("_line") {
                    lang.t(&format!("v2-{value}"))
                } else {
                    value.parse::<u64>().map_or(value.clone(), |n| lang.number(n))
                };
                assert!(said.contains(&shown), "{lang:?} {code} {name}: {said}");
            }
        }
    }
}
