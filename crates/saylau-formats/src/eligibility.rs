//! Eligibility rule sets and candidate files (TOML or CSV) for rural akim elections.
//!
//! A rule set file (`data/kz/eligibility-law-2021.toml`) becomes a core
//! [`RuleSet`]; a candidates file becomes a core [`CandidateSet`]. Both formats are
//! specified in `docs/candidates-format.md`. Every problem is a diagnostic with its line,
//! field and rule code; a CSV file is read row by row into the same tables a TOML file
//! has, so both report the same way.

use std::collections::BTreeMap;
use std::path::Path;

use saylau_core::law::date::{Date, Years};
use saylau_core::law::eligibility::{
    AgeGiven, Candidate, CandidateSet, Education, EligibilityRule, Minor, Nomination, Paperwork,
    RaceId, Requirement, RuleSet, RuleSetStatus, Signatures, Tenge, Voters,
};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity, Sink};
use crate::document::{Node, Origin, Table, Value, parse_document};
use crate::field::{Fields, boolean, choice, count, filled_text, if_present, percent, table, text};
use crate::rule::FileRule;

/// A candidates file, read and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidatesFile {
    /// What the file says about itself.
    pub meta: CandidatesMeta,
    /// The candidates.
    pub candidates: CandidateSet,
}

/// The `[akim_election]` table of a candidates file (for CSV: the file name only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidatesMeta {
    /// The election's name.
    pub name: String,
    /// True when the candidates are made up for examples and tests.
    pub synthetic: bool,
    /// Where the candidates come from, or how they were made.
    pub note: Option<String>,
}

/// The keys of `[rule_set]`.
const RULE_SET_KEYS: &[&str] = &["id", "name", "status", "description"];

/// The keys every rule has; each kind adds its own (see [`rule_keys`]).
const RULE_KEYS: &[&str] = &["kind", "article", "seed", "note"];

/// The keys of a candidate (a `[[candidates]]` table or a CSV column).
const CANDIDATE_KEYS: &[&str] = &[
    "name",
    "race",
    "birth_date",
    "age",
    "education",
    "civil_service_years",
    "management_years",
    "criminal_record",
    "corruption_offence",
    "nomination",
    "party",
    "signatures",
    "deposit_kzt",
    "race_voters",
    "security_check",
    "tax_declaration",
    "signature_sheets",
    "lives_in_race",
    "party_post",
];

const PAPERWORK: &[(&str, Paperwork)] = &[
    ("complete", Paperwork::Complete),
    ("minor-discrepancy", Paperwork::MinorDiscrepancy),
    ("deficient", Paperwork::Deficient),
];

const MINOR: &[(&str, bool)] = &[("refusal", false), ("correctable", true)];

const STATUSES: &[(&str, RuleSetStatus)] =
    &[("law", RuleSetStatus::Law), ("proposal", RuleSetStatus::Proposal)];

const LEVELS: &[(&str, Education)] = &[
    ("basic", Education::Basic),
    ("secondary", Education::Secondary),
    ("vocational", Education::Vocational),
    ("higher", Education::Higher),
];

const NOMINATIONS: &[(&str, Nomination)] = &[
    ("party", Nomination::Party),
    ("self", Nomination::SelfNominated),
    ("akim", Nomination::Akim),
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
fn years(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<Years> {
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
        let description = if_present(fields.optional("description"), |node| {
            text(sink, node, "rule_set.description")
        });
        description?;
        Some((id?, name?, status?))
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
    let (id, name, status) = header?;
    RuleSet::new(&id, &name, status, rules?).ok()
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
        "age" => &["min_years"],
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
    let requirement = match kind? {
        "age" => value(sink, "min_years")
            .and_then(|(node, field)| years(sink, node, &field))
            .map(|min_years| Requirement::Age { min_years }),
        "education" => value(sink, "min_level")
            .and_then(|(node, field)| choice(sink, node, &field, "education level", LEVELS))
            .map(|min_level| Requirement::Education { min_level }),
        "experience" => {
            let civil = value(sink, "civil_service_years")
                .and_then(|(node, field)| years(sink, node, &field));
            let management =
                value(sink, "management_years").and_then(|(node, field)| years(sink, node, &field));
            Some(Requirement::Experience {
                civil_service_years: civil?,
                management_years: management?,
            })
        }
        "criminal-record" => Some(Requirement::CriminalRecord),
        "corruption" => Some(Requirement::Corruption),
        "signatures" => value(sink, "self_nominee_share")
            .and_then(|(node, field)| percent(sink, node, &field))
            .map(|self_nominee_share| Requirement::Signatures { self_nominee_share }),
        "deposit" => value(sink, "amount_kzt")
            .and_then(|(node, field)| count(sink, node, &field, "tenge", 0))
            .map(|amount| Requirement::Deposit { amount: Tenge(u64::from(amount)) }),
        "security-check" => Some(Requirement::SecurityCheck),
        "local-residence" => Some(Requirement::LocalResidence),
        "no-party-post" => Some(Requirement::NoPartyPost),
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

/// Reads a TOML candidates file from `text`.
pub fn parse_candidates(source: &str, text: &str) -> Result<CandidatesFile, Diagnostics> {
    let mut sink = Sink::new(source, text, &[]);
    let Some(root) = parse_document(text, &mut sink) else {
        return Err(sink.finish());
    };
    let root_fields = Fields { table: &root, path: "", origin: Origin::Whole };
    root_fields.check_keys(&mut sink, &["akim_election", "candidates"]);
    let header = root_fields
        .required(&mut sink, "akim_election")
        .and_then(|node| akim_election(&mut sink, node));
    let rows: Option<Vec<(usize, &Table, Origin)>> =
        array_of_tables(&mut sink, &root, "candidates").and_then(|items| {
            items
                .iter()
                .enumerate()
                .map(|(idx, node)| {
                    table(&mut sink, node, &format!("candidates[{idx}]"))
                        .map(|it| (idx, it, node.origin))
                })
                .collect()
        });
    let (meta, day) = header.unzip();
    let candidates = rows.and_then(|rows| candidate_set(&mut sink, day, &rows));
    match (meta, candidates) {
        (Some(meta), Some(candidates)) if sink.is_empty() => {
            Ok(CandidatesFile { meta, candidates })
        }
        _ => Err(sink.finish()),
    }
}

/// Reads a CSV candidates file from `text`: one row per candidate, the columns named as
/// the keys of a TOML candidate; election day comes from outside the file.
pub fn parse_candidates_csv(
    source: &str,
    text: &str,
    election_day: Date,
) -> Result<CandidatesFile, Diagnostics> {
    let mut sink = Sink::new(source, text, &[]);
    let empty = ("candidates", FileRule::MissingKey);
    let rows = crate::csv::table_rows(&mut sink, text, &[], empty);
    let candidates = rows.filter(|rows| !rows.is_empty()).and_then(|rows| {
        let rows: Vec<(usize, &Table, Origin)> =
            rows.iter().map(|(idx, table, origin)| (*idx, table, *origin)).collect();
        candidate_set(&mut sink, Some(election_day), &rows)
    });
    let meta = CandidatesMeta { name: source.to_owned(), synthetic: false, note: None };
    match candidates {
        Some(candidates) if sink.is_empty() => Ok(CandidatesFile { meta, candidates }),
        _ => Err(sink.finish()),
    }
}

/// Reads the candidates file at `path`: CSV when its name ends in `.csv` (then
/// `election_day` is required), TOML otherwise.
pub fn read_candidates(
    path: &Path,
    election_day: Option<Date>,
) -> Result<CandidatesFile, Diagnostics> {
    let (source, text) = crate::header::read_text(path)?;
    if path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("csv")) {
        let Some(day) = election_day else {
            return Err(Diagnostics(vec![Diagnostic {
                source,
                line: None,
                field: String::new(),
                rule: FileRule::MissingKey.into(),
                message:
                    "a CSV candidates file needs the election day from outside (--election-day)"
                        .to_owned(),
                severity: Severity::Error,
            }]));
        };
        return parse_candidates_csv(&source, &text, day);
    }
    parse_candidates(&source, &text)
}

/// Reads `[akim_election]`: the metadata and election day.
fn akim_election(sink: &mut Sink<'_>, node: &Node) -> Option<(CandidatesMeta, Date)> {
    let fields = Fields {
        table: table(sink, node, "akim_election")?,
        path: "akim_election",
        origin: node.origin,
    };
    fields.check_keys(sink, &["name", "day", "synthetic", "note"]);
    let name = fields
        .required(sink, "name")
        .and_then(|node| filled_text(sink, node, "akim_election.name"));
    let day = fields.required(sink, "day").and_then(|node| date(sink, node, "akim_election.day"));
    let synthetic = fields
        .required(sink, "synthetic")
        .and_then(|node| boolean(sink, node, "akim_election.synthetic"));
    let note = if_present(fields.optional("note"), |node| text(sink, node, "akim_election.note"));
    Some((CandidatesMeta { name: name?, synthetic: synthetic?, note: note? }, day?))
}

/// Reads every candidate, checks births against election day and races against each
/// other, and builds the set.
fn candidate_set(
    sink: &mut Sink<'_>,
    day: Option<Date>,
    rows: &[(usize, &Table, Origin)],
) -> Option<CandidateSet> {
    let mut candidates = Vec::new();
    let mut voters: BTreeMap<String, u64> = BTreeMap::new();
    for (idx, row, origin) in rows {
        let path = format!("candidates[{idx}]");
        let fields = Fields { table: row, path: &path, origin: *origin };
        let read = candidate(sink, fields, day);
        if let Some(candidate) = &read {
            let first = *voters
                .entry(candidate.race.as_str().to_owned())
                .or_insert(candidate.race_voters.0);
            if first != candidate.race_voters.0 {
                let node_origin =
                    fields.optional("race_voters").map_or(*origin, |node| node.origin);
                let message = format!(
                    "race {} has {} voters here, {first} for an earlier candidate",
                    candidate.race, candidate.race_voters.0
                );
                sink.error(
                    &node_origin,
                    &fields.field("race_voters"),
                    FileRule::RaceVoters,
                    message,
                );
            }
        }
        candidates.push(read);
    }
    let candidates: Vec<Candidate> = candidates.into_iter().collect::<Option<_>>()?;
    let day = day?;
    CandidateSet::new(day, candidates)
        .map_err(|err| sink.error(&Origin::Whole, "candidates", FileRule::Age, err.to_string()))
        .ok()
}

fn candidate(sink: &mut Sink<'_>, fields: Fields<'_>, day: Option<Date>) -> Option<Candidate> {
    fields.check_keys(sink, CANDIDATE_KEYS);
    let field = |key: &str| fields.field(key);
    let name =
        fields.required(sink, "name").and_then(|node| filled_text(sink, node, &field("name")));
    let race =
        fields.required(sink, "race").and_then(|node| filled_text(sink, node, &field("race")));
    let age = age_given(sink, fields, day);
    let education = fields
        .required(sink, "education")
        .and_then(|node| choice(sink, node, &field("education"), "education level", LEVELS));
    let civil_service = fields
        .required(sink, "civil_service_years")
        .and_then(|node| years(sink, node, &field("civil_service_years")));
    let management = fields
        .required(sink, "management_years")
        .and_then(|node| years(sink, node, &field("management_years")));
    let criminal_record = fields
        .required(sink, "criminal_record")
        .and_then(|node| boolean(sink, node, &field("criminal_record")));
    let corruption_offence = fields
        .required(sink, "corruption_offence")
        .and_then(|node| boolean(sink, node, &field("corruption_offence")));
    let nomination = fields
        .required(sink, "nomination")
        .and_then(|node| choice(sink, node, &field("nomination"), "nomination", NOMINATIONS));
    let party =
        if_present(fields.optional("party"), |node| filled_text(sink, node, &field("party")));
    let signatures = if_present(fields.optional("signatures"), |node| {
        count(sink, node, &field("signatures"), "signatures", 0)
    });
    let deposit = fields
        .required(sink, "deposit_kzt")
        .and_then(|node| count(sink, node, &field("deposit_kzt"), "tenge", 0));
    let race_voters = fields
        .required(sink, "race_voters")
        .and_then(|node| count(sink, node, &field("race_voters"), "voters", 1));
    let registration = registration(sink, fields);
    Some(Candidate {
        name: name?,
        race: RaceId::new(&race?),
        age: age?,
        education: education?,
        civil_service: civil_service?,
        management: management?,
        criminal_record: criminal_record?,
        corruption_offence: corruption_offence?,
        nomination: nomination?,
        party: party?,
        signatures: Signatures(u64::from(signatures?.unwrap_or(0))),
        deposit: Tenge(u64::from(deposit?)),
        race_voters: Voters(u64::from(race_voters?)),
        ..registration?
    })
}

/// The registration columns (KNB check, documents, residence, party post), with their
/// defaults, in a candidate whose other fields are still to be filled.
fn registration(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<Candidate> {
    let field = |key: &str| fields.field(key);
    let flag = |sink: &mut Sink<'_>, key: &str| {
        if_present(fields.optional(key), |node| boolean(sink, node, &field(key)))
    };
    let security_check = flag(sink, "security_check");
    let lives_in_race = flag(sink, "lives_in_race");
    let party_post = flag(sink, "party_post");
    let papers = |sink: &mut Sink<'_>, key: &str| {
        if_present(fields.optional(key), |node| {
            choice(sink, node, &field(key), "document state", PAPERWORK)
        })
    };
    let tax_declaration = papers(sink, "tax_declaration");
    let signature_sheets = papers(sink, "signature_sheets");
    Some(Candidate {
        name: String::new(),
        race: RaceId::new(""),
        age: AgeGiven::AgeOnElectionDay(Years(0)),
        education: Education::Basic,
        civil_service: Years(0),
        management: Years(0),
        criminal_record: false,
        corruption_offence: false,
        nomination: Nomination::Party,
        party: None,
        signatures: Signatures(0),
        deposit: Tenge(0),
        race_voters: Voters(0),
        security_check: security_check?.unwrap_or(true),
        tax_declaration: tax_declaration?.unwrap_or_default(),
        signature_sheets: signature_sheets?.unwrap_or_default(),
        lives_in_race: lives_in_race?,
        party_post: party_post?.unwrap_or(false),
    })
}

/// `birth_date` or `age`, exactly one; a birth date on or before election day.
pub(crate) fn age_given(
    sink: &mut Sink<'_>,
    fields: Fields<'_>,
    day: Option<Date>,
) -> Option<AgeGiven> {
    let birth = fields.optional("birth_date");
    let age = fields.optional("age");
    match (birth, age) {
        (Some(node), None) => {
            let birth = date(sink, node, &fields.field("birth_date"))?;
            if let Some(day) = day
                && birth > day
            {
                let message = format!("born on {birth}, after election day {day}");
                sink.error(&node.origin, &fields.field("birth_date"), FileRule::Age, message);
                return None;
            }
            Some(AgeGiven::BirthDate(birth))
        }
        (None, Some(node)) => {
            years(sink, node, &fields.field("age")).map(AgeGiven::AgeOnElectionDay)
        }
        (Some(node), Some(_)) => {
            let message = "give birth_date or age, not both".to_owned();
            sink.error(&node.origin, &fields.field("birth_date"), FileRule::Age, message);
            None
        }
        (None, None) => {
            let message = "give birth_date or age".to_owned();
            sink.error(&fields.origin, &fields.field("birth_date"), FileRule::Age, message);
            None
        }
    }
}
