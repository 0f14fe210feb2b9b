//! A small CSV reader (RFC 4180: commas, double-quoted fields, `""` for a quote) that
//! turns each row into a document [`Table`], so that the readers of TOML tables read CSV
//! rows too and their diagnostics point at the row's line.
//!
//! The first non-blank row names the columns. A cell is read as an integer when it is
//! digits (with an optional minus sign), as a boolean when it is `true` or `false`, and
//! as a string otherwise; an empty cell is an absent key. Structural problems have rule
//! `E-26`.

use crate::diagnostic::Sink;
use crate::document::{Entry, Node, Origin, Table, Value};
use crate::rule::FileRule;

/// One record: its fields with their byte offsets.
struct Record {
    fields: Vec<(String, usize)>,
    start: usize,
}

/// The data rows of a table file read row by row (a ledger, a candidates list): the rows
/// of [`indexed_rows`], and an empty table reported as `no {noun}` with `empty_rule`, so
/// that every such reader says the same about it.
pub(crate) fn table_rows(
    sink: &mut Sink<'_>,
    text: &str,
    text_columns: &[&str],
    (noun, empty_rule): (&str, FileRule),
) -> Option<Vec<(usize, Table, Origin)>> {
    let rows = indexed_rows(sink, text, text_columns)?;
    if rows.is_empty() {
        sink.error(&Origin::Whole, "", empty_rule, format!("no {noun}"));
    }
    Some(rows)
}

/// The 1-based line of byte `offset` of `text` (a row's line in a table file).
pub(crate) fn line_at(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    u32::try_from(text.as_bytes()[..end].iter().filter(|&&byte| byte == b'\n').count() + 1)
        .unwrap_or(u32::MAX)
}

/// The rows of `text` as tables keyed by the header's column names, each with the origin
/// of its row (see [`indexed_rows`]).
pub(crate) fn rows(
    sink: &mut Sink<'_>,
    text: &str,
    text_columns: &[&str],
) -> Option<Vec<(Table, Origin)>> {
    let rows = indexed_rows(sink, text, text_columns)?;
    Some(rows.into_iter().map(|(_, table, origin)| (table, origin)).collect())
}

/// The rows of `text` as tables keyed by the header's column names, each with its index
/// among the data rows and the origin of its row. Rows with the wrong number of fields are reported and left out, so that
/// the others are still checked; `None` when a quote is not closed. The cells of
/// `text_columns` are kept as text, as written: an id such as `001` is not the number 1.
pub(crate) fn indexed_rows(
    sink: &mut Sink<'_>,
    text: &str,
    text_columns: &[&str],
) -> Option<Vec<(usize, Table, Origin)>> {
    let records = records(sink, text)?;
    let mut records = records
        .into_iter()
        .filter(|record| !(record.fields.len() == 1 && record.fields[0].0.trim().is_empty()));
    let Some(header) = records.next() else {
        return Some(Vec::new());
    };
    let columns: Vec<(String, usize)> =
        header.fields.into_iter().map(|(name, offset)| (name.trim().to_owned(), offset)).collect();
    let mut seen = std::collections::HashSet::with_capacity(columns.len());
    for (name, offset) in &columns {
        if !seen.insert(name.as_str()) {
            let message = format!("the column {name} is named twice");
            sink.error(&Origin::File(*offset), name, FileRule::CsvStructure, message);
        }
    }
    let mut res = Vec::new();
    for (idx, record) in records.enumerate() {
        if record.fields.len() != columns.len() {
            let message = format!(
                "this row has {} fields, the header has {} columns",
                record.fields.len(),
                columns.len()
            );
            sink.error(&Origin::File(record.start), "", FileRule::CsvStructure, message);
            continue;
        }
        let entries = columns
            .iter()
            .zip(record.fields)
            .filter(|(_, (cell, _))| !cell.trim().is_empty())
            .map(|((name, _), (cell, offset))| Entry {
                key: name.clone(),
                key_origin: Origin::File(offset),
                node: Node {
                    value: if text_columns.contains(&name.as_str()) {
                        Value::String(cell.trim().to_owned())
                    } else {
                        cell_value(cell.trim())
                    },
                    origin: Origin::File(offset),
                },
            })
            .collect();
        res.push((idx, Table { entries }, Origin::File(record.start)));
    }
    Some(res)
}

/// A cell's value: an integer, a boolean or a string.
fn cell_value(cell: &str) -> Value {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    if !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return match cell.parse::<i128>() {
            Ok(number) => Value::Integer(number),
            Err(_) => Value::Oversized(cell.to_owned()),
        };
    }
    match cell {
        "true" => Value::Boolean(true),
        "false" => Value::Boolean(false),
        _ => Value::String(cell.to_owned()),
    }
}

/// Splits `text` into records of fields, honouring quotes across lines.
fn records(sink: &mut Sink<'_>, text: &str) -> Option<Vec<Record>> {
    let mut res = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut field_start = 0;
    let mut record_start = 0;
    let mut quoted = false;
    let mut quote_start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((offset, ch)) = chars.next() {
        if quoted {
            match ch {
                '"' if chars.peek().is_some_and(|(_, next)| *next == '"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(ch),
            }
            continue;
        }
        match ch {
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
                quote_start = offset;
            }
            ',' => {
                fields.push((std::mem::take(&mut field), field_start));
                field_start = offset + 1;
            }
            '\n' => {
                fields.push((std::mem::take(&mut field), field_start));
                res.push(Record { fields: std::mem::take(&mut fields), start: record_start });
                field_start = offset + 1;
                record_start = offset + 1;
            }
            '\r' if chars.peek().is_some_and(|(_, next)| *next == '\n') => {}
            _ => field.push(ch),
        }
    }
    if quoted {
        let message = "a quoted field is not closed".to_owned();
        sink.error(&Origin::File(quote_start), "", FileRule::CsvStructure, message);
        return None;
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push((field, field_start));
        res.push(Record { fields, start: record_start });
    }
    Some(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row as `line: key=value, ...`, or the diagnostics.
    fn check(text: &str, expect: &str) {
        let mut sink = Sink::new("c.csv", text, &[]);
        let res = rows(&mut sink, text, &[]);
        let lines = |origin: &Origin| match origin {
            Origin::File(offset) => text[..*offset].matches('\n').count() + 1,
            _ => 0,
        };
        let res = match res {
            Some(rows) if sink.is_empty() => rows
                .iter()
                .map(|(table, origin)| {
                    let cells: Vec<String> = table
                        .entries
                        .iter()
                        .map(|entry| format!("{}={}", entry.key, entry.node.value.describe()))
                        .collect();
                    format!("{}: {}", lines(origin), cells.join(", "))
                })
                .collect::<Vec<_>>()
                .join("\n"),
            _ => sink.finish().to_string(),
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn reads_quoted_fields_and_types() {
        check(
            "name,age,ok\r\n\"Seitkali, A.\",25,true\n\"say \"\"hi\"\"\",,x\n\n",
            "2: name=the string \"Seitkali, A.\", age=the integer 25, ok=the boolean true\n\
             3: name=the string \"say \\\"hi\\\"\", ok=the string \"x\"",
        );
        check(
            "name,note\nA,\"two\nlines\"\nB,x",
            "2: name=the string \"A\", note=the string \"two\\nlines\"\n4: name=the string \"B\", note=the string \"x\"",
        );
    }

    #[test]
    fn reports_broken_structure() {
        check(
            "name,name,age\nA,B\nA,B,3\n",
            "c.csv:1: name: the column name is named twice (rule E-26)\n\
             c.csv:2: this row has 2 fields, the header has 3 columns (rule E-26)",
        );
        check("name\n\"open\n", "c.csv:2: a quoted field is not closed (rule E-26)");
    }
}
