//! Importing protocol files into the store's log (`saylau import`, `docs/protocol.md`).
//!
//! [`files`] reads CSV and JSON protocol files and merges them: the same lists in the
//! same order in every file (`F-2`), each station once (`F-8`), a bad row rejected whole
//! with its diagnostics while the good ones go on. [`import`] registers the election, its
//! lists and the commission hierarchy the stations name (where missing), and appends
//! every good protocol as a version of its station, signed in batches by a commission's
//! key; a protocol that differs from its station's current version is a correction, which
//! needs a reason and a base version. Importing the same files again adds nothing.
//!
//! [`import_files`] streams the files: a reader on the blocking pool reads, checks and
//! merges the rows a chunk at a time (`files::FileReader`) while the store imports the
//! chunk before, so that memory holds a few chunks of protocols whatever the files' size
//! (issue 10: 1,000,000 protocols under 500 MB resident).

pub mod files;
pub mod register;

use saylau_store::entry::Checkpoint;
use saylau_store::import::{
    ImportInput, ImportOptions, ImportReport, Prepared, import_prepared, import_protocols,
    register_only,
};
use saylau_store::key::{CommissionKey, KeyError};
use saylau_store::ledger;
use saylau_store::registry::Election;
use saylau_store::store::Store;
use serde::Serialize;

use crate::store::ElectionId;
use crate::{Diagnostics, Rejection};
use files::{OpenFiles, ReadFiles, Reason, RejectedRow};

/// An import that could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// A protocol file was rejected whole; its diagnostics say why.
    #[error("{0}")]
    Rejected(Diagnostics),
    /// No file was given.
    #[error("no protocol file")]
    NoFile,
    /// The signing key could not be read.
    #[error("reading the signing key")]
    Key(#[source] KeyError),
    /// The store could not import the protocols.
    #[error("importing protocols")]
    Store(#[source] saylau_store::import::ImportError),
    /// The log's checkpoint could not be read after the import.
    #[error(transparent)]
    Checkpoint(saylau_store::error::DatabaseError),
    /// The log lacks the known checkpoint kept beside the store (entries were removed or
    /// rewritten since the last import): nothing is written to it.
    #[error("{0}")]
    Known(#[source] saylau_store::checked::CheckedError),
}

impl Rejection for ImportError {
    fn into_rejected(self) -> Result<Diagnostics, Self> {
        match self {
            ImportError::Rejected(diagnostics) => Ok(diagnostics),
            other => Err(other),
        }
    }
}

/// Reads the private key (PKCS#8 PEM) of a commission, refusing a file others may read.
pub fn read_key(path: &std::path::Path) -> Result<CommissionKey, ImportError> {
    CommissionKey::read_pem(path).map_err(ImportError::Key)
}

/// What an import records besides the protocols.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The election; registered on first use.
    pub election: &'a ElectionId,
    /// The files, as named in the summary.
    pub files: Vec<String>,
    /// Who submits the protocols; recorded in every entry.
    pub author: &'a str,
    /// Why protocols that differ from their station's current version correct it.
    pub reason: Option<&'a str>,
    /// A correction without a base version corrects the version current when the import
    /// begins.
    pub base_current: bool,
    /// Protocols per signed batch.
    pub batch_size: usize,
}

/// What an import did: the JSON of `saylau import --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    /// The election.
    pub election: String,
    /// The files read.
    pub files: Vec<String>,
    /// What was registered.
    pub registered: Registered,
    /// How many protocols went which way.
    pub counts: Counts,
    /// The corrections appended.
    pub corrections: Vec<Correction>,
    /// The rows, files and protocols rejected, with every reason.
    pub rejected: Vec<RejectedRow>,
    /// Rejected rows counted but not listed, past `--max-diagnostics`.
    pub omitted: files::Omitted,
    /// The corrections that conflicted with a newer version.
    pub conflicts: Vec<Conflict>,
    /// The kept protocols that their v2 lines flag (`P-9`, `P-14`); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<files::Flagged>,
    /// The flags past `--max-diagnostics` per file, counted only; absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub flags_omitted: u64,
    /// Signed batches appended.
    pub batches: usize,
    /// The log's checkpoint after the import.
    pub checkpoint: String,
}

impl Imported {
    /// Whether every protocol went in: nothing rejected and no conflict.
    pub fn clean(&self) -> bool {
        self.rejected.is_empty() && self.omitted.rows == 0 && self.conflicts.is_empty()
    }
}

/// What an import registered.
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
    /// Party lists.
    pub lists: usize,
    /// Region and district commissions.
    pub commissions: usize,
    /// Polling stations (precinct commissions).
    pub stations: usize,
}

/// How many protocols went which way.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    /// New stations' first versions.
    pub accepted: usize,
    /// New versions of stations.
    pub corrections: usize,
    /// Protocols equal to their station's current version.
    pub unchanged: usize,
    /// Rows, files and protocols rejected.
    pub rejected: usize,
    /// Corrections that conflicted.
    pub conflicts: usize,
}

/// A correction appended.
#[derive(Debug, Clone, Serialize)]
pub struct Correction {
    /// The station.
    pub station: String,
    /// Its new version.
    pub version: u64,
}

/// A correction whose base is not the current version.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    /// The station.
    pub station: String,
    /// The version it was based on.
    pub base: Option<u64>,
    /// The current version.
    pub current: Option<u64>,
    /// What happened.
    pub message: String,
}

/// Imports the protocols of `files` into `store`, signed by `key`; `tick` hears how many
/// protocols are done.
pub async fn import(
    store: &Store,
    files: ReadFiles,
    key: &CommissionKey,
    request: &Request<'_>,
    tick: &mut (dyn FnMut(usize) + Send),
) -> Result<Imported, ImportError> {
    let election = Election { id: request.election.clone(), name: request.election.to_string() };
    let input = ImportInput {
        election: &election,
        ballot: &files.ballot,
        hierarchy: &files.hierarchy,
        protocols: &files.protocols,
        base_versions: &files.base_versions,
    };
    let options = ImportOptions {
        author: request.author,
        reason: request.reason,
        base_current: request.base_current,
        batch_size: request.batch_size,
    };
    // A log that lost entries since the known checkpoint is not written to; after the
    // import the known checkpoint moves to the new head (`docs/ledger.md`).
    let known = crate::store::known_checkpoint(store);
    let known_error = |err| ImportError::Known(saylau_store::checked::CheckedError::Known(err));
    if let Some(known) = &known {
        known.check(store).await.map_err(known_error)?;
    }
    let res = import_protocols(store, &input, &options, key, tick).await;
    let report = res.map_err(ImportError::Store)?;
    let checkpoint = match &known {
        Some(known) => known.advance(store).await.map_err(known_error)?,
        None => ledger::checkpoint(store).await.map_err(ImportError::Checkpoint)?,
    };
    let mut res = imported(request, report, (files.rejected, files.omitted), &checkpoint);
    (res.flags, res.flags_omitted) = (files.flags, files.flags_omitted);
    Ok(res)
}

/// The rows read, checked and imported at a time by [`import_files`]: one chunk of the
/// store's import (`saylau_store::import`), so that each is planned and appended whole.
const CHUNK_ROWS: usize = 25_000;

/// How far an import of files is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    /// Protocols imported (recorded, unchanged or refused by the store).
    pub protocols: usize,
    /// Bytes of the files read up to the chunk being imported.
    pub bytes: u64,
    /// The files' sizes in bytes, together.
    pub size: u64,
}

/// Imports the protocols of `files` into `store`, signed by `key`, as a stream: a chunk of
/// rows is read, checked and imported at a time, so that memory does not grow with the
/// files (see the module's documentation); `tick` hears how far it is.
///
/// Every file's header was checked when it was opened ([`files::open_files`]), before
/// anything is written. A file that stops part way (a row past the limit of a row, a read
/// error) rejects the import with its diagnostics; the protocols of its earlier rows stay
/// imported, each whole, as after a killed import, and importing the fixed file again
/// records only what is missing.
pub async fn import_files(
    store: &Store,
    files: OpenFiles,
    key: &CommissionKey,
    request: &Request<'_>,
    tick: &mut (dyn FnMut(ImportProgress) + Send),
) -> Result<Imported, ImportError> {
    stream_files(store, files, key, request, Mode::Import, tick).await
}

/// What a streamed run does with each chunk of the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Registers what the chunk names and appends its protocols ([`import_files`]).
    Import,
    /// Registers what the chunk names only ([`register::register_files`]).
    Register,
}

/// Reads `files` a chunk at a time and imports or registers each chunk (`mode`), checking
/// the known checkpoint before and moving it after.
async fn stream_files(
    store: &Store,
    files: OpenFiles,
    key: &CommissionKey,
    request: &Request<'_>,
    mode: Mode,
    tick: &mut (dyn FnMut(ImportProgress) + Send),
) -> Result<Imported, ImportError> {
    let election = Election { id: request.election.clone(), name: request.election.to_string() };
    let options = ImportOptions {
        author: request.author,
        reason: request.reason,
        base_current: request.base_current,
        batch_size: request.batch_size,
    };
    let known = crate::store::known_checkpoint(store);
    let known_error = |err| ImportError::Known(saylau_store::checked::CheckedError::Known(err));
    if let Some(known) = &known {
        known.check(store).await.map_err(known_error)?;
    }
    let target = Target { store, election: &election, options: &options, key, mode };
    let Streamed { mut report, done, written, end, ballot } = stream(&target, files, tick).await?;
    let tail = match end {
        Ok(tail) => tail,
        Err(diagnostics) if !written => return Err(ImportError::Rejected(diagnostics)),
        Err(diagnostics) => {
            if let Some(known) = &known {
                known.advance(store).await.map_err(known_error)?;
            }
            let diagnostics = match mode {
                Mode::Import => stopped(diagnostics, done),
                Mode::Register => diagnostics,
            };
            return Err(ImportError::Rejected(diagnostics));
        }
    };
    if !written {
        // No good protocol: the election and its lists are registered all the same.
        let input = ImportInput {
            election: &election,
            ballot: &ballot,
            hierarchy: &saylau_core::count::commission::Hierarchy::new(),
            protocols: &[],
            base_versions: &std::collections::BTreeMap::new(),
        };
        add(&mut report, register_chunk(store, &input, key).await.map_err(ImportError::Store)?);
    }
    let checkpoint = match &known {
        Some(known) => known.advance(store).await.map_err(known_error)?,
        None => ledger::checkpoint(store).await.map_err(ImportError::Checkpoint)?,
    };
    let mut res = imported(request, report, (tail.rejected, tail.omitted), &checkpoint);
    (res.flags, res.flags_omitted) = (tail.flags, tail.flags_omitted);
    Ok(res)
}

/// Where the chunks of an import go.
struct Target<'a> {
    store: &'a Store,
    election: &'a Election,
    options: &'a ImportOptions<'a>,
    key: &'a CommissionKey,
    mode: Mode,
}

impl Target<'_> {
    /// Imports or registers one chunk, as the mode says.
    async fn take(
        &self,
        input: &ImportInput<'_>,
        prepared: Option<Prepared>,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<ImportReport, saylau_store::import::ImportError> {
        let (store, options, key) = (self.store, self.options, self.key);
        match self.mode {
            Mode::Import => import_prepared(store, input, prepared, options, key, progress).await,
            Mode::Register => register_chunk(store, input, key).await,
        }
    }
}

/// Registers what `input` names and appends none of its protocols, as an import's report.
async fn register_chunk(
    store: &Store,
    input: &ImportInput<'_>,
    key: &CommissionKey,
) -> Result<ImportReport, saylau_store::import::ImportError> {
    let registered = register_only(store, input, key).await?;
    Ok(ImportReport { registered, ..ImportReport::default() })
}

/// What streaming the files did.
struct Streamed {
    report: ImportReport,
    /// The protocols imported.
    done: usize,
    /// Whether any chunk was imported.
    written: bool,
    /// The rejected rows of every file, or the diagnostics of a file that stopped.
    end: Result<files::Tail, Diagnostics>,
    /// The lists on the ballot.
    ballot: saylau_core::count::protocol::BallotLists,
}

/// Reads the files on the blocking pool, a chunk at a time, while the chunk before is
/// imported into `target`.
async fn stream(
    target: &Target<'_>,
    files: OpenFiles,
    tick: &mut (dyn FnMut(ImportProgress) + Send),
) -> Result<Streamed, ImportError> {
    let size = files.size();
    let reader = files.reader();
    let ballot = reader.ballot().clone();
    let (mut receiver, reading) = spawn_reader(reader, target.mode == Mode::Import);
    let mut streamed = Streamed {
        report: ImportReport::default(),
        done: 0,
        written: false,
        end: Err(Diagnostics(Vec::new())),
        ballot: ballot.clone(),
    };
    loop {
        let Some(read) = receiver.recv().await else {
            // The reader stopped without its last message: it panicked.
            if let Err(err) = reading.await
                && err.is_panic()
            {
                std::panic::resume_unwind(err.into_panic());
            }
            unreachable!("the reader of the files ends with its last message or a panic");
        };
        let (chunk, prepared) = match read {
            Read::Chunk(chunk, prepared) => (chunk, prepared),
            Read::Done(tail) => {
                streamed.end = Ok(tail);
                break;
            }
            Read::Stopped(diagnostics) => {
                streamed.end = Err(diagnostics);
                break;
            }
        };
        let done = streamed.done;
        tick(ImportProgress { protocols: done, bytes: chunk.bytes, size });
        if chunk.protocols.is_empty() {
            continue;
        }
        let input = ImportInput {
            election: target.election,
            ballot: &ballot,
            hierarchy: &chunk.hierarchy,
            protocols: &chunk.protocols,
            base_versions: &chunk.base_versions,
        };
        let mut progress = |count: usize| {
            tick(ImportProgress { protocols: done + count, bytes: chunk.bytes, size })
        };
        let part = target.take(&input, prepared, &mut progress).await;
        add(&mut streamed.report, part.map_err(ImportError::Store)?);
        streamed.written = true;
        streamed.done += chunk.protocols.len();
    }
    drop(receiver);
    // The reader has sent its last message and returns.
    let _ = reading.await;
    Ok(streamed)
}

/// What the reader sends: a chunk read and its protocols encoded for the log, or the end.
enum Read {
    Chunk(files::Chunk, Option<Prepared>),
    Done(files::Tail),
    Stopped(Diagnostics),
}

/// Reads the files of `reader` on the blocking pool and sends what it reads, a chunk at a
/// time, with its protocols encoded for the log when `prepare` (the writer would otherwise
/// encode them between its registration and its batches). One chunk waits in the channel
/// while the store imports the one before and the reader reads the next: three chunks at
/// most.
fn spawn_reader(
    mut reader: files::FileReader,
    prepare: bool,
) -> (tokio::sync::mpsc::Receiver<Read>, tokio::task::JoinHandle<()>) {
    let (sender, receiver) = tokio::sync::mpsc::channel(1);
    let reading = tokio::task::spawn_blocking(move || {
        // The first chunk goes as soon as it is read, so that the writer starts registering
        // it at once; the store encodes it beside that registration.
        let mut first = true;
        loop {
            let read = match reader.next(CHUNK_ROWS) {
                files::Read::Chunk(chunk) => {
                    let prepared = (prepare && !std::mem::take(&mut first))
                        .then(|| Prepared::new(reader.ballot(), &chunk.protocols));
                    Read::Chunk(chunk, prepared)
                }
                files::Read::Done(tail) => Read::Done(tail),
                files::Read::Stopped(diagnostics) => Read::Stopped(diagnostics),
            };
            let last = !matches!(read, Read::Chunk(..));
            if sender.blocking_send(read).is_err() || last {
                return;
            }
        }
    });
    (receiver, reading)
}

/// The diagnostics of a file that stopped after `done` protocols were imported, with a
/// last one that says so.
fn stopped(mut diagnostics: Diagnostics, done: usize) -> Diagnostics {
    if let Some(last) = diagnostics.0.last().cloned() {
        let message = format!(
            "the import stopped at this file: the {done} protocols of the rows before were \
             imported, each whole; importing the fixed files again records only what is missing"
        );
        diagnostics.0.push(saylau_formats::Diagnostic { message, ..last });
    }
    diagnostics
}

/// Adds the report of one chunk to the import's.
fn add(report: &mut ImportReport, part: ImportReport) {
    report.registered.lists += part.registered.lists;
    report.registered.commissions += part.registered.commissions;
    report.registered.stations += part.registered.stations;
    report.accepted += part.accepted;
    report.corrections.extend(part.corrections);
    report.unchanged += part.unchanged;
    report.refused.extend(part.refused);
    report.conflicts.extend(part.conflicts);
    report.batches += part.batches;
}

fn imported(
    request: &Request<'_>,
    report: ImportReport,
    (mut rejected, omitted): (Vec<RejectedRow>, files::Omitted),
    checkpoint: &Checkpoint,
) -> Imported {
    rejected.extend(report.refused.iter().map(|refusal| RejectedRow {
        station: Some(refusal.station.clone()),
        file: None,
        line: None,
        current: refusal.current,
        base: refusal.base,
        reasons: vec![Reason { rule: refusal.code, field: None, message: refusal.message.clone() }],
    }));
    Imported {
        election: request.election.to_string(),
        files: request.files.clone(),
        registered: Registered {
            lists: report.registered.lists,
            commissions: report.registered.commissions,
            stations: report.registered.stations,
        },
        counts: Counts {
            accepted: report.accepted,
            corrections: report.corrections.len(),
            unchanged: report.unchanged,
            rejected: rejected
                .len()
                .saturating_add(usize::try_from(omitted.rows).unwrap_or(usize::MAX)),
            conflicts: report.conflicts.len(),
        },
        corrections: report
            .corrections
            .iter()
            .map(|it| Correction { station: it.station.clone(), version: it.version })
            .collect(),
        rejected,
        omitted,
        conflicts: report
            .conflicts
            .iter()
            .map(|it| Conflict {
                station: it.station.clone(),
                base: it.base,
                current: it.current,
                message: it.message.clone(),
            })
            .collect(),
        batches: report.batches,
        checkpoint: checkpoint.to_string(),
        flags: Vec::new(),
        flags_omitted: 0,
    }
}

/// Whether a count is zero (a member left out of the JSON).
fn is_zero(count: &u64) -> bool {
    *count == 0
}
