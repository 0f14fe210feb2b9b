//! Protocol files (format v1, CSV or JSON): what a read gives back, and the row checks
//! both encodings share.
//!
//! A protocol file holds one precinct commission's protocol per row (`docs/protocol.md`).
//! Reading is per row: a row with any problem becomes a [`RejectedRow`] with all its
//! diagnostics and is dropped whole, while the good rows become core
//! [`Protocol`]s. Problems with the file itself (its marker, its header) reject the file.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use saylau_core::count::commission::{CommissionId, Hierarchy, Level, StationId};
use saylau_core::count::protocol::{
    BallotCount, BallotLists, DEFAULT_LATE_MINUTES, ExtraLine, Line, Protocol, ProtocolExtra,
    ProtocolLines, VoterCount,
};
use saylau_core::seats::votes::Votes;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::protocol_stream::ProtocolStream;
use crate::rule::{ProtocolFileRule, Rule};

mod extra;
pub(crate) use extra::{ExtraText, read_extra};

/// The version of the protocol file format (`# saylau-protocols v1`, `"version": 1`).
pub const PROTOCOL_FORMAT: u32 = 1;

/// Format v2: v1 with the optional lines and times of
/// [`ProtocolExtra`] (`# saylau-protocols v2`, `"version": 2`). saylau reads both and writes
/// v2 only when a protocol has one of them, so that v1 input gives v1 bytes.
pub const PROTOCOL_FORMAT_V2: u32 = 2;

/// A protocol file, read: its good protocols and its rejected rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolFile {
    /// The file's format version: [`PROTOCOL_FORMAT`] or [`PROTOCOL_FORMAT_V2`].
    pub version: u32,
    /// What the v2 lines of the good protocols flag (`P-9`, `P-14`), as warnings naming
    /// file, line, field and rule: the protocols are kept.
    pub flags: Vec<Diagnostic>,
    /// The flags past [`ProtocolLimits::max_diagnostics`], counted only.
    pub flags_omitted: u64,
    /// The lists on the ballot, in ballot order (the file's list columns).
    pub ballot: BallotLists,
    /// The names of the region and district commissions given by the good rows.
    pub hierarchy: Hierarchy,
    /// The good protocols, in file order.
    pub protocols: Vec<Protocol>,
    /// The version of the store's log that a good protocol corrects, by station, from the
    /// optional `base_version` column (CSV) or key (JSON); stations without one are
    /// absent.
    pub base_versions: BTreeMap<StationId, u64>,
    /// The file's notes: CSV comment lines, the JSON `notes`.
    pub notes: Vec<String>,
    /// The rows that were rejected, in file order, as long as their diagnostics fit in
    /// [`ProtocolLimits::max_diagnostics`].
    pub rejected: Vec<RejectedRow>,
    /// What was rejected after the diagnostics kept in [`ProtocolFile::rejected`].
    pub omitted: Omitted,
}

/// Rejected rows counted but not kept, once [`ProtocolLimits::max_diagnostics`] were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Omitted {
    /// The rejected rows not kept.
    pub rows: u64,
    /// Their diagnostics.
    pub diagnostics: u64,
}

/// The limits of a protocol file's read: what it keeps, whatever the file's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtocolLimits {
    /// The most diagnostics of rejected rows kept; the rows rejected after them are only
    /// counted ([`ProtocolFile::omitted`]).
    pub max_diagnostics: usize,
    /// Minutes after the polls closed past which a count's start is flagged (`P-14`):
    /// a setting, [`DEFAULT_LATE_MINUTES`] unless given.
    pub late_count_minutes: u32,
}

impl ProtocolLimits {
    /// The default number of diagnostics kept.
    pub const DEFAULT_MAX_DIAGNOSTICS: usize = 1000;
    /// The longest row of a CSV file, and the longest line before its header, in bytes.
    pub const MAX_ROW_BYTES: usize = 1 << 20;
    /// The most bytes before a CSV file's header.
    pub const MAX_PREAMBLE_BYTES: usize = 1 << 20;
    /// The most bytes of protocol objects a JSON file may hold before its lists, format or
    /// version (they are kept until those are known); a file whose lists come first is
    /// streamed and has no limit of size.
    pub const MAX_JSON_BYTES: u64 = 512 << 20;
}

impl Default for ProtocolLimits {
    fn default() -> ProtocolLimits {
        ProtocolLimits {
            max_diagnostics: ProtocolLimits::DEFAULT_MAX_DIAGNOSTICS,
            late_count_minutes: DEFAULT_LATE_MINUTES,
        }
    }
}

/// A row that was rejected, with every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// The row's line in the file.
    pub line: u32,
    /// The station, when its id could be read.
    pub station: Option<StationId>,
    /// Every problem, in column order.
    pub diagnostics: Vec<Diagnostic>,
    /// The numbers as written, when the row was read whole and only broke control
    /// relations (`P-1` to `P-7`): an observer's copy of such a protocol is evidence.
    pub lines: Option<ProtocolLines>,
}

impl ProtocolFile {
    /// The diagnostics of every rejected row, in file order.
    pub fn diagnostics(&self) -> Diagnostics {
        Diagnostics(self.rejected.iter().flat_map(|row| row.diagnostics.iter().cloned()).collect())
    }

    /// A view of the good protocols, for writing.
    pub fn set(&self) -> ProtocolSet<'_> {
        ProtocolSet {
            ballot: &self.ballot,
            hierarchy: &self.hierarchy,
            protocols: &self.protocols,
            base_versions: Some(&self.base_versions).filter(|bases| !bases.is_empty()),
            notes: &self.notes,
        }
    }
}

/// Protocols to write, with what a file needs besides them.
#[derive(Debug, Clone, Copy)]
pub struct ProtocolSet<'a> {
    /// The lists on the ballot.
    pub ballot: &'a BallotLists,
    /// The names of the region and district commissions (a missing name is written empty).
    pub hierarchy: &'a Hierarchy,
    /// The protocols, in the order to write them.
    pub protocols: &'a [Protocol],
    /// With `Some`, a `base_version` column (key) is written: each station's entry, or
    /// empty (no key) for a station without one.
    pub base_versions: Option<&'a BTreeMap<StationId, u64>>,
    /// Notes, such as "synthetic data"; each line is written as a comment.
    pub notes: &'a [String],
}

impl ProtocolSet<'_> {
    /// The format version to write: v2 when a protocol has a v2 line or time, v1
    /// otherwise, so that v1 input is written back byte for byte.
    pub fn version(&self) -> u32 {
        if self.protocols.iter().any(|protocol| !protocol.extra().is_empty()) {
            PROTOCOL_FORMAT_V2
        } else {
            PROTOCOL_FORMAT
        }
    }
}

/// Reads a protocol file, CSV or JSON by its extension (`.json` is JSON, anything else
/// CSV), with the default [`ProtocolLimits`]. A file that cannot be read is a diagnostic
/// too.
pub fn read_protocols(path: &Path) -> Result<ProtocolFile, Diagnostics> {
    read_protocols_limited(path, &ProtocolLimits::default())
}

/// [`read_protocols`] within `limits`: the whole file's good protocols, read through a
/// [`ProtocolStream`] (a reader that holds one chunk of protocols at a time, such as an
/// import, uses the stream itself). A JSON file is streamed too; only protocol objects
/// that come before its lists, format or version are held, at most
/// [`ProtocolLimits::MAX_JSON_BYTES`] of them.
pub fn read_protocols_limited(
    path: &Path,
    limits: &ProtocolLimits,
) -> Result<ProtocolFile, Diagnostics> {
    let mut stream = ProtocolStream::open(path, limits)?;
    while stream.advance(usize::MAX)? {}
    Ok(stream.finish())
}

/// A problem with a whole file.
pub(crate) fn whole_file(source: &str, rule: impl Into<Rule>, message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic {
        source: source.to_owned(),
        line: None,
        field: String::new(),
        rule: rule.into(),
        message,
        severity: Severity::Error,
    }])
}

/// The problems of one row, collected while its fields are read.
pub(crate) struct RowCheck {
    line: u32,
    problems: Vec<Diagnostic>,
}

impl RowCheck {
    /// A row starting at `line`.
    pub(crate) fn new(line: u32) -> RowCheck {
        RowCheck { line, problems: Vec::new() }
    }

    /// Records a problem in `field`.
    pub(crate) fn error(
        &mut self,
        source: &str,
        field: &str,
        rule: impl Into<Rule>,
        message: String,
    ) {
        self.problems.push(Diagnostic {
            source: source.to_owned(),
            line: Some(self.line),
            field: field.to_owned(),
            rule: rule.into(),
            message,
            severity: Severity::Error,
        });
    }

    /// True when nothing is wrong so far.
    pub(crate) fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The station of a row from its `station`, `region` and `district` texts: the id must
/// be well formed (`F-5`) and the region and district must be the station's (`F-6`).
pub(crate) fn station_ids(
    check: &mut RowCheck,
    source: &str,
    field_of: &dyn Fn(Field) -> String,
    [station, region, district]: [&str; 3],
) -> Option<StationId> {
    let station = match StationId::parse(station) {
        Ok(station) => station,
        Err(err) => {
            check.error(
                source,
                &field_of(Field::Station),
                ProtocolFileRule::StationId,
                err.to_string(),
            );
            return None;
        }
    };
    let commissions = [
        (Field::Region, region, CommissionId::Region(station.region()), "region"),
        (Field::District, district, CommissionId::District(station.district()), "district"),
    ];
    for (field, text, expected, noun) in commissions {
        if !CommissionId::parse(text).is_ok_and(|id| id == expected) {
            let message =
                format!("{noun} {text:?} does not match station {station} (expected {expected})");
            check.error(source, &field_of(field), ProtocolFileRule::CommissionMismatch, message);
        }
    }
    Some(station)
}

/// A base version is a version of the log: a whole number from 1.
pub(crate) fn check_base_version(
    check: &mut RowCheck,
    source: &str,
    field: &str,
    base: Option<u64>,
) -> Option<u64> {
    if base == Some(0) {
        let message = "a base version is a version of the log, from 1".to_owned();
        check.error(source, field, ProtocolFileRule::Number, message);
        return None;
    }
    base
}

/// Protocol lines from the nine fixed lines in form order and the list votes.
pub(crate) fn lines_from(fixed: [u64; 9], list_votes: Vec<Votes>) -> ProtocolLines {
    ProtocolLines {
        voters_on_roll: VoterCount(fixed[0]),
        ballots_received: BallotCount(fixed[1]),
        issued_in_station: BallotCount(fixed[2]),
        issued_outside: BallotCount(fixed[3]),
        cancelled: BallotCount(fixed[4]),
        found_in_boxes: BallotCount(fixed[5]),
        invalid: BallotCount(fixed[6]),
        valid: BallotCount(fixed[7]),
        against_all: Votes(fixed[8]),
        list_votes,
    }
}

/// A field of a protocol row, named differently in each encoding.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Field {
    /// The station id.
    Station,
    /// The region's id.
    Region,
    /// The region's name.
    RegionName,
    /// The district's id.
    District,
    /// The district's name.
    DistrictName,
    /// The version the protocol corrects.
    BaseVersion,
    /// A protocol line.
    Line(Line),
    /// A line or time of format v2.
    Extra(ExtraLine),
}

/// What a row says besides its numbers.
pub(crate) struct RowIds<'r> {
    /// The station, when its id could be read.
    pub(crate) station: Option<StationId>,
    /// The region's name as written.
    pub(crate) region_name: &'r str,
    /// The district's name as written.
    pub(crate) district_name: &'r str,
    /// The version the protocol corrects, when the row names one.
    pub(crate) base_version: Option<u64>,
}

impl RowIds<'_> {
    /// The ids of a row that could not be read.
    pub(crate) const NONE: RowIds<'static> =
        RowIds { station: None, region_name: "", district_name: "", base_version: None };
}

/// Gathers the rows of one file into good protocols and rejected rows.
pub(crate) struct Collector {
    source: Arc<str>,
    version: u32,
    late_count_minutes: u32,
    flags: Vec<Diagnostic>,
    max_flags: usize,
    flags_omitted: u64,
    ballot: BallotLists,
    hierarchy: Hierarchy,
    seen: HashSet<StationId>,
    protocols: Vec<Protocol>,
    base_versions: BTreeMap<StationId, u64>,
    rejected: Vec<RejectedRow>,
    /// Room left for diagnostics of rejected rows; once a row did not fit, none is kept.
    room: Option<usize>,
    omitted: Omitted,
}

impl Collector {
    /// A collector for the file `source` of format `version` with lists `ballot`, within
    /// `limits`.
    pub(crate) fn new(
        source: &str,
        version: u32,
        ballot: BallotLists,
        limits: &ProtocolLimits,
    ) -> Collector {
        Collector {
            source: Arc::from(source),
            version,
            late_count_minutes: limits.late_count_minutes,
            flags: Vec::new(),
            max_flags: limits.max_diagnostics,
            flags_omitted: 0,
            ballot,
            hierarchy: Hierarchy::new(),
            seen: HashSet::new(),
            protocols: Vec::new(),
            base_versions: BTreeMap::new(),
            rejected: Vec::new(),
            room: Some(limits.max_diagnostics),
            omitted: Omitted::default(),
        }
    }

    /// The file's name in diagnostics (shared, so that a row's reader holds it while it
    /// adds to the collector).
    pub(crate) fn source(&self) -> Arc<str> {
        Arc::clone(&self.source)
    }

    /// The lists on the ballot.
    pub(crate) fn ballot(&self) -> &BallotLists {
        &self.ballot
    }

    /// The names of the region and district commissions of the good rows so far.
    pub(crate) fn hierarchy(&self) -> &Hierarchy {
        &self.hierarchy
    }

    /// The rejected rows kept so far and the count of the others.
    pub(crate) fn rejected(&self) -> (&[RejectedRow], Omitted) {
        (&self.rejected, self.omitted)
    }

    /// The file's format version.
    pub(crate) fn version(&self) -> u32 {
        self.version
    }

    /// The flags (`P-9`, `P-14`) of the good rows so far, kept while they fit in
    /// [`ProtocolLimits::max_diagnostics`], and the count of the others.
    pub(crate) fn flags(&self) -> (&[Diagnostic], u64) {
        (&self.flags, self.flags_omitted)
    }

    /// Moves out the good protocols gathered since the last take, with their base
    /// versions; what the file already gave stays checked against (duplicate stations,
    /// commission names).
    pub(crate) fn take(&mut self) -> (Vec<Protocol>, BTreeMap<StationId, u64>) {
        (std::mem::take(&mut self.protocols), std::mem::take(&mut self.base_versions))
    }

    /// Ends a row: checks the station is new, the names agree with earlier rows and the
    /// control relations hold, then keeps the protocol or rejects the row whole.
    /// `field_of` names a field in this encoding.
    pub(crate) fn finish_row(
        &mut self,
        mut check: RowCheck,
        ids: &RowIds<'_>,
        (lines, extra): (ProtocolLines, ProtocolExtra),
        field_of: &dyn Fn(Field) -> String,
    ) {
        let Some(station) = ids.station else {
            self.reject(check, None);
            return;
        };
        if !self.seen.insert(station) {
            let message = format!("station {station} is on an earlier row too");
            let rule = ProtocolFileRule::DuplicateStation;
            check.error(&self.source, &field_of(Field::Station), rule, message);
        }
        let names = [
            (Field::RegionName, station.commission(Level::Region), ids.region_name),
            (Field::DistrictName, station.commission(Level::District), ids.district_name),
        ];
        for (field, id, name) in names {
            let existing = match id {
                CommissionId::Region(region) => self.hierarchy.region_name(region),
                _ => self.hierarchy.district_name(station.district()),
            };
            if let Some(existing) =
                existing.filter(|existing| !name.is_empty() && *existing != name)
            {
                let message = format!(
                    "commission {id} is named {name:?} here and {existing:?} on an earlier row"
                );
                let rule = ProtocolFileRule::CommissionName;
                check.error(&self.source, &field_of(field), rule, message);
            }
        }
        if !check.is_clean() {
            self.reject(check, Some(station));
            return;
        }
        match Protocol::with_extra(station, lines.clone(), extra, &self.ballot) {
            Ok(protocol) => {
                self.flag(&protocol, check.line, field_of);
                for (_, id, name) in names {
                    if !name.is_empty() {
                        // The name was checked against the recorded ones just above, so
                        // recording it cannot fail.
                        let _ = self.hierarchy.name_commission(id, name);
                    }
                }
                if let Some(base) = ids.base_version {
                    self.base_versions.insert(station, base);
                }
                self.protocols.push(protocol);
            }
            Err(violations) => {
                for violation in violations {
                    let field = violation.kind.extra_line().map_or_else(
                        || field_of(Field::Line(violation.kind.line())),
                        |line| field_of(Field::Extra(line)),
                    );
                    let message = format!("station {station}: {}", violation.kind);
                    check.error(&self.source, &field, violation.kind.rule(), message);
                }
                self.reject_lines(check, Some(station), Some(lines));
            }
        }
    }

    /// Records what the v2 lines of a kept protocol flag (`P-9`, `P-14`) as warnings at
    /// `line`, while they fit in the room for diagnostics, and counts them otherwise.
    fn flag(&mut self, protocol: &Protocol, line: u32, field_of: &dyn Fn(Field) -> String) {
        for flag in protocol.flags(self.late_count_minutes) {
            if self.flags.len() >= self.max_flags {
                self.flags_omitted += 1;
                continue;
            }
            let field = flag.kind.extra_line().map_or_else(
                || field_of(Field::Line(flag.kind.line())),
                |line| field_of(Field::Extra(line)),
            );
            let message = format!("station {}: {}", protocol.station(), flag.kind);
            let rule = flag.kind.rule();
            let mut diagnostic = Diagnostic::error(&self.source, Some(line), &field, rule, message);
            diagnostic.severity = Severity::Warning;
            self.flags.push(diagnostic);
        }
    }

    /// Keeps a rejected row while its diagnostics fit in the room left, and counts it
    /// otherwise (and every row after it).
    fn reject(&mut self, check: RowCheck, station: Option<StationId>) {
        self.reject_lines(check, station, None);
    }

    /// [`Self::reject`] of a row read whole (`lines`) that only broke control relations.
    fn reject_lines(
        &mut self,
        check: RowCheck,
        station: Option<StationId>,
        lines: Option<ProtocolLines>,
    ) {
        let count = check.problems.len();
        match self.room {
            Some(room) if count <= room => {
                self.room = Some(room - count);
                let diagnostics = check.problems;
                self.rejected.push(RejectedRow { line: check.line, station, diagnostics, lines });
            }
            _ => {
                self.room = None;
                self.omitted.rows += 1;
                self.omitted.diagnostics += u64::try_from(count).unwrap_or(u64::MAX);
            }
        }
    }

    /// The file, read.
    pub(crate) fn finish(self, notes: Vec<String>) -> ProtocolFile {
        ProtocolFile {
            version: self.version,
            flags: self.flags,
            flags_omitted: self.flags_omitted,
            ballot: self.ballot,
            hierarchy: self.hierarchy,
            protocols: self.protocols,
            base_versions: self.base_versions,
            notes,
            rejected: self.rejected,
            omitted: self.omitted,
        }
    }
}
