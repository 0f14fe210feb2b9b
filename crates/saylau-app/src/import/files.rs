//! Protocol files read and merged for an import: the same lists in the same order in
//! every file (rule `F-2` of `docs/protocol.md`), and each station once: a station of an
//! earlier file is rejected in a later one (`F-8`). A file that cannot be read, or whose
//! lists differ, rejects the import; a bad row is rejected alone.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use saylau_core::count::commission::{CommissionId, Hierarchy, StationId};
pub use saylau_core::count::protocol::DEFAULT_LATE_MINUTES;
use saylau_core::count::protocol::{BallotLists, Protocol};
use saylau_formats::rule::ProtocolFileRule;
use saylau_formats::{
    Diagnostic, Diagnostics, ProtocolFile, ProtocolLimits, Severity, read_protocols_limited,
};
use serde::Serialize;

use super::ImportError;

/// Protocol files read and merged: what the store imports and what was rejected.
#[derive(Debug, Clone)]
pub struct ReadFiles {
    /// The lists of every file, in ballot order.
    pub ballot: BallotLists,
    /// The region and district names of the files (the first file's name is kept).
    pub hierarchy: Hierarchy,
    /// The good protocols, each station once.
    pub protocols: Vec<Protocol>,
    /// The base version of each station that has one.
    pub base_versions: BTreeMap<StationId, u64>,
    /// The rows rejected, with every reason, as many as `max_diagnostics` allowed.
    pub rejected: Vec<RejectedRow>,
    /// The rejected rows counted but not kept.
    pub omitted: Omitted,
    /// The good protocols' flags (`P-9`, `P-14`), as many as `max_diagnostics` allowed per
    /// file: the protocols are kept.
    pub flags: Vec<Flagged>,
}

/// A kept protocol flagged by its v2 lines (`docs/protocol.md`, "Format v2").
#[derive(Debug, Clone, Serialize)]
pub struct Flagged {
    /// The station.
    pub station: Option<String>,
    /// The file.
    pub file: String,
    /// The row's line in it.
    pub line: Option<u32>,
    /// The rule's code (`P-9`, `P-14`).
    pub rule: &'static str,
    /// The field.
    pub field: String,
    /// What it flags, with file and line.
    pub message: String,
}

/// Rejected rows counted but not listed, past `--max-diagnostics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Omitted {
    /// The rows.
    pub rows: u64,
    /// Their diagnostics.
    pub diagnostics: u64,
}

/// The most diagnostics of rejected rows kept per file by default.
pub const DEFAULT_MAX_DIAGNOSTICS: usize = ProtocolLimits::DEFAULT_MAX_DIAGNOSTICS;

/// A rejected protocol (or row) and every reason.
#[derive(Debug, Clone, Serialize)]
pub struct RejectedRow {
    /// Its station, when it names one.
    pub station: Option<String>,
    /// Its file, when it came from one.
    pub file: Option<String>,
    /// Its line in the file.
    pub line: Option<u32>,
    /// The station's current version, when the store refused it.
    pub current: Option<u64>,
    /// The version it was based on, when the store refused it.
    pub base: Option<u64>,
    /// Every reason.
    pub reasons: Vec<Reason>,
}

/// One reason: a rule code of `docs/protocol.md` or of the store, and the message.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    /// The rule's code.
    pub rule: &'static str,
    /// The field, when one is at fault.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Reads every file and merges them, keeping at most `max_diagnostics` diagnostics of
/// rejected rows per file (the rest are counted in [`ReadFiles::omitted`]). CSV files are
/// streamed (`saylau_formats::read_protocols_limited`).
pub fn read_files(paths: &[PathBuf], max_diagnostics: usize) -> Result<ReadFiles, ImportError> {
    read_files_flagging(paths, max_diagnostics, DEFAULT_LATE_MINUTES)
}

/// [`read_files`], flagging a count started more than `late_count_minutes` after the polls
/// closed (`P-14`, `docs/protocol.md`; the default is [`DEFAULT_LATE_MINUTES`]).
pub fn read_files_flagging(
    paths: &[PathBuf],
    max_diagnostics: usize,
    late_count_minutes: u32,
) -> Result<ReadFiles, ImportError> {
    let limits = ProtocolLimits { max_diagnostics, late_count_minutes };
    let mut merged: Option<ReadFiles> = None;
    // The file of each station, by its index in `paths`.
    let mut seen: HashMap<StationId, usize> = HashMap::new();
    let mut file_problems = Vec::new();
    for (idx, path) in paths.iter().enumerate() {
        let file = match read_protocols_limited(path, &limits) {
            Ok(file) => file,
            Err(diagnostics) => {
                file_problems.extend(diagnostics.0);
                continue;
            }
        };
        let source = path.display().to_string();
        let files = merged.get_or_insert_with(|| ReadFiles {
            ballot: file.ballot.clone(),
            hierarchy: Hierarchy::new(),
            protocols: Vec::new(),
            base_versions: BTreeMap::new(),
            rejected: Vec::new(),
            omitted: Omitted::default(),
            flags: Vec::new(),
        });
        if let Some(problem) = ballot_problem(&files.ballot, &file, &source) {
            file_problems.push(problem);
            continue;
        }
        merge(files, file, (idx, paths), &mut seen);
    }
    if !file_problems.is_empty() {
        return Err(ImportError::Rejected(Diagnostics(file_problems)));
    }
    merged.ok_or(ImportError::NoFile)
}

/// A file whose lists are not those of the first file (`F-2`).
fn ballot_problem(first: &BallotLists, file: &ProtocolFile, source: &str) -> Option<Diagnostic> {
    let ids = |ballot: &BallotLists| -> Vec<String> {
        ballot.lists().iter().map(|list| list.id.to_string()).collect()
    };
    (ids(first) != ids(&file.ballot)).then(|| Diagnostic {
        source: source.to_owned(),
        line: None,
        field: String::new(),
        rule: ProtocolFileRule::Header.into(),
        message: format!(
            "the lists {} are not those of the first file, {}",
            ids(&file.ballot).join(", "),
            ids(first).join(", ")
        ),
        severity: Severity::Error,
    })
}

/// Adds one file's good protocols and rejected rows to `files`.
fn merge(
    files: &mut ReadFiles,
    mut file: ProtocolFile,
    (idx, paths): (usize, &[PathBuf]),
    seen: &mut HashMap<StationId, usize>,
) {
    let source = &paths[idx].display().to_string();
    files.omitted.rows += file.omitted.rows;
    files.omitted.diagnostics += file.omitted.diagnostics;
    files.flags.extend(file.flags.iter().map(|flag| flagged(source, flag)));
    for row in &file.rejected {
        files.rejected.push(RejectedRow {
            station: row.station.map(|it| it.to_string()),
            file: Some(source.to_owned()),
            line: Some(row.line),
            current: None,
            base: None,
            reasons: row.diagnostics.iter().map(reason).collect(),
        });
    }
    for (region, name) in file.hierarchy.regions() {
        // The first file's name is kept: the registry keeps a commission's first name.
        let _ = files.hierarchy.name_commission(CommissionId::Region(region), name);
    }
    for (district, name) in file.hierarchy.districts() {
        let _ = files.hierarchy.name_commission(CommissionId::District(district), name);
    }
    // The first file's protocols are moved whole: a second copy of a million protocols
    // would double the import's memory.
    let merging = !files.protocols.is_empty();
    let protocols = std::mem::take(&mut file.protocols);
    let mut kept = Vec::with_capacity(if merging { protocols.len() } else { 0 });
    for protocol in &protocols {
        let station = protocol.station();
        if let Some(earlier) = seen.get(&station).map(|earlier| paths[*earlier].display()) {
            files.rejected.push(RejectedRow {
                station: Some(station.to_string()),
                file: Some(source.to_owned()),
                line: None,
                current: None,
                base: None,
                reasons: vec![Reason {
                    rule: ProtocolFileRule::DuplicateStation.into(),
                    field: Some("station".to_owned()),
                    message: format!("station {station} is in {earlier} too"),
                }],
            });
            continue;
        }
        seen.insert(station, idx);
        if let Some(base) = file.base_versions.get(&station) {
            files.base_versions.insert(station, *base);
        }
        if merging {
            kept.push(protocol.clone());
        }
    }
    if merging {
        files.protocols.extend(kept);
    } else {
        files.protocols = protocols;
    }
}

/// A kept protocol's flag (a warning of the reader).
fn flagged(source: &str, flag: &Diagnostic) -> Flagged {
    Flagged {
        // The core's flag message starts with its station: "station 15-02-0034: ...".
        station: flag
            .message
            .strip_prefix("station ")
            .and_then(|rest| rest.split(':').next())
            .map(str::to_owned),
        file: source.to_owned(),
        line: flag.line,
        rule: flag.rule.code(),
        field: flag.field.clone(),
        message: flag.to_string(),
    }
}

fn reason(diagnostic: &Diagnostic) -> Reason {
    Reason {
        rule: diagnostic.rule.code(),
        field: Some(diagnostic.field.clone()).filter(|field| !field.is_empty()),
        message: diagnostic.message.clone(),
    }
}
