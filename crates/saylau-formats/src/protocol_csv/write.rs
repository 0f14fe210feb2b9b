//! Writing protocol files as CSV (format v1), with names neutralised against spreadsheet
//! formulas; the reader in the parent module reads them back.

use std::fmt::Write as _;
use std::io::{self, Write};

use saylau_core::count::protocol::{ExtraLine, Line};

use super::{BASE_COLUMN, ID_COLUMNS, LIST_PREFIX, MARKER, MARKER_V2};
use crate::protocol_file::{PROTOCOL_FORMAT_V2, ProtocolSet};

/// Writes protocols as a CSV protocol file: the marker, `# list` lines, the notes as
/// comments, the header and one row per protocol. The file is v2, with every v2 column,
/// when a protocol has a v2 line or time ([`ProtocolSet::version`]), and v1 otherwise.
pub fn write_protocols_csv(out: &mut dyn Write, set: &ProtocolSet<'_>) -> io::Result<()> {
    let v2 = set.version() == PROTOCOL_FORMAT_V2;
    let mut preamble = format!("{}\n", if v2 { MARKER_V2 } else { MARKER });
    for list in set.ballot.lists() {
        let name = list.name.replace(['\n', '\r'], " ");
        let _ = writeln!(preamble, "# list {}: {name}", list.id);
    }
    for note in set.notes {
        for line in note.lines() {
            let _ = writeln!(preamble, "# {line}");
        }
    }
    out.write_all(preamble.as_bytes())?;
    let mut writer =
        ::csv::WriterBuilder::new().terminator(::csv::Terminator::Any(b'\n')).from_writer(out);
    let mut header: Vec<String> = ID_COLUMNS.iter().map(|name| (*name).to_owned()).collect();
    if set.base_versions.is_some() {
        header.push(BASE_COLUMN.to_owned());
    }
    header.extend(Line::FIXED.iter().map(|line| line.key().to_owned()));
    header.extend(set.ballot.lists().iter().map(|list| format!("{LIST_PREFIX}{}", list.id)));
    if v2 {
        header.extend(ExtraLine::ALL.iter().map(|line| line.key().to_owned()));
    }
    writer.write_record(&header)?;
    let mut scratch = String::new();
    let mut digits = itoa::Buffer::new();
    for protocol in set.protocols {
        let station = protocol.station();
        let mut id = |writer: &mut ::csv::Writer<&mut dyn Write>, value: &dyn std::fmt::Display| {
            scratch.clear();
            let _ = write!(scratch, "{value}");
            writer.write_field(scratch.as_bytes())
        };
        id(&mut writer, &station)?;
        id(&mut writer, &station.region())?;
        let region_name = set.hierarchy.region_name(station.region()).unwrap_or_default();
        writer.write_field(neutralised(region_name).as_bytes())?;
        id(&mut writer, &station.district())?;
        let district_name = set.hierarchy.district_name(station.district()).unwrap_or_default();
        writer.write_field(neutralised(district_name).as_bytes())?;
        if let Some(bases) = set.base_versions {
            match bases.get(&station) {
                Some(base) => writer.write_field(digits.format(*base))?,
                None => writer.write_field(b"")?,
            }
        }
        for (_, value) in protocol.lines().iter() {
            writer.write_field(digits.format(value))?;
        }
        if v2 {
            for line in ExtraLine::ALL {
                let text = protocol.extra().text(line).unwrap_or_default();
                writer.write_field(neutralised(&text).as_bytes())?;
            }
        }
        writer.write_record(None::<&[u8]>)?;
    }
    writer.flush()?;
    Ok(())
}

/// The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
/// injection"): `=cmd|' /C calc'!A0` in a name must stay text when an export is opened.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A name as a CSV cell no spreadsheet evaluates: one `'` before a name that starts with a
/// formula character after any `'`s (so that [`unneutralised`] gives back the name as it
/// was, even one that starts with `'` itself).
pub(super) fn neutralised(name: &str) -> std::borrow::Cow<'_, str> {
    if name.trim_start_matches('\'').starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{name}"))
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// The name in a cell that [`neutralised`] wrote.
pub(super) fn unneutralised(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(name) if name.trim_start_matches('\'').starts_with(FORMULA_STARTS) => name,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_read_back() {
        for (name, cell) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+7 700", "'+7 700"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("'=x", "''=x"),
            ("'quoted'", "'quoted'"),
            ("Akmola", "Akmola"),
            ("Қарағанды", "Қарағанды"),
        ] {
            assert_eq!(neutralised(name), cell, "{name}");
            assert_eq!(unneutralised(cell), name, "{cell}");
        }
    }
}
