//! Where the stations of a forensic analysis come from: a protocol file (CSV with its
//! marker, or JSON), a station table with a column mapping, or the current protocols of
//! the store with the first version of every corrected station.

use std::path::Path;

use saylau_formats::{Diagnostics, parse_station_columns, read_protocols, read_station_table};
use saylau_stats::forensics::station::StationSet;
use saylau_stats::forensics::versions::Correction;
use saylau_store::id::ElectionId;
use saylau_store::store::Store;
use saylau_store::tabulation::{TabulationError, history};

use super::input::{InputSummary, correction, from_protocols, from_table};
use crate::Rejection;

pub use saylau_formats::StationColumns;

/// Stations that could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// A file was rejected; its diagnostics say why.
    #[error("{0}")]
    Rejected(Diagnostics),
    /// A file could not be read.
    #[error("reading {file}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] TabulationError),
    /// The store fails its checks (or lacks its known checkpoint): nothing is read from it.
    #[error("{0}")]
    Broken(#[source] saylau_store::checked::CheckedError),
}

impl Rejection for SourceError {
    fn into_rejected(self) -> Result<Diagnostics, Self> {
        match self {
            SourceError::Rejected(diagnostics) => Ok(diagnostics),
            other => Err(other),
        }
    }
}

fn read_error(path: &Path) -> impl FnOnce(std::io::Error) -> SourceError {
    let file = path.display().to_string();
    move |source| SourceError::Read { file, source }
}

/// The column mapping of the TOML file at `path`.
pub fn read_columns(path: &Path) -> Result<StationColumns, SourceError> {
    let text = crate::read_toml(path).map_err(read_error(path))?;
    parse_station_columns(&path.display().to_string(), &text).map_err(SourceError::Rejected)
}

/// The stations of the file at `path`: a protocol file, or else a station table read with
/// `columns`.
pub fn read_file(
    path: &Path,
    columns: &StationColumns,
) -> Result<(StationSet, InputSummary), SourceError> {
    let source = path.display().to_string();
    if is_protocol_file(path)? {
        let file = read_protocols(path).map_err(SourceError::Rejected)?;
        let rejected: Vec<_> = file.rejected.iter().map(|row| row.diagnostics.clone()).collect();
        return Ok(from_protocols(
            &source,
            &file.ballot,
            &file.hierarchy,
            &file.protocols,
            &rejected,
        ));
    }
    let table = read_station_table(path, columns).map_err(SourceError::Rejected)?;
    Ok(from_table(&source, table))
}

/// A protocol file starts with its marker (CSV) or is JSON.
fn is_protocol_file(path: &Path) -> Result<bool, SourceError> {
    if path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json")) {
        return Ok(true);
    }
    let mut head = [0u8; 18];
    let mut file = std::fs::File::open(path).map_err(read_error(path))?;
    let read = std::io::Read::read(&mut file, &mut head).map_err(read_error(path))?;
    Ok(head[..read].starts_with(b"# saylau-protocols"))
}

/// The current protocols of `election`, and the first version of every corrected
/// station; `source` names the store in the input summary.
pub async fn read_store(
    store: &Store,
    election: &ElectionId,
    source: &str,
) -> Result<(StationSet, InputSummary, Vec<Correction>), SourceError> {
    let trust = crate::store::trust(store);
    let checked = saylau_store::checked::current_protocols(store, election, &trust);
    let current = checked.await.map_err(SourceError::Broken)?.value;
    let mut firsts = Vec::new();
    for it in current.protocols.iter().filter(|it| it.version.0 > 1) {
        let station = it.protocol.station().to_string();
        let versions = history(store, election, &station).await?;
        if let Some(first) = versions.into_iter().next() {
            firsts.push((first.protocol, it, it.version.0));
        }
    }
    let corrections = firsts
        .iter()
        .map(|(first, now, versions)| {
            correction(&current.hierarchy, first, &now.protocol, *versions)
        })
        .collect();
    let protocols: Vec<_> = current.protocols.iter().map(|it| it.protocol.clone()).collect();
    let (set, input) = from_protocols(source, &current.ballot, &current.hierarchy, &protocols, &[]);
    Ok((set, input, corrections))
}
