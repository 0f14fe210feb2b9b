//! Checking a published table: every declared relation, row by row or column by column,
//! with the problems it finds and notes on what blank cells kept from being checked.

use std::cmp::Ordering;

use num_bigint::BigInt;
use serde::Serialize;

use super::table::{
    Blank, Cell, Column, NamedRelation, PublishedTable, Relation, Row, RowRole, ShareRounding,
};
use crate::seats::rational::Rational;

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
    for named in table.relations() {
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
    match (&row.cells[column], table.columns()[column].blank) {
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
    let total_column = &table.columns()[total];
    for row in table.rows().iter().filter(|row| row.role != RowRole::Shares) {
        let Some(whole) = count_at(table, row, total) else {
            note(res, named, row, Some(total_column), format!("{} is blank", total_column.id));
            continue;
        };
        let blank: Vec<&str> = parts
            .iter()
            .filter(|&&part| count_at(table, row, part).is_none())
            .map(|&part| table.columns()[part].id.as_str())
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
                    .map(|&part| table.columns()[part].id.as_str())
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
        table.rows().iter().find(|row| row.role == RowRole::Total).expect("checked by new");
    let parts: Vec<&Row> = table.rows().iter().filter(|row| row.role == RowRole::Part).collect();
    for &column in columns {
        let column_def = &table.columns()[column];
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
        table.rows().iter().find(|row| row.role == RowRole::Total).expect("checked by new");
    for &column in columns {
        let column_def = &table.columns()[column];
        let parts: Vec<&Cell> = table
            .rows()
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
        table.rows().iter().find(|row| row.role == RowRole::Total).expect("checked by new");
    let shares_row =
        table.rows().iter().find(|row| row.role == RowRole::Shares).expect("checked by new");
    for &column in columns {
        let column_def = &table.columns()[column];
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
        let denominator_id = &table.columns()[denominator].id;
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
    use crate::count::consistency::table::{ColumnKind, test_cell, test_column};

    /// Columns `seats, a, b, turnout`; rows `id role cells...`; relations as given.
    /// Checks and describes each problem as `row column expected found`.
    fn check(rows: &[&str], relations: Vec<Relation>, expect: &[&str]) {
        let columns = vec![
            test_column("seats", ColumnKind::Count),
            test_column("a", ColumnKind::Count),
            test_column("b", ColumnKind::Count),
            test_column("turnout", ColumnKind::Percent),
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
                let cells =
                    fields[2..].iter().map(|text| test_cell(text.trim_matches('_'))).collect();
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
            vec![test_column("seats", ColumnKind::Count), test_column("won", ColumnKind::Count)];
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
}
