//! Published-table files, format v1 (TOML): a table of totals as an authority printed it,
//! with the relations its cells must satisfy.
//!
//! Columns have ids and kinds, rows carry their cells as an inline table keyed by column
//! id (a cell left out is blank: not published), and `[[relations]]` declare what must
//! add up. The reader turns the file into a core [`PublishedTable`] for
//! `saylau_core::count::consistency::check_table`; the format is specified in
//! `docs/table-format.md`.

use std::path::Path;

use saylau_core::count::consistency::{
    Blank, Cell, Column, ColumnKind, NamedRelation, PublishedPercent, PublishedTable, Relation,
    Row, RowRole, ShareRounding,
};
use serde::Serialize;

use crate::diagnostic::{Diagnostics, Sink};
use crate::document::{Node, Origin, Table, Value};
use crate::election::{DataSource, Scenario};
use crate::field::{Fields, choice, filled_text, if_present, table, text, texts};
use crate::header::{self, entries, entry_fields, report_duplicates, root_fields};
use crate::r#override::Override;
use crate::rule::FileRule;

/// The top-level keys of a table file.
const KEYS: &[&str] = &["table", "columns", "rows", "relations", "source", "scenario"];

const KINDS: &[(&str, ColumnKind)] =
    &[("count", ColumnKind::Count), ("percent", ColumnKind::Percent)];
const BLANKS: &[(&str, Blank)] = &[("unpublished", Blank::Unpublished), ("zero", Blank::Zero)];
const ROLES: &[(&str, RowRole)] =
    &[("part", RowRole::Part), ("total", RowRole::Total), ("shares", RowRole::Shares)];
const ROUNDINGS: &[(&str, ShareRounding)] =
    &[("half-up", ShareRounding::HalfUp), ("down", ShareRounding::Down)];

/// A relation's kind as named in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RelationKind {
    RowSum,
    RowAtMost,
    ColumnSum,
    ColumnRange,
    Share,
}

const RELATIONS: &[(&str, RelationKind)] = &[
    ("row-sum", RelationKind::RowSum),
    ("row-at-most", RelationKind::RowAtMost),
    ("column-sum", RelationKind::ColumnSum),
    ("column-range", RelationKind::ColumnRange),
    ("share", RelationKind::Share),
];

/// A published-table file, read and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedTableFile {
    /// The table and its relations.
    pub table: PublishedTable,
    /// Name, notes and provenance.
    pub meta: PublishedTableMeta,
}

/// What a table file says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedTableMeta {
    /// `[table] name`.
    pub name: String,
    /// `[table] description`.
    pub description: Option<String>,
    /// Per row, in order: its `note` (how it was transcribed), if any.
    pub row_notes: Vec<Option<String>>,
    /// `[source]`.
    pub source: Option<DataSource>,
    /// `[scenario]`.
    pub scenario: Option<Scenario>,
}

/// Reads a table file from `text`; `source` names it in diagnostics.
pub fn parse_published_table(
    source: &str,
    text: &str,
    overrides: &[Override],
) -> Result<PublishedTableFile, Diagnostics> {
    header::parse_with(source, text, overrides, table_file)
}

/// Reads the table file at `path`.
pub fn read_published_table(
    path: &Path,
    overrides: &[Override],
) -> Result<PublishedTableFile, Diagnostics> {
    let (source, text) = header::read_text(path)?;
    parse_published_table(&source, &text, overrides)
}

/// Reads every part, then builds the table.
fn table_file(sink: &mut Sink<'_>, root: &Table) -> Option<PublishedTableFile> {
    let fields = root_fields(sink, root, KEYS);
    let header = header::header(sink, fields, "table", &[]);
    let columns = columns(sink, root.get("columns"));
    let provenance = header::provenance(sink, root);
    let columns = columns?;
    let rows = rows(sink, root.get("rows"), &columns);
    let relations = if_present(root.get("relations"), |node| relations(sink, node, &columns));
    let (header, (rows, row_notes), relations) = (header?, rows?, relations?);
    let (source, scenario) = provenance?;
    if !sink.is_empty() {
        return None;
    }
    let table = PublishedTable::new(columns, rows, relations.unwrap_or_default())
        .map_err(|err| sink.error(&Origin::Whole, "", FileRule::TableStructure, err.to_string()))
        .ok()?;
    let meta = PublishedTableMeta {
        name: header.name,
        description: header.description,
        row_notes,
        source,
        scenario,
    };
    Some(PublishedTableFile { table, meta })
}

/// `[[columns]]`.
fn columns(sink: &mut Sink<'_>, node: Option<&Node>) -> Option<Vec<Column>> {
    let items = entries(sink, node, "columns", "at least one [[columns]] entry")?;
    let mut res = Vec::with_capacity(items.len());
    for (idx, item) in items.iter().enumerate() {
        let path = format!("columns[{idx}]");
        let Some(fields) = entry_fields(sink, item, &path) else {
            res.push(None);
            continue;
        };
        fields.check_keys(sink, &["id", "name", "kind", "blank"]);
        let id = fields
            .required(sink, "id")
            .and_then(|node| filled_text(sink, node, &fields.field("id")));
        let name = if_present(fields.optional("name"), |node| {
            filled_text(sink, node, &fields.field("name"))
        });
        let kind = if_present(fields.optional("kind"), |node| {
            choice(sink, node, &fields.field("kind"), "column kind", KINDS)
        });
        let blank = if_present(fields.optional("blank"), |node| {
            choice(sink, node, &fields.field("blank"), "blank meaning", BLANKS)
        });
        let kind = kind.map(|kind| kind.unwrap_or(ColumnKind::Count));
        if let (Some(ColumnKind::Percent), Some(Some(Blank::Zero)), Some(node)) =
            (kind, blank, fields.optional("blank"))
        {
            let message = "a blank percentage cannot mean zero: only counts can".to_owned();
            sink.error(&node.origin, &fields.field("blank"), FileRule::NotApplicable, message);
        }
        res.push(match (id, name, kind, blank) {
            (Some(id), Some(name), Some(kind), Some(blank)) => Some(Column {
                name: name.unwrap_or_else(|| id.clone()),
                id,
                kind,
                blank: blank.unwrap_or(Blank::Unpublished),
            }),
            _ => None,
        });
    }
    report_duplicates(sink, items, "columns", "id");
    res.into_iter().collect()
}

/// `[[rows]]`, with their notes.
fn rows(
    sink: &mut Sink<'_>,
    node: Option<&Node>,
    columns: &[Column],
) -> Option<(Vec<Row>, Vec<Option<String>>)> {
    let items = entries(sink, node, "rows", "at least one [[rows]] entry")?;
    let mut res = Vec::with_capacity(items.len());
    for (idx, item) in items.iter().enumerate() {
        let path = format!("rows[{idx}]");
        let Some(fields) = entry_fields(sink, item, &path) else {
            res.push(None);
            continue;
        };
        fields.check_keys(sink, &["id", "name", "role", "cells", "note"]);
        let id = fields
            .required(sink, "id")
            .and_then(|node| filled_text(sink, node, &fields.field("id")));
        let name = if_present(fields.optional("name"), |node| {
            filled_text(sink, node, &fields.field("name"))
        });
        let role = if_present(fields.optional("role"), |node| {
            choice(sink, node, &fields.field("role"), "row role", ROLES)
        });
        let note =
            if_present(fields.optional("note"), |node| text(sink, node, &fields.field("note")));
        let role = role.map(|role| role.unwrap_or(RowRole::Part));
        let cells = match (fields.required(sink, "cells"), role) {
            (Some(node), Some(role)) => cells(sink, node, &fields.field("cells"), columns, role),
            _ => None,
        };
        res.push(match (id, name, role, cells, note) {
            (Some(id), Some(name), Some(role), Some(cells), Some(note)) => {
                Some((Row { name: name.unwrap_or_else(|| id.clone()), id, role, cells }, note))
            }
            _ => None,
        });
    }
    report_duplicates(sink, items, "rows", "id");
    let res: Vec<(Row, Option<String>)> = res.into_iter().collect::<Option<_>>()?;
    let roles = [(RowRole::Total, "total"), (RowRole::Shares, "shares")];
    for (role, word) in roles {
        let mut with_role = res.iter().enumerate().filter(|(_, (row, _))| row.role == role);
        if let (Some(_), Some((idx, _))) = (with_role.next(), with_role.next()) {
            let message = format!("a table has at most one {word} row");
            sink.error(
                &items[idx].origin,
                &format!("rows[{idx}].role"),
                FileRule::TableStructure,
                message,
            );
        }
    }
    Some(res.into_iter().unzip())
}

/// A row's cells, keyed by column id; a column left out is blank.
fn cells(
    sink: &mut Sink<'_>,
    node: &Node,
    field: &str,
    columns: &[Column],
    role: RowRole,
) -> Option<Vec<Cell>> {
    let given = table(sink, node, field)?;
    let mut res = vec![Some(Cell::Blank); columns.len()];
    let mut ok = true;
    for entry in &given.entries {
        let cell_field = format!("{field}.{}", entry.key);
        let Some(idx) = columns.iter().position(|column| column.id == entry.key) else {
            let message = format!("{} is not a column of the table", entry.key);
            sink.error(&entry.key_origin, &cell_field, FileRule::UnknownReference, message);
            ok = false;
            continue;
        };
        let kind = if role == RowRole::Shares { ColumnKind::Percent } else { columns[idx].kind };
        res[idx] = cell(sink, &entry.node, &cell_field, kind);
    }
    let res: Option<Vec<Cell>> = res.into_iter().collect();
    res.filter(|_| ok)
}

/// One cell of a column of `kind`.
fn cell(sink: &mut Sink<'_>, node: &Node, field: &str, kind: ColumnKind) -> Option<Cell> {
    match (kind, &node.value) {
        (ColumnKind::Count, Value::Integer(number)) if *number >= 0 => {
            u64::try_from(*number).ok().map(Cell::Count)
        }
        (ColumnKind::Percent, Value::String(text)) => match PublishedPercent::parse(text) {
            Some(percent) => Some(Cell::Percent(percent)),
            None => {
                let message = format!("{text:?} is not a percentage such as \"75.8%\"");
                sink.error(&node.origin, field, FileRule::Percent, message);
                None
            }
        },
        (_, value) => {
            let expected = match kind {
                ColumnKind::Count => "a whole number, not negative",
                ColumnKind::Percent => "a percentage written as a string, such as \"75.8%\"",
            };
            let message = format!("expected {expected}, found {}", value.describe());
            let rule = if matches!(value, Value::Float(_)) {
                FileRule::Float
            } else {
                FileRule::TableStructure
            };
            sink.error(&node.origin, field, rule, message);
            None
        }
    }
}

/// `[[relations]]`, with column ids resolved.
fn relations(sink: &mut Sink<'_>, node: &Node, columns: &[Column]) -> Option<Vec<NamedRelation>> {
    let items = entries(sink, Some(node), "relations", "at least one [[relations]] entry")?;
    let read: Vec<Option<NamedRelation>> = items
        .iter()
        .enumerate()
        .map(|(idx, item)| {
            let path = format!("relations[{idx}]");
            let fields = entry_fields(sink, item, &path)?;
            relation(sink, fields, columns)
        })
        .collect();
    read.into_iter().collect()
}

/// One relation; its keys depend on its kind.
fn relation(sink: &mut Sink<'_>, fields: Fields<'_>, columns: &[Column]) -> Option<NamedRelation> {
    fields.check_keys(
        sink,
        &["name", "kind", "total", "parts", "columns", "denominator", "rounding"],
    );
    let name = fields
        .required(sink, "name")
        .and_then(|node| filled_text(sink, node, &fields.field("name")));
    let kind = fields
        .required(sink, "kind")
        .and_then(|node| choice(sink, node, &fields.field("kind"), "relation kind", RELATIONS))?;
    check_relation_keys(sink, fields, kind);
    let column = |sink: &mut Sink<'_>, key: &str| column_key(sink, fields, key, columns);
    let column_list = |sink: &mut Sink<'_>, key: &str| column_list_key(sink, fields, key, columns);
    let relation = match kind {
        RelationKind::RowSum | RelationKind::RowAtMost => {
            let (total, parts) = (column(sink, "total"), column_list(sink, "parts"));
            let (total, parts) = (total?, parts?);
            if kind == RelationKind::RowSum {
                Relation::RowSum { total, parts }
            } else {
                Relation::RowAtMost { total, parts }
            }
        }
        RelationKind::ColumnSum => Relation::ColumnSum { columns: column_list(sink, "columns")? },
        RelationKind::ColumnRange => {
            Relation::ColumnRange { columns: column_list(sink, "columns")? }
        }
        RelationKind::Share => {
            let (list, denominator) = (column_list(sink, "columns"), column(sink, "denominator"));
            let rounding = if_present(fields.optional("rounding"), |node| {
                choice(sink, node, &fields.field("rounding"), "rounding", ROUNDINGS)
            });
            Relation::Share {
                columns: list?,
                denominator: denominator?,
                rounding: rounding?.unwrap_or(ShareRounding::HalfUp),
            }
        }
    };
    Some(NamedRelation { name: name?, relation })
}

/// Reports the keys that do not apply to a relation of `kind` (rule `E-17`).
fn check_relation_keys(sink: &mut Sink<'_>, fields: Fields<'_>, kind: RelationKind) {
    let (needed, allowed): (&[&str], &[&str]) = match kind {
        RelationKind::RowSum | RelationKind::RowAtMost => (&["total", "parts"], &[]),
        RelationKind::ColumnSum | RelationKind::ColumnRange => (&["columns"], &[]),
        RelationKind::Share => (&["columns", "denominator"], &["rounding"]),
    };
    for key in ["total", "parts", "columns", "denominator", "rounding"] {
        if let Some(node) = fields.optional(key)
            && !needed.contains(&key)
            && !allowed.contains(&key)
        {
            let message = format!("{key} does not apply to a relation of this kind");
            sink.error(&node.origin, &fields.field(key), FileRule::NotApplicable, message);
        }
    }
}

/// The column named by `key`.
fn column_key(
    sink: &mut Sink<'_>,
    fields: Fields<'_>,
    key: &str,
    columns: &[Column],
) -> Option<usize> {
    let node = fields.required(sink, key)?;
    let id = filled_text(sink, node, &fields.field(key))?;
    column_index(sink, node.origin, &fields.field(key), columns, &id)
}

/// The columns named by the array `key`.
fn column_list_key(
    sink: &mut Sink<'_>,
    fields: Fields<'_>,
    key: &str,
    columns: &[Column],
) -> Option<Vec<usize>> {
    let node = fields.required(sink, key)?;
    let ids = texts(sink, node, &fields.field(key))?;
    let read: Vec<Option<usize>> = ids
        .iter()
        .enumerate()
        .map(|(idx, id)| {
            let field = format!("{}[{idx}]", fields.field(key));
            column_index(sink, node.origin, &field, columns, id)
        })
        .collect();
    read.into_iter().collect()
}

/// The index of the column `id` (rule `E-34` when there is none).
fn column_index(
    sink: &mut Sink<'_>,
    origin: Origin,
    field: &str,
    columns: &[Column],
    id: &str,
) -> Option<usize> {
    let idx = columns.iter().position(|column| column.id == id);
    if idx.is_none() {
        sink.error(
            &origin,
            field,
            FileRule::UnknownReference,
            format!("{id} is not a column of the table"),
        );
    }
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a table and describes its rows and relations, or its diagnostics.
    fn check(text: &str, expect: &str) {
        let res = match parse_published_table("t.toml", text, &[]) {
            Ok(file) => {
                let rows: Vec<String> = file
                    .table
                    .rows()
                    .iter()
                    .map(|row| {
                        format!(
                            "{} {:?} {}",
                            row.id,
                            row.role,
                            serde_json::to_string(&row.cells).expect("cells serialise")
                        )
                    })
                    .collect();
                format!("{} relations; {}", file.table.relations().len(), rows.join("; "))
            }
            Err(diagnostics) => diagnostics.to_string(),
        };
        assert_eq!(res, expect);
    }

    const COLUMNS: &str = "[table]\nname = \"t\"\n[[columns]]\nid = \"seats\"\n[[columns]]\nid = \"won\"\n\
        [[columns]]\nid = \"turnout\"\nkind = \"percent\"\n";

    #[test]
    fn reads_cells_roles_and_relations() {
        check(
            &format!(
                "{COLUMNS}[[rows]]\nid = \"a\"\ncells = {{ seats = 3, won = 2, turnout = \"75.8%\" }}\n\
                 [[rows]]\nid = \"all\"\nrole = \"total\"\ncells = {{ seats = 3 }}\n\
                 [[rows]]\nid = \"pct\"\nrole = \"shares\"\ncells = {{ won = \"66.6%\" }}\n\
                 [[relations]]\nname = \"won = seats\"\nkind = \"row-sum\"\ntotal = \"seats\"\nparts = [\"won\"]\n\
                 [[relations]]\nname = \"shares\"\nkind = \"share\"\ncolumns = [\"won\"]\ndenominator = \"seats\"\nrounding = \"down\"\n"
            ),
            "2 relations; a Part [3,2,{\"text\":\"75.8%\",\"places\":1}]; all Total [3,null,null]; pct Shares [null,{\"text\":\"66.6%\",\"places\":1},null]",
        );
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        check(
            &format!(
                "{COLUMNS}[[rows]]\nid = \"a\"\ncells = {{ seats = \"3\", won = -1, turnout = 75.8, lost = 1 }}\n\
                 [[rows]]\nid = \"a\"\nrole = \"total\"\ncells = {{ turnout = \"high\" }}\n\
                 [[rows]]\nid = \"b\"\nrole = \"total\"\ncells = {{}}\n\
                 [[relations]]\nname = \"r\"\nkind = \"row-sum\"\ntotal = \"seat\"\nparts = [\"won\"]\nrounding = \"down\"\n"
            ),
            "t.toml:12: rows[0].cells.seats: expected a whole number, not negative, found the string \"3\" (rule E-38)\n\
             t.toml:12: rows[0].cells.won: expected a whole number, not negative, found the integer -1 (rule E-38)\n\
             t.toml:12: rows[0].cells.turnout: expected a percentage written as a string, such as \"75.8%\", found the float 75.8 (rule E-6)\n\
             t.toml:12: rows[0].cells.lost: lost is not a column of the table (rule E-34)\n\
             t.toml:14: rows[1].id: id \"a\" is used twice (first by rows[0]) (rule E-33)\n\
             t.toml:16: rows[1].cells.turnout: \"high\" is not a percentage such as \"75.8%\" (rule E-9)\n\
             t.toml:24: relations[0].total: seat is not a column of the table (rule E-34)\n\
             t.toml:26: relations[0].rounding: rounding does not apply to a relation of this kind (rule E-17)",
        );
    }
}
