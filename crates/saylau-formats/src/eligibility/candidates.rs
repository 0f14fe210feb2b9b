//! Candidates files (TOML or CSV): the candidates of one election for one office, read into
//! a core [`CandidateSet`] (`docs/candidates-format.md`).

use std::collections::BTreeMap;
use std::path::Path;

use saylau_core::law::date::{Date, Years};
use saylau_core::law::eligibility::{
    AgeGiven, Candidate, CandidateSet, Education, Nomination, Office, Paperwork, RaceId,
    Signatures, Tenge, Voters,
};
use serde::Serialize;

use super::{LEVELS, array_of_tables, date, years};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity, Sink};
use crate::document::{Node, Origin, Table, parse_document};
use crate::field::{Fields, boolean, choice, count, filled_text, if_present, table, text};
use crate::rule::FileRule;

/// A candidates file, read and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidatesFile {
    /// What the file says about itself.
    pub meta: CandidatesMeta,
    /// The candidates.
    pub candidates: CandidateSet,
}

/// The `[office_election]` (or `[akim_election]`) table of a candidates file (for CSV: the file
/// name and the office given from outside).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidatesMeta {
    /// The election's name.
    pub name: String,
    /// The office the candidates stand for.
    pub office: Office,
    /// True when the candidates are made up for examples and tests.
    pub synthetic: bool,
    /// Where the candidates come from, or how they were made.
    pub note: Option<String>,
}

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
    "citizen_by_birth",
    "state_language",
    "years_in_country",
    "elected_office_years",
];

/// The offices, as written in files.
pub const OFFICES: &[(&str, Office)] = &[
    ("akim", Office::Akim),
    ("mazhilis", Office::Mazhilis),
    ("maslikhat", Office::Maslikhat),
    ("president", Office::President),
];

const PAPERWORK: &[(&str, Paperwork)] = &[
    ("complete", Paperwork::Complete),
    ("minor-discrepancy", Paperwork::MinorDiscrepancy),
    ("deficient", Paperwork::Deficient),
];

const NOMINATIONS: &[(&str, Nomination)] = &[
    ("party", Nomination::Party),
    ("self", Nomination::SelfNominated),
    ("akim", Nomination::Akim),
];

/// Reads a TOML candidates file from `text`.
pub fn parse_candidates(source: &str, text: &str) -> Result<CandidatesFile, Diagnostics> {
    let mut sink = Sink::new(source, text, &[]);
    let Some(root) = parse_document(text, &mut sink) else {
        return Err(sink.finish());
    };
    let root_fields = Fields { table: &root, path: "", origin: Origin::Whole };
    root_fields.check_keys(&mut sink, &["office_election", "akim_election", "candidates"]);
    let header =
        match (root_fields.optional("office_election"), root_fields.optional("akim_election")) {
            (Some(node), None) => election(&mut sink, node, "office_election"),
            (None, Some(node)) => election(&mut sink, node, "akim_election"),
            (Some(node), Some(_)) => {
                let message = "give [office_election] or [akim_election], not both".to_owned();
                sink.error(&node.origin, "office_election", FileRule::UnknownKey, message);
                None
            }
            (None, None) => {
                root_fields.required(&mut sink, "office_election");
                None
            }
        };
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
    office: Office,
) -> Result<CandidatesFile, Diagnostics> {
    let mut sink = Sink::new(source, text, &[]);
    let empty = ("candidates", FileRule::MissingKey);
    let rows = crate::csv::table_rows(&mut sink, text, &[], empty);
    let candidates = rows.filter(|rows| !rows.is_empty()).and_then(|rows| {
        let rows: Vec<(usize, &Table, Origin)> =
            rows.iter().map(|(idx, table, origin)| (*idx, table, *origin)).collect();
        candidate_set(&mut sink, Some(election_day), &rows)
    });
    let meta = CandidatesMeta { name: source.to_owned(), office, synthetic: false, note: None };
    match candidates {
        Some(candidates) if sink.is_empty() => Ok(CandidatesFile { meta, candidates }),
        _ => Err(sink.finish()),
    }
}

/// Reads the candidates file at `path`: CSV when its name ends in `.csv` (then
/// `election_day` is required, and the candidates stand for `office`, by default a rural
/// akim), TOML otherwise (which names its own office).
pub fn read_candidates(
    path: &Path,
    election_day: Option<Date>,
    office: Option<Office>,
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
        return parse_candidates_csv(&source, &text, day, office.unwrap_or_default());
    }
    parse_candidates(&source, &text)
}

/// Reads `[office_election]` (with its `office`) or `[akim_election]` (an akim election, the
/// older name): the metadata and election day.
fn election(sink: &mut Sink<'_>, node: &Node, key: &str) -> Option<(CandidatesMeta, Date)> {
    let fields = Fields { table: table(sink, node, key)?, path: key, origin: node.origin };
    let field = |name: &str| fields.field(name);
    if key == "office_election" {
        fields.check_keys(sink, &["name", "office", "day", "synthetic", "note"]);
    } else {
        fields.check_keys(sink, &["name", "day", "synthetic", "note"]);
    }
    let name =
        fields.required(sink, "name").and_then(|node| filled_text(sink, node, &field("name")));
    let office = if key == "office_election" {
        fields
            .required(sink, "office")
            .and_then(|node| choice(sink, node, &field("office"), "office", OFFICES))
    } else {
        Some(Office::Akim)
    };
    let day = fields.required(sink, "day").and_then(|node| date(sink, node, &field("day")));
    let synthetic = fields
        .required(sink, "synthetic")
        .and_then(|node| boolean(sink, node, &field("synthetic")));
    let note = if_present(fields.optional("note"), |node| text(sink, node, &field("note")));
    Some((
        CandidatesMeta { name: name?, office: office?, synthetic: synthetic?, note: note? },
        day?,
    ))
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
    let citizen_by_birth = flag(sink, "citizen_by_birth");
    let state_language = flag(sink, "state_language");
    let in_country = if_present(fields.optional("years_in_country"), |node| {
        years(sink, node, &field("years_in_country"))
    });
    let elected = if_present(fields.optional("elected_office_years"), |node| {
        years(sink, node, &field("elected_office_years"))
    });
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
        citizen_by_birth: citizen_by_birth?,
        state_language: state_language?,
        years_in_country: in_country?,
        elected_office: elected?.unwrap_or(Years(0)),
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
