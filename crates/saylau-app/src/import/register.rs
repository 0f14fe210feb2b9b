//! Registering the stations of protocol files before their protocols arrive
//! (`saylau import --register-only`): the election, its lists and every commission the
//! files name, each station as its PEC, so that the portal and `saylau results` count them
//! as expected ("not received") and operators can enter their protocols over the web. No
//! protocol of the files is appended; the files are read as an import reads them (a bad
//! row rejected whole, the good rows registered), a chunk at a time.

use saylau_store::key::CommissionKey;
use saylau_store::store::Store;

use super::files::OpenFiles;
use super::{ImportError, ImportProgress, Imported, Mode, Request, stream_files};

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
    stream_files(store, files, key, request, Mode::Register, tick).await
}
