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
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("closed.toml");
    std::fs::write(&path, closed).expect("written");
    let report = reorder(&path, false).unwrap_or_else(|err| panic!("{err}"));
    let elected: Vec<&str> =
        report.lists[0].rows.iter().filter(|it| it.elected).map(|it| it.name.as_str()).collect();
    assert_eq!(elected, ["Ivan Bartoš", "Lukáš Blažej"]);
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
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, bad).expect("written");
        let Err(LawError::Rejected(diagnostics)) = reorder(&path, false) else {
            panic!("{from} -> {to}: accepted");
        };
        let shown = diagnostics.to_string();
        assert!(shown.contains(field) && shown.contains(&format!("(rule {rule})")), "{shown}");
        assert!(shown.contains("bad.toml:"), "{shown}");
    }
}

/// The vendored Nové Město nad Metují council election of 2018 (volby.cz via votelib's
/// tests) as a lists file under the municipal rule, with each party's seats taken from the
/// expected result, and the expected elected candidates per party.
fn nove_mesto() -> (String, Vec<(String, Vec<String>)>) {
    let reference =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/reference/peers/votelib");
    let rows = std::fs::read_to_string(reference.join("tests/real/data/nmnmet_cc_2018.csv"))
        .expect("vendored");
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(reference.join("expected_from_tests.json")).expect("vendored"),
    )
    .expect("JSON");
    let elected = &expected["nmnmet_cc_2018"]["expected_elected_by_party"];
    let mut parties: Vec<(String, Vec<(String, u64)>)> = Vec::new();
    for line in rows.lines().filter(|line| !line.is_empty()) {
        let mut fields = line.split(';');
        let (party, name, votes) = (
            fields.next().expect("party"),
            fields.next().expect("name"),
            fields.next().expect("votes"),
        );
        let votes: u64 = votes.trim().parse().expect("votes");
        match parties.iter_mut().find(|(id, _)| id == party) {
            Some((_, candidates)) => candidates.push((name.to_owned(), votes)),
            None => parties.push((party.to_owned(), vec![(name.to_owned(), votes)])),
        }
    }
    let mut text = String::from(
        "[list_set]\nname = \"Nové Město nad Metují 2018\"\nsynthetic = false\n\n\
         [open_list]\nrule = \"above-average\"\nthreshold = \"5%\"\n",
    );
    let mut want = Vec::new();
    for (idx, (party, candidates)) in parties.iter().enumerate() {
        let names: Vec<String> = elected[party]
            .as_array()
            .map(|it| it.iter().map(|name| name.as_str().expect("a name").to_owned()).collect())
            .unwrap_or_default();
        let total: u64 = candidates.iter().map(|(_, votes)| votes).sum();
        text.push_str(&format!(
            "\n[[lists]]\nid = \"list-{idx}\"\nvotes = {total}\nseats = {}\ncandidates = [\n",
            names.len()
        ));
        for (name, votes) in candidates {
            // Sex is not in the data and plays no part here (nobody leaves).
            text.push_str(&format!(
                "  {{ name = \"{name}\", sex = \"male\", preferences = {votes} }},\n"
            ));
        }
        text.push_str("]\n");
        want.push((format!("list-{idx}"), names));
    }
    (text, want)
}

#[test]
fn the_municipal_rule_elects_the_published_councillors_of_nove_mesto_2018() {
    let (text, want) = nove_mesto();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nove-mesto.toml");
    std::fs::write(&path, text).expect("written");
    let report = reorder(&path, false).unwrap_or_else(|err| panic!("{err}"));
    let mut seats = 0;
    for (list, (id, names)) in report.lists.iter().zip(&want) {
        assert_eq!(&list.list, id);
        let mut elected: Vec<&str> =
            list.rows.iter().filter(|it| it.elected).map(|it| it.name.as_str()).collect();
        let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
        elected.sort_unstable();
        names.sort_unstable();
        assert_eq!(elected, names, "{id}");
        seats += names.len();
    }
    assert_eq!(seats, 21);
}
