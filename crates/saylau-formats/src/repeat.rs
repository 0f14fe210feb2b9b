//! Repeat-election rule files, format v1 (TOML): a turnout quorum (none under the law of
//! 2021), what "against all" does, and when a repeat election is held.
//!
//! `[repeat]` holds `format`, `name`, `description`, `quorum` (`"none"` or a percentage
//! such as `"50%"`, with `quorum_source`), `against_all` (`no-effect`,
//! `vacates-uncontested` or `vacates-when-beaten`, with `against_all_source`) and
//! optionally `repeat_after_days` with `repeat_source`. The format is specified in
//! `docs/legitimacy.md`.

use std::path::Path;

use saylau_core::law::legitimacy::Quorum;
use saylau_core::law::plurality::AgainstAllRule;
use saylau_core::seats::threshold::Percent;
use serde::Serialize;

use crate::diagnostic::{Diagnostics, Sink};
use crate::document::Table;
use crate::election::Scenario;
use crate::field::{choice, count, filled_text, if_present, percent};
use crate::header::{self, root_fields, sub_table};
use crate::rule::FileRule;

const KEYS: &[&str] = &["repeat", "scenario"];

const RULE_KEYS: &[&str] = &[
    "quorum",
    "quorum_source",
    "against_all",
    "against_all_source",
    "repeat_after_days",
    "repeat_source",
];

const AGAINST_ALL: &[(&str, AgainstAllRule)] = &[
    ("no-effect", AgainstAllRule::NoEffect),
    ("vacates-uncontested", AgainstAllRule::VacatesUncontested),
    ("vacates-when-beaten", AgainstAllRule::VacatesWhenBeaten),
];

/// A repeat-election rule file, read and validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepeatRules {
    /// `[repeat] name`.
    pub name: String,
    /// `[repeat] description`.
    pub description: Option<String>,
    /// The minimum turnout, if any.
    pub quorum: Option<Quorum>,
    /// Where "no quorum" comes from, when there is none.
    pub quorum_source: String,
    /// What "against all" does.
    pub against_all: AgainstAllRule,
    /// Where that comes from.
    pub against_all_source: String,
    /// Days from the first election day to the repeat's, and their source.
    pub repeat_after: Option<(u32, String)>,
    /// `[scenario]`: set for a proposal.
    pub scenario: Option<Scenario>,
}

/// Reads a repeat-rule file from `text`; `source` names it in diagnostics.
pub fn parse_repeat_rules(source: &str, text: &str) -> Result<RepeatRules, Diagnostics> {
    header::parse_with(source, text, &[], repeat_file)
}

/// Reads the repeat-rule file at `path`.
pub fn read_repeat_rules(path: &Path) -> Result<RepeatRules, Diagnostics> {
    let (source, text) = header::read_text(path)?;
    parse_repeat_rules(&source, &text)
}

fn repeat_file(sink: &mut Sink<'_>, root: &Table) -> Option<RepeatRules> {
    let fields = root_fields(sink, root, KEYS);
    let header = header::header(sink, fields, "repeat", RULE_KEYS);
    let scenario = header::provenance(sink, root).map(|(_, scenario)| scenario);
    let rules = sub_table(sink, fields, "repeat", false)?;
    let source = |sink: &mut Sink<'_>, key: &str| {
        rules.required(sink, key).and_then(|node| filled_text(sink, node, &rules.field(key)))
    };
    let quorum = rules.required(sink, "quorum").and_then(|node| match &node.value {
        crate::document::Value::String(text) if text == "none" => Some(None),
        _ => percent(sink, node, &rules.field("quorum")).map(Some),
    });
    let quorum_source = source(sink, "quorum_source");
    let against_all = rules.required(sink, "against_all").and_then(|node| {
        choice(sink, node, &rules.field("against_all"), "against-all rule", AGAINST_ALL)
    });
    let against_all_source = source(sink, "against_all_source");
    let days = if_present(rules.optional("repeat_after_days"), |node| {
        count(sink, node, &rules.field("repeat_after_days"), "days", 1)
    });
    let repeat_source = if_present(rules.optional("repeat_source"), |node| {
        filled_text(sink, node, &rules.field("repeat_source"))
    });
    let repeat_after = match (days?, repeat_source?) {
        (Some(days), Some(source)) => Some((days, source)),
        (None, None) => None,
        (days, _) => {
            let missing = if days.is_some() { "repeat_source" } else { "repeat_after_days" };
            let message = "repeat_after_days and repeat_source go together".to_owned();
            sink.error(&rules.origin, &rules.field(missing), FileRule::MissingKey, message);
            return None;
        }
    };
    let (header, scenario) = (header?, scenario?);
    let (quorum, quorum_source) = (quorum?, quorum_source?);
    let quorum =
        quorum.map(|min_turnout: Percent| Quorum { min_turnout, source: quorum_source.clone() });
    Some(RepeatRules {
        name: header.name,
        description: header.description,
        quorum,
        quorum_source,
        against_all: against_all?,
        against_all_source: against_all_source?,
        repeat_after,
        scenario,
    })
}
