//! The three languages: the same message ids everywhere, plurals and number formats.

use std::collections::BTreeSet;

use saylau_web::i18n::Lang;

/// The public pages' and the working interface's messages (`portal.ftl`, `work.ftl`).
const LOCALES: [(&str, &str); 3] = [
    (
        "kk",
        concat!(
            include_str!("../../locales/kk/portal.ftl"),
            include_str!("../../locales/kk/work.ftl")
        ),
    ),
    (
        "ru",
        concat!(
            include_str!("../../locales/ru/portal.ftl"),
            include_str!("../../locales/ru/work.ftl")
        ),
    ),
    (
        "en",
        concat!(
            include_str!("../../locales/en/portal.ftl"),
            include_str!("../../locales/en/work.ftl")
        ),
    ),
];

/// The message ids of a Fluent file (lines `id = ...` at the start of a line).
fn ids(ftl: &str) -> BTreeSet<String> {
    ftl.lines()
        .filter(|line| line.chars().next().is_some_and(|ch| ch.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

#[test]
fn every_message_is_in_all_three_languages() {
    let en = ids(LOCALES[2].1);
    assert!(en.len() > 50, "{en:?}");
    for (lang, ftl) in LOCALES {
        let have = ids(ftl);
        let missing: Vec<_> = en.difference(&have).collect();
        let extra: Vec<_> = have.difference(&en).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{lang}: missing {missing:?}, extra {extra:?}"
        );
    }
}

#[test]
fn every_message_the_templates_and_code_ask_for_exists() {
    let en = ids(LOCALES[2].1);
    let sources = [
        include_str!("../../templates/base.html"),
        include_str!("../../templates/reporting.html"),
        include_str!("../../templates/votes.html"),
        include_str!("../../templates/children.html"),
        include_str!("../../templates/national.html"),
        include_str!("../../templates/station.html"),
        include_str!("../../templates/not_found.html"),
        include_str!("../../src/views.rs"),
        include_str!("../../src/pages.rs"),
        include_str!("../../templates/work_base.html"),
        include_str!("../../templates/work_login.html"),
        include_str!("../../templates/work_home.html"),
        include_str!("../../templates/work_entry.html"),
        include_str!("../../templates/work_message.html"),
        include_str!("../../templates/work_resolve.html"),
        include_str!("../../templates/work_observe.html"),
        include_str!("../../templates/work_observed.html"),
        include_str!("../../templates/work_incidents.html"),
        include_str!("../../templates/work_note.html"),
        include_str!("../../templates/work_deployments.html"),
        include_str!("../../src/work.rs"),
        include_str!("../../src/work/observe.rs"),
        include_str!("../../src/work/deploy.rs"),
    ];
    let mut asked = 0;
    for source in sources {
        let markers = ["tr.t(\"", "tr.t_args(\"", "lang.t(\"", "lang.t_args(\""];
        for marker in markers.into_iter().chain(["lang().t(\"", "lang().t_args(\""]) {
            for part in source.split(marker).skip(1) {
                let id = part.split('"').next().expect("an id");
                assert!(en.contains(id), "{id} is asked for but not defined");
                asked += 1;
            }
        }
    }
    assert!(asked > 50, "{asked}");
    // Ids made at run time: one per protocol line and per control relation.
    for line in saylau_core::count::protocol::Line::FIXED {
        assert!(en.contains(&format!("line-{}", line.key())), "{line:?}");
    }
    for status in saylau_app::observe::payload::STATUSES {
        assert!(en.contains(&format!("work-status-{status}")), "{status}");
    }
    for what in ["copy", "status", "incident"] {
        assert!(en.contains(&format!("work-what-{what}")), "{what}");
    }
    for rule in saylau_web::results::RULES {
        assert!(en.contains(&format!("rule-{}", rule.code())), "{rule:?}");
    }
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        for id in &en {
            assert_ne!(lang.t(id), "", "{id}");
        }
    }
}

#[test]
fn plurals_follow_each_language() {
    let ru: Vec<String> = [1, 2, 5, 21, 11, 22, 112].map(|n| Lang::Ru.stations(n)).to_vec();
    assert_eq!(
        ru,
        [
            "1 участок",
            "2 участка",
            "5 участков",
            "21 участок",
            "11 участков",
            "22 участка",
            "112 участков"
        ]
    );
    assert_eq!(Lang::En.stations(1), "1 station");
    assert_eq!(Lang::En.stations(2), "2 stations");
    assert_eq!(Lang::Kk.stations(1), "1 учаске");
    assert_eq!(Lang::Kk.stations(21), "21 учаске");
    assert_eq!(Lang::Ru.stations(10_001), "10\u{a0}001 участок");
}

#[test]
fn numbers_and_percentages_use_each_language_s_separators() {
    assert_eq!(Lang::En.number(5_148_074), "5,148,074");
    assert_eq!(Lang::Ru.number(5_148_074), "5\u{a0}148\u{a0}074");
    assert_eq!(Lang::Kk.number(999), "999");
    assert_eq!(Lang::En.number(0), "0");
    assert_eq!(Lang::En.percent(1, 3), "33.33%");
    assert_eq!(Lang::Ru.percent(2, 3), "66,67\u{a0}%");
    assert_eq!(Lang::Kk.percent(1, 8), "12,50\u{a0}%");
    assert_eq!(Lang::En.percent(0, 0), "0.00%");
    assert_eq!(Lang::En.percent(1, 200_000), "0.00%");
    assert_eq!(Lang::En.percent(1, 20_000), "0.01%");
}

#[test]
fn accept_language_picks_the_first_language_spoken() {
    assert_eq!(Lang::negotiate("kk-KZ,ru;q=0.8"), Lang::Kk);
    assert_eq!(Lang::negotiate("de, RU-ru;q=0.5"), Lang::Ru);
    assert_eq!(Lang::negotiate("*"), Lang::En);
    assert_eq!(Lang::negotiate(""), Lang::En);
}
