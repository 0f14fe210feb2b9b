//! A published table as data: its columns, rows and cells, and the relations declared
//! between them, validated by [`PublishedTable::new`].

use serde::Serialize;

use crate::seats::rational::Rational;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ColumnKind {
    /// Whole numbers: seats, candidates, winners.
    Count,
    /// Published percentages, such as a turnout of `75.8%`.
    Percent,
}

/// What a blank cell of a column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Blank {
    /// Not published: relations that need it are skipped and noted.
    Unpublished,
    /// None: a results table leaves a party's cell empty where it won nothing.
    Zero,
}

/// A column of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Identifier, unique in the table.
    pub id: String,
    /// The heading as published.
    pub name: String,
    /// What it holds.
    pub kind: ColumnKind,
    /// What its blank cells mean (only counts can be zero).
    pub blank: Blank,
}

/// A percentage as published, with the number of decimals it was written with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedPercent {
    /// The text, such as `75.8%`.
    pub text: String,
    /// Its exact value in percent.
    #[serde(skip)]
    pub value: Rational,
    /// The decimals written: 1 for `75.8%`, 0 for `2%`.
    pub places: u32,
}

impl PublishedPercent {
    /// Parses `75.8%`, `2%` or `0.13%`; `None` when the text is not a non-negative decimal
    /// followed by `%`.
    pub fn parse(text: &str) -> Option<PublishedPercent> {
        let number = text.trim().strip_suffix('%')?;
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || (number.contains('.') && !digits(fraction)) {
            return None;
        }
        let value = Rational::parse_decimal(number).ok()?;
        let places = u32::try_from(fraction.len()).ok()?;
        Some(PublishedPercent { text: text.trim().to_owned(), value, places })
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// Not published.
    Blank,
    /// A whole number.
    Count(u64),
    /// A percentage.
    Percent(PublishedPercent),
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowRole {
    /// A part of the whole: a region.
    Part,
    /// The total of the part rows (Всего).
    Total,
    /// Percentages of the total row, under the total.
    Shares,
}

/// A row of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Identifier, unique in the table.
    pub id: String,
    /// The label as published.
    pub name: String,
    /// What the row is.
    pub role: RowRole,
    /// One cell per column, in column order.
    pub cells: Vec<Cell>,
}

/// How a published percentage was rounded from the exact share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShareRounding {
    /// To the nearest, halves up.
    HalfUp,
    /// Cut after the published decimals (10/730 = 1.37 % printed as 1.3 %).
    Down,
}

/// A declared relation between cells; columns are indices into the table's columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Relation {
    /// In every part and total row, the `parts` columns add up to the `total` column.
    RowSum {
        /// The column of the whole.
        total: usize,
        /// The columns of the parts.
        parts: Vec<usize>,
    },
    /// In every part and total row, the `parts` columns add up to at most the `total`.
    RowAtMost {
        /// The column of the whole.
        total: usize,
        /// The columns of the parts.
        parts: Vec<usize>,
    },
    /// In each of `columns`, the total row is the sum of the part rows.
    ColumnSum {
        /// The columns summed.
        columns: Vec<usize>,
    },
    /// In each of `columns`, the total row lies between the smallest and the largest part
    /// row (a national turnout between the regions' lowest and highest).
    ColumnRange {
        /// The columns.
        columns: Vec<usize>,
    },
    /// In each of `columns`, the shares row is the total row's cell as a percentage of the
    /// total row's `denominator` cell, rounded as published.
    Share {
        /// The columns whose shares are published.
        columns: Vec<usize>,
        /// The column of the whole.
        denominator: usize,
        /// How the shares were rounded.
        rounding: ShareRounding,
    },
}

/// A relation with the sentence that names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedRelation {
    /// What it says, such as "winners per party add up to the seats".
    pub name: String,
    /// The relation.
    pub relation: Relation,
}

/// A published table with its relations, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedTable {
    columns: Vec<Column>,
    rows: Vec<Row>,
    relations: Vec<NamedRelation>,
}

/// Why a table cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TableError {
    /// A row does not have one cell per column.
    #[error("row {0} does not have one cell per column")]
    RowWidth(String),
    /// A cell of the wrong kind for its column or row.
    #[error("row {row}, column {column}: {expected} expected")]
    CellKind {
        /// The row.
        row: String,
        /// The column.
        column: String,
        /// What the cell should hold.
        expected: &'static str,
    },
    /// More than one row with the role.
    #[error("more than one {0} row")]
    RepeatedRole(&'static str),
    /// A relation needs a row with a role that the table lacks.
    #[error("relation {relation:?} needs a {role} row")]
    MissingRole {
        /// The relation.
        relation: String,
        /// The role.
        role: &'static str,
    },
    /// A relation names a column out of range or of the wrong kind.
    #[error("relation {relation:?}: column {column} {problem}")]
    BadColumn {
        /// The relation.
        relation: String,
        /// The column index.
        column: usize,
        /// What is wrong.
        problem: &'static str,
    },
}

impl PublishedTable {
    /// A table from its parts, checked: cell kinds match their columns (percentages in the
    /// shares row), at most one total and one shares row, and relations name columns of a
    /// kind they can use.
    pub fn new(
        columns: Vec<Column>,
        rows: Vec<Row>,
        relations: Vec<NamedRelation>,
    ) -> Result<PublishedTable, TableError> {
        for role in [RowRole::Total, RowRole::Shares] {
            if rows.iter().filter(|row| row.role == role).count() > 1 {
                return Err(TableError::RepeatedRole(role_name(role)));
            }
        }
        for row in &rows {
            check_cells(&columns, row)?;
        }
        let has = |role| rows.iter().any(|row| row.role == role);
        for named in &relations {
            let needs: &[RowRole] = match named.relation {
                Relation::RowSum { .. } | Relation::RowAtMost { .. } => &[],
                Relation::ColumnSum { .. } | Relation::ColumnRange { .. } => &[RowRole::Total],
                Relation::Share { .. } => &[RowRole::Total, RowRole::Shares],
            };
            if let Some(&role) = needs.iter().find(|&&role| !has(role)) {
                let relation = named.name.clone();
                return Err(TableError::MissingRole { relation, role: role_name(role) });
            }
            check_relation_columns(&columns, named)?;
        }
        Ok(PublishedTable { columns, rows, relations })
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The rows in published order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The relations in declared order.
    pub fn relations(&self) -> &[NamedRelation] {
        &self.relations
    }
}

fn role_name(role: RowRole) -> &'static str {
    match role {
        RowRole::Part => "part",
        RowRole::Total => "total",
        RowRole::Shares => "shares",
    }
}

fn check_cells(columns: &[Column], row: &Row) -> Result<(), TableError> {
    if row.cells.len() != columns.len() {
        return Err(TableError::RowWidth(row.id.clone()));
    }
    for (column, cell) in columns.iter().zip(&row.cells) {
        let expected = match (row.role, column.kind, cell) {
            (_, _, Cell::Blank)
            | (RowRole::Shares, _, Cell::Percent(_))
            | (RowRole::Part | RowRole::Total, ColumnKind::Count, Cell::Count(_))
            | (RowRole::Part | RowRole::Total, ColumnKind::Percent, Cell::Percent(_)) => continue,
            (RowRole::Shares, _, _) => "a percentage (shares row)",
            (_, ColumnKind::Count, _) => "a whole number",
            (_, ColumnKind::Percent, _) => "a percentage",
        };
        let (row, column) = (row.id.clone(), column.id.clone());
        return Err(TableError::CellKind { row, column, expected });
    }
    Ok(())
}

fn check_relation_columns(columns: &[Column], named: &NamedRelation) -> Result<(), TableError> {
    let counts: Vec<usize> = match &named.relation {
        Relation::RowSum { total, parts } | Relation::RowAtMost { total, parts } => {
            std::iter::once(*total).chain(parts.iter().copied()).collect()
        }
        Relation::ColumnSum { columns } => columns.clone(),
        Relation::ColumnRange { columns: range_columns } => {
            return range_columns
                .iter()
                .try_for_each(|&column| in_range(columns.len(), named, column));
        }
        Relation::Share { columns, denominator, .. } => {
            columns.iter().copied().chain(std::iter::once(*denominator)).collect()
        }
    };
    for column in counts {
        in_range(columns.len(), named, column)?;
        if columns[column].kind != ColumnKind::Count {
            let relation = named.name.clone();
            let problem = "holds percentages, but the relation adds or divides counts";
            return Err(TableError::BadColumn { relation, column, problem });
        }
    }
    Ok(())
}

fn in_range(len: usize, named: &NamedRelation, column: usize) -> Result<(), TableError> {
    if column < len {
        return Ok(());
    }
    let relation = named.name.clone();
    Err(TableError::BadColumn { relation, column, problem: "does not exist" })
}

/// Test data: a column `id` of `kind` whose blanks are unpublished.
#[cfg(test)]
pub(super) fn test_column(id: &str, kind: ColumnKind) -> Column {
    Column { id: id.to_owned(), name: id.to_owned(), kind, blank: Blank::Unpublished }
}

/// Test data: a cell from text: empty is blank, `%` is a percentage, else a count.
#[cfg(test)]
pub(super) fn test_cell(text: &str) -> Cell {
    if text.is_empty() {
        Cell::Blank
    } else if text.ends_with('%') {
        Cell::Percent(PublishedPercent::parse(text).expect("a percentage"))
    } else {
        Cell::Count(text.parse().expect("a count"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_percentages_keep_their_decimals() {
        let parse =
            |text: &str| PublishedPercent::parse(text).map(|it| (it.value.to_string(), it.places));
        assert_eq!(parse("75.8%"), Some(("379/5".to_owned(), 1)));
        assert_eq!(parse("2%"), Some(("2".to_owned(), 0)));
        assert_eq!(parse("0.13%"), Some(("13/100".to_owned(), 2)));
        assert_eq!(parse("75.8"), None);
        assert_eq!(parse("-1%"), None);
        assert_eq!(parse(".5%"), None);
    }

    #[test]
    fn tables_with_wrong_cells_or_roles_are_refused() {
        let rows = vec![Row {
            id: "t".to_owned(),
            name: "t".to_owned(),
            role: RowRole::Total,
            cells: vec![test_cell("5%")],
        }];
        let err =
            PublishedTable::new(vec![test_column("seats", ColumnKind::Count)], rows, Vec::new());
        assert_eq!(
            err.map(|_| ()).unwrap_err().to_string(),
            "row t, column seats: a whole number expected"
        );
        let sums = NamedRelation {
            name: "s".to_owned(),
            relation: Relation::ColumnSum { columns: vec![0] },
        };
        let err = PublishedTable::new(
            vec![test_column("seats", ColumnKind::Count)],
            Vec::new(),
            vec![sums],
        );
        assert_eq!(err.map(|_| ()).unwrap_err().to_string(), "relation \"s\" needs a total row");
    }
}
