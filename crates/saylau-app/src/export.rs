//! The current protocols as a protocol file (`saylau export`, `docs/protocol.md`).
//!
//! Each station's current protocol is written in the protocol file format v1 with a
//! `base_version` column (key) holding its current version, so that the file imports
//! again as "unchanged", and a copy edited and imported with `--reason` is a correction
//! based on exactly the version that was exported.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use saylau_core::count::commission::StationId;
use saylau_formats::{ProtocolSet, write_protocols_csv, write_protocols_json};
use saylau_store::tabulation::CurrentProtocols;
use serde::Serialize;

/// The format of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV with a header, one station a row.
    Csv,
    /// JSON.
    Json,
}

impl Format {
    /// Its name: `csv` or `json`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// What an export to a file wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Exported {
    /// The election.
    pub election: String,
    /// The file written.
    pub file: String,
    /// Its format.
    pub format: &'static str,
    /// The protocols written.
    pub protocols: usize,
}

/// An export that failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The file could not be created.
    #[error("creating {file}")]
    Create {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file could not be written.
    #[error("writing {file}")]
    Write {
        /// The file (`stdout` for standard output).
        file: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes the current protocols of `election` to `out` in `format`; returns how many.
pub fn write(
    current: &CurrentProtocols,
    election: &str,
    format: Format,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    let note = format!(
        "the current protocols of election {election} exported from the protocol store; base_version is each station's current version"
    );
    write_with_note(current, note, format, out)
}

/// Writes the current protocols to `out` in `format`, each with its current version as
/// `base_version`, under the comment `note`; returns how many (the export and the portal's
/// open data write the same file).
pub fn write_with_note(
    current: &CurrentProtocols,
    note: String,
    format: Format,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    let protocols: Vec<_> = current.protocols.iter().map(|it| it.protocol.clone()).collect();
    let base_versions = current
        .protocols
        .iter()
        .map(|it| (it.protocol.station(), it.version.0))
        .collect::<BTreeMap<StationId, u64>>();
    let notes = vec![note];
    let set = ProtocolSet {
        ballot: &current.ballot,
        hierarchy: &current.hierarchy,
        protocols: &protocols,
        base_versions: Some(&base_versions),
        notes: &notes,
    };
    match format {
        Format::Csv => write_protocols_csv(out, &set)?,
        Format::Json => write_protocols_json(out, &set)?,
    }
    Ok(protocols.len())
}

/// Writes the current protocols of `election` to the file `path` (created or replaced).
pub fn to_file(
    current: &CurrentProtocols,
    election: &str,
    format: Format,
    path: &Path,
) -> Result<Exported, ExportError> {
    let file = path.display().to_string();
    let created =
        File::create(path).map_err(|source| ExportError::Create { file: file.clone(), source })?;
    let mut out = BufWriter::new(created);
    let protocols = write(current, election, format, &mut out)
        .and_then(|count| out.flush().map(|()| count))
        .map_err(|source| ExportError::Write { file: file.clone(), source })?;
    Ok(Exported { election: election.to_owned(), file, format: format.name(), protocols })
}
