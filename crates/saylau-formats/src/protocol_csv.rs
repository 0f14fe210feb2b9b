//! Protocol files as CSV (format v1): one row per polling station.
//!
//! ```text
//! # saylau-protocols v1
//! # list nur-otan: Nur Otan
//! station,region,region_name,district,district_name,voters_on_roll,...,against_all,list:nur-otan
//! 15-02-0034,15,Nur-Sultan (Astana) city,15-02,Yesil district,1500,...,0,790
//! ```
//!
//! The reader is built for large files (an import of 100,000 stations): it reuses one
//! `csv::ByteRecord`, parses numbers and ids from bytes, and allocates per row only the
//! protocol it keeps and the names of commissions it has not seen. `docs/protocol.md`
//! specifies the format.

use std::io::{self, BufRead, BufReader, Read};

use saylau_core::count::protocol::{BallotList, BallotLists, ExtraLine, Line, ProtocolLines};
use saylau_core::seats::votes::{ListId, Votes};

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::protocol_file::{
    Collector, ExtraText, Field, Omitted, PROTOCOL_FORMAT, PROTOCOL_FORMAT_V2, ProtocolFile,
    ProtocolLimits, RowCheck, RowIds, check_base_version, lines_from, read_extra, station_ids,
};
use crate::rule::{ProtocolFileRule, Rule};

mod row_limit;
mod write;
use row_limit::{RowLimit, TooLong};
use write::unneutralised;
pub use write::write_protocols_csv;

/// The first line of every CSV protocol file of format v1.
const MARKER: &str = "# saylau-protocols v1";

/// The first line of a CSV protocol file of format v2.
const MARKER_V2: &str = "# saylau-protocols v2";

/// The columns before the protocol lines, in the order they are written.
const ID_COLUMNS: [&str; 5] = ["station", "region", "region_name", "district", "district_name"];

/// The optional column of the version a protocol corrects.
const BASE_COLUMN: &str = "base_version";

/// The prefix of a list column: `list:nur-otan`.
const LIST_PREFIX: &str = "list:";

/// Where each column is in the header.
struct Columns {
    /// The id columns, in [`ID_COLUMNS`] order.
    ids: [usize; 5],
    /// The `base_version` column, if the file has one.
    base: Option<usize>,
    /// The fixed protocol lines, in [`Line::FIXED`] order.
    lines: [usize; 9],
    /// The list columns, in ballot order (header order).
    lists: Vec<usize>,
    /// The v2 columns the file has, in [`ExtraLine::ALL`] order (none in v1).
    extra: [Option<usize>; 9],
    /// The column names, for fields of diagnostics.
    names: Vec<String>,
    /// The number of columns.
    width: usize,
}

/// Reads a CSV protocol file; `source` names it in diagnostics. A bad marker or header
/// rejects the file; a bad row is rejected alone (see [`ProtocolFile::rejected`]).
pub fn parse_protocols_csv(source: &str, bytes: &[u8]) -> Result<ProtocolFile, Diagnostics> {
    read_protocols_csv(source, bytes, &ProtocolLimits::default())
}

/// Reads a CSV protocol file from `input` as a stream, within `limits`: the rows are
/// read one at a time, and only the good protocols and the first
/// [`ProtocolLimits::max_diagnostics`] diagnostics are kept. The marker is checked on the
/// first line and the header on the header row, so a file that is not a protocol file
/// fails on its first kilobytes; a row longer than [`ProtocolLimits::MAX_ROW_BYTES`]
/// rejects the file (`F-12`).
pub fn read_protocols_csv(
    source: &str,
    input: impl Read,
    limits: &ProtocolLimits,
) -> Result<ProtocolFile, Diagnostics> {
    let (mut rows, mut collector, notes) = CsvRows::open(source, input, limits)?;
    while rows.advance(&mut collector, usize::MAX)? {}
    Ok(collector.finish(notes))
}

/// The rows of a CSV protocol file after its header, read a few at a time into a
/// [`Collector`] (`crate::ProtocolStream`).
pub(crate) struct CsvRows<R: Read> {
    reader: ::csv::Reader<RowLimit<BufReader<R>>>,
    record: ::csv::ByteRecord,
    columns: Columns,
    lines_before: u32,
    /// The bytes before the header row.
    preamble_bytes: u64,
}

impl<R: Read> CsvRows<R> {
    /// Reads the marker, the preamble and the header of `input`: a file that is not a
    /// protocol file fails here, on its first lines. Returns the rows to come, the
    /// collector of the file's lists and the file's notes.
    pub(crate) fn open(
        source: &str,
        input: R,
        limits: &ProtocolLimits,
    ) -> Result<(CsvRows<R>, Collector, Vec<String>), Diagnostics> {
        let mut input = BufReader::with_capacity(1 << 16, input);
        let preamble = preamble(source, &mut input)?;
        let rows = RowLimit::new(input, ProtocolLimits::MAX_ROW_BYTES, preamble.lines_before);
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(rows);
        let mut record = ::csv::ByteRecord::new();
        let header_line = preamble.lines_before + 1;
        if !read_record(&mut reader, &mut record)
            .map_err(|err| stopped(source, header_line, &err, (&[], Omitted::default())))?
        {
            let message = "the file has no header row".to_owned();
            return Err(at_line(source, header_line, "", ProtocolFileRule::Header, message));
        }
        let columns = columns(source, header_line, &record, preamble.version)?;
        let ballot = ballot(source, header_line, &columns, &preamble.list_names)?;
        let collector = Collector::new(source, preamble.version, ballot, limits);
        let rows = CsvRows {
            reader,
            record,
            columns,
            lines_before: preamble.lines_before,
            preamble_bytes: preamble.bytes,
        };
        Ok((rows, collector, preamble.notes))
    }

    /// Reads up to `count` more rows into `collector`; `false` once the file ended. A row
    /// past [`ProtocolLimits::MAX_ROW_BYTES`], or a file that cannot be read any more,
    /// stops the file with every diagnostic kept so far.
    pub(crate) fn advance(
        &mut self,
        collector: &mut Collector,
        count: usize,
    ) -> Result<bool, Diagnostics> {
        let CsvRows { reader, record, columns, lines_before, .. } = self;
        let field_of = |field: Field| field_name(columns, field);
        for _ in 0..count {
            match read_record(reader, record) {
                Ok(true) => {}
                Ok(false) => return Ok(false),
                Err(err) => {
                    let source = collector.source();
                    return Err(stopped(&source, *lines_before + 1, &err, collector.rejected()));
                }
            }
            let relative = record.position().map_or(1, ::csv::Position::line);
            let line = lines_before.saturating_add(u32::try_from(relative).unwrap_or(u32::MAX));
            if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) {
                continue;
            }
            read_row(collector, columns, record, line, &field_of);
        }
        Ok(true)
    }

    /// The bytes of the file read so far (to the start of the last row read).
    pub(crate) fn position(&self) -> u64 {
        let row = self.record.position().map_or(0, ::csv::Position::byte);
        self.preamble_bytes.saturating_add(row)
    }
}

/// What comes before the header: the marker, list names and notes.
struct Preamble {
    version: u32,
    lines_before: u32,
    /// Its bytes, with a byte order mark.
    bytes: u64,
    list_names: Vec<(String, String)>,
    notes: Vec<String>,
}

impl Preamble {
    /// Keeps a comment line after the marker: a list's name (`# list ID: NAME`) or a note.
    fn comment(&mut self, text: &str) {
        if let Some((id, name)) = text.strip_prefix("# list ").and_then(|it| it.split_once(':')) {
            self.list_names.push((id.trim().to_owned(), name.trim().to_owned()));
        } else {
            let note = text.strip_prefix('#').unwrap_or(text);
            self.notes.push(note.strip_prefix(' ').unwrap_or(note).to_owned());
        }
    }
}

/// Reads the marker and the comment lines up to the header, at most
/// [`ProtocolLimits::MAX_PREAMBLE_BYTES`] of them.
fn preamble(source: &str, input: &mut impl BufRead) -> Result<Preamble, Diagnostics> {
    let mut res = Preamble {
        version: PROTOCOL_FORMAT,
        lines_before: 0,
        bytes: 0,
        list_names: Vec::new(),
        notes: Vec::new(),
    };
    let unreadable = |err: io::Error| {
        let message = format!("cannot read the file: {err}");
        at_line(source, 1, "", ProtocolFileRule::Unreadable, message)
    };
    if input.fill_buf().map_err(unreadable)?.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
        res.bytes = 3;
    }
    let mut raw = Vec::new();
    let mut total = 0usize;
    while input.fill_buf().map_err(unreadable)?.first() == Some(&b'#') {
        raw.clear();
        let cap = u64::try_from(ProtocolLimits::MAX_ROW_BYTES).unwrap_or(u64::MAX);
        input.by_ref().take(cap).read_until(b'\n', &mut raw).map_err(unreadable)?;
        let line = res.lines_before + 1;
        total = total.saturating_add(raw.len());
        res.bytes = res.bytes.saturating_add(u64::try_from(raw.len()).unwrap_or(u64::MAX));
        if res.lines_before == 0 {
            let text = String::from_utf8_lossy(&raw[..raw.len().min(200)]);
            res.version = check_marker(source, text.trim_end_matches(['\n', '\r']))?;
        }
        if raw.len() >= ProtocolLimits::MAX_ROW_BYTES && raw.last() != Some(&b'\n') {
            let message = format!(
                "the line is longer than the limit of {} bytes (a limit of resources)",
                ProtocolLimits::MAX_ROW_BYTES
            );
            return Err(at_line(source, line, "", ProtocolFileRule::Limit, message));
        }
        if total > ProtocolLimits::MAX_PREAMBLE_BYTES {
            let message = format!(
                "the lines before the header are longer than the limit of {} bytes \
                 (a limit of resources)",
                ProtocolLimits::MAX_PREAMBLE_BYTES
            );
            return Err(at_line(source, line, "", ProtocolFileRule::Limit, message));
        }
        if res.lines_before > 0 {
            res.comment(String::from_utf8_lossy(&raw).trim_end_matches(['\n', '\r']));
        }
        res.lines_before += 1;
    }
    if res.lines_before == 0 {
        let message = format!("a protocol file starts with the line {MARKER:?}");
        return Err(at_line(source, 1, "", ProtocolFileRule::FormatMarker, message));
    }
    Ok(res)
}

/// The format version of the marker line `text`.
fn check_marker(source: &str, text: &str) -> Result<u32, Diagnostics> {
    match text.trim_end() {
        MARKER => return Ok(PROTOCOL_FORMAT),
        MARKER_V2 => return Ok(PROTOCOL_FORMAT_V2),
        _ => {}
    }
    let message = match text.strip_prefix("# saylau-protocols v") {
        Some(version) => format!(
            "protocol file format version {} is not supported (this saylau reads versions {PROTOCOL_FORMAT} and {PROTOCOL_FORMAT_V2})",
            version.trim()
        ),
        None => format!("a protocol file starts with the line {MARKER:?}, not {text:?}"),
    };
    Err(at_line(source, 1, "", ProtocolFileRule::FormatMarker, message))
}

/// The next record; `false` at the end. A quote left open runs to the end of the file (or
/// to the limit of a row), and the row's width or its numbers then report it.
fn read_record(
    reader: &mut ::csv::Reader<RowLimit<impl Read>>,
    record: &mut ::csv::ByteRecord,
) -> io::Result<bool> {
    reader.read_byte_record(record).map_err(|err| match err.into_kind() {
        ::csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    })
}

/// The diagnostics of a file whose reading stopped part way: the rows rejected so far, the
/// count of those omitted, and why it stopped.
fn stopped(
    source: &str,
    header_line: u32,
    err: &io::Error,
    (kept, omitted): (&[crate::RejectedRow], Omitted),
) -> Diagnostics {
    let mut res: Vec<Diagnostic> =
        kept.iter().flat_map(|row| row.diagnostics.iter().cloned()).collect();
    if omitted.rows > 0 {
        let message = format!(
            "{} more rejected rows with {} diagnostics are not shown",
            omitted.rows, omitted.diagnostics
        );
        res.push(Diagnostic::error(source, None, "", ProtocolFileRule::Limit, message));
    }
    let (rule, line, message) = match err
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<TooLong>())
    {
        Some(TooLong { line }) => (
            ProtocolFileRule::Limit,
            *line,
            format!(
                "the row is longer than the limit of {} bytes (a limit of resources; a quote \
                 left open makes the rest of the file one row): the file is rejected",
                ProtocolLimits::MAX_ROW_BYTES
            ),
        ),
        None => (ProtocolFileRule::Unreadable, header_line, format!("cannot read the file: {err}")),
    };
    res.push(Diagnostic::error(source, Some(line), "", rule, message));
    Diagnostics(res)
}

fn at_line(
    source: &str,
    line: u32,
    field: &str,
    rule: impl Into<Rule>,
    message: String,
) -> Diagnostics {
    Diagnostics(vec![Diagnostic {
        source: source.to_owned(),
        line: Some(line),
        field: field.to_owned(),
        rule: rule.into(),
        message,
        severity: Severity::Error,
    }])
}

/// Finds every column of the header; every problem with it is reported together.
fn columns(
    source: &str,
    line: u32,
    header: &::csv::ByteRecord,
    version: u32,
) -> Result<Columns, Diagnostics> {
    let names: Vec<String> =
        header.iter().map(|name| String::from_utf8_lossy(name).trim().to_owned()).collect();
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: String| {
        problems.extend(at_line(source, line, field, ProtocolFileRule::Header, message).0);
    };
    let mut find = |wanted: &str| -> usize {
        let found: Vec<usize> = (0..names.len()).filter(|&idx| names[idx] == wanted).collect();
        match found.as_slice() {
            [idx] => *idx,
            [] => {
                problem(wanted, format!("the header has no column {wanted}"));
                0
            }
            _ => {
                problem(wanted, format!("the header names the column {wanted} twice"));
                0
            }
        }
    };
    let ids = ID_COLUMNS.map(&mut find);
    let lines = Line::FIXED.map(|line| find(line.key()));
    let base = names.iter().any(|name| name == BASE_COLUMN).then(|| find(BASE_COLUMN));
    let is_extra = |name: &str| {
        version >= PROTOCOL_FORMAT_V2 && ExtraLine::ALL.iter().any(|line| line.key() == name)
    };
    let extra = ExtraLine::ALL.map(|line| {
        let key = line.key();
        (is_extra(key) && names.iter().any(|name| name == key)).then(|| find(key))
    });
    let mut lists = Vec::new();
    let mut seen = std::collections::HashSet::with_capacity(names.len());
    for (idx, name) in names.iter().enumerate() {
        if let Some(id) = name.strip_prefix(LIST_PREFIX) {
            if id.is_empty() {
                problem(name, "a list column needs a list id after list:".to_owned());
            } else if let Err(message) = crate::field::id_characters(id) {
                problem(name, message);
            } else if !seen.insert(name.as_str()) {
                problem(name, format!("the header names the column {name} twice"));
            } else {
                lists.push(idx);
            }
        } else if !ID_COLUMNS.contains(&name.as_str())
            && name != BASE_COLUMN
            && !is_extra(name)
            && !Line::FIXED.iter().any(|line| line.key() == name)
        {
            problem(name, format!("unknown column {name:?} (list columns are named list:<id>)"));
        }
    }
    if lists.is_empty() && names.iter().all(|name| !name.starts_with(LIST_PREFIX)) {
        problem("", "the header has no list column (list:<id>)".to_owned());
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let width = names.len();
    Ok(Columns { ids, base, lines, lists, extra, names, width })
}

/// The ballot from the list columns, named by the `# list id: name` lines.
fn ballot(
    source: &str,
    line: u32,
    columns: &Columns,
    names: &[(String, String)],
) -> Result<BallotLists, Diagnostics> {
    let mut lists = Vec::with_capacity(columns.lists.len());
    for &idx in &columns.lists {
        let id = columns.names[idx].strip_prefix(LIST_PREFIX).unwrap_or_default();
        let name = names.iter().find(|(named, _)| named == id).map_or(id, |(_, name)| name);
        lists.push(BallotList { id: ListId::new(id), name: name.to_owned() });
    }
    let mut problems = Vec::new();
    for (id, _) in names {
        if !lists.iter().any(|list| list.id.as_str() == id) {
            let message = format!("list {id} is named in the preamble but has no column");
            problems.extend(at_line(source, line, "", ProtocolFileRule::Header, message).0);
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    BallotLists::new(lists)
        .map_err(|err| at_line(source, line, "", ProtocolFileRule::Header, err.to_string()))
}

fn field_name(columns: &Columns, field: Field) -> String {
    let idx = match field {
        Field::Station => columns.ids[0],
        Field::Region => columns.ids[1],
        Field::RegionName => columns.ids[2],
        Field::District => columns.ids[3],
        Field::DistrictName => columns.ids[4],
        Field::BaseVersion => columns.base.unwrap_or_default(),
        Field::Line(Line::List(list)) => columns.lists.get(list).copied().unwrap_or_default(),
        Field::Extra(extra) => {
            let position = ExtraLine::ALL.iter().position(|it| *it == extra);
            match position.and_then(|idx| columns.extra[idx]) {
                Some(idx) => idx,
                None => return extra.key().to_owned(),
            }
        }
        Field::Line(line) => {
            let position = Line::FIXED.iter().position(|fixed| *fixed == line);
            columns.lines[position.unwrap_or_default()]
        }
    };
    columns.names[idx].clone()
}

/// Reads one row into the collector.
fn read_row(
    collector: &mut Collector,
    columns: &Columns,
    record: &::csv::ByteRecord,
    line: u32,
    field_of: &dyn Fn(Field) -> String,
) {
    let source = collector.source();
    let source = &*source;
    let mut check = RowCheck::new(line);
    if record.len() != columns.width {
        let message = format!(
            "this row has {} fields, the header has {} columns",
            record.len(),
            columns.width
        );
        check.error(source, "", ProtocolFileRule::Row, message);
        collector.finish_row(check, &RowIds::NONE, Default::default(), field_of);
        return;
    }
    let text = |check: &mut RowCheck, field: Field, idx: usize| -> &str {
        match std::str::from_utf8(record.get(idx).unwrap_or_default()) {
            Ok(text) => text.trim(),
            Err(_) => {
                let message = "the field is not UTF-8 text".to_owned();
                check.error(source, &field_of(field), ProtocolFileRule::Row, message);
                ""
            }
        }
    };
    let station = text(&mut check, Field::Station, columns.ids[0]);
    let region = text(&mut check, Field::Region, columns.ids[1]);
    let district = text(&mut check, Field::District, columns.ids[3]);
    let station = station_ids(&mut check, source, field_of, [station, region, district]);
    let region_name = unneutralised(text(&mut check, Field::RegionName, columns.ids[2]));
    let district_name = unneutralised(text(&mut check, Field::DistrictName, columns.ids[4]));
    let base_version = columns.base.and_then(|idx| {
        let bytes = record.get(idx).unwrap_or_default();
        let field = field_of(Field::BaseVersion);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        let Some(base) = whole_number(bytes) else {
            let message =
                format!("expected a whole number, found {:?}", String::from_utf8_lossy(bytes));
            check.error(source, &field, ProtocolFileRule::Number, message);
            return None;
        };
        check_base_version(&mut check, source, &field, Some(base))
    });
    let lines = row_lines(&mut check, source, field_of, columns, record);
    let mut extra_text = ExtraText::default();
    for (slot, column) in extra_text.fields.iter_mut().zip(columns.extra) {
        *slot = column.map(|idx| String::from_utf8_lossy(record.get(idx).unwrap_or_default()));
    }
    let video = &mut extra_text.fields[ExtraLine::ALL.len() - 2];
    if let Some(text) = video.as_deref().map(|text| unneutralised(text.trim()).to_owned()) {
        *video = Some(std::borrow::Cow::Owned(text));
    }
    let extra = read_extra(&mut check, source, field_of, &extra_text, &|text| {
        whole_number(text.as_bytes())
    });
    let ids = RowIds { station, region_name, district_name, base_version };
    collector.finish_row(check, &ids, (lines, extra), field_of);
}

/// The numbers of a row; every field that is not a whole number is reported.
fn row_lines(
    check: &mut RowCheck,
    source: &str,
    field_of: &dyn Fn(Field) -> String,
    columns: &Columns,
    record: &::csv::ByteRecord,
) -> ProtocolLines {
    let mut number = |line: Line, idx: usize| -> u64 {
        let bytes = record.get(idx).unwrap_or_default();
        whole_number(bytes).unwrap_or_else(|| {
            let found = String::from_utf8_lossy(bytes);
            let message = if found.trim().is_empty() {
                "expected a whole number, found an empty field".to_owned()
            } else {
                format!("expected a whole number, found {found:?}")
            };
            check.error(source, &field_of(Field::Line(line)), ProtocolFileRule::Number, message);
            0
        })
    };
    let fixed: [u64; 9] = std::array::from_fn(|idx| number(Line::FIXED[idx], columns.lines[idx]));
    let mut list_votes = Vec::with_capacity(columns.lists.len());
    for (list, &idx) in columns.lists.iter().enumerate() {
        list_votes.push(Votes(number(Line::List(list), idx)));
    }
    lines_from(fixed, list_votes)
}

/// The most digits a number of a protocol file may have.
const MAX_DIGITS: usize = 20;

/// Digits only, at most 20 of them (`docs/protocol.md`, rule `F-4`: leading zeros count),
/// and at most what fits in 64 bits.
fn whole_number(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > MAX_DIGITS {
        return None;
    }
    let mut res: u64 = 0;
    for &byte in bytes {
        if !byte.is_ascii_digit() {
            return None;
        }
        res = res.checked_mul(10)?.checked_add(u64::from(byte - b'0'))?;
    }
    Some(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(value: &[u8], expect: Option<u64>) {
        assert_eq!(whole_number(value), expect, "{}", String::from_utf8_lossy(value));
    }

    #[test]
    fn reads_whole_numbers() {
        check(b"0", Some(0));
        check(b"1210", Some(1210));
        check(b"007", Some(7));
        check(b"18446744073709551615", Some(u64::MAX));
        check(b"18446744073709551616", None);
        check(b"00000000000000000007", Some(7));
        check(b"000000000000000000007", None);
        check(b"000000000000000000000", None);
        check(b"", None);
        check(b" 12", None);
        check(b"-1", None);
        check(b"1.5", None);
        check(b"1,210", None);
    }
}
