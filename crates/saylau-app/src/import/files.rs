//! Protocol files read and merged for an import: the same lists in the same order in
//! every file (rule `F-2` of `docs/protocol.md`), and each station once: a station of an
//! earlier file is rejected in a later one (`F-8`). A file that cannot be read, or whose
//! lists differ, rejects the import; a bad row is rejected alone.
//!
//! The files are read as streams ([`OpenFiles`], `FileReader`), a chunk of rows at a
//! time, so that an import holds one chunk of protocols whatever the files' size.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use saylau_core::count::commission::{CommissionId, Hierarchy, StationId};
pub use saylau_core::count::protocol::DEFAULT_LATE_MINUTES;
use saylau_core::count::protocol::{BallotLists, Protocol};
use saylau_formats::rule::ProtocolFileRule;
use saylau_formats::{
    Diagnostic, Diagnostics, ProtocolChunk, ProtocolLimits, ProtocolStream, Severity,
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
    /// The flags past `max_diagnostics`, counted only.
    pub flags_omitted: u64,
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

/// Reads every file whole and merges them, keeping at most `max_diagnostics` diagnostics
/// of rejected rows per file (the rest are counted in [`ReadFiles::omitted`]): the
/// protocols of [`OpenFiles`] gathered in memory, for a caller that wants them all (an
/// import streams them instead, [`super::import_files`]).
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
    let mut reader = open_files_flagging(paths, max_diagnostics, late_count_minutes)?.reader();
    let mut files = ReadFiles {
        ballot: reader.ballot().clone(),
        hierarchy: Hierarchy::new(),
        protocols: Vec::new(),
        base_versions: BTreeMap::new(),
        rejected: Vec::new(),
        omitted: Omitted::default(),
        flags: Vec::new(),
        flags_omitted: 0,
    };
    loop {
        match reader.next(usize::MAX) {
            Read::Chunk(chunk) => {
                files.protocols.extend(chunk.protocols);
                files.base_versions.extend(chunk.base_versions);
                files.hierarchy = chunk.hierarchy;
            }
            Read::Done(tail) => {
                (files.rejected, files.omitted) = (tail.rejected, tail.omitted);
                (files.flags, files.flags_omitted) = (tail.flags, tail.flags_omitted);
                return Ok(files);
            }
            Read::Stopped(diagnostics) => return Err(ImportError::Rejected(diagnostics)),
        }
    }
}

/// Protocol files opened for an import: every file's marker and header were read and its
/// lists checked against the first file's (`F-2`), and nothing more, so that a file that
/// is not a protocol file rejects the import on its first lines, before anything is
/// written.
#[derive(Debug)]
pub struct OpenFiles {
    files: Vec<(String, ProtocolStream)>,
    ballot: BallotLists,
    max_diagnostics: usize,
}

/// Opens every file ([`OpenFiles`]); a file that cannot be opened, or whose header or lists
/// are bad, rejects the import with the diagnostics of every such file.
pub fn open_files(paths: &[PathBuf], max_diagnostics: usize) -> Result<OpenFiles, ImportError> {
    open_files_flagging(paths, max_diagnostics, DEFAULT_LATE_MINUTES)
}

/// [`open_files`], flagging a count started more than `late_count_minutes` after the polls
/// closed (`P-14`, `docs/protocol.md`; the default is [`DEFAULT_LATE_MINUTES`]).
pub fn open_files_flagging(
    paths: &[PathBuf],
    max_diagnostics: usize,
    late_count_minutes: u32,
) -> Result<OpenFiles, ImportError> {
    let limits = ProtocolLimits { max_diagnostics, late_count_minutes };
    let mut files = Vec::with_capacity(paths.len());
    let mut file_problems = Vec::new();
    let mut first: Option<BallotLists> = None;
    for path in paths {
        let stream = match ProtocolStream::open(path, &limits) {
            Ok(stream) => stream,
            Err(diagnostics) => {
                file_problems.extend(diagnostics.0);
                continue;
            }
        };
        let source = path.display().to_string();
        let first = first.get_or_insert_with(|| stream.ballot().clone());
        if let Some(problem) = ballot_problem(first, stream.ballot(), &source) {
            file_problems.push(problem);
            continue;
        }
        files.push((source, stream));
    }
    if !file_problems.is_empty() {
        return Err(ImportError::Rejected(Diagnostics(file_problems)));
    }
    let ballot = first.ok_or(ImportError::NoFile)?;
    Ok(OpenFiles { files, ballot, max_diagnostics })
}

impl OpenFiles {
    /// The lists on the ballot, in ballot order.
    pub fn ballot(&self) -> &BallotLists {
        &self.ballot
    }

    /// The files' sizes in bytes, together.
    pub fn size(&self) -> u64 {
        self.files.iter().map(|(_, stream)| stream.progress().1).sum()
    }

    /// The reader of the files' rows, one chunk at a time.
    pub(crate) fn reader(self) -> FileReader {
        let last = self.files.len().saturating_sub(1);
        FileReader {
            files: self.files,
            ballot: self.ballot,
            current: 0,
            last,
            seen: HashMap::new(),
            hierarchy: Hierarchy::new(),
            duplicates: Vec::new(),
            omitted: Omitted::default(),
            max_diagnostics: self.max_diagnostics,
            done_bytes: 0,
        }
    }
}

/// What a [`FileReader`] gives next.
pub(crate) enum Read {
    /// Good protocols, each station once.
    Chunk(Chunk),
    /// Every file was read: the rejected rows kept.
    Done(Tail),
    /// A file stopped part way (a row past a limit, a read error): its diagnostics.
    Stopped(Diagnostics),
}

/// Good protocols of some rows, each station once across the files.
pub(crate) struct Chunk {
    /// The protocols, in file order.
    pub(crate) protocols: Vec<Protocol>,
    /// The base version of each of them that has one.
    pub(crate) base_versions: BTreeMap<StationId, u64>,
    /// The region and district names of every file so far (the first name is kept).
    pub(crate) hierarchy: Hierarchy,
    /// The bytes of the files read when the chunk was taken.
    pub(crate) bytes: u64,
}

/// The rejected rows and the flags of every file.
pub(crate) struct Tail {
    pub(crate) rejected: Vec<RejectedRow>,
    pub(crate) omitted: Omitted,
    /// The good protocols' flags (`P-9`, `P-14`), gathered across the chunks, as many as
    /// `max_diagnostics` allowed per file.
    pub(crate) flags: Vec<Flagged>,
    /// The flags past `max_diagnostics`, counted only.
    pub(crate) flags_omitted: u64,
}

/// Reads the rows of open files in order, a chunk at a time; a station of an earlier file
/// is rejected in a later one (`F-8`). What it keeps besides a chunk is bounded: the
/// stations of every file but the last (to find those repeated in a later file), the
/// commissions' names, and the diagnostics within `max_diagnostics` per file.
pub(crate) struct FileReader {
    files: Vec<(String, ProtocolStream)>,
    ballot: BallotLists,
    current: usize,
    last: usize,
    /// The file of each station of the files before the last, by its index.
    seen: HashMap<StationId, u32>,
    hierarchy: Hierarchy,
    /// The stations rejected as in an earlier file, with their file's index.
    duplicates: Vec<(usize, RejectedRow)>,
    /// What was rejected as in an earlier file past the room for diagnostics.
    omitted: Omitted,
    max_diagnostics: usize,
    /// The bytes of the files read whole.
    done_bytes: u64,
}

impl FileReader {
    /// The lists on the ballot, in ballot order.
    pub(crate) fn ballot(&self) -> &BallotLists {
        &self.ballot
    }

    /// The good protocols of up to `rows` more rows of the files.
    pub(crate) fn next(&mut self, rows: usize) -> Read {
        while self.current < self.files.len() {
            let idx = self.current;
            let (_, stream) = &mut self.files[idx];
            let chunk = match stream.next_chunk(rows) {
                Ok(Some(chunk)) => chunk,
                Ok(None) => {
                    self.done_bytes += stream.progress().1;
                    self.current += 1;
                    continue;
                }
                Err(diagnostics) => return Read::Stopped(diagnostics),
            };
            for (region, name) in stream.hierarchy().regions() {
                // The first file's name is kept: the registry keeps a commission's first name.
                let _ = self.hierarchy.name_commission(CommissionId::Region(region), name);
            }
            for (district, name) in stream.hierarchy().districts() {
                let _ = self.hierarchy.name_commission(CommissionId::District(district), name);
            }
            let bytes = self.done_bytes + stream.progress().0;
            let chunk = self.first_of_each_station(idx, chunk);
            return Read::Chunk(Chunk {
                protocols: chunk.protocols,
                base_versions: chunk.base_versions,
                hierarchy: self.hierarchy.clone(),
                bytes,
            });
        }
        Read::Done(self.tail())
    }

    /// The protocols of `chunk` (of file `idx`) whose station no earlier file had; the
    /// others are rejected (`F-8`).
    fn first_of_each_station(&mut self, idx: usize, mut chunk: ProtocolChunk) -> ProtocolChunk {
        if idx == 0 && self.last == 0 {
            return chunk;
        }
        let file = u32::try_from(idx).unwrap_or(u32::MAX);
        let (kept_by_file, _) = self.files[idx].1.rejected();
        let kept_by_file: usize = kept_by_file.iter().map(|row| row.diagnostics.len()).sum();
        let mut room = self
            .max_diagnostics
            .saturating_sub(kept_by_file)
            .saturating_sub(self.duplicates.iter().filter(|(file, _)| *file == idx).count());
        let source = self.files[idx].0.clone();
        chunk.protocols.retain(|protocol| {
            let station = protocol.station();
            let Some(&earlier) = self.seen.get(&station) else {
                if idx < self.last {
                    self.seen.insert(station, file);
                }
                return true;
            };
            chunk.base_versions.remove(&station);
            if room == 0 {
                self.omitted.rows += 1;
                self.omitted.diagnostics += 1;
                return false;
            }
            room -= 1;
            let earlier = &self.files[usize::try_from(earlier).unwrap_or(usize::MAX)].0;
            self.duplicates.push((
                idx,
                RejectedRow {
                    station: Some(station.to_string()),
                    file: Some(source.clone()),
                    line: None,
                    current: None,
                    base: None,
                    reasons: vec![Reason {
                        rule: ProtocolFileRule::DuplicateStation.into(),
                        field: Some("station".to_owned()),
                        message: format!("station {station} is in {earlier} too"),
                    }],
                },
            ));
            false
        });
        chunk
    }

    /// The rejected rows of every file, each file's rows then its stations of earlier files.
    fn tail(&mut self) -> Tail {
        let mut rejected = Vec::new();
        let mut omitted = self.omitted;
        let (mut flags, mut flags_omitted) = (Vec::new(), 0);
        let mut duplicates = std::mem::take(&mut self.duplicates).into_iter().peekable();
        for (idx, (source, stream)) in self.files.iter().enumerate() {
            let (rows, file_omitted) = stream.rejected();
            omitted.rows += file_omitted.rows;
            omitted.diagnostics += file_omitted.diagnostics;
            rejected.extend(rows.iter().map(|row| RejectedRow {
                station: row.station.map(|it| it.to_string()),
                file: Some(source.clone()),
                line: Some(row.line),
                current: None,
                base: None,
                reasons: row.diagnostics.iter().map(reason).collect(),
            }));
            while let Some((_, row)) = duplicates.next_if(|(file, _)| *file == idx) {
                rejected.push(row);
            }
            let (file_flags, file_flags_omitted) = stream.flags();
            flags.extend(file_flags.iter().map(|flag| flagged(source, flag)));
            flags_omitted += file_flags_omitted;
        }
        Tail { rejected, omitted, flags, flags_omitted }
    }
}

/// A file whose lists are not those of the first file (`F-2`).
fn ballot_problem(first: &BallotLists, ballot: &BallotLists, source: &str) -> Option<Diagnostic> {
    let ids = |ballot: &BallotLists| -> Vec<String> {
        ballot.lists().iter().map(|list| list.id.to_string()).collect()
    };
    (ids(first) != ids(ballot)).then(|| Diagnostic {
        source: source.to_owned(),
        line: None,
        field: String::new(),
        rule: ProtocolFileRule::Header.into(),
        message: format!(
            "the lists {} are not those of the first file, {}",
            ids(ballot).join(", "),
            ids(first).join(", ")
        ),
        severity: Severity::Error,
    })
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
