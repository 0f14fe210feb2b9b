//! Plurality files, format v1: many races decided by most votes, in TOML or CSV.
//!
//! A TOML file (`[plurality]`, `[rules]`, `[parties]`, `[[races]]` with candidates as
//! inline tables, `[source]`) holds a whole round, such as the 730 rural akim races of
//! 25 July 2021; a CSV file holds the same races one candidate per row and takes the
//! law's rules, which `--set rules.<key>=...` changes. Both are specified in
//! `docs/plurality-format.md` and become a core [`Round`] and [`PluralityRules`].

use std::collections::BTreeMap;
use std::path::Path;

use saylau_core::law::plurality::{
    AgainstAllRule, Candidate, PluralityRules, Race, RaceConfig, RaceError, RaceId, RaceTie, Round,
};
use saylau_core::seats::lot::LotSeed;
use saylau_core::seats::votes::{ListId, Seats};
use serde::Serialize;

use crate::diagnostic::{Diagnostics, Sink};
use crate::document::{Node, Origin, Table, Value};
use crate::election::{DataSource, Scenario};
use crate::field::{Fields, choice, count, filled_text, if_present, table, text, votes};
use crate::header::{self, entries, entry_fields, report_duplicates, root_fields, sub_table};
use crate::r#override::{self, Override};
use crate::rule::FileRule;

/// The top-level keys of a plurality file.
const KEYS: &[&str] = &["plurality", "rules", "parties", "races", "source", "scenario"];
/// The keys of `[rules]`.
const RULE_KEYS: &[&str] = &["ties", "against_all", "lot_seed"];
/// The keys of a race.
const RACE_KEYS: &[&str] =
    &["id", "name", "region", "seats", "against_all", "voters", "participants", "candidates"];
/// The keys of a candidate.
const CANDIDATE_KEYS: &[&str] = &["name", "party", "votes"];
/// The race fields a CSV row may carry; rows of one race must agree on them.
const CSV_RACE_FIELDS: &[&str] =
    &["name", "region", "seats", "against_all", "voters", "participants"];
/// The columns of a CSV file read as text as written: race `001` is not race `1`.
const CSV_TEXT_COLUMNS: &[&str] = &["race", "name", "region", "candidate", "party"];
/// The columns of a CSV file.
const CSV_COLUMNS: &[&str] = &[
    "race",
    "name",
    "region",
    "seats",
    "against_all",
    "voters",
    "participants",
    "candidate",
    "party",
    "votes",
];

const TIES: &[(&str, RaceTie)] = &[("runoff", RaceTie::Runoff), ("lot", RaceTie::Lot)];
const AGAINST_ALL: &[(&str, AgainstAllRule)] = &[
    ("no-effect", AgainstAllRule::NoEffect),
    ("vacates-uncontested", AgainstAllRule::VacatesUncontested),
    ("vacates-when-beaten", AgainstAllRule::VacatesWhenBeaten),
];

/// A plurality file, read and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluralityFile {
    /// The races.
    pub round: Round,
    /// The rules, with the lot seed (the file's, else the round's content seed).
    pub rules: PluralityRules,
    /// Name, parties and provenance.
    pub meta: PluralityMeta,
}

/// What a plurality file says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PluralityMeta {
    /// `[plurality] name` (a CSV file's name).
    pub name: String,
    /// `[plurality] description`.
    pub description: Option<String>,
    /// `[parties]`: display names by party id, in file order.
    pub parties: Vec<PartyName>,
    /// True when `[rules] lot_seed` was given.
    pub lot_seed_given: bool,
    /// `[source]`.
    pub source: Option<DataSource>,
    /// `[scenario]`.
    pub scenario: Option<Scenario>,
}

/// A party's display name, from `[parties]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyName {
    /// The party's id, as candidates name it.
    pub id: ListId,
    /// The name to show.
    pub name: String,
}

/// Reads a plurality file from TOML `text`; `source` names it in diagnostics.
pub fn parse_plurality(
    source: &str,
    text: &str,
    overrides: &[Override],
) -> Result<PluralityFile, Diagnostics> {
    header::parse_with(source, text, overrides, plurality_file)
}

/// Reads races from CSV `text` (one candidate per row), under the law's rules as changed
/// by `overrides`; `source` names it in diagnostics and, as its file stem, the round.
pub fn parse_plurality_csv(
    source: &str,
    text: &str,
    overrides: &[Override],
) -> Result<PluralityFile, Diagnostics> {
    let mut sink = Sink::new(source, text, overrides);
    let Some(rows) = crate::csv::rows(&mut sink, text, CSV_TEXT_COLUMNS) else {
        return Err(sink.finish());
    };
    let stem = Path::new(source).file_stem().and_then(|stem| stem.to_str()).unwrap_or(source);
    let mut root = csv_document(&mut sink, stem, rows);
    r#override::apply(&mut root, overrides, &mut sink);
    match plurality_file(&mut sink, &root) {
        Some(file) if sink.is_empty() => Ok(file),
        _ => Err(sink.finish()),
    }
}

/// Reads the plurality file at `path`: CSV when its name ends in `.csv`, else TOML.
pub fn read_plurality(path: &Path, overrides: &[Override]) -> Result<PluralityFile, Diagnostics> {
    let (source, text) = header::read_text(path)?;
    if path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("csv")) {
        parse_plurality_csv(&source, &text, overrides)
    } else {
        parse_plurality(&source, &text, overrides)
    }
}

/// Reads every part of the document, then builds the round.
fn plurality_file(sink: &mut Sink<'_>, root: &Table) -> Option<PluralityFile> {
    let fields = root_fields(sink, root, KEYS);
    let header = header::header(sink, fields, "plurality", &[]);
    let rules = rules(sink, fields);
    let parties = if_present(root.get("parties"), |node| parties(sink, node));
    let races = races(sink, root.get("races"));
    let provenance = header::provenance(sink, root);
    if let Some(Some(parties)) = &parties {
        check_parties_known(sink, root, parties);
    }
    let (header, (ties, against_all, seed), parties, races) = (header?, rules?, parties?, races?);
    let (source, scenario) = provenance?;
    if !sink.is_empty() {
        return None;
    }
    let round = Round::new(races)
        .map_err(|err| sink.error(&Origin::Whole, "races", race_rule(&err), err.to_string()))
        .ok()?;
    let lot_seed_given = seed.is_some();
    let lot_seed = seed.unwrap_or_else(|| round.content_seed());
    let meta = PluralityMeta {
        name: header.name,
        description: header.description,
        parties: parties.unwrap_or_default(),
        lot_seed_given,
        source,
        scenario,
    };
    Some(PluralityFile { round, rules: PluralityRules { ties, against_all, lot_seed }, meta })
}

/// `[rules]`: ties (default `runoff`), against_all (default `no-effect`, the law), lot seed.
fn rules(
    sink: &mut Sink<'_>,
    root: Fields<'_>,
) -> Option<(RaceTie, AgainstAllRule, Option<LotSeed>)> {
    let Some(fields) = sub_table(sink, root, "rules", false) else {
        // Absent (or not a table, already reported): the defaults.
        return root.optional("rules").is_none().then_some((
            RaceTie::Runoff,
            AgainstAllRule::NoEffect,
            None,
        ));
    };
    fields.check_keys(sink, RULE_KEYS);
    let ties = if_present(fields.optional("ties"), |node| {
        choice(sink, node, &fields.field("ties"), "tie rule", TIES)
    });
    let against_all = if_present(fields.optional("against_all"), |node| {
        choice(sink, node, &fields.field("against_all"), "against-all rule", AGAINST_ALL)
    });
    let seed = if_present(fields.optional("lot_seed"), |node| {
        text(sink, node, &fields.field("lot_seed")).map(|seed| LotSeed::new(&seed))
    });
    Some((
        ties?.unwrap_or(RaceTie::Runoff),
        against_all?.unwrap_or(AgainstAllRule::NoEffect),
        seed?,
    ))
}

/// `[parties]`: `id = "display name"`.
fn parties(sink: &mut Sink<'_>, node: &Node) -> Option<Vec<PartyName>> {
    let parties = table(sink, node, "parties")?;
    let mut res = Vec::with_capacity(parties.entries.len());
    for entry in &parties.entries {
        let name = filled_text(sink, &entry.node, &format!("parties.{}", entry.key));
        res.push(name.map(|name| PartyName { id: ListId::new(&entry.key), name }));
    }
    res.into_iter().collect()
}

/// Every candidate's party must be in `[parties]` when the file has one.
fn check_parties_known(sink: &mut Sink<'_>, root: &Table, parties: &[PartyName]) {
    let Some(Value::Array(races)) = root.get("races").map(|node| &node.value) else { return };
    for (race_idx, race) in races.iter().enumerate() {
        let Value::Table(race) = &race.value else { continue };
        let Some(Value::Array(candidates)) = race.get("candidates").map(|node| &node.value) else {
            continue;
        };
        for (idx, candidate) in candidates.iter().enumerate() {
            let Value::Table(candidate) = &candidate.value else { continue };
            let Some(Node { value: Value::String(party), origin }) = candidate.get("party") else {
                continue;
            };
            if !parties.iter().any(|known| known.id.as_str() == party) {
                let field = format!("races[{race_idx}].candidates[{idx}].party");
                let message = format!("party {party:?} is not in [parties]");
                sink.error(origin, &field, FileRule::UnknownReference, message);
            }
        }
    }
}

/// `[[races]]`.
fn races(sink: &mut Sink<'_>, node: Option<&Node>) -> Option<Vec<Race>> {
    let items = entries(sink, node, "races", "at least one [[races]] entry")?;
    let origin = node.map_or(Origin::Whole, |node| node.origin);
    let bounds = (items.len(), crate::limit::MAX_RACES);
    if !crate::limit::entries_within(sink, &origin, "races", bounds, "races") {
        return None;
    }
    let read: Vec<Option<Race>> =
        items.iter().enumerate().map(|(idx, item)| race(sink, item, idx)).collect();
    report_duplicates(sink, items, "races", "id");
    read.into_iter().collect()
}

/// One race, with its consistency checked where its fields were written.
fn race(sink: &mut Sink<'_>, node: &Node, idx: usize) -> Option<Race> {
    let path = format!("races[{idx}]");
    let fields = entry_fields(sink, node, &path)?;
    fields.check_keys(sink, RACE_KEYS);
    let id = fields
        .required(sink, "id")
        .and_then(|node| crate::field::id_text(sink, node, &fields.field("id")));
    let optional_text = |sink: &mut Sink<'_>, key: &str| {
        if_present(fields.optional(key), |node| filled_text(sink, node, &fields.field(key)))
    };
    let name = optional_text(sink, "name");
    let region = optional_text(sink, "region");
    let seats = if_present(fields.optional("seats"), |node| {
        count(sink, node, &fields.field("seats"), "seats", 1)
    });
    let optional_votes = |sink: &mut Sink<'_>, key: &str| {
        if_present(fields.optional(key), |node| votes(sink, node, &fields.field(key)))
    };
    let against_all = optional_votes(sink, "against_all");
    let voters = optional_votes(sink, "voters");
    let participants = optional_votes(sink, "participants");
    let candidates = candidates(sink, fields);
    let config = RaceConfig {
        id: RaceId::new(&id?),
        name: name?,
        region: region?,
        seats: Seats(seats?.unwrap_or(1)),
        candidates: candidates?,
        against_all: against_all?.unwrap_or_default(),
        voters: voters?,
        participants: participants?,
    };
    check_race(sink, fields, &config)?;
    Race::new(config)
        .map_err(|err| sink.error(&node.origin, &path, race_rule(&err), err.to_string()))
        .ok()
}

/// The rule code of a core race error (the readers report these before the core sees
/// them; this maps what might remain).
fn race_rule(err: &RaceError) -> FileRule {
    match err {
        RaceError::NoSeats(_) => FileRule::Count,
        RaceError::NoCandidates(_) | RaceError::NoRaces => FileRule::NoEntries,
        RaceError::ParticipantsBelowValid { .. } => FileRule::ParticipantsBelowValid,
        RaceError::VotersBelowParticipants { .. } => FileRule::VotersBelowParticipants,
        RaceError::DuplicateRace(_) => FileRule::DuplicateId,
        _ => FileRule::Votes,
    }
}

/// The candidates of a race.
fn candidates(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<Vec<Candidate>> {
    let path = fields.field("candidates");
    let node = fields.required(sink, "candidates")?;
    let items = entries(sink, Some(node), &path, "at least one candidate")?;
    let bounds = (items.len(), crate::limit::MAX_ITEMS);
    if !crate::limit::entries_within(sink, &node.origin, &path, bounds, "candidates") {
        return None;
    }
    let mut res = Vec::with_capacity(items.len());
    for (idx, item) in items.iter().enumerate() {
        let item_path = format!("{path}[{idx}]");
        let Some(candidate) = entry_fields(sink, item, &item_path) else {
            res.push(None);
            continue;
        };
        candidate.check_keys(sink, CANDIDATE_KEYS);
        let name = candidate
            .required(sink, "name")
            .and_then(|node| filled_text(sink, node, &candidate.field("name")));
        let party = if_present(candidate.optional("party"), |node| {
            filled_text(sink, node, &candidate.field("party"))
        });
        let votes = candidate
            .required(sink, "votes")
            .and_then(|node| votes(sink, node, &candidate.field("votes")));
        res.push(name.zip(party).zip(votes).map(|((name, party), votes)| Candidate {
            name,
            party: party.map(|party| ListId::new(&party)),
            votes,
        }));
    }
    res.into_iter().collect()
}

/// Reports a race whose totals do not fit, on the field that shows it.
fn check_race(sink: &mut Sink<'_>, fields: Fields<'_>, config: &RaceConfig) -> Option<()> {
    let total = config
        .candidates
        .iter()
        .try_fold(config.against_all.0, |sum, candidate| sum.checked_add(candidate.votes.0));
    let origin = |key: &str| fields.optional(key).map_or(fields.origin, |node| node.origin);
    let Some(valid) = total else {
        let message = format!("the votes add up to more than {}", u64::MAX);
        sink.error(&fields.origin, &fields.field("candidates"), FileRule::Votes, message);
        return None;
    };
    let mut ok = true;
    if let Some(participants) = config.participants
        && participants.0 < valid
    {
        let message = format!(
            "participants ({participants}) are fewer than the valid votes ({valid}: candidates plus against all)"
        );
        let field = fields.field("participants");
        sink.error(&origin("participants"), &field, FileRule::ParticipantsBelowValid, message);
        ok = false;
    }
    if let (Some(voters), Some(participants)) = (config.voters, config.participants)
        && voters < participants
    {
        let message =
            format!("participants ({participants}) exceed the voters on the roll ({voters})");
        let field = fields.field("participants");
        sink.error(&origin("participants"), &field, FileRule::VotersBelowParticipants, message);
        ok = false;
    }
    ok.then_some(())
}

/// The document of a CSV file: `[plurality] name` from the file stem and one race per
/// distinct `race` value, in order of first appearance.
fn csv_document(sink: &mut Sink<'_>, stem: &str, rows: Vec<(Table, Origin)>) -> Table {
    let mut races: Vec<(String, Origin, Table, Vec<Node>)> = Vec::new();
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut unknown: Vec<String> = Vec::new();
    for (row, origin) in rows {
        report_unknown_columns(sink, &row, &mut unknown);
        let race_id = match row.get("race").map(|node| &node.value) {
            Some(Value::String(id)) => id.clone(),
            _ => {
                sink.error(&origin, "race", FileRule::MissingKey, "missing key race".to_owned());
                continue;
            }
        };
        let idx = *by_id.entry(race_id.clone()).or_insert_with(|| {
            races.push((race_id.clone(), origin, Table::default(), Vec::new()));
            races.len() - 1
        });
        let (_, _, race, candidates) = &mut races[idx];
        merge_race_fields(sink, &race_id, race, &row);
        let mut candidate = Table::default();
        for (from, to) in [("candidate", "name"), ("party", "party"), ("votes", "votes")] {
            if let Some(node) = row.get(from) {
                candidate.set(to, node.clone());
            }
        }
        candidates.push(Node { value: Value::Table(candidate), origin });
    }
    let races: Vec<Node> = races
        .into_iter()
        .map(|(id, origin, mut race, candidates)| {
            race.set("id", Node { value: Value::String(id), origin });
            race.set("candidates", Node { value: Value::Array(candidates), origin });
            Node { value: Value::Table(race), origin }
        })
        .collect();
    let mut header = Table::default();
    header.set("name", Node { value: Value::String(stem.to_owned()), origin: Origin::Whole });
    let mut root = Table::default();
    root.set("plurality", Node { value: Value::Table(header), origin: Origin::Whole });
    root.set("races", Node { value: Value::Array(races), origin: Origin::Whole });
    root
}

/// Reports each column that is not a CSV column once, at its first filled cell.
fn report_unknown_columns(sink: &mut Sink<'_>, row: &Table, unknown: &mut Vec<String>) {
    for entry in &row.entries {
        if !CSV_COLUMNS.contains(&entry.key.as_str()) && !unknown.contains(&entry.key) {
            unknown.push(entry.key.clone());
            let message = format!(
                "unknown column {} (expected some of: {})",
                entry.key,
                CSV_COLUMNS.join(", ")
            );
            sink.error(&entry.key_origin, &entry.key, FileRule::UnknownKey, message);
        }
    }
}

/// Copies the race fields of `row` into `race`; rows of one race must agree on them.
fn merge_race_fields(sink: &mut Sink<'_>, race_id: &str, race: &mut Table, row: &Table) {
    for key in CSV_RACE_FIELDS {
        let Some(node) = row.get(key) else { continue };
        match race.get(key) {
            Some(earlier) if earlier.value != node.value => {
                let message = format!(
                    "race {race_id}: {key} is {} here but {} on an earlier row",
                    node.value.describe(),
                    earlier.value.describe()
                );
                sink.error(&node.origin, key, FileRule::RaceFields, message);
            }
            Some(_) => {}
            None => race.set(key, node.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a file (TOML, or CSV when `csv`) and describes its races or its diagnostics.
    fn check(csv: bool, text: &str, overrides: &[&str], expect: &str) {
        let overrides: Vec<Override> =
            overrides.iter().map(|text| Override::parse(text).expect("a valid override")).collect();
        let res = if csv {
            parse_plurality_csv("r.csv", text, &overrides)
        } else {
            parse_plurality("r.toml", text, &overrides)
        };
        let res = match res {
            Ok(file) => {
                let races: Vec<String> = file
                    .round
                    .races()
                    .iter()
                    .map(|race| {
                        let candidates: Vec<String> = race
                            .candidates()
                            .iter()
                            .map(|it| {
                                let party = it.party.as_ref().map_or("-", ListId::as_str);
                                format!("{}/{party}/{}", it.name, it.votes)
                            })
                            .collect();
                        format!(
                            "{} {} aa={} [{}]",
                            race.id(),
                            race.seats(),
                            race.against_all(),
                            candidates.join(" ")
                        )
                    })
                    .collect();
                format!(
                    "{} {:?} {:?}: {}",
                    file.meta.name,
                    file.rules.ties,
                    file.rules.against_all,
                    races.join("; ")
                )
            }
            Err(diagnostics) => diagnostics.to_string(),
        };
        assert_eq!(res, expect);
    }

    const GOOD: &str = "[plurality]\nname = \"n\"\n[rules]\nties = \"lot\"\n[parties]\nnur-otan = \"Nur Otan\"\n\
        [[races]]\nid = \"a\"\nagainst_all = 3\ncandidates = [{ name = \"A\", party = \"nur-otan\", votes = 10 }, { name = \"B\", votes = 4 }]\n";

    #[test]
    fn reads_races_with_inline_candidates() {
        check(false, GOOD, &[], "n Lot NoEffect: a 1 aa=3 [A/nur-otan/10 B/-/4]");
        check(
            false,
            GOOD,
            &["rules.against_all=vacates-uncontested"],
            "n Lot VacatesUncontested: a 1 aa=3 [A/nur-otan/10 B/-/4]",
        );
    }

    #[test]
    fn reads_races_from_csv_rows() {
        check(
            true,
            "race,region,candidate,party,votes,against_all\n1,north,A,nur-otan,10,3\n1,,B,,4,\nb,south,C,,7,0\n",
            &["rules.ties=lot"],
            "r Lot NoEffect: 1 1 aa=3 [A/nur-otan/10 B/-/4]; b 1 aa=0 [C/-/7]",
        );
        check(
            true,
            "race,candidate,votes,against_all,colour\n1,A,10,3,red\n1,B,4,5,\n",
            &[],
            "r.csv:2: colour: unknown column colour (expected some of: race, name, region, seats, against_all, voters, participants, candidate, party, votes) (rule E-3)\n\
             r.csv:3: against_all: race 1: against_all is the integer 5 here but the integer 3 on an earlier row (rule E-40)",
        );
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        check(
            false,
            "[plurality]\nname = \"n\"\n[rules]\nties = \"coin\"\n[parties]\nx = \"X\"\n\
             [[races]]\nid = \"a\"\nvoters = 5\nparticipants = 9\ncandidates = [{ name = \"A\", party = \"y\", votes = 10 }]\n\
             [[races]]\nid = \"a\"\ncandidates = []\n",
            &[],
            "r.toml:4: rules.ties: unknown tie rule \"coin\" (expected one of runoff, lot) (rule E-8)\n\
             r.toml:10: races[0].participants: participants (9) are fewer than the valid votes (10: candidates plus against all) (rule E-16)\n\
             r.toml:10: races[0].participants: participants (9) exceed the voters on the roll (5) (rule E-36)\n\
             r.toml:11: races[0].candidates[0].party: party \"y\" is not in [parties] (rule E-34)\n\
             r.toml:13: races[1].id: id \"a\" is used twice (first by races[0]) (rule E-33)\n\
             r.toml:14: races[1].candidates: at least one candidate is needed (rule E-35)",
        );
    }
}
