//! Terminal tables and number formatting for reports.
//!
//! comfy-table lays out the cells; this module decides what goes in them, so every
//! command prints numbers the same way (thousands grouped, exact fractions beside
//! decimals).

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};

/// A table with saylau's look: condensed UTF-8 borders, wrapped to the terminal.
pub(crate) fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(header.iter().map(Cell::new));
    table
}

/// A right-aligned cell, for numbers.
pub(crate) fn number(text: impl Into<String>) -> Cell {
    Cell::new(text.into()).set_alignment(CellAlignment::Right)
}

/// The recorded seats of a list beside its computed ones: `76 ✓` when they agree,
/// `76 ✗ differs` when not, empty when nothing is recorded.
pub(crate) fn official_cell(
    recorded: Option<saylau_app::allocate::Seats>,
    computed: saylau_app::allocate::Seats,
) -> Cell {
    let text = match recorded {
        Some(seats) if seats == computed => format!("{seats} ✓"),
        Some(seats) => format!("{seats} ✗ differs"),
        None => String::new(),
    };
    number(text)
}

/// Digits grouped by thousands with commas: `5148074` → `5,148,074`.
pub(crate) fn grouped(value: u64) -> String {
    group_digits(&value.to_string())
}

/// Groups the whole part of a decimal text: `67346.1327` → `67,346.1327`.
pub(crate) fn grouped_decimal(text: &str) -> String {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    match unsigned.split_once('.') {
        Some((whole, fraction)) => format!("{sign}{}.{fraction}", group_digits(whole)),
        None => format!("{sign}{}", group_digits(unsigned)),
    }
}

fn group_digits(digits: &str) -> String {
    let mut res = String::with_capacity(digits.len() + digits.len() / 3);
    for (idx, digit) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx).is_multiple_of(3) {
            res.push(',');
        }
        res.push(digit);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        assert_eq!(grouped_decimal(input), expect);
    }

    #[test]
    fn groups_thousands() {
        check("5148074", "5,148,074");
        check("67346.1327", "67,346.1327");
        check("-1234.5", "-1,234.5");
        check("999", "999");
        check("0.0021", "0.0021");
        assert_eq!(grouped(1000), "1,000");
    }
}
