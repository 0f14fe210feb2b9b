//! Consistency checks on published result tables: do the parts add up to their totals?
//!
//! The CEC publishes tables of totals (per region, with a total row), and the seed's
//! central complaint is that observers cannot cross-check them (section 6). Even the
//! totals do not always add up: table 3 of the seed (rural akims, 25 July 2021) gives
//! Zhambyl 38 seats but 37 winners, and the country 729 winners for 730 seats. A
//! [`PublishedTable`] declares its relations as data ("winners per party add up to the
//! seats", "the total row is the sum of the regions", "a share is the count over the
//! total") and [`check_table`] reports every cell that breaks one.
//!
//! A blank cell (not published) is never guessed: a relation that needs it is skipped and
//! noted, and a column sum over rows with blanks adds up the published cells and says so.

use std::cmp::Ordering;

use num_bigint::BigInt;
use serde::Serialize;

use crate::rational::Rational;

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

/// A figure in a problem: a whole number, or text such as `12.6%`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Figure {
    /// A whole number.
    Count(u64),
    /// Text: a percentage or a range.
    Text(String),
}

/// One broken relation in one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The relation's sentence.
    pub relation: String,
    /// The row id.
    pub row: String,
    /// The column id, when the problem is in one column.
    pub column: Option<String>,
    /// The figure the table states for the whole (a total cell, a published share).
    pub expected: Figure,
    /// What the parts give (their sum, the share they compute to, their range).
    pub found: Figure,
    /// The problem in words.
    pub message: String,
}

/// A relation that could not be checked fully, because of blank cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The relation's sentence.
    pub relation: String,
    /// The row id.
    pub row: String,
    /// The column id, if any.
    pub column: Option<String>,
    /// What was not checked, and why.
    pub message: String,
}

/// The outcome of checking a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCheck {
    /// Comparisons made.
    pub checked: u32,
    /// Every broken relation, relation by relation, rows in table order.
    pub problems: Vec<Problem>,
    /// Comparisons skipped or made on published cells only.
    pub notes: Vec<Note>,
}

/// Checks every relation of `table`.
pub fn check_table(table: &PublishedTable) -> TableCheck {
    let mut res = TableCheck { checked: 0, problems: Vec::new(), notes: Vec::new() };
    for named in &table.relations {
        match &named.relation {
            Relation::RowSum { total, parts } => {
                row_sums(table, named, *total, parts, Ordering::Equal, &mut res);
            }
            Relation::RowAtMost { total, parts } => {
                row_sums(table, named, *total, parts, Ordering::Less, &mut res);
            }
            Relation::ColumnSum { columns } => column_sums(table, named, columns, &mut res),
            Relation::ColumnRange { columns } => column_ranges(table, named, columns, &mut res),
            Relation::Share { columns, denominator, rounding } => {
                shares(table, named, columns, *denominator, *rounding, &mut res);
            }
        }
    }
    res
}

/// The count in `row` at `column`, a blank read as its column says.
fn count_at(table: &PublishedTable, row: &Row, column: usize) -> Option<u64> {
    match (&row.cells[column], table.columns[column].blank) {
        (Cell::Count(value), _) => Some(*value),
        (Cell::Blank, Blank::Zero) => Some(0),
        _ => None,
    }
}

fn value_of(cell: &Cell) -> Option<Rational> {
    match cell {
        Cell::Count(value) => Some(Rational::from_integer(i128::from(*value))),
        Cell::Percent(percent) => Some(percent.value.clone()),
        Cell::Blank => None,
    }
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Count(value) => value.to_string(),
        Cell::Percent(percent) => percent.text.clone(),
        Cell::Blank => "blank".to_owned(),
    }
}

fn note(
    res: &mut TableCheck,
    named: &NamedRelation,
    row: &Row,
    column: Option<&Column>,
    message: String,
) {
    res.notes.push(Note {
        relation: named.name.clone(),
        row: row.id.clone(),
        column: column.map(|column| column.id.clone()),
        message,
    });
}

/// `parts` against `total` in each part and total row: equal, or at most (`Less`).
fn row_sums(
    table: &PublishedTable,
    named: &NamedRelation,
    total: usize,
    parts: &[usize],
    allowed: Ordering,
    res: &mut TableCheck,
) {
    let total_column = &table.columns[total];
    for row in table.rows.iter().filter(|row| row.role != RowRole::Shares) {
        let Some(whole) = count_at(table, row, total) else {
            note(res, named, row, Some(total_column), format!("{} is blank", total_column.id));
            continue;
        };
        let blank: Vec<&str> = parts
            .iter()
            .filter(|&&part| count_at(table, row, part).is_none())
            .map(|&part| table.columns[part].id.as_str())
            .collect();
        let sum: u128 =
            parts.iter().filter_map(|&part| count_at(table, row, part)).map(u128::from).sum();
        let order = sum.cmp(&u128::from(whole));
        // An equality needs every part; blank parts can only add to an at-most sum, so the
        // published parts alone already break it when they exceed the total.
        if !blank.is_empty() {
            if allowed == Ordering::Equal {
                note(res, named, row, None, format!("not checked: {} blank", blank.join(", ")));
                continue;
            }
            note(
                res,
                named,
                row,
                None,
                format!("published parts only: {} blank", blank.join(", ")),
            );
        }
        res.checked += 1;
        if order == Ordering::Equal || order == allowed {
            continue;
        }
        let found = u64::try_from(sum).unwrap_or(u64::MAX);
        let relation_word = if allowed == Ordering::Equal { "add up to" } else { "exceed" };
        res.problems.push(Problem {
            relation: named.name.clone(),
            row: row.id.clone(),
            column: None,
            expected: Figure::Count(whole),
            found: Figure::Count(found),
            message: format!(
                "{}: the parts ({}) {relation_word} {found}, but {} is {whole}",
                row.name,
                parts
                    .iter()
                    .map(|&part| table.columns[part].id.as_str())
                    .collect::<Vec<_>>()
                    .join(" + "),
                total_column.id,
            ),
        });
    }
}

/// The total row against the sum of the part rows, column by column.
fn column_sums(
    table: &PublishedTable,
    named: &NamedRelation,
    columns: &[usize],
    res: &mut TableCheck,
) {
    let total_row =
        table.rows.iter().find(|row| row.role == RowRole::Total).expect("checked by new");
    let parts: Vec<&Row> = table.rows.iter().filter(|row| row.role == RowRole::Part).collect();
    for &column in columns {
        let column_def = &table.columns[column];
        let Some(whole) = count_at(table, total_row, column) else {
            note(res, named, total_row, Some(column_def), "the total is blank".to_owned());
            continue;
        };
        let blank: Vec<&str> = parts
            .iter()
            .filter(|row| count_at(table, row, column).is_none())
            .map(|row| row.id.as_str())
            .collect();
        if !blank.is_empty() {
            let message = format!("sum of the published rows only: {} blank", blank.join(", "));
            note(res, named, total_row, Some(column_def), message);
        }
        let sum: u128 =
            parts.iter().filter_map(|row| count_at(table, row, column)).map(u128::from).sum();
        res.checked += 1;
        if sum == u128::from(whole) {
            continue;
        }
        let found = u64::try_from(sum).unwrap_or(u64::MAX);
        res.problems.push(Problem {
            relation: named.name.clone(),
            row: total_row.id.clone(),
            column: Some(column_def.id.clone()),
            expected: Figure::Count(whole),
            found: Figure::Count(found),
            message: format!(
                "{}: the rows add up to {found}, but the total row says {whole}",
                column_def.id
            ),
        });
    }
}

/// The total row between the smallest and largest part row, column by column.
fn column_ranges(
    table: &PublishedTable,
    named: &NamedRelation,
    columns: &[usize],
    res: &mut TableCheck,
) {
    let total_row =
        table.rows.iter().find(|row| row.role == RowRole::Total).expect("checked by new");
    for &column in columns {
        let column_def = &table.columns[column];
        let parts: Vec<&Cell> = table
            .rows
            .iter()
            .filter(|row| row.role == RowRole::Part && row.cells[column] != Cell::Blank)
            .map(|row| &row.cells[column])
            .collect();
        let (Some(whole), false) = (value_of(&total_row.cells[column]), parts.is_empty()) else {
            note(
                res,
                named,
                total_row,
                Some(column_def),
                "the total or every row is blank".to_owned(),
            );
            continue;
        };
        let key = |cell: &Cell| value_of(cell).expect("blank cells were filtered out");
        let low = parts.iter().copied().min_by_key(|cell| key(cell)).expect("parts is not empty");
        let high = parts.iter().copied().max_by_key(|cell| key(cell)).expect("parts is not empty");
        res.checked += 1;
        if whole >= key(low) && whole <= key(high) {
            continue;
        }
        let range = format!("{} to {}", cell_text(low), cell_text(high));
        let stated = cell_text(&total_row.cells[column]);
        res.problems.push(Problem {
            relation: named.name.clone(),
            row: total_row.id.clone(),
            column: Some(column_def.id.clone()),
            expected: Figure::Text(stated.clone()),
            found: Figure::Text(range.clone()),
            message: format!(
                "{}: the total {stated} lies outside the rows' {range}",
                column_def.id
            ),
        });
    }
}

/// The shares row against the total row's counts over its denominator.
fn shares(
    table: &PublishedTable,
    named: &NamedRelation,
    columns: &[usize],
    denominator: usize,
    rounding: ShareRounding,
    res: &mut TableCheck,
) {
    let total_row =
        table.rows.iter().find(|row| row.role == RowRole::Total).expect("checked by new");
    let shares_row =
        table.rows.iter().find(|row| row.role == RowRole::Shares).expect("checked by new");
    for &column in columns {
        let column_def = &table.columns[column];
        let published = match &shares_row.cells[column] {
            Cell::Percent(percent) => percent,
            _ => {
                note(res, named, shares_row, Some(column_def), "no share is published".to_owned());
                continue;
            }
        };
        let (Some(part), Some(whole)) =
            (count_at(table, total_row, column), count_at(table, total_row, denominator))
        else {
            note(res, named, shares_row, Some(column_def), "a total is blank".to_owned());
            continue;
        };
        if whole == 0 {
            note(res, named, shares_row, Some(column_def), "the denominator is 0".to_owned());
            continue;
        }
        let exact = Rational::from_ratio(u128::from(part) * 100, u128::from(whole));
        let computed = rounded(&exact, published.places, rounding);
        res.checked += 1;
        if Rational::parse_decimal(&computed).is_ok_and(|value| value == published.value) {
            continue;
        }
        let denominator_id = &table.columns[denominator].id;
        res.problems.push(Problem {
            relation: named.name.clone(),
            row: shares_row.id.clone(),
            column: Some(column_def.id.clone()),
            expected: Figure::Text(published.text.clone()),
            found: Figure::Text(format!("{computed}%")),
            message: format!(
                "{}: {part} of {whole} ({denominator_id}) is {}%, published as {}",
                column_def.id,
                exact.to_decimal(published.places + 2),
                published.text
            ),
        });
    }
}

/// `value` with `places` decimals, rounded half up or cut.
fn rounded(value: &Rational, places: u32, rounding: ShareRounding) -> String {
    match rounding {
        ShareRounding::HalfUp => value.to_decimal(places),
        ShareRounding::Down => {
            let scale = BigInt::from(10u32).pow(places);
            let cut = value.numer() * &scale / value.denom();
            let cut = Rational::from_big(num_rational::BigRational::new(cut, scale));
            cut.to_decimal(places)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(id: &str, kind: ColumnKind) -> Column {
        Column { id: id.to_owned(), name: id.to_owned(), kind, blank: Blank::Unpublished }
    }

    /// A cell from text: empty is blank, `%` is a percentage, else a count.
    fn cell(text: &str) -> Cell {
        if text.is_empty() {
            Cell::Blank
        } else if text.ends_with('%') {
            Cell::Percent(PublishedPercent::parse(text).expect("a percentage"))
        } else {
            Cell::Count(text.parse().expect("a count"))
        }
    }

    /// Columns `seats, a, b, turnout`; rows `id role cells...`; relations as given.
    /// Checks and describes each problem as `row column expected found`.
    fn check(rows: &[&str], relations: Vec<Relation>, expect: &[&str]) {
        let columns = vec![
            column("seats", ColumnKind::Count),
            column("a", ColumnKind::Count),
            column("b", ColumnKind::Count),
            column("turnout", ColumnKind::Percent),
        ];
        let rows = rows
            .iter()
            .map(|line| {
                let fields: Vec<&str> = line.split(' ').collect();
                let role = match fields[1] {
                    "total" => RowRole::Total,
                    "shares" => RowRole::Shares,
                    _ => RowRole::Part,
                };
                let cells = fields[2..].iter().map(|text| cell(text.trim_matches('_'))).collect();
                Row { id: fields[0].to_owned(), name: fields[0].to_owned(), role, cells }
            })
            .collect();
        let relations = relations
            .into_iter()
            .map(|relation| NamedRelation { name: "r".to_owned(), relation })
            .collect();
        let table = PublishedTable::new(columns, rows, relations).expect("a valid table");
        let res = check_table(&table);
        let found: Vec<String> = res
            .problems
            .iter()
            .map(|problem| {
                let show = |figure: &Figure| match figure {
                    Figure::Count(value) => value.to_string(),
                    Figure::Text(text) => text.clone(),
                };
                let column = problem.column.as_deref().unwrap_or("-");
                format!(
                    "{} {column} {} {}",
                    problem.row,
                    show(&problem.expected),
                    show(&problem.found)
                )
            })
            .collect();
        assert_eq!(found, expect);
    }

    const TABLE: &[&str] = &[
        "north part 10 6 4 70.5%",
        "south part 38 30 7 90.6%",
        "total total 48 36 11 80.8%",
        "share shares _ 75.0% 22.9% _",
    ];

    #[test]
    fn row_sums_report_rows_whose_parts_miss_the_total() {
        let relation = Relation::RowSum { total: 0, parts: vec![1, 2] };
        check(TABLE, vec![relation], &["south - 38 37", "total - 48 47"]);
    }

    #[test]
    fn column_sums_and_ranges_check_the_total_row() {
        let sums = Relation::ColumnSum { columns: vec![0, 1, 2] };
        check(TABLE, vec![sums], &[]);
        let range = Relation::ColumnRange { columns: vec![3] };
        check(TABLE, vec![range.clone()], &[]);
        let outside = ["north part 10 6 4 70.5%", "total total 10 6 4 95%"];
        check(&outside, vec![range], &["total turnout 95% 70.5% to 70.5%"]);
        let wrong = ["north part 10 6 4 _", "south part 5 1 4 _", "total total 16 7 8 _"];
        check(&wrong, vec![Relation::ColumnSum { columns: vec![0, 1, 2] }], &["total seats 16 15"]);
    }

    #[test]
    fn shares_are_rounded_as_published() {
        // 36 / 48 = 75 % exactly; 11 / 48 = 22.916 %: 22.9 % when cut, 22.9 % rounded too.
        let down =
            Relation::Share { columns: vec![1, 2], denominator: 0, rounding: ShareRounding::Down };
        check(TABLE, vec![down], &[]);
        let cut = ["total total 730 10 0 _", "share shares _ 1.3% _ _"];
        let half_up =
            Relation::Share { columns: vec![1], denominator: 0, rounding: ShareRounding::HalfUp };
        check(&cut, vec![half_up], &["share a 1.3% 1.4%"]);
        let down =
            Relation::Share { columns: vec![1], denominator: 0, rounding: ShareRounding::Down };
        check(&cut, vec![down], &[]);
    }

    #[test]
    fn blank_cells_are_noted_not_guessed() {
        let rows = ["north part 10 6 _ _", "south part 8 3 4 _", "total total 18 9 4 _"];
        // North cannot be checked; the column sum of b adds the published cells only.
        check(
            &rows,
            vec![Relation::RowSum { total: 0, parts: vec![1, 2] }],
            &["south - 8 7", "total - 18 13"],
        );
        check(&rows, vec![Relation::RowAtMost { total: 0, parts: vec![1, 2] }], &[]);
        check(&rows, vec![Relation::ColumnSum { columns: vec![2] }], &[]);
    }

    #[test]
    fn a_blank_can_mean_zero() {
        let mut columns =
            vec![column("seats", ColumnKind::Count), column("won", ColumnKind::Count)];
        columns[1].blank = Blank::Zero;
        let row = |id: &str, role, cells: Vec<Cell>| Row {
            id: id.to_owned(),
            name: id.to_owned(),
            role,
            cells,
        };
        let rows = vec![
            row("north", RowRole::Part, vec![Cell::Count(1), Cell::Blank]),
            row("total", RowRole::Total, vec![Cell::Count(1), Cell::Count(0)]),
        ];
        let relations = vec![
            NamedRelation {
                name: "sum".to_owned(),
                relation: Relation::RowSum { total: 0, parts: vec![1] },
            },
            NamedRelation {
                name: "col".to_owned(),
                relation: Relation::ColumnSum { columns: vec![1] },
            },
        ];
        let table = PublishedTable::new(columns, rows, relations).expect("a valid table");
        let res = check_table(&table);
        let rows: Vec<(&str, &Figure, &Figure)> =
            res.problems.iter().map(|it| (it.row.as_str(), &it.expected, &it.found)).collect();
        assert_eq!(
            rows,
            [
                ("north", &Figure::Count(1), &Figure::Count(0)),
                ("total", &Figure::Count(1), &Figure::Count(0))
            ]
        );
        assert!(res.notes.is_empty(), "a zero blank is not a missing figure: {:?}", res.notes);
    }

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
            cells: vec![cell("5%")],
        }];
        let err = PublishedTable::new(vec![column("seats", ColumnKind::Count)], rows, Vec::new());
        assert_eq!(
            err.map(|_| ()).unwrap_err().to_string(),
            "row t, column seats: a whole number expected"
        );
        let sums = NamedRelation {
            name: "s".to_owned(),
            relation: Relation::ColumnSum { columns: vec![0] },
        };
        let err =
            PublishedTable::new(vec![column("seats", ColumnKind::Count)], Vec::new(), vec![sums]);
        assert_eq!(err.map(|_| ()).unwrap_err().to_string(), "relation \"s\" needs a total row");
    }
}
