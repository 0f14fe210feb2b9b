//! Eligibility rule sets and candidate files (TOML or CSV) for rural akims, the Mazhilis,
//! the maslikhats and the President.
//!
//! A rule set file (`data/kz/eligibility-law-2021.toml`) becomes a core
//! [`RuleSet`]; a candidates file becomes a core [`CandidateSet`]. Both formats are
//! specified in `docs/candidates-format.md`. Every problem is a diagnostic with its line,
//! field and rule code; a CSV file is read row by row into the same tables a TOML file
//! has, so both report the same way. Candidates files are read in [`candidates`].

mod candidates;

use std::path::Path;

use saylau_core::law::date::{Date, Years};
use saylau_core::law::eligibility::{
    Education, EligibilityRule, Minor, Requirement, RuleSet, RuleSetStatus, Tenge,
};

pub(crate) use candidates::age_given;
pub use candidates::{
    CandidatesFile, CandidatesMeta, OFFICES, parse_candidates, parse_candidates_csv,
    read_candidates,
};

use crate::diagnostic::{Diagnostics, Sink};
use crate::document::{Node, Origin, Table, Value};
use crate::field::{Fields, choice, count, filled_text, if_present, percent, table, text};
use crate::rule::FileRule;

/// The keys of `[rule_set]`.
const RULE_SET_KEYS: &[&str] = &["id", "name", "office", "status", "description"];

/// The keys every rule has; each kind adds its own (see [`rule_keys`]).
const RULE_KEYS: &[&str] = &["kind", "article", "seed", "note"];

const MINOR: &[(&str, bool)] = &[("refusal", false), ("correctable", true)];

const STATUSES: &[(&str, RuleSetStatus)] =
    &[("law", RuleSetStatus::Law), ("proposal", RuleSetStatus::Proposal)];

pub(super) const LEVELS: &[(&str, Education)] = &[
    ("basic", Education::Basic),
    ("secondary", Education::Secondary),
    ("vocational", Education::Vocational),
    ("higher", Education::Higher),
];

const KINDS: &[(&str, &str)] = &[
    ("age", "age"),
    ("education", "education"),
    ("experience", "experience"),
    ("criminal-record", "criminal-record"),
    ("corruption", "corruption"),
    ("signatures", "signatures"),
    ("deposit", "deposit"),
    ("nominees", "nominees"),
    ("security-check", "security-check"),
    ("tax-declaration", "tax-declaration"),
    ("signature-sheets", "signature-sheets"),
    ("local-residence", "local-residence"),
    ("no-party-post", "no-party-post"),
    ("party-nominee", "party-nominee"),
    ("citizen-by-birth", "citizen-by-birth"),
    ("state-language", "state-language"),
    ("country-residence", "country-residence"),
    ("public-service", "public-service"),
];

/// A calendar date: a TOML local date (`2021-07-25`) or the same as a string (rule
/// `E-25`).
pub(crate) fn date(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<Date> {
    let text = match &node.value {
        Value::Datetime(text) | Value::String(text) => text,
        other => {
            let message = format!("expected a date such as 2021-07-25, found {}", other.describe());
            sink.error(&node.origin, field, FileRule::WrongType, message);
            return None;
        }
    };
    Date::parse(text)
        .map_err(|err| sink.error(&node.origin, field, FileRule::Date, err.to_string()))
        .ok()
}

/// A whole number of years.
pub(super) fn years(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<Years> {
    count(sink, node, field, "years", 0).map(Years)
}

/// Reads a rule set from `text`; `source` names it in diagnostics.
pub fn parse_rule_set(source: &str, text: &str) -> Result<RuleSet, Diagnostics> {
    crate::header::parse_with(source, text, &[], rule_set)
}

/// Reads the rule set file at `path`.
pub fn read_rule_set(path: &Path) -> Result<RuleSet, Diagnostics> {
    let (source, text) = crate::header::read_text(path)?;
    parse_rule_set(&source, &text)
}

fn rule_set(sink: &mut Sink<'_>, root: &Table) -> Option<RuleSet> {
    let root_fields = Fields { table: root, path: "", origin: Origin::Whole };
    root_fields.check_keys(sink, &["rule_set", "rules"]);
    let header = root_fields.required(sink, "rule_set").and_then(|node| {
        let fields =
            Fields { table: table(sink, node, "rule_set")?, path: "rule_set", origin: node.origin };
        fields.check_keys(sink, RULE_SET_KEYS);
        let id =
            fields.required(sink, "id").and_then(|node| filled_text(sink, node, "rule_set.id"));
        let name =
            fields.required(sink, "name").and_then(|node| filled_text(sink, node, "rule_set.name"));
        let status = fields
            .required(sink, "status")
            .and_then(|node| choice(sink, node, "rule_set.status", "status", STATUSES));
        let office = if_present(fields.optional("office"), |node| {
            choice(sink, node, "rule_set.office", "office", OFFICES)
        });
        let description = if_present(fields.optional("description"), |node| {
            text(sink, node, "rule_set.description")
        });
        description?;
        Some((id?, name?, status?, office?.unwrap_or_default()))
    });
    let items = array_of_tables(sink, root, "rules")?;
    let mut rules = Vec::new();
    let mut kinds: Vec<&str> = Vec::new();
    for (idx, node) in items.iter().enumerate() {
        let read = eligibility_rule(sink, node, idx);
        if let Some(rule) = &read {
            let kind = rule.requirement.kind();
            if kinds.contains(&kind) {
                let message = format!("the kind {kind} is given twice");
                sink.error(
                    &node.origin,
                    &format!("rules[{idx}].kind"),
                    FileRule::DuplicateName,
                    message,
                );
            }
            kinds.push(kind);
        }
        rules.push(read);
    }
    let rules: Option<Vec<EligibilityRule>> = rules.into_iter().collect();
    let (id, name, status, office) = header?;
    RuleSet::new(&id, &name, status, rules?).ok().map(|set| set.for_office(office))
}

/// The array of tables `key` of `root`, reported when missing, empty or not tables.
pub(crate) fn array_of_tables<'t>(
    sink: &mut Sink<'_>,
    root: &'t Table,
    key: &str,
) -> Option<&'t [Node]> {
    match root.get(key).map(|node| (&node.value, node.origin)) {
        Some((Value::Array(items), _)) if !items.is_empty() => Some(items),
        Some((Value::Array(_), origin)) => {
            sink.error(&origin, key, FileRule::MissingKey, format!("[[{key}]] is empty"));
            None
        }
        Some((other, origin)) => {
            let message = format!("expected [[{key}]] tables, found {}", other.describe());
            sink.error(&origin, key, FileRule::WrongType, message);
            None
        }
        None => {
            sink.error(
                &Origin::Whole,
                key,
                FileRule::MissingKey,
                format!("missing [[{key}]] tables"),
            );
            None
        }
    }
}

/// The keys a rule of `kind` has besides [`RULE_KEYS`].
fn rule_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "age" | "country-residence" | "public-service" => &["min_years"],
        "education" => &["min_level"],
        "experience" => &["civil_service_years", "management_years"],
        "signatures" => &["self_nominee_share"],
        "deposit" => &["amount_kzt"],
        "nominees" => &["min_candidates"],
        "tax-declaration" | "signature-sheets" => &["minor", "correct_within_days"],
        _ => &[],
    }
}

fn eligibility_rule(sink: &mut Sink<'_>, node: &Node, idx: usize) -> Option<EligibilityRule> {
    let path = format!("rules[{idx}]");
    let fields = Fields { table: table(sink, node, &path)?, path: &path, origin: node.origin };
    let kind = fields
        .required(sink, "kind")
        .and_then(|node| choice(sink, node, &fields.field("kind"), "rule kind", KINDS));
    let mut allowed = RULE_KEYS.to_vec();
    allowed.extend_from_slice(rule_keys(kind.unwrap_or("")));
    if kind.is_some() {
        fields.check_keys(sink, &allowed);
    }
    let article = fields
        .required(sink, "article")
        .and_then(|node| filled_text(sink, node, &fields.field("article")));
    let seed = fields
        .required(sink, "seed")
        .and_then(|node| filled_text(sink, node, &fields.field("seed")));
    let note = if_present(fields.optional("note"), |node| text(sink, node, &fields.field("note")));
    let value = |sink: &mut Sink<'_>, key: &str| {
        fields.required(sink, key).map(|node| (node, fields.field(key)))
    };
    let kind = kind?;
    let requirement = match kind {
        "age" | "country-residence" | "public-service" => value(sink, "min_years")
            .and_then(|(node, field)| years(sink, node, &field))
            .map(|min_years| match kind {
                "age" => Requirement::Age { min_years },
                "country-residence" => Requirement::CountryResidence { min_years },
                _ => Requirement::PublicService { min_years },
            }),
        "education" => value(sink, "min_level")
            .and_then(|(node, field)| choice(sink, node, &field, "education level", LEVELS))
            .map(|min_level| Requirement::Education { min_level }),
        "experience" => experience(sink, fields),
        "signatures" => value(sink, "self_nominee_share")
            .and_then(|(node, field)| percent(sink, node, &field))
            .map(|self_nominee_share| Requirement::Signatures { self_nominee_share }),
        "deposit" => value(sink, "amount_kzt")
            .and_then(|(node, field)| count(sink, node, &field, "tenge", 0))
            .map(|amount| Requirement::Deposit { amount: Tenge(u64::from(amount)) }),
        "criminal-record" | "corruption" | "security-check" | "local-residence"
        | "no-party-post" | "party-nominee" | "citizen-by-birth" | "state-language" => {
            Some(flag_requirement(kind))
        }
        "tax-declaration" => minor(sink, fields).map(|minor| Requirement::TaxDeclaration { minor }),
        "signature-sheets" => {
            minor(sink, fields).map(|minor| Requirement::SignatureSheets { minor })
        }
        _ => value(sink, "min_candidates")
            .and_then(|(node, field)| count(sink, node, &field, "candidates", 1))
            .map(|min_candidates| Requirement::Nominees { min_candidates }),
    };
    Some(EligibilityRule { requirement: requirement?, article: article?, seed: seed?, note: note? })
}

/// An `experience` rule: `civil_service_years` and `management_years`.
fn experience(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<Requirement> {
    let mut read = |key: &str| {
        fields.required(sink, key).and_then(|node| years(sink, node, &fields.field(key)))
    };
    let civil = read("civil_service_years");
    let management = read("management_years");
    Some(Requirement::Experience { civil_service_years: civil?, management_years: management? })
}

/// The requirement of a kind with no value.
fn flag_requirement(kind: &str) -> Requirement {
    match kind {
        "criminal-record" => Requirement::CriminalRecord,
        "corruption" => Requirement::Corruption,
        "security-check" => Requirement::SecurityCheck,
        "local-residence" => Requirement::LocalResidence,
        "no-party-post" => Requirement::NoPartyPost,
        "party-nominee" => Requirement::PartyNominee,
        "citizen-by-birth" => Requirement::CitizenByBirth,
        _ => Requirement::StateLanguage,
    }
}

/// `minor` (refusal or correctable) and, for a correction, `correct_within_days`.
fn minor(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<Minor> {
    let field = fields.field("minor");
    let correctable = fields
        .required(sink, "minor")
        .and_then(|node| choice(sink, node, &field, "outcome of a minor discrepancy", MINOR))?;
    let days = fields.optional("correct_within_days");
    match (correctable, days) {
        (false, None) => Some(Minor::Refusal),
        (true, Some(node)) => count(sink, node, &fields.field("correct_within_days"), "days", 1)
            .map(|days| Minor::Correctable { days }),
        (true, None) => {
            fields.required(sink, "correct_within_days");
            None
        }
        (false, Some(node)) => {
            let message = "correct_within_days applies only to minor = \"correctable\"".to_owned();
            let field = fields.field("correct_within_days");
            sink.error(&node.origin, &field, FileRule::NotApplicable, message);
            None
        }
    }
}
