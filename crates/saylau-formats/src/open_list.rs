//! Preference votes of a lists file and its `[open_list]` rule (rule `E-50`).
//!
//! A named list may give its `votes` and every candidate's `preferences`; the file's
//! `[open_list]` table says how they reorder the list (`docs/lists-format.md`).

use saylau_core::law::candidate_list::{Members, PartyList};
use saylau_core::law::open_list::{ListPreferences, OpenListRule};
use serde::Serialize;

use crate::diagnostic::Sink;
use crate::document::{Node, Table, Value};
use crate::field::{Fields, choice, filled_text, if_present, percent, table, votes};
use crate::rule::FileRule;

/// The open-list rule of a lists file and the preference votes of its lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenLists {
    /// How preference votes reorder a list.
    pub rule: OpenListRule,
    /// The article or recommendation the rule rests on.
    pub article: Option<String>,
    /// Every list that gives preference votes, in file order.
    pub lists: Vec<ListPreferences>,
}

/// How the rule reads in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
enum RuleKind {
    Threshold,
    AboveAverage,
    Preferences,
}

const RULES: &[(&str, RuleKind)] = &[
    ("threshold", RuleKind::Threshold),
    ("above-average", RuleKind::AboveAverage),
    ("preferences", RuleKind::Preferences),
];

/// Reads the `[open_list]` table and every list's preference votes: `Some(None)` when the
/// file has neither, `None` after an error.
pub(crate) fn open_lists(
    sink: &mut Sink<'_>,
    root: &Table,
    lists: &[PartyList],
) -> Option<Option<OpenLists>> {
    let rule = if_present(root.get("open_list"), |node| rule(sink, node));
    let items = match root.get("lists").map(|node| &node.value) {
        Some(Value::Array(items)) => items.as_slice(),
        _ => &[],
    };
    let read: Vec<Option<Option<ListPreferences>>> = items
        .iter()
        .zip(lists)
        .enumerate()
        .map(|(idx, (node, list))| list_preferences(sink, node, idx, list))
        .collect();
    let read: Vec<ListPreferences> =
        read.into_iter().collect::<Option<Vec<_>>>()?.into_iter().flatten().collect();
    match (rule?, read.is_empty()) {
        (None, true) => Some(None),
        (Some((rule, article)), false) => Some(Some(OpenLists { rule, article, lists: read })),
        (None, false) => {
            let message = "preference votes need an [open_list] table with their rule".to_owned();
            let origin = root.get("lists").map(|node| node.origin);
            sink.error(&origin?, "open_list", FileRule::Preferences, message);
            None
        }
        (Some(_), true) => {
            let message = "an [open_list] rule without any list's preference votes".to_owned();
            let origin = root.get("open_list").map(|node| node.origin);
            sink.error(&origin?, "open_list", FileRule::Preferences, message);
            None
        }
    }
}

fn rule(sink: &mut Sink<'_>, node: &Node) -> Option<(OpenListRule, Option<String>)> {
    let fields =
        Fields { table: table(sink, node, "open_list")?, path: "open_list", origin: node.origin };
    fields.check_keys(sink, &["rule", "threshold", "article"]);
    let kind = fields
        .required(sink, "rule")
        .and_then(|node| choice(sink, node, "open_list.rule", "open-list rule", RULES));
    let article =
        if_present(fields.optional("article"), |node| filled_text(sink, node, "open_list.article"));
    let rule = match kind? {
        RuleKind::Threshold => fields
            .required(sink, "threshold")
            .and_then(|node| percent(sink, node, "open_list.threshold"))
            .map(|percent| OpenListRule::Threshold { percent: percent.value().to_rational() }),
        RuleKind::AboveAverage => fields
            .required(sink, "threshold")
            .and_then(|node| percent(sink, node, "open_list.threshold"))
            .map(|percent| OpenListRule::AboveAverage { percent: percent.value().to_rational() }),
        RuleKind::Preferences => {
            if let Some(node) = fields.optional("threshold") {
                let message =
                    "a threshold belongs to rule = \"threshold\" or \"above-average\" only"
                        .to_owned();
                sink.error(&node.origin, "open_list.threshold", FileRule::NotApplicable, message);
                return None;
            }
            Some(OpenListRule::Preferences)
        }
    };
    Some((rule?, article?))
}

/// One list's votes and preference votes: `Some(None)` when it gives neither.
fn list_preferences(
    sink: &mut Sink<'_>,
    node: &Node,
    idx: usize,
    list: &PartyList,
) -> Option<Option<ListPreferences>> {
    let Value::Table(fields) = &node.value else { return Some(None) };
    let path = format!("lists[{idx}]");
    let list_votes = match fields.get("votes") {
        Some(node) => Some((votes(sink, node, &format!("{path}.votes"))?.0, node)),
        None => None,
    };
    let candidates: Vec<&Node> = match fields.get("candidates").map(|node| &node.value) {
        Some(Value::Array(items)) if matches!(list.members, Members::Named(_)) => {
            items.iter().collect()
        }
        _ => {
            if let Some((_, node)) = list_votes {
                let message = "votes are for preference votes, which need named candidates";
                sink.error(
                    &node.origin,
                    &format!("{path}.votes"),
                    FileRule::Preferences,
                    message.to_owned(),
                );
                return None;
            }
            return Some(None);
        }
    };
    let mut given: Vec<Option<u64>> = Vec::with_capacity(candidates.len());
    for (pos, item) in candidates.iter().enumerate() {
        let Value::Table(candidate) = &item.value else { return None };
        let field = format!("{path}.candidates[{pos}].preferences");
        given.push(match candidate.get("preferences") {
            Some(node) => Some(votes(sink, node, &field)?.0),
            None => None,
        });
    }
    let any = given.iter().any(Option::is_some);
    let Some((total, votes_node)) = list_votes else {
        if any {
            let message = "preference votes need the list's votes".to_owned();
            sink.error(&node.origin, &format!("{path}.votes"), FileRule::Preferences, message);
            return None;
        }
        return Some(None);
    };
    if !any {
        let message = "votes without any candidate's preferences".to_owned();
        sink.error(&votes_node.origin, &format!("{path}.votes"), FileRule::Preferences, message);
        return None;
    }
    let ok = check_counts(sink, &path, &given, &candidates, total);
    ok.then(|| {
        Some(ListPreferences {
            list: list.id.clone(),
            votes: total,
            preferences: given.into_iter().flatten().collect(),
        })
    })
}

/// Reports every candidate without preference votes, or with more than the list's `total`.
fn check_counts(
    sink: &mut Sink<'_>,
    path: &str,
    given: &[Option<u64>],
    candidates: &[&Node],
    total: u64,
) -> bool {
    let mut ok = true;
    for (pos, (count, item)) in given.iter().zip(candidates).enumerate() {
        let field = format!("{path}.candidates[{pos}].preferences");
        match count {
            None => {
                let message = "preferences are given for other candidates of the list";
                sink.error(&item.origin, &field, FileRule::Preferences, message.to_owned());
                ok = false;
            }
            Some(count) if *count > total => {
                let message = format!("{count} preference votes, more than the list's {total}");
                sink.error(&item.origin, &field, FileRule::Preferences, message);
                ok = false;
            }
            Some(_) => {}
        }
    }
    ok
}
