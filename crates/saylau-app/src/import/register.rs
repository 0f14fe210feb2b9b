//! Registering the stations of protocol files before their protocols arrive
//! (`saylau import --register-only`): the election, its lists and every commission the
//! files name, each station as its PEC, so that the portal and `saylau results` count them
//! as expected ("not received") and operators can enter their protocols over the web. No
//! protocol of the files is appended; the files are read as an import reads them (a bad
//! row rejected whole, the good rows registered), a chunk at a time.

use saylau_store::checked::CheckedError;
use saylau_store::import::{ImportInput, ImportReport, register_only};
use saylau_store::key::CommissionKey;
use saylau_store::ledger;
use saylau_store::registry::Election;
use saylau_store::store::Store;

use super::files::{OpenFiles, Read, Tail};
use super::{ImportError, ImportProgress, Imported, Request, imported, spawn_reader};
use crate::Diagnostics;

/// Registers what the good rows of `files` name, where missing, each chunk in one
/// transaction recorded by one registry entry signed by `key`; `tick` hears how far it is.
/// The summary counts what was registered; its protocol counts are zero but for the
/// rejected rows. A file that stops part way keeps what its earlier chunks registered,
/// as an import does, and registering the fixed files again adds only what is missing.
pub async fn register_files(
    store: &Store,
    files: OpenFiles,
    key: &CommissionKey,
    request: &Request<'_>,
    tick: &mut (dyn FnMut(ImportProgress) + Send),
) -> Result<Imported, ImportError> {
    let election = Election { id: request.election.clone(), name: request.election.to_string() };
    let known = crate::store::known_checkpoint(store);
    let known_error = |err| ImportError::Known(CheckedError::Known(err));
    if let Some(known) = &known {
        known.check(store).await.map_err(known_error)?;
    }
    let ballot = files.ballot().clone();
    let (mut report, written, end) = stream(store, &election, files, key, tick).await?;
    let tail = match end {
        Ok(tail) => tail,
        Err(diagnostics) => {
            if let Some(known) = &known
                && written
            {
                known.advance(store).await.map_err(known_error)?;
            }
            return Err(ImportError::Rejected(diagnostics));
        }
    };
    if !written {
        // No good row: the election and its lists are registered all the same.
        let input = ImportInput {
            election: &election,
            ballot: &ballot,
            hierarchy: &saylau_core::count::commission::Hierarchy::new(),
            protocols: &[],
            base_versions: &std::collections::BTreeMap::new(),
        };
        report.registered = register_only(store, &input, key).await.map_err(ImportError::Store)?;
    }
    let checkpoint = match &known {
        Some(known) => known.advance(store).await.map_err(known_error)?,
        None => ledger::checkpoint(store).await.map_err(ImportError::Checkpoint)?,
    };
    let mut res = imported(request, report, (tail.rejected, tail.omitted), &checkpoint);
    (res.flags, res.flags_omitted) = (tail.flags, tail.flags_omitted);
    Ok(res)
}

/// What streaming the files registered, whether any chunk was, and how the files ended.
type Streamed = (ImportReport, bool, Result<Tail, Diagnostics>);

/// Reads the files a chunk at a time on the blocking pool and registers each chunk.
async fn stream(
    store: &Store,
    election: &Election,
    files: OpenFiles,
    key: &CommissionKey,
    tick: &mut (dyn FnMut(ImportProgress) + Send),
) -> Result<Streamed, ImportError> {
    let size = files.size();
    let reader = files.reader();
    let ballot = reader.ballot().clone();
    let (mut receiver, reading) = spawn_reader(reader);
    let mut report = ImportReport::default();
    let (mut done, mut written) = (0, false);
    let end = loop {
        let Some(read) = receiver.recv().await else {
            // The reader stopped without its last message: it panicked.
            if let Err(err) = reading.await
                && err.is_panic()
            {
                std::panic::resume_unwind(err.into_panic());
            }
            unreachable!("the reader of the files ends with its last message or a panic");
        };
        let chunk = match read {
            Read::Chunk(chunk) => chunk,
            Read::Done(tail) => break Ok(tail),
            Read::Stopped(diagnostics) => break Err(diagnostics),
        };
        tick(ImportProgress { protocols: done, bytes: chunk.bytes, size });
        if chunk.protocols.is_empty() {
            continue;
        }
        let input = ImportInput {
            election,
            ballot: &ballot,
            hierarchy: &chunk.hierarchy,
            protocols: &chunk.protocols,
            base_versions: &chunk.base_versions,
        };
        let registered = register_only(store, &input, key).await.map_err(ImportError::Store)?;
        report.registered.lists += registered.lists;
        report.registered.commissions += registered.commissions;
        report.registered.stations += registered.stations;
        written = true;
        done += chunk.protocols.len();
    };
    drop(receiver);
    // The reader has sent its last message and returns.
    let _ = reading.await;
    Ok((report, written, end))
}
