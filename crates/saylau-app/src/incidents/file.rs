//! Incident files: an observer organisation's violation reports, as CSV or JSON
//! (`docs/observation.md`, "Incident files").
//!
//! ```text
//! # saylau-incidents v1
//! id,station,time,type,note,evidence
//! lmi-0001,15-02-0034,2021-01-10T20:40,ballot-stuffing,"a pack of ballots in box 2",photos/0001.jpg
//! ```
//!
//! ```json
//! {"format": "saylau-incidents", "version": 1,
//!  "incidents": [{"id": "lmi-0001", "station": "15-02-0034", "time": "2021-01-10T20:40",
//!                 "type": "ballot-stuffing", "note": "", "evidence": ["photos/0001.jpg"]}]}
//! ```
//!
//! `evidence` names files relative to the incident file's folder (`;` between several in
//! CSV). Every problem of a row is reported with the file, line, field and rule, and a
//! bad row is rejected whole while the good rows are kept. This module only parses text;
//! reading the evidence files and the store is [`super::record`]'s job.

use std::collections::BTreeSet;
use std::path::Path;

use saylau_core::count::commission::StationId;
use saylau_core::count::incident::{IncidentType, hour_of};
use saylau_formats::marked_csv::{MarkedCsv, NotMarked, line_of, open_marked};
use saylau_formats::rule::ObservationRule;
use saylau_formats::{Diagnostic, Diagnostics};
use serde_json::value::RawValue;

/// The first line of a CSV incident file.
pub const INCIDENTS_MARKER: &str = "# saylau-incidents v1";
/// The value of a JSON incident file's `format` key.
pub const INCIDENTS_FORMAT: &str = "saylau-incidents";
/// The CSV columns, in order (`evidence` may be left out).
pub const COLUMNS: [&str; 6] = ["id", "station", "time", "type", "note", "evidence"];
/// The longest note, in bytes.
pub const MAX_NOTE_BYTES: usize = 4096;

/// One good row of an incident file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentRow {
    /// The line it starts on.
    pub line: Option<u32>,
    /// The organisation's id of the report.
    pub id: String,
    /// The polling station.
    pub station: String,
    /// When, as written.
    pub time: String,
    /// What kind of violation.
    pub kind: IncidentType,
    /// What the observer wrote.
    pub note: String,
    /// Evidence files, relative to the incident file's folder.
    pub evidence: Vec<String>,
}

/// A rejected row with every reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedIncident {
    /// The line it starts on.
    pub line: Option<u32>,
    /// Its id, when one could be read.
    pub id: Option<String>,
    /// Its station, when one could be read.
    pub station: Option<String>,
    /// Every problem.
    pub diagnostics: Vec<Diagnostic>,
}

/// An incident file read: its good rows and its rejected rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentFile {
    /// The good rows, in file order.
    pub rows: Vec<IncidentRow>,
    /// The rejected rows, in file order.
    pub rejected: Vec<RejectedIncident>,
}

fn error(
    source: &str,
    line: Option<u32>,
    field: &str,
    rule: ObservationRule,
    message: String,
) -> Diagnostic {
    Diagnostic::error(source, line, field, rule, message)
}

fn whole(source: &str, line: Option<u32>, message: String) -> Diagnostics {
    Diagnostics(vec![error(source, line, "", ObservationRule::IncidentFile, message)])
}

/// Reads an incident file: JSON when it ends in `.json`, CSV otherwise.
pub fn read_incidents(path: &Path) -> Result<IncidentFile, Diagnostics> {
    let source = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|err| whole(&source, None, format!("cannot read the file: {err}")))?;
    let json = path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    parse_incidents(&source, &text, json)
}

/// Parses an incident file's text; `source` names it in diagnostics.
pub fn parse_incidents(source: &str, text: &str, json: bool) -> Result<IncidentFile, Diagnostics> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fields = if json { json_rows(source, text)? } else { csv_rows(source, text)? };
    let mut file = IncidentFile::default();
    let mut ids = BTreeSet::new();
    for raw in fields {
        check_row(source, raw, &mut ids, &mut file);
    }
    Ok(file)
}

/// A row's fields as text, before they are checked.
struct RawRow {
    line: Option<u32>,
    id: String,
    station: String,
    time: String,
    kind: String,
    note: String,
    evidence: Vec<String>,
    /// Problems found while reading the row's shape.
    problems: Vec<Diagnostic>,
}

fn csv_rows(source: &str, text: &str) -> Result<Vec<RawRow>, Diagnostics> {
    let MarkedCsv { mut reader, names, header_line } = open_marked(text, INCIDENTS_MARKER)
        .map_err(|NotMarked { line, message }| whole(source, line, message))?;
    if names != COLUMNS && names != COLUMNS[..5] {
        let message =
            format!("the header must be {} (evidence may be left out)", COLUMNS.join(","));
        return Err(whole(source, header_line, message));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map(|it| line_of(it.line()));
                let problem =
                    error(source, line, "", ObservationRule::IncidentRow, err.to_string());
                rows.push(RawRow::broken(line, problem));
                continue;
            }
        };
        let line = record.position().map(|it| line_of(it.line()));
        let get = |idx: usize| record.get(idx).unwrap_or("").trim().to_owned();
        let mut problems = Vec::new();
        if record.len() != names.len() {
            let message = format!("{} fields, the header has {}", record.len(), names.len());
            problems.push(error(source, line, "", ObservationRule::IncidentRow, message));
        }
        let evidence = get(5);
        rows.push(RawRow {
            line,
            id: get(0),
            station: get(1),
            time: get(2),
            kind: get(3),
            note: get(4),
            evidence: evidence
                .split(';')
                .map(str::trim)
                .filter(|it| !it.is_empty())
                .map(str::to_owned)
                .collect(),
            problems,
        });
    }
    Ok(rows)
}

#[derive(serde::Deserialize)]
struct JsonFile<'a> {
    format: String,
    version: u32,
    #[serde(borrow)]
    incidents: Vec<&'a RawValue>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonRow {
    id: String,
    station: String,
    time: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    evidence: Vec<String>,
}

fn json_rows(source: &str, text: &str) -> Result<Vec<RawRow>, Diagnostics> {
    let file: JsonFile<'_> = serde_json::from_str(text).map_err(|err| {
        let line = u32::try_from(err.line()).ok().filter(|it| *it > 0);
        let message = err.to_string();
        whole(source, line, message.split(" at line ").next().unwrap_or(&message).to_owned())
    })?;
    if file.format != INCIDENTS_FORMAT || file.version != 1 {
        let message = format!("format must be {INCIDENTS_FORMAT:?} version 1");
        return Err(whole(source, Some(1), message));
    }
    let base = text.as_ptr() as usize;
    let mut rows = Vec::with_capacity(file.incidents.len());
    for (idx, raw) in file.incidents.iter().enumerate() {
        // The line of the object: its offset in the text, counted in newlines.
        let offset = (raw.get().as_ptr() as usize).saturating_sub(base).min(text.len());
        let newlines = text.as_bytes()[..offset].iter().filter(|it| **it == b'\n').count();
        let line = u32::try_from(newlines + 1).ok();
        match serde_json::from_str::<JsonRow>(raw.get()) {
            Ok(row) => rows.push(RawRow {
                line,
                id: row.id,
                station: row.station,
                time: row.time,
                kind: row.kind,
                note: row.note,
                evidence: row.evidence,
                problems: Vec::new(),
            }),
            Err(err) => {
                let field = format!("incidents[{idx}]");
                let message = err.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
                let problem = error(source, line, &field, ObservationRule::IncidentRow, message);
                rows.push(RawRow::broken(line, problem));
            }
        }
    }
    Ok(rows)
}

impl RawRow {
    fn broken(line: Option<u32>, problem: Diagnostic) -> RawRow {
        RawRow {
            line,
            id: String::new(),
            station: String::new(),
            time: String::new(),
            kind: String::new(),
            note: String::new(),
            evidence: Vec::new(),
            problems: vec![problem],
        }
    }
}

/// True for an id of 1 to 64 ASCII letters, digits, `.`, `_` and `-`.
pub fn is_incident_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id.bytes().all(|it| it.is_ascii_alphanumeric() || b"._-".contains(&it))
}

/// True for a relative path inside the incident file's folder.
fn is_evidence_path(path: &str) -> bool {
    let path = Path::new(path);
    !path.as_os_str().is_empty()
        && path.is_relative()
        && path.components().all(|it| matches!(it, std::path::Component::Normal(_)))
}

fn check_row(source: &str, raw: RawRow, ids: &mut BTreeSet<String>, file: &mut IncidentFile) {
    let line = raw.line;
    let mut problems = raw.problems;
    if problems.is_empty() {
        let mut bad = |field: &str, message: String| {
            problems.push(error(source, line, field, ObservationRule::IncidentRow, message));
        };
        if !is_incident_id(&raw.id) {
            bad("id", format!("id {:?} is not 1 to 64 letters, digits, `.`, `_` or `-`", raw.id));
        } else if !ids.insert(raw.id.clone()) {
            bad("id", format!("id {} is on an earlier row too", raw.id));
        }
        if StationId::parse(&raw.station).is_err() {
            bad("station", format!("station {:?} is not RR-DD-SSSS", raw.station));
        }
        if hour_of(&raw.time).is_none() {
            bad("time", format!("time {:?} is not YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]", raw.time));
        }
        match raw.kind.parse::<IncidentType>() {
            Ok(kind) if kind.needs_note() && raw.note.trim().is_empty() => {
                bad("note", "type other needs a note saying what happened".to_owned());
            }
            Ok(_) => {}
            Err(err) => bad("type", err.to_string()),
        }
        if raw.note.len() > MAX_NOTE_BYTES {
            bad("note", format!("the note is {} bytes, at most {MAX_NOTE_BYTES}", raw.note.len()));
        }
        for path in &raw.evidence {
            if !is_evidence_path(path) {
                bad(
                    "evidence",
                    format!("evidence {path:?} is not a relative path inside the file's folder"),
                );
            }
        }
    }
    let kind = raw.kind.parse::<IncidentType>();
    match kind {
        Ok(kind) if problems.is_empty() => file.rows.push(IncidentRow {
            line,
            id: raw.id,
            station: raw.station,
            time: raw.time,
            kind,
            note: raw.note,
            evidence: raw.evidence,
        }),
        _ => file.rejected.push(RejectedIncident {
            line,
            id: Some(raw.id).filter(|it| !it.is_empty()),
            station: Some(raw.station).filter(|it| !it.is_empty()),
            diagnostics: problems,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_incidents;

    const CSV: &str = "# saylau-incidents v1\n# a comment\nid,station,time,type,note,evidence\n\
        a-1,15-02-0034,2021-01-10T20:40,ballot-stuffing,\"pack, in box 2\",p/1.jpg;p/2.jpg\n\
        a-2,15-02-0035,2021-01-10T08:00,other,,\n\
        a-1,15-02-0036,2021-01-10 09:00,stuffing,x,../etc/passwd\n\
        a-3,15-02-0037,2021-01-10T21:00,copy-refused,,\n";

    #[test]
    fn a_wrong_header_is_named_at_its_own_line_after_the_comments() {
        let text = "# saylau-incidents v1\n# a comment\n# another\nid,station,when\n";
        let err = parse_incidents("f.csv", text, false).map(|_| ()).expect_err("a wrong header");
        assert_eq!(
            err.0[0].to_string(),
            "f.csv:4: the header must be id,station,time,type,note,evidence (evidence may be \
             left out) (rule O-8)"
        );
    }

    #[test]
    fn csv_rows_are_kept_or_rejected_whole() {
        let file = parse_incidents("f.csv", CSV, false).expect("a file");
        let ids: Vec<&str> = file.rows.iter().map(|it| it.id.as_str()).collect();
        assert_eq!(ids, ["a-1", "a-3"]);
        assert_eq!(file.rows[0].evidence, ["p/1.jpg", "p/2.jpg"]);
        assert_eq!(file.rows[0].note, "pack, in box 2");
        assert_eq!(file.rows[0].line, Some(4));
        assert_eq!(file.rejected.len(), 2);
        let other = &file.rejected[0];
        assert_eq!((other.line, other.diagnostics.len()), (Some(5), 1));
        assert_eq!(
            other.diagnostics[0].to_string(),
            "f.csv:5: note: type other needs a note saying what happened (rule O-9)"
        );
        let fields: Vec<&str> =
            file.rejected[1].diagnostics.iter().map(|it| it.field.as_str()).collect();
        assert_eq!(fields, ["id", "time", "type", "evidence"]);
    }

    #[test]
    fn json_rows_name_their_lines() {
        let text = "{\"format\": \"saylau-incidents\", \"version\": 1, \"incidents\": [\n\
            {\"id\": \"b-1\", \"station\": \"01-01-0001\", \"time\": \"2021-01-10T07:05\", \"type\": \"carousel\"},\n\
            {\"id\": \"b-2\", \"station\": \"01-01-0001\", \"time\": \"2021-01-10T07:05\", \"kind\": \"carousel\"}\n]}";
        let file = parse_incidents("f.json", text, true).expect("a file");
        assert_eq!(file.rows.len(), 1);
        assert_eq!(file.rows[0].line, Some(2));
        assert_eq!(file.rejected[0].line, Some(3));
        assert_eq!(file.rejected[0].diagnostics[0].field, "incidents[1]");
    }

    #[test]
    fn bad_files_are_refused_whole() {
        assert!(parse_incidents("f", "id,station\n", false).is_err());
        assert!(parse_incidents("f", "# saylau-incidents v1\nid,station\n", false).is_err());
        assert!(
            parse_incidents("f", "{\"format\":\"x\",\"version\":1,\"incidents\":[]}", true)
                .is_err()
        );
        assert!(parse_incidents("f", "[", true).is_err());
    }
}
