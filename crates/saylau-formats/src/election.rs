//! Election files, format v1 (TOML): the public entry points of this crate.
//!
//! [`parse_election`] and [`read_election`] turn a file into a core [`Contest`] and
//! [`Rules`], ready for `saylau_core::allocation::allocate`, plus the [`ElectionMeta`] that
//! says where the numbers come from. The format is specified in `docs/election-format.md`;
//! every problem in a file is reported as a [`Diagnostic`] with its line and rule code.

use std::path::Path;

use saylau_core::contest::Contest;
use saylau_core::method::Rules;
use saylau_core::threshold::ThresholdBase;
use saylau_core::votes::Seats;
use serde::Serialize;

use crate::contest::{self, BallotsRead, ListRead};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity, Sink};
use crate::document::{Node, Origin, Table, Value, parse_document};
use crate::field::{Fields, boolean, count, filled_text, if_present, table, text, texts};
use crate::r#override::{self, Override};
use crate::rule;

/// The only version of the format so far (`[election] format = 1`).
pub const FORMAT: u32 = 1;

/// The top-level keys of a file.
const KEYS: &[&str] = &["election", "rules", "ballots", "lists", "source", "scenario"];

/// An election file, read and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElectionFile {
    /// The seats, lists (in registration order) and ballot totals.
    pub contest: Contest,
    /// The allocation rules.
    pub rules: Rules,
    /// Name, provenance and the seats the file expects.
    pub meta: ElectionMeta,
}

/// What an election file says about itself, beyond the contest and the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElectionMeta {
    /// `[election] name`.
    pub name: String,
    /// `[election] description`.
    pub description: Option<String>,
    /// The format version (always [`FORMAT`] so far).
    pub format: u32,
    /// `[source]`: where the numbers come from.
    pub source: Option<DataSource>,
    /// `[scenario]`: set when the file is not the election as decided.
    pub scenario: Option<Scenario>,
    /// Per list, in registration order: the published official result.
    pub official_seats: Vec<Option<Seats>>,
    /// Per list, in registration order: a published counterfactual's result.
    pub expected_seats: Vec<Option<Seats>>,
}

/// The `[source]` table: the citation behind a file's numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataSource {
    /// Who published the numbers, and where.
    pub citation: String,
    /// Addresses of the sources.
    pub urls: Vec<String>,
    /// How the numbers were taken from the sources.
    pub notes: Option<String>,
}

/// The `[scenario]` table: a file that differs from the election as decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    /// True when the numbers themselves are modelled rather than published.
    pub modelled: bool,
    /// What the scenario is and how its numbers were made.
    pub note: String,
}

/// Reads an election from `text`; `source` names it in diagnostics (a path, or `-`).
pub fn parse_election(
    source: &str,
    text: &str,
    overrides: &[Override],
) -> Result<ElectionFile, Diagnostics> {
    let mut sink = Sink::new(source, text, overrides);
    let Some(mut root) = parse_document(text, &mut sink) else {
        return Err(sink.finish());
    };
    r#override::apply(&mut root, overrides, &mut sink);
    match election_file(&mut sink, &root) {
        Some(file) if sink.is_empty() => Ok(file),
        _ => Err(sink.finish()),
    }
}

/// Reads the election file at `path`; a file that cannot be read is a diagnostic too.
pub fn read_election(path: &Path, overrides: &[Override]) -> Result<ElectionFile, Diagnostics> {
    let source = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => parse_election(&source, &text, overrides),
        Err(err) => Err(Diagnostics(vec![Diagnostic {
            source,
            line: None,
            field: String::new(),
            rule: rule::UNREADABLE,
            message: format!("cannot read the file: {err}"),
            severity: Severity::Error,
        }])),
    }
}

/// The `[election]` table.
struct Header {
    format: u32,
    name: String,
    description: Option<String>,
    seats: Seats,
}

/// Reads every part, then checks the parts against each other.
fn election_file(sink: &mut Sink<'_>, root: &Table) -> Option<ElectionFile> {
    let root_fields = Fields { table: root, path: "", origin: Origin::Whole };
    root_fields.check_keys(sink, KEYS);
    let header = sub_table(sink, root_fields, "election", true).and_then(|it| header(sink, it));
    let rules = sub_table(sink, root_fields, "rules", true)
        .and_then(|fields| crate::rules::rules(sink, fields));
    let ballots = contest::ballots(sink, root.get("ballots"));
    let lists = contest::lists(sink, root.get("lists"));
    let source = if_present(root.get("source"), |node| data_source(sink, node));
    let scenario = if_present(root.get("scenario"), |node| scenario(sink, node));
    if let (Some(lists), Some(ballots)) = (&lists, ballots) {
        contest::check_ballots(sink, lists, ballots);
    }
    if let (Some(rules), Some(ballots)) = (&rules, ballots) {
        check_participants_known(sink, root, rules, ballots);
    }
    if let (Some(lists), Some(Some(_))) = (&lists, &scenario) {
        check_no_official_seats(sink, lists);
    }
    if let (Some(lists), Some(header)) = (&lists, &header) {
        check_seat_totals(sink, lists, header.seats, "official_seats", |read| read.official_seats);
        check_seat_totals(sink, lists, header.seats, "expected_seats", |read| read.expected_seats);
    }
    let (header, rules, ballots, lists) = (header?, rules?, ballots?, lists?);
    let contest = contest::contest(sink, &header.name, header.seats, &lists, ballots)?;
    let meta = ElectionMeta {
        name: header.name,
        description: header.description,
        format: header.format,
        source: source?,
        scenario: scenario?,
        official_seats: lists.iter().map(|read| read.official_seats.map(|(s, _)| s)).collect(),
        expected_seats: lists.iter().map(|read| read.expected_seats.map(|(s, _)| s)).collect(),
    };
    Some(ElectionFile { contest, rules, meta })
}

/// The table `key` of `parent`, reported when missing (if `required`) or not a table.
fn sub_table<'t>(
    sink: &mut Sink<'_>,
    parent: Fields<'t>,
    key: &'t str,
    required: bool,
) -> Option<Fields<'t>> {
    let node = if required { parent.required(sink, key)? } else { parent.optional(key)? };
    let inner = table(sink, node, key)?;
    Some(Fields { table: inner, path: key, origin: node.origin })
}

/// Reads `[election]`.
fn header(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<Header> {
    fields.check_keys(sink, &["format", "name", "description", "seats"]);
    let format = if_present(fields.optional("format"), |node| match &node.value {
        Value::Integer(version) if *version == i128::from(FORMAT) => Some(FORMAT),
        Value::Integer(version) => {
            let message = format!("unsupported format {version} (this reader knows format 1)");
            sink.error(&node.origin, "election.format", rule::FORMAT_VERSION, message);
            None
        }
        _ => count(sink, node, "election.format", "format version", 1),
    });
    let name =
        fields.required(sink, "name").and_then(|node| filled_text(sink, node, "election.name"));
    let description =
        if_present(fields.optional("description"), |node| text(sink, node, "election.description"));
    let seats = fields
        .required(sink, "seats")
        .and_then(|node| count(sink, node, "election.seats", "seats", 1));
    Some(Header {
        format: format?.unwrap_or(FORMAT),
        name: name?,
        description: description?,
        seats: Seats(seats?),
    })
}

/// Reads `[source]`.
pub(crate) fn data_source(sink: &mut Sink<'_>, node: &Node) -> Option<DataSource> {
    let fields =
        Fields { table: table(sink, node, "source")?, path: "source", origin: node.origin };
    fields.check_keys(sink, &["citation", "urls", "notes"]);
    let citation = fields
        .required(sink, "citation")
        .and_then(|node| filled_text(sink, node, "source.citation"));
    let urls = if_present(fields.optional("urls"), |node| texts(sink, node, "source.urls"));
    let notes = if_present(fields.optional("notes"), |node| text(sink, node, "source.notes"));
    Some(DataSource { citation: citation?, urls: urls?.unwrap_or_default(), notes: notes? })
}

/// Reads `[scenario]`.
pub(crate) fn scenario(sink: &mut Sink<'_>, node: &Node) -> Option<Scenario> {
    let fields =
        Fields { table: table(sink, node, "scenario")?, path: "scenario", origin: node.origin };
    fields.check_keys(sink, &["modelled", "note"]);
    let modelled =
        fields.required(sink, "modelled").and_then(|node| boolean(sink, node, "scenario.modelled"));
    let note =
        fields.required(sink, "note").and_then(|node| filled_text(sink, node, "scenario.note"));
    Some(Scenario { modelled: modelled?, note: note? })
}

/// The participants base needs the number of participants.
fn check_participants_known(
    sink: &mut Sink<'_>,
    root: &Table,
    rules: &Rules,
    ballots: BallotsRead,
) {
    let base = rules.threshold().map(|threshold| threshold.base);
    if base != Some(ThresholdBase::Participants) || ballots.ballots.participants.is_some() {
        return;
    }
    let origin = match root.get("rules").map(|node| &node.value) {
        Some(Value::Table(rules)) => {
            rules.get("threshold_base").map_or(Origin::Whole, |node| node.origin)
        }
        _ => Origin::Whole,
    };
    let message =
        "the threshold base is participants, but [ballots] participants is not given".to_owned();
    sink.error(&origin, "rules.threshold_base", rule::MISSING_PARTICIPANTS, message);
}

/// A scenario is not the election as decided, so it has no official seats.
fn check_no_official_seats(sink: &mut Sink<'_>, lists: &[ListRead]) {
    for (idx, read) in lists.iter().enumerate() {
        if let Some((_, origin)) = read.official_seats {
            let message = "a [scenario] file has no official result: \
                           use expected_seats for a published counterfactual"
                .to_owned();
            let field = format!("lists[{idx}].official_seats");
            sink.error(&origin, &field, rule::OFFICIAL_IN_SCENARIO, message);
        }
    }
}

/// Seats given per list must be given for every list and add up to the seats.
fn check_seat_totals(
    sink: &mut Sink<'_>,
    lists: &[ListRead],
    seats: Seats,
    key: &str,
    get: fn(&ListRead) -> Option<(Seats, Origin)>,
) {
    let given: Vec<(Seats, Origin)> = lists.iter().filter_map(get).collect();
    let Some(&(_, first_origin)) = given.first() else {
        return;
    };
    let mut complete = true;
    for (idx, read) in lists.iter().enumerate() {
        if get(read).is_none() {
            complete = false;
            let message = format!("{key} is given for other lists but not for this one");
            sink.error(&read.id_origin, &format!("lists[{idx}].{key}"), rule::SEAT_TOTAL, message);
        }
    }
    let total: u64 = given.iter().map(|(seats, _)| u64::from(seats.0)).sum();
    if complete && total != u64::from(seats.0) {
        let message = format!("{key} add up to {total}, but the election has {seats} seats");
        sink.error(&first_origin, &format!("lists[0].{key}"), rule::SEAT_TOTAL, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(extra: &str, expect: &str) {
        let text = format!(
            "[election]\nname = \"n\"\nseats = 1\n[rules]\nmethod = \"dhondt\"\n[[lists]]\nid = \"a\"\nvotes = 1\n{extra}"
        );
        let res = match parse_election("e.toml", &text, &[]) {
            Ok(file) => serde_json::to_string(&file.meta).expect("meta serialises to JSON"),
            Err(diagnostics) => diagnostics.to_string(),
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn reads_provenance() {
        check(
            "[source]\ncitation = \"CEC\"\nurls = [\"https://example.org\"]\n[scenario]\nmodelled = true\nnote = \"made up\"",
            r#"{"name":"n","description":null,"format":1,"source":{"citation":"CEC","urls":["https://example.org"],"notes":null},"scenario":{"modelled":true,"note":"made up"},"official_seats":[null],"expected_seats":[null]}"#,
        );
        check(
            "[source]\nurls = \"https://example.org\"\n[scenario]\nmodelled = \"yes\"\nnote = \"\"",
            "e.toml:9: source.citation: missing key citation (rule E-4)\n\
             e.toml:10: source.urls: expected an array of strings, found the string \"https://example.org\" (rule E-5)\n\
             e.toml:12: scenario.modelled: expected true or false, found the string \"yes\" (rule E-5)\n\
             e.toml:13: scenario.note: must not be empty (rule E-14)",
        );
    }
}
