//! What the result files share (plurality rounds, party funding, published tables, lots):
//! reading the file, the header table that names the file's kind, provenance, arrays of
//! entries whose ids must be unique, and amounts of money.
//!
//! Each kind of file opens with its own table (`[plurality]`, `[funding]`, `[table]`,
//! `[lot]`, `[commission]`) holding `format`, `name` and `description`, so a reader can
//! tell the kinds apart and an election file (`[election]`) is never mistaken for one.

use std::collections::HashMap;
use std::path::Path;

use saylau_core::law::funding::Tenge;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity, Sink};
use crate::document::{Node, Origin, Table, Value, parse_document};
use crate::election::{DataSource, Scenario, data_source, scenario};
use crate::field::{Fields, count, filled_text, if_present, table, text};
use crate::limit::{MAX_TOML_BYTES, read_capped};
use crate::r#override::{self, Override};
use crate::rule::FileRule;

/// The only version of each result format so far.
pub(crate) const FORMAT: u32 = 1;

/// The keys of a header table.
const HEADER_KEYS: &[&str] = &["format", "name", "description"];

/// A file's header table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// `name`.
    pub(crate) name: String,
    /// `description`.
    pub(crate) description: Option<String>,
}

/// The text of `path` and its name for diagnostics; a file that cannot be read is a
/// diagnostic (rule `E-2`), and so is one longer than [`MAX_TOML_BYTES`] (rule `E-48`),
/// which is not read.
pub(crate) fn read_text(path: &Path) -> Result<(String, String), Diagnostics> {
    let source = path.display().to_string();
    match read_capped(path, MAX_TOML_BYTES) {
        Ok(text) => Ok((source, text)),
        Err(err) => {
            let rule = match err.kind() {
                std::io::ErrorKind::FileTooLarge => FileRule::Limit,
                _ => FileRule::Unreadable,
            };
            Err(Diagnostics(vec![Diagnostic {
                source,
                line: None,
                field: String::new(),
                rule: rule.into(),
                message: format!("cannot read the file: {err}"),
                severity: Severity::Error,
            }]))
        }
    }
}

/// Parses `text` as TOML, applies the overrides and reads it with `read`; every problem
/// found on the way is returned.
pub(crate) fn parse_with<T>(
    source: &str,
    text: &str,
    overrides: &[Override],
    read: impl FnOnce(&mut Sink<'_>, &Table) -> Option<T>,
) -> Result<T, Diagnostics> {
    let mut sink = Sink::new(source, text, overrides);
    let Some(mut root) = parse_document(text, &mut sink) else {
        return Err(sink.finish());
    };
    r#override::apply(&mut root, overrides, &mut sink);
    match read(&mut sink, &root) {
        Some(res) if sink.is_empty() => Ok(res),
        _ => Err(sink.finish()),
    }
}

/// The root of a file, with its top-level keys checked against `keys`.
pub(crate) fn root_fields<'t>(sink: &mut Sink<'_>, root: &'t Table, keys: &[&str]) -> Fields<'t> {
    let fields = Fields { table: root, path: "", origin: Origin::Whole };
    fields.check_keys(sink, keys);
    fields
}

/// The table `key` of `parent` (reported when missing, if `required`, or not a table).
pub(crate) fn sub_table<'t>(
    sink: &mut Sink<'_>,
    parent: Fields<'t>,
    key: &'t str,
    required: bool,
) -> Option<Fields<'t>> {
    let node = if required { parent.required(sink, key)? } else { parent.optional(key)? };
    let inner = table(sink, node, key)?;
    Some(Fields { table: inner, path: key, origin: node.origin })
}

/// Reads the header table `[kind]`: `format` (only 1), `name`, `description`, and the
/// extra keys the kind allows (read by the caller).
pub(crate) fn header(
    sink: &mut Sink<'_>,
    root: Fields<'_>,
    kind: &'static str,
    extra_keys: &[&str],
) -> Option<Header> {
    let fields = sub_table(sink, root, kind, true)?;
    let keys: Vec<&str> = HEADER_KEYS.iter().chain(extra_keys).copied().collect();
    fields.check_keys(sink, &keys);
    let format = if_present(fields.optional("format"), |node| match &node.value {
        Value::Integer(version) if *version == i128::from(FORMAT) => Some(FORMAT),
        Value::Integer(version) => {
            let message = format!("unsupported format {version} (this reader knows format 1)");
            sink.error(&node.origin, &fields.field("format"), FileRule::FormatVersion, message);
            None
        }
        _ => count(sink, node, &fields.field("format"), "format version", 1),
    });
    let name = fields
        .required(sink, "name")
        .and_then(|node| filled_text(sink, node, &fields.field("name")));
    let description = if_present(fields.optional("description"), |node| {
        text(sink, node, &fields.field("description"))
    });
    format?;
    Some(Header { name: name?, description: description? })
}

/// `[source]` and `[scenario]`, as in election files.
pub(crate) fn provenance(
    sink: &mut Sink<'_>,
    root: &Table,
) -> Option<(Option<DataSource>, Option<Scenario>)> {
    let source = if_present(root.get("source"), |node| data_source(sink, node));
    let scenario = if_present(root.get("scenario"), |node| scenario(sink, node));
    Some((source?, scenario?))
}

/// The array of tables `key` (`[[races]]`), reported when missing or empty (rule `E-35`)
/// or not an array.
pub(crate) fn entries<'t>(
    sink: &mut Sink<'_>,
    node: Option<&'t Node>,
    key: &str,
    what: &str,
) -> Option<&'t [Node]> {
    match node.map(|node| &node.value) {
        Some(Value::Array(items)) if !items.is_empty() => Some(items),
        Some(Value::Array(_)) | None => {
            let origin = node.map_or(Origin::Whole, |node| node.origin);
            sink.error(&origin, key, FileRule::NoEntries, format!("{what} is needed"));
            None
        }
        Some(other) => {
            let message = format!("expected an array of tables, found {}", other.describe());
            let origin = node.map_or(Origin::Whole, |node| node.origin);
            sink.error(&origin, key, FileRule::WrongType, message);
            None
        }
    }
}

/// Reports each entry whose text under `id_key` an earlier entry already uses (rule
/// `E-33`); `path` is the array's field path, such as `races`.
pub(crate) fn report_duplicates(sink: &mut Sink<'_>, items: &[Node], path: &str, id_key: &str) {
    let ids: Vec<Option<(&str, Origin)>> = items
        .iter()
        .map(|item| match &item.value {
            Value::Table(table) => match table.get(id_key) {
                Some(Node { value: Value::String(id), origin }) if !id.is_empty() => {
                    Some((id.as_str(), *origin))
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    report_repeated(sink, &ids, path, id_key);
}

/// Reports each repeated text of `ids` (entries of `path`, key `id_key`).
pub(crate) fn report_repeated(
    sink: &mut Sink<'_>,
    ids: &[Option<(&str, Origin)>],
    path: &str,
    id_key: &str,
) {
    // The first index of each text: one pass, so 100,000 ids take no longer than their
    // reading.
    let mut firsts: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
    for (idx, later) in ids.iter().enumerate() {
        let Some((id, origin)) = later else { continue };
        let first = *firsts.entry(id).or_insert(idx);
        if first != idx {
            let message = format!("{id_key} {id:?} is used twice (first by {path}[{first}])");
            sink.error(origin, &format!("{path}[{idx}].{id_key}"), FileRule::DuplicateId, message);
        }
    }
}

/// A whole, non-negative amount of tenge (rule `E-41`).
pub(crate) fn amount(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<Tenge> {
    let found = match &node.value {
        Value::Integer(number) => match u64::try_from(*number) {
            Ok(amount) => return Some(Tenge(amount)),
            Err(_) => number.to_string(),
        },
        Value::Oversized(text) => text.clone(),
        other => {
            let hint = if matches!(other, Value::Float(_)) { "; floats are inexact" } else { "" };
            let rule = if matches!(other, Value::Float(_)) {
                FileRule::Float
            } else {
                FileRule::WrongType
            };
            let message =
                format!("expected a whole amount of tenge, found {}{hint}", other.describe());
            sink.error(&node.origin, field, rule, message);
            return None;
        }
    };
    let message = format!("expected a whole, non-negative amount of tenge, found {found}");
    sink.error(&node.origin, field, FileRule::Amount, message);
    None
}

/// The fields of the entry `items[idx]` of the array `path`.
pub(crate) fn entry_fields<'t>(
    sink: &mut Sink<'_>,
    node: &'t Node,
    path: &'t str,
) -> Option<Fields<'t>> {
    Some(Fields { table: table(sink, node, path)?, path, origin: node.origin })
}
