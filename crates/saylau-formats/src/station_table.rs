//! Station tables for forensics: a generic CSV (plain or gzip) with one polling station per
//! row, read through a column mapping given on the command line or in a small TOML file
//! (`docs/forensics.md`).
//!
//! The default mapping is the layout of the bundled forensic files (`station_id`, `region`,
//! `tik`, `voters`, `given`, `valid`, `invalid`, one `v_*` column per list). A problem with
//! the file or its header (rules `S-1`, `S-2`) rejects the file; a bad row (`S-3` to `S-7`)
//! is rejected whole with every diagnostic and counted, and the good rows are kept.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::rule::StationRule;

/// Which columns hold what. Every key of the TOML form is optional; missing keys keep the
/// layout of the bundled forensic files.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StationColumns {
    /// The station id.
    pub id: String,
    /// The region.
    pub region: String,
    /// The commission that groups stations (TIK, district TEC).
    pub commission: String,
    /// Voters on the roll.
    pub voters: String,
    /// Ballots issued: one column, or several to add (early + in station + outside).
    pub given: Vec<String>,
    /// Valid ballots.
    pub valid: String,
    /// Invalid ballots.
    pub invalid: String,
    /// The list or candidate columns; empty for every column whose name starts with
    /// `list_prefix`.
    pub lists: Vec<String>,
    /// The prefix of list columns when `lists` is empty.
    pub list_prefix: String,
    /// Other protocol lines compared by the identical-protocol test; `None` for those of
    /// [`BUNDLED_OTHER_LINES`] that the file has.
    pub other_lines: Option<Vec<String>>,
}

/// The protocol lines of the bundled Russian files besides those mapped by default.
pub const BUNDLED_OTHER_LINES: [&str; 9] = [
    "ballots_received",
    "ballots_early",
    "ballots_in_station",
    "ballots_outside",
    "ballots_cancelled",
    "ballots_portable_box",
    "ballots_stationary_box",
    "ballots_lost",
    "ballots_unaccounted",
];

impl Default for StationColumns {
    /// The layout of the bundled forensic files (`data/reference/forensics/`).
    fn default() -> StationColumns {
        StationColumns {
            id: "station_id".to_owned(),
            region: "region".to_owned(),
            commission: "tik".to_owned(),
            voters: "voters".to_owned(),
            given: vec!["given".to_owned()],
            valid: "valid".to_owned(),
            invalid: "invalid".to_owned(),
            lists: Vec::new(),
            list_prefix: "v_".to_owned(),
            other_lines: None,
        }
    }
}

/// Reads a column mapping from TOML text; `source` names it in diagnostics.
pub fn parse_station_columns(source: &str, text: &str) -> Result<StationColumns, Diagnostics> {
    toml::from_str(text).map_err(|err| {
        let line = err.span().map(|span| line_of(text, span.start));
        Diagnostics(vec![diagnostic(
            source,
            line,
            "",
            StationRule::Mapping,
            err.message().to_owned(),
        )])
    })
}

fn line_of(text: &str, offset: usize) -> u32 {
    crate::csv::line_at(text, offset)
}

/// One good row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationRow {
    /// The station id.
    pub id: String,
    /// The region.
    pub region: String,
    /// The commission.
    pub commission: String,
    /// Voters on the roll.
    pub voters: u64,
    /// Ballots issued.
    pub given: u64,
    /// Valid ballots.
    pub valid: u64,
    /// Invalid ballots.
    pub invalid: u64,
    /// Votes per list, in the order of [`StationTable::lists`].
    pub votes: Vec<u64>,
    /// The other protocol lines, in the order of [`StationTable::other_lines`].
    pub other_lines: Vec<u64>,
}

/// A rejected row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedStation {
    /// The row's line in the (decompressed) text.
    pub line: u32,
    /// Every problem found in it.
    pub diagnostics: Vec<Diagnostic>,
}

/// A station table, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationTable {
    /// The list columns.
    pub lists: Vec<String>,
    /// The other protocol lines' columns.
    pub other_lines: Vec<String>,
    /// The good rows, in file order.
    pub rows: Vec<StationRow>,
    /// The rejected rows, in file order.
    pub rejected: Vec<RejectedStation>,
}

impl StationTable {
    /// The diagnostics of every rejected row.
    pub fn diagnostics(&self) -> Diagnostics {
        Diagnostics(self.rejected.iter().flat_map(|row| row.diagnostics.iter().cloned()).collect())
    }
}

fn diagnostic(
    source: &str,
    line: Option<u32>,
    field: &str,
    rule: StationRule,
    message: String,
) -> Diagnostic {
    Diagnostic::error(source, line, field, rule, message)
}

/// Reads a station CSV at `path`, gzip-compressed or not (told by its first two bytes).
pub fn read_station_table(
    path: &Path,
    columns: &StationColumns,
) -> Result<StationTable, Diagnostics> {
    let source = path.display().to_string();
    let unreadable = |err: std::io::Error| {
        Diagnostics(vec![diagnostic(
            &source,
            None,
            "",
            StationRule::Unreadable,
            format!("cannot read the file: {err}"),
        )])
    };
    let mut raw = Vec::new();
    File::open(path)
        .and_then(|file| BufReader::new(file).read_to_end(&mut raw))
        .map_err(unreadable)?;
    let text = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut text = Vec::new();
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut text)
            .map_err(unreadable)?;
        text
    } else {
        raw
    };
    parse_station_table(&source, &text, columns)
}

/// Reads station CSV bytes; `source` names them in diagnostics.
pub fn parse_station_table(
    source: &str,
    text: &[u8],
    columns: &StationColumns,
) -> Result<StationTable, Diagnostics> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text);
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(|name| name.trim().to_owned()).collect(),
        Err(err) => {
            return Err(Diagnostics(vec![diagnostic(
                source,
                Some(1),
                "",
                StationRule::Unreadable,
                format!("cannot read the header: {err}"),
            )]));
        }
    };
    let plan = plan(source, &header, columns)?;
    let mut table = StationTable {
        lists: plan.lists.iter().map(|&idx| header[idx].clone()).collect(),
        other_lines: plan.other_lines.iter().map(|&idx| header[idx].clone()).collect(),
        rows: Vec::new(),
        rejected: Vec::new(),
    };
    let mut seen = HashSet::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line =
                    err.position().map_or(0, |pos| u32::try_from(pos.line()).unwrap_or(u32::MAX));
                let message = format!("not a CSV row: {err}");
                table.rejected.push(RejectedStation {
                    line,
                    diagnostics: vec![diagnostic(
                        source,
                        Some(line),
                        "",
                        StationRule::Row,
                        message,
                    )],
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |pos| u32::try_from(pos.line()).unwrap_or(u32::MAX));
        match row(source, line, &header, &record, &plan, &mut seen) {
            Ok(row) => table.rows.push(row),
            Err(diagnostics) => table.rejected.push(RejectedStation { line, diagnostics }),
        }
    }
    Ok(table)
}

/// Column indexes of a mapping in one header.
struct Plan {
    id: usize,
    region: usize,
    commission: usize,
    voters: usize,
    given: Vec<usize>,
    valid: usize,
    invalid: usize,
    lists: Vec<usize>,
    other_lines: Vec<usize>,
}

fn plan(source: &str, header: &[String], columns: &StationColumns) -> Result<Plan, Diagnostics> {
    let mut problems = Vec::new();
    let mut find = |name: &str, what: &str| match header.iter().position(|it| it == name) {
        Some(idx) => idx,
        None => {
            let message = format!("the {what} column {name:?} is missing from the header");
            problems.push(diagnostic(source, Some(1), name, StationRule::Header, message));
            0
        }
    };
    let id = find(&columns.id, "station id");
    let region = find(&columns.region, "region");
    let commission = find(&columns.commission, "commission");
    let voters = find(&columns.voters, "voters");
    let given: Vec<usize> = columns.given.iter().map(|name| find(name, "ballots issued")).collect();
    let valid = find(&columns.valid, "valid ballots");
    let invalid = find(&columns.invalid, "invalid ballots");
    let lists: Vec<usize> = if columns.lists.is_empty() {
        (0..header.len()).filter(|&idx| header[idx].starts_with(&columns.list_prefix)).collect()
    } else {
        columns.lists.iter().map(|name| find(name, "list")).collect()
    };
    let other_lines: Vec<usize> = match &columns.other_lines {
        Some(names) => names.iter().map(|name| find(name, "protocol line")).collect(),
        None => BUNDLED_OTHER_LINES
            .iter()
            .filter_map(|name| header.iter().position(|it| it == name))
            .collect(),
    };
    if columns.given.is_empty() {
        problems.push(diagnostic(
            source,
            Some(1),
            "given",
            StationRule::Header,
            "no ballots-issued column is mapped".to_owned(),
        ));
    }
    if lists.is_empty() {
        let message =
            format!("no list column: none is named and none starts with {:?}", columns.list_prefix);
        problems.push(diagnostic(source, Some(1), "lists", StationRule::Header, message));
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    Ok(Plan { id, region, commission, voters, given, valid, invalid, lists, other_lines })
}

/// The problems of one row, each naming its column.
struct RowProblems<'a> {
    source: &'a str,
    line: u32,
    header: &'a [String],
    found: Vec<Diagnostic>,
}

impl RowProblems<'_> {
    fn push(&mut self, column: usize, rule: StationRule, message: String) {
        self.found.push(diagnostic(
            self.source,
            Some(self.line),
            &self.header[column],
            rule,
            message,
        ));
    }

    /// The whole number in `column`, or 0 with a problem recorded.
    fn number(&mut self, record: &csv::StringRecord, column: usize) -> u64 {
        let cell = record[column].trim();
        if cell.is_empty() {
            self.push(column, StationRule::Empty, "is empty".to_owned());
            return 0;
        }
        cell.parse::<u64>().unwrap_or_else(|_| {
            let message = format!("{cell:?} is not a whole, non-negative number");
            self.push(column, StationRule::Number, message);
            0
        })
    }
}

fn row(
    source: &str,
    line: u32,
    header: &[String],
    record: &csv::StringRecord,
    plan: &Plan,
    seen: &mut HashSet<String>,
) -> Result<StationRow, Vec<Diagnostic>> {
    if record.len() != header.len() {
        let message = format!(
            "this row has {} fields, the header has {} columns",
            record.len(),
            header.len()
        );
        return Err(vec![diagnostic(source, Some(line), "", StationRule::Row, message)]);
    }
    let mut problems = RowProblems { source, line, header, found: Vec::new() };
    let voters = problems.number(record, plan.voters);
    let given: u64 = plan.given.iter().map(|&idx| problems.number(record, idx)).sum();
    let valid = problems.number(record, plan.valid);
    let invalid = problems.number(record, plan.invalid);
    let votes: Vec<u64> = plan.lists.iter().map(|&idx| problems.number(record, idx)).collect();
    let other_lines: Vec<u64> =
        plan.other_lines.iter().map(|&idx| problems.number(record, idx)).collect();
    let id = record[plan.id].trim().to_owned();
    let numbers_read = problems.found.is_empty();
    if id.is_empty() {
        problems.push(plan.id, StationRule::Empty, "is empty".to_owned());
    } else if !seen.insert(id.clone()) {
        let message = format!("station {id} is on an earlier row: only its first row is kept");
        problems.push(plan.id, StationRule::Duplicate, message);
    }
    if numbers_read && voters == 0 {
        let message = format!("station {id} has no voters on the roll");
        problems.push(plan.voters, StationRule::NoVoters, message);
    }
    let list_total: u64 = votes.iter().sum();
    if numbers_read && list_total > valid {
        let message = format!(
            "station {id}: the lists' votes add up to {list_total}, above {valid} valid ballots"
        );
        problems.push(plan.valid, StationRule::VotesAboveBallots, message);
    }
    if !problems.found.is_empty() {
        return Err(problems.found);
    }
    Ok(StationRow {
        id,
        region: record[plan.region].trim().to_owned(),
        commission: record[plan.commission].trim().to_owned(),
        voters,
        given,
        valid,
        invalid,
        votes,
        other_lines,
    })
}
