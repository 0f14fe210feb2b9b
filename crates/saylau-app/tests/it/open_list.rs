//! Open lists: the Czech Chamber 2021 preference votes on the PirSTAN list in Ústecký kraj
//! (data/reference/cz-2021-preferences) reorder the list as published, and bad preference
//! votes are rejected with their line and rule.

use std::path::PathBuf;

use saylau_app::law::LawError;
use saylau_app::law::open_list::reorder;

fn usti() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/reference/cz-2021-preferences/usti-pirstan.toml")
}

#[test]
fn the_5_percent_threshold_elects_bartos_and_liska_as_published_in_2021() {
    let report = reorder(&usti(), false).unwrap_or_else(|err| panic!("{err}"));
    let list = &report.lists[0];
    assert_eq!((list.rule, list.votes, list.seats), ("threshold", 52_797, 2));
    // 5 % of 52,797 votes is 2,639.85 preference votes.
    assert_eq!(list.threshold_votes.as_deref(), Some("2639.85"));
    let elected: Vec<&str> =
        list.rows.iter().filter(|it| it.elected).map(|it| it.name.as_str()).collect();
    assert_eq!(elected, ["Ivan Bartoš", "Petr Liška"]);
    let blazej = list.rows.iter().find(|it| it.name == "Lukáš Blažej").expect("on the list");
    // Blažej reached the threshold too, but with fewer preference votes than Liška.
    assert_eq!((blazej.position, blazej.rank, blazej.reaches), (2, 3, Some(true)));
    assert_eq!(blazej.share_percent, "7.25");
    // The list order alone (every candidate under a threshold of 100 %) would have
    // elected Bartoš and Blažej: the agreed order the deník describes.
    let text = std::fs::read_to_string(usti()).expect("vendored");
    let closed = text.replace("threshold = \"5%\"", "threshold = \"100%\"");
    let dir = std::env::temp_dir().join(format!("saylau-open-list-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("closed.toml");
    std::fs::write(&path, closed).expect("written");
    let report = reorder(&path, false).unwrap_or_else(|err| panic!("{err}"));
    let elected: Vec<&str> =
        report.lists[0].rows.iter().filter(|it| it.elected).map(|it| it.name.as_str()).collect();
    assert_eq!(elected, ["Ivan Bartoš", "Lukáš Blažej"]);
    std::fs::remove_dir_all(&dir).expect("removed");
}

#[test]
fn bad_preference_votes_are_named_by_line_field_and_rule() {
    let text = std::fs::read_to_string(usti()).expect("vendored");
    let cases = [
        ("preferences = 3830", "preferences = 60000", "lists[0].candidates[1].preferences", "E-50"),
        (", preferences = 3830", "", "lists[0].candidates[1].preferences", "E-50"),
        ("votes = 52797\n", "", "lists[0].votes", "E-50"),
        ("rule = \"threshold\"", "rule = \"preferences\"", "open_list.threshold", "E-17"),
    ];
    for (from, to, field, rule) in cases {
        let bad = text.replacen(from, to, 1);
        let dir = std::env::temp_dir().join(format!("saylau-open-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("bad.toml");
        std::fs::write(&path, bad).expect("written");
        let Err(LawError::Rejected(diagnostics)) = reorder(&path, false) else {
            panic!("{from} -> {to}: accepted");
        };
        let shown = diagnostics.to_string();
        assert!(shown.contains(field) && shown.contains(&format!("(rule {rule})")), "{shown}");
        assert!(shown.contains("bad.toml:"), "{shown}");
        std::fs::remove_dir_all(&dir).expect("removed");
    }
}
