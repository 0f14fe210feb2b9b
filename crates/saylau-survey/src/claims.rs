//! The seed's prose claims about significance, checked against a real test.
//!
//! A "no significant differences" claim (`nosig`) is not supported when any pair of
//! banner columns differs significantly in any row of its table. A "significantly more"
//! claim (`sig`) that cites cells is supported when every cited cell, other than the
//! smallest cited one of its row, carries a letter (is significantly above some column).
//! A `sig` claim that cites no cells ("on every action") is left unchecked.

use serde::Serialize;

use crate::crosstab::Crosstab;

/// What a test says about a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClaimVerdict {
    /// The test agrees.
    Supported,
    /// The test does not support the claim.
    NotSupported,
    /// The claim cites no cells to test.
    Unchecked,
}

/// One checked claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimCheck {
    /// `sig` or `nosig`.
    pub kind: String,
    /// The claim as printed.
    pub claim_ru: String,
    /// Its English gist.
    pub claim_en: String,
    /// The verdict.
    pub verdict: ClaimVerdict,
    /// Why.
    pub reason: String,
}

/// Checks the claims of a published table entry against `table`, whose banner columns
/// (after Total) are the entry's columns in printed order.
#[must_use]
pub fn check_claims(entry: &serde_json::Value, table: &Crosstab) -> Vec<ClaimCheck> {
    let keys: Vec<&str> = entry["columns"]
        .as_array()
        .map(|it| it.iter().filter_map(|c| c["key"].as_str()).filter(|k| *k != "total").collect())
        .unwrap_or_default();
    let claims = entry["claims_in_text"].as_array().cloned().unwrap_or_default();
    claims
        .iter()
        .filter(|claim| matches!(claim["kind"].as_str(), Some("sig" | "nosig")))
        .map(|claim| {
            let kind = claim["kind"].as_str().unwrap_or_default().to_owned();
            let (verdict, reason) =
                if kind == "nosig" { no_difference(table) } else { cited(claim, table, &keys) };
            ClaimCheck {
                kind,
                claim_ru: claim["ru"].as_str().unwrap_or_default().to_owned(),
                claim_en: claim["en"].as_str().unwrap_or_default().to_owned(),
                verdict,
                reason,
            }
        })
        .collect()
}

fn no_difference(table: &Crosstab) -> (ClaimVerdict, String) {
    let tested: usize = table.rows.iter().map(|row| row.test.pairs.len()).sum();
    let significant: Vec<String> = table
        .rows
        .iter()
        .flat_map(|row| {
            row.test.pairs.iter().filter(|it| it.significant).map(move |pair| (row, pair))
        })
        .map(|(row, pair)| {
            format!(
                "{}: {} vs {}",
                row.label.en,
                table.columns[pair.a + 1].label.en,
                table.columns[pair.b + 1].label.en
            )
        })
        .collect();
    if significant.is_empty() {
        (ClaimVerdict::Supported, format!("none of {tested} pairs differs significantly"))
    } else {
        let examples = significant.iter().take(3).cloned().collect::<Vec<_>>().join("; ");
        (
            ClaimVerdict::NotSupported,
            format!(
                "{} of {tested} pairs differ significantly (e.g. {examples})",
                significant.len()
            ),
        )
    }
}

fn cited(claim: &serde_json::Value, table: &Crosstab, keys: &[&str]) -> (ClaimVerdict, String) {
    let cells = claim["cells"].as_array().cloned().unwrap_or_default();
    if cells.is_empty() {
        return (ClaimVerdict::Unchecked, "the claim cites no cells; read the letters".to_owned());
    }
    let mut failures = Vec::new();
    for cell in &cells {
        let row_label = cell["row_ru"].as_str().unwrap_or_default();
        let Some(row) = table.rows.iter().find(|it| it.label.ru == row_label) else {
            failures.push(format!("no row {row_label}"));
            continue;
        };
        let Some(col) = keys.iter().position(|it| Some(*it) == cell["column"].as_str()) else {
            continue;
        };
        let same_row: Vec<f64> = cells
            .iter()
            .filter(|it| it["row_ru"] == row_label)
            .filter_map(|it| keys.iter().position(|k| Some(*k) == it["column"].as_str()))
            .map(|c| row.cells[c + 1].percent)
            .collect();
        let smallest = same_row.iter().copied().fold(f64::INFINITY, f64::min);
        let is_smallest = same_row.len() > 1
            && row.cells[col + 1].percent <= smallest
            && same_row.iter().any(|it| *it > smallest);
        if !is_smallest && row.cells[col + 1].letters.is_empty() {
            failures.push(format!(
                "{} {}: {:.0} % is not significantly above any column",
                row.label.en,
                table.columns[col + 1].label.en,
                row.cells[col + 1].percent
            ));
        }
    }
    if failures.is_empty() {
        (
            ClaimVerdict::Supported,
            "every cited cell is significantly above another column".to_owned(),
        )
    } else {
        (ClaimVerdict::NotSupported, failures.join("; "))
    }
}
