//! The column-proportions test of SPSS Custom Tables (`/COMPARETEST TYPE=PROP`): in one
//! row of a table, every pair of banner columns is compared with a pooled two-proportion
//! z-test, p-values are adjusted within the row, and the letter of the column with the
//! smaller proportion is written in the cell of the larger.
//!
//! z = (p1 - p2) / sqrt(pbar (1 - pbar) (1/n1 + 1/n2)), pbar = (p1 n1 + p2 n2) / (n1 + n2),
//! two-sided. For weighted data `n` is the column's effective base (Kish), as CTABLES'
//! effective-base weight, Q and Reporter do. A column whose proportion is 0 or 1 is not
//! used (SPSS's 0 %/100 % rule), nor is one with no base. Bonferroni multiplies each p by
//! the number of column pairs in the row, c (c - 1) / 2 over the columns with a base.
//! Hand-written: no crate does this test.

use serde::Serialize;

use crate::moe::two_sided_p;

/// How p-values are adjusted within a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Adjust {
    /// Multiply by the number of pairs in the row (SPSS `ADJUST=BONFERRONI`).
    Bonferroni,
    /// No adjustment.
    None,
}

/// The test's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TestOptions {
    /// Significance level.
    pub alpha: f64,
    /// Adjustment within a row.
    pub adjust: Adjust,
}

impl TestOptions {
    /// SPSS's defaults: alpha 0.05, Bonferroni.
    #[must_use]
    pub fn spss() -> TestOptions {
        TestOptions { alpha: 0.05, adjust: Adjust::Bonferroni }
    }
}

/// One column of one row: its proportion and the base to test with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proportion {
    /// The proportion, 0 to 1.
    pub p: f64,
    /// The (effective) base.
    pub n: f64,
}

/// One tested pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairTest {
    /// The first column (index among the tested columns).
    pub a: usize,
    /// The second column.
    pub b: usize,
    /// The z statistic, positive when `a` is larger.
    pub z: f64,
    /// The raw two-sided p-value.
    pub p: f64,
    /// The adjusted p-value (capped at 1).
    pub p_adjusted: f64,
    /// Whether the adjusted p-value is below alpha.
    pub significant: bool,
}

/// The test of one row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowTest {
    /// The letters each column's cell gets (the columns it is significantly above).
    pub letters: Vec<String>,
    /// Every pair tested.
    pub pairs: Vec<PairTest>,
    /// Columns not used: proportion 0 or 1, or no base.
    pub not_used: Vec<usize>,
    /// The Bonferroni multiplier used (1 without adjustment).
    pub family: usize,
}

/// The letter of column `idx`: A, B, ... Z, then AA, AB, ...
#[must_use]
pub fn column_letter(idx: usize) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    if idx < 26 {
        char::from(alphabet[idx]).to_string()
    } else {
        format!("{}{}", char::from(alphabet[idx / 26 - 1]), char::from(alphabet[idx % 26]))
    }
}

/// The pooled two-proportion z statistic.
#[must_use]
pub fn pooled_z(first: Proportion, second: Proportion) -> f64 {
    let pooled = (first.p * first.n + second.p * second.n) / (first.n + second.n);
    let se = (pooled * (1.0 - pooled) * (1.0 / first.n + 1.0 / second.n)).sqrt();
    if se > 0.0 { (first.p - second.p) / se } else { 0.0 }
}

/// Tests every pair of `columns` of one row.
#[must_use]
pub fn test_row(columns: &[Proportion], options: TestOptions) -> RowTest {
    let with_base = columns.iter().filter(|it| it.n > 0.0).count();
    let family = match options.adjust {
        Adjust::Bonferroni => (with_base * with_base.saturating_sub(1) / 2).max(1),
        Adjust::None => 1,
    };
    let not_used: Vec<usize> = columns
        .iter()
        .enumerate()
        .filter(|(_, it)| it.n <= 0.0 || it.p <= 0.0 || it.p >= 1.0)
        .map(|(idx, _)| idx)
        .collect();
    let mut letters = vec![String::new(); columns.len()];
    let mut pairs = Vec::new();
    for a in 0..columns.len() {
        for b in a + 1..columns.len() {
            if not_used.contains(&a) || not_used.contains(&b) {
                continue;
            }
            let z = pooled_z(columns[a], columns[b]);
            let p = two_sided_p(z);
            let p_adjusted = (p * family as f64).min(1.0);
            let significant = p_adjusted < options.alpha;
            if significant {
                let (larger, smaller) = if z > 0.0 { (a, b) } else { (b, a) };
                letters[larger].push_str(&column_letter(smaller));
            }
            pairs.push(PairTest { a, b, z, p, p_adjusted, significant });
        }
    }
    for cell in &mut letters {
        let mut sorted: Vec<char> = cell.chars().collect();
        sorted.sort_unstable();
        *cell = sorted.into_iter().collect();
    }
    RowTest { letters, pairs, not_used, family }
}

#[cfg(test)]
mod tests {
    use super::{Proportion, TestOptions, test_row};

    fn check(columns: &[(f64, f64)], expect: &[&str]) {
        let columns: Vec<Proportion> =
            columns.iter().map(|(p, n)| Proportion { p: *p, n: *n }).collect();
        let got = test_row(&columns, TestOptions::spss());
        assert_eq!(got.letters, expect);
    }

    #[test]
    fn the_notes_worked_example_t7() {
        // Research note §2: T7 "Yes" 70 % of 280, 72 % of 297, 51 % of 623.
        check(&[(0.70, 280.0), (0.72, 297.0), (0.51, 623.0)], &["C", "C", ""]);
        check(&[(0.24, 280.0), (0.27, 297.0), (0.43, 623.0)], &["", "", "AB"]);
    }

    #[test]
    fn zero_and_hundred_percent_columns_are_not_used() {
        // T5 "none": Active 0 % would be "significantly" below Inactive's 44 % in a plain test.
        let columns = [
            Proportion { p: 0.0, n: 280.0 },
            Proportion { p: 0.05, n: 297.0 },
            Proportion { p: 0.44, n: 623.0 },
        ];
        let got = test_row(&columns, TestOptions::spss());
        assert_eq!(got.not_used, [0]);
        assert_eq!(got.letters, ["", "", "B"]);
        assert_eq!(got.family, 3);
    }
}
