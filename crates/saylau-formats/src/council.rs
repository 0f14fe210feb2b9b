//! Council-vote files, format v1 (TOML): an akim elected by a maslikhat in rounds
//! (`docs/council.md`), and the rule files the vote is judged under.
//!
//! A vote file has `[council]` (`format`, `name`, `description`, `members`, optionally
//! `lot_seed`), `[[candidates]]` (`id`, `name`) and `[[rounds]]` (`present`, and `votes`:
//! a table of votes by candidate id, only the candidates on that round's ballot). A rule
//! file has `[council_rules]` with `majority` (`of-members` or `of-present`),
//! `after_failed_round` (`eliminate-lowest` or `runoff-top-two`) and `max_rounds`, each
//! with its `..._source`, and `[scenario]` for a proposal.

use std::path::Path;

use saylau_core::law::council::{
    AfterFailedRound, CouncilRound, CouncilRules, CouncilVote, Majority,
};
use serde::Serialize;

use crate::diagnostic::{Diagnostics, Sink};
use crate::document::Table;
use crate::election::Scenario;
use crate::field::{choice, count, filled_text, id_text, if_present, votes};
use crate::header::{self, entries, entry_fields, report_duplicates, root_fields, sub_table};
use crate::rule::FileRule;

const VOTE_KEYS: &[&str] = &["council", "candidates", "rounds", "source", "scenario"];
const RULES_KEYS: &[&str] = &["council_rules", "scenario", "source"];
const RULE_KEYS: &[&str] = &[
    "majority",
    "majority_source",
    "after_failed_round",
    "after_failed_source",
    "max_rounds",
    "max_rounds_source",
];

const MAJORITIES: &[(&str, Majority)] =
    &[("of-members", Majority::OfMembers), ("of-present", Majority::OfPresent)];
const AFTER_FAILED: &[(&str, AfterFailedRound)] = &[
    ("eliminate-lowest", AfterFailedRound::EliminateLowest),
    ("runoff-top-two", AfterFailedRound::RunoffTopTwo),
];

/// A council-vote file, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CouncilVoteFile {
    /// `[council] name`.
    pub name: String,
    /// `[council] description`.
    pub description: Option<String>,
    /// The lot seed, when the file gives one.
    pub lot_seed: Option<String>,
    /// The candidates' ids, in the order of the first ballot.
    pub candidate_ids: Vec<String>,
    /// The vote, with the candidates' names.
    pub vote: CouncilVote,
    /// `[scenario]`: the numbers are not a real council's.
    pub scenario: Option<Scenario>,
}

/// A council rule file, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CouncilRuleFile {
    /// `[council_rules] name`.
    pub name: String,
    /// `[council_rules] description`.
    pub description: Option<String>,
    /// The rules.
    pub rules: CouncilRules,
    /// The source of each choice: majority, after a failed round, most rounds.
    pub sources: [String; 3],
    /// `[scenario]`: set for a proposal.
    pub scenario: Option<Scenario>,
}

/// Reads a council-vote file from `text`; `source` names it in diagnostics.
pub fn parse_council_vote(source: &str, text: &str) -> Result<CouncilVoteFile, Diagnostics> {
    header::parse_with(source, text, &[], vote_file)
}

/// Reads the council-vote file at `path`.
pub fn read_council_vote(path: &Path) -> Result<CouncilVoteFile, Diagnostics> {
    let (source, text) = header::read_text(path)?;
    parse_council_vote(&source, &text)
}

/// Reads a council rule file from `text`.
pub fn parse_council_rules(source: &str, text: &str) -> Result<CouncilRuleFile, Diagnostics> {
    header::parse_with(source, text, &[], rules_file)
}

/// Reads the council rule file at `path`.
pub fn read_council_rules(path: &Path) -> Result<CouncilRuleFile, Diagnostics> {
    let (source, text) = header::read_text(path)?;
    parse_council_rules(&source, &text)
}

fn rules_file(sink: &mut Sink<'_>, root: &Table) -> Option<CouncilRuleFile> {
    let fields = root_fields(sink, root, RULES_KEYS);
    let header = header::header(sink, fields, "council_rules", RULE_KEYS);
    let scenario = header::provenance(sink, root).map(|(_, scenario)| scenario);
    let rules = sub_table(sink, fields, "council_rules", false)?;
    let mut source = |key: &str| {
        rules.required(sink, key).and_then(|node| filled_text(sink, node, &rules.field(key)))
    };
    let sources =
        [source("majority_source"), source("after_failed_source"), source("max_rounds_source")];
    let majority = rules
        .required(sink, "majority")
        .and_then(|node| choice(sink, node, &rules.field("majority"), "majority", MAJORITIES));
    let after_failed = rules.required(sink, "after_failed_round").and_then(|node| {
        let field = rules.field("after_failed_round");
        choice(sink, node, &field, "rule after a failed round", AFTER_FAILED)
    });
    let max_rounds = rules
        .required(sink, "max_rounds")
        .and_then(|node| count(sink, node, &rules.field("max_rounds"), "rounds", 1));
    let [majority_source, after_source, rounds_source] = sources;
    let (header, scenario) = (header?, scenario?);
    Some(CouncilRuleFile {
        name: header.name,
        description: header.description,
        rules: CouncilRules {
            majority: majority?,
            after_failed: after_failed?,
            max_rounds: max_rounds?,
        },
        sources: [majority_source?, after_source?, rounds_source?],
        scenario,
    })
}

fn vote_file(sink: &mut Sink<'_>, root: &Table) -> Option<CouncilVoteFile> {
    let fields = root_fields(sink, root, VOTE_KEYS);
    let header = header::header(sink, fields, "council", &["members", "lot_seed"]);
    let scenario = header::provenance(sink, root).map(|(_, scenario)| scenario);
    let council = sub_table(sink, fields, "council", false)?;
    let members = council
        .required(sink, "members")
        .and_then(|node| count(sink, node, &council.field("members"), "members", 1));
    let lot_seed = if_present(council.optional("lot_seed"), |node| {
        filled_text(sink, node, &council.field("lot_seed"))
    });
    let candidates = candidates(sink, root)?;
    let ids: Vec<String> = candidates.iter().map(|(id, _)| id.clone()).collect();
    let rounds = rounds(sink, root, &ids, members);
    let (header, scenario, members) = (header?, scenario?, members?);
    Some(CouncilVoteFile {
        name: header.name,
        description: header.description,
        lot_seed: lot_seed?,
        candidate_ids: ids,
        vote: CouncilVote {
            members: u64::from(members),
            candidates: candidates.into_iter().map(|(_, name)| name).collect(),
            rounds: rounds?,
        },
        scenario,
    })
}

/// The candidates: an id and a name each, ids unique.
fn candidates(sink: &mut Sink<'_>, root: &Table) -> Option<Vec<(String, String)>> {
    let items = entries(sink, root.get("candidates"), "candidates", "a candidate")?;
    report_duplicates(sink, items, "candidates", "id");
    let mut res = Some(Vec::with_capacity(items.len()));
    for (idx, item) in items.iter().enumerate() {
        let path = format!("candidates[{idx}]");
        let Some(fields) = entry_fields(sink, item, "candidates") else {
            res = None;
            continue;
        };
        fields.check_keys(sink, &["id", "name"]);
        let id =
            fields.required(sink, "id").and_then(|node| id_text(sink, node, &format!("{path}.id")));
        let name = fields
            .required(sink, "name")
            .and_then(|node| filled_text(sink, node, &format!("{path}.name")));
        match (id, name, res.as_mut()) {
            (Some(id), Some(name), Some(list)) => list.push((id, name)),
            _ => res = None,
        }
    }
    res
}

/// The rounds: members present (at most the council's members) and votes by candidate
/// id (their sum at most those present), rule `E-51`.
fn rounds(
    sink: &mut Sink<'_>,
    root: &Table,
    ids: &[String],
    members: Option<u32>,
) -> Option<Vec<CouncilRound>> {
    let items = entries(sink, root.get("rounds"), "rounds", "a round")?;
    let mut res = Some(Vec::with_capacity(items.len()));
    for (idx, item) in items.iter().enumerate() {
        let round = entry_fields(sink, item, "rounds").and_then(|fields| {
            fields.check_keys(sink, &["present", "votes"]);
            let path = format!("rounds[{idx}]");
            let present_node = fields.required(sink, "present");
            let present = present_node.and_then(|node| {
                count(sink, node, &format!("{path}.present"), "members present", 0)
            });
            let table = fields.required(sink, "votes").and_then(|node| {
                crate::field::table(sink, node, &format!("{path}.votes")).map(|it| (it, node))
            });
            let (table, node) = table?;
            let mut by_candidate: Vec<Option<u64>> = vec![None; ids.len()];
            let mut good = true;
            for entry in &table.entries {
                let field = format!("{path}.votes.{}", entry.key);
                let Some(position) = ids.iter().position(|id| *id == entry.key) else {
                    let message = format!("{} is not a candidate of [[candidates]]", entry.key);
                    sink.error(&entry.key_origin, &field, FileRule::UnknownReference, message);
                    good = false;
                    continue;
                };
                match votes(sink, &entry.node, &field) {
                    Some(votes) => by_candidate[position] = Some(votes.0),
                    None => good = false,
                }
            }
            let present = u64::from(present?);
            let cast: u64 = by_candidate.iter().flatten().sum();
            if cast > present {
                let message = format!("{cast} votes cast by {present} members present");
                sink.error(&node.origin, &format!("{path}.votes"), FileRule::CouncilCount, message);
                good = false;
            }
            if let Some(members) = members.map(u64::from).filter(|members| present > *members) {
                let message =
                    format!("{present} present, more than the council's {members} members");
                sink.error(
                    &present_node.map_or(item.origin, |node| node.origin),
                    &format!("{path}.present"),
                    FileRule::CouncilCount,
                    message,
                );
                good = false;
            }
            good.then_some(CouncilRound { present, votes: by_candidate })
        });
        match (round, res.as_mut()) {
            (Some(round), Some(list)) => list.push(round),
            _ => res = None,
        }
    }
    res
}
