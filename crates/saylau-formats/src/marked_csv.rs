//! The opening of the marked CSV files (a commission register, an observer's incidents):
//! a first line that names the format (`# saylau-commissions v1`), `#` comment lines, a
//! header row, then the data rows, read with the `csv` crate.
//!
//! Each reader checks its own header and reports problems under its own rule; this module
//! only opens the file the same way for all of them, and gives the header's true line
//! (the `csv` crate's position of a header is before the comment lines it skipped).

/// A marked CSV file opened at its data rows.
pub struct MarkedCsv<'a> {
    /// The reader, positioned after the header.
    pub reader: csv::Reader<&'a [u8]>,
    /// The header's column names, trimmed.
    pub names: Vec<String>,
    /// The header's line in the file, from 1.
    pub header_line: Option<u32>,
}

/// Why a file is not a marked CSV file: the line (when there is one) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotMarked {
    /// The line of the problem, from 1.
    pub line: Option<u32>,
    /// What is wrong.
    pub message: String,
}

/// Opens `text` (a leading byte-order mark is skipped) as a CSV file whose first line is
/// `marker`, with `#` comments and flexible rows; the header is read, not checked.
pub fn open_marked<'a>(text: &'a str, marker: &str) -> Result<MarkedCsv<'a>, NotMarked> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.lines().next().map(str::trim_end) != Some(marker) {
        return Err(NotMarked {
            line: Some(1),
            message: format!("the first line must be {marker:?}"),
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let names = reader
        .headers()
        .map_err(|err| NotMarked { line: None, message: format!("no header row: {err}") })?
        .iter()
        .map(|name| name.trim().to_owned())
        .collect();
    let header_line = text
        .lines()
        .position(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|idx| line_of(idx as u64 + 1));
    Ok(MarkedCsv { reader, names, header_line })
}

/// A `csv` position's line as the diagnostics' `u32`.
pub fn line_of(line: u64) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_line_counts_the_comments_before_it() {
        let text = "\u{feff}# saylau-x v1\n# a comment\n\n a , b \n1,2\n";
        let mut file = open_marked(text, "# saylau-x v1").expect("a marked file");
        assert_eq!(file.names, ["a", "b"]);
        assert_eq!(file.header_line, Some(4));
        let record = file.reader.records().next().expect("a row").expect("a good row");
        assert_eq!(record.position().map(|it| line_of(it.line())), Some(5));
    }

    #[test]
    fn a_file_without_the_marker_is_refused_at_line_one() {
        let err = open_marked("a,b\n1,2\n", "# saylau-x v1").map(|_| ()).expect_err("no marker");
        assert_eq!(
            err,
            NotMarked {
                line: Some(1),
                message: "the first line must be \"# saylau-x v1\"".to_owned()
            }
        );
    }
}
