//! Protocol files read as a stream: a chunk of rows at a time, so that a reader such as an
//! import holds one chunk of protocols, whatever the file's size (issue 10: 1,000,000
//! protocols under 500 MB).
//!
//! The checks are those of a whole read ([`crate::read_protocols`]): a file without its
//! marker or a usable header fails when it is opened, on its first lines; a bad row is
//! rejected whole with its diagnostics; a station on an earlier row of the file, or a
//! commission named otherwise than on an earlier row, rejects the row. What those checks
//! need of the rows already given (the stations seen, the commissions' names) stays in the
//! stream: a few bytes a station, never the protocols.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use saylau_core::count::commission::{Hierarchy, StationId};
use saylau_core::count::protocol::{BallotLists, Protocol};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::protocol_csv::CsvRows;
use crate::protocol_file::{Collector, Omitted, ProtocolFile, ProtocolLimits, RejectedRow};
use crate::protocol_json::JsonStream;
use crate::rule::ProtocolFileRule;

/// A protocol file (CSV or JSON by its extension, as [`crate::read_protocols`]) being read.
pub struct ProtocolStream {
    rows: Rows,
    collector: Collector,
    notes: Vec<String>,
    /// The file's size in bytes.
    size: u64,
}

/// The rows of the file, in its encoding.
enum Rows {
    Csv(Box<CsvRows<File>>),
    Json(JsonStream),
}

/// The good protocols of some rows of a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProtocolChunk {
    /// The good protocols, in file order.
    pub protocols: Vec<Protocol>,
    /// The version of the log that a protocol corrects, by station, for the stations of
    /// `protocols` whose row names one.
    pub base_versions: BTreeMap<StationId, u64>,
}

impl std::fmt::Debug for ProtocolStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProtocolStream")
            .field("source", &&*self.collector.source())
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

impl ProtocolStream {
    /// Opens the protocol file at `path` and reads what precedes its rows: a CSV file's
    /// marker, preamble and header (a file that is not a protocol file fails on its first
    /// lines), or a JSON file's members up to its `protocols` (parsed from the file on a
    /// thread of its own, which hands the protocol objects over one at a time). A file that
    /// cannot be read is a diagnostic too.
    pub fn open(path: &Path, limits: &ProtocolLimits) -> Result<ProtocolStream, Diagnostics> {
        let source = path.display().to_string();
        let unreadable = |err: std::io::Error| {
            let message = format!("cannot read the file: {err}");
            crate::protocol_file::whole_file(&source, ProtocolFileRule::Unreadable, message)
        };
        let file = File::open(path).map_err(unreadable)?;
        let size = file.metadata().map_err(unreadable)?.len();
        if !path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json")) {
            let (rows, collector, notes) = CsvRows::open(&source, file, limits)?;
            return Ok(ProtocolStream { rows: Rows::Csv(Box::new(rows)), collector, notes, size });
        }
        let (rows, collector, notes) = JsonStream::open(&source, file, limits)?;
        Ok(ProtocolStream { rows: Rows::Json(rows), collector, notes, size })
    }

    /// The lists on the ballot, in ballot order (the file's list columns).
    pub fn ballot(&self) -> &BallotLists {
        self.collector.ballot()
    }

    /// The file's format version ([`crate::PROTOCOL_FORMAT`] or
    /// [`crate::PROTOCOL_FORMAT_V2`]), known from its marker (CSV) or `version` key (JSON)
    /// before its rows.
    pub fn version(&self) -> u32 {
        self.collector.version()
    }

    /// What the v2 lines of the good protocols so far flag (`P-9`, `P-14`), as warnings
    /// kept while they fit in [`ProtocolLimits::max_diagnostics`], and the count of the
    /// others: gathered across chunks, never taken.
    pub fn flags(&self) -> (&[Diagnostic], u64) {
        self.collector.flags()
    }

    /// The file's notes: CSV comment lines, the JSON `notes`.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The names of the region and district commissions given by the good rows so far.
    pub fn hierarchy(&self) -> &Hierarchy {
        self.collector.hierarchy()
    }

    /// The rejected rows kept so far (at most [`ProtocolLimits::max_diagnostics`]
    /// diagnostics) and the count of the others.
    pub fn rejected(&self) -> (&[RejectedRow], Omitted) {
        self.collector.rejected()
    }

    /// The bytes of the file read so far, and its size, for a progress bar.
    pub fn progress(&self) -> (u64, u64) {
        let read = match &self.rows {
            Rows::Csv(rows) => rows.position(),
            Rows::Json(rows) => rows.position(),
        };
        (read.min(self.size), self.size)
    }

    /// Reads up to `rows` more rows (CSV rows, JSON protocol objects), keeping their good
    /// protocols for [`Self::take`] or [`Self::finish`]; `false` once the file ended. A
    /// file that stops part way (a row longer than [`ProtocolLimits::MAX_ROW_BYTES`], a
    /// read error) gives every diagnostic kept so far and why it stopped.
    pub fn advance(&mut self, rows: usize) -> Result<bool, Diagnostics> {
        match &mut self.rows {
            Rows::Csv(csv) => csv.advance(&mut self.collector, rows),
            Rows::Json(json) => json.advance(&mut self.collector, rows),
        }
    }

    /// The next chunk: the good protocols of up to `rows` more rows, or `None` once the
    /// file ended and every protocol was taken. A chunk may hold no protocol when its rows
    /// were all rejected.
    pub fn next_chunk(&mut self, rows: usize) -> Result<Option<ProtocolChunk>, Diagnostics> {
        let more = self.advance(rows.max(1))?;
        let chunk = self.take();
        Ok((more || !chunk.protocols.is_empty()).then_some(chunk))
    }

    /// Moves out the good protocols read since the last take.
    pub fn take(&mut self) -> ProtocolChunk {
        let (protocols, base_versions) = self.collector.take();
        ProtocolChunk { protocols, base_versions }
    }

    /// The file as read so far: the protocols not taken, the rejected rows kept, the
    /// commissions' names and the notes.
    pub fn finish(self) -> ProtocolFile {
        self.collector.finish(self.notes)
    }
}
