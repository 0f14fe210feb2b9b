//! Exact integer rounding for the synthetic country: turning modelled expectations (floats)
//! into whole numbers whose sums are exactly the official totals.
//!
//! `apportion` splits a total over weights with caps (largest remainders); `fit_table`
//! makes a table of whole numbers with given row and column sums, close to a modelled
//! table, by iterative proportional fitting, rounding each row, and moving single votes
//! between columns until every column is exact. Both are deterministic for the same inputs
//! and generator.

use std::cmp::Ordering;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Why whole numbers with the wanted sums do not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RoundingError {
    /// The caps add up to less than the total.
    #[error("cannot place {total} in places whose caps add up to {capacity}")]
    Capacity {
        /// The total to place.
        total: u64,
        /// The sum of the caps.
        capacity: u64,
    },
    /// Row sums and column sums of a table differ.
    #[error("the rows add up to {rows} but the columns to {columns}")]
    Margins {
        /// Sum of the row sums.
        rows: u64,
        /// Sum of the column sums.
        columns: u64,
    },
}

/// Whole numbers, each at most its cap, that add up to exactly `total`, in proportion
/// to `weights` as nearly as largest remainders allow. All-zero weights count as equal.
pub(crate) fn apportion(
    total: u64,
    weights: &[f64],
    caps: &[u64],
) -> Result<Vec<u64>, RoundingError> {
    let capacity = caps.iter().fold(0u64, |sum, cap| sum.saturating_add(*cap));
    if capacity < total {
        return Err(RoundingError::Capacity { total, capacity });
    }
    let weights: Vec<f64> = if weights.iter().all(|weight| *weight <= 0.0) {
        vec![1.0; weights.len()]
    } else {
        weights.iter().map(|weight| weight.max(0.0)).collect()
    };
    let mut res = vec![0u64; weights.len()];
    let mut remaining = total;
    while remaining > 0 {
        let open: Vec<usize> = (0..res.len()).filter(|&idx| res[idx] < caps[idx]).collect();
        let open_weight: f64 = open.iter().map(|&idx| weights[idx]).sum();
        let quotas: Vec<(usize, f64)> = open
            .iter()
            .map(|&idx| {
                let share = if open_weight > 0.0 { weights[idx] / open_weight } else { 0.0 };
                (idx, share * to_f64(remaining))
            })
            .collect();
        let mut placed = 0u64;
        let mut clipped = false;
        for &(idx, quota) in &quotas {
            let floor = floor_u64(quota);
            let whole = floor.min(caps[idx] - res[idx]).min(remaining - placed);
            clipped |= whole < floor;
            res[idx] += whole;
            placed += whole;
        }
        remaining -= placed;
        if remaining == 0 || clipped {
            // A capped place leaves its share to the others: split the rest again.
            continue;
        }
        // The floors left some over: one more each to the largest remainders, in order.
        let mut ranked: Vec<(usize, f64)> = quotas
            .iter()
            .filter(|&&(idx, _)| res[idx] < caps[idx])
            .map(|&(idx, quota)| (idx, quota - quota.floor()))
            .collect();
        if ranked.is_empty() {
            ranked =
                (0..res.len()).filter(|&idx| res[idx] < caps[idx]).map(|idx| (idx, 0.0)).collect();
        }
        ranked.sort_by(|left, right| right.1.total_cmp(&left.1).then(left.0.cmp(&right.0)));
        for (idx, _) in ranked {
            if remaining == 0 {
                break;
            }
            res[idx] += 1;
            remaining -= 1;
        }
    }
    Ok(res)
}

/// A table of whole numbers whose row `s` adds up to `rows[s]` and column `k` to
/// `columns[k]`, close to the modelled `expected` table (rows of the same width).
pub(crate) fn fit_table(
    expected: &[Vec<f64>],
    rows: &[u64],
    columns: &[u64],
    rng: &mut ChaCha8Rng,
) -> Result<Vec<Vec<u64>>, RoundingError> {
    let row_total: u64 = rows.iter().sum();
    let column_total: u64 = columns.iter().sum();
    if row_total != column_total {
        return Err(RoundingError::Margins { rows: row_total, columns: column_total });
    }
    let width = columns.len();
    let mut table: Vec<Vec<f64>> = expected.to_vec();
    for _ in 0..40 {
        for (column, &target) in columns.iter().enumerate() {
            let sum: f64 = table.iter().map(|row| row[column]).sum();
            if sum > 0.0 {
                let scale = to_f64(target) / sum;
                table.iter_mut().for_each(|row| row[column] *= scale);
            }
        }
        for (row, &target) in table.iter_mut().zip(rows) {
            let sum: f64 = row.iter().sum();
            if sum > 0.0 {
                let scale = to_f64(target) / sum;
                row.iter_mut().for_each(|cell| *cell *= scale);
            }
        }
    }
    let uncapped = vec![u64::MAX; width];
    let mut res = Vec::with_capacity(rows.len());
    for (row, &target) in table.iter().zip(rows) {
        res.push(apportion(target, row, &uncapped)?);
    }
    fix_columns(&mut res, columns, rng);
    Ok(res)
}

/// Moves single units between columns, within rows, until every column adds up to its
/// target; rows keep their sums. Each move takes a unit from a column above its target at
/// the first row from a random start that has one.
fn fix_columns(table: &mut [Vec<u64>], columns: &[u64], rng: &mut ChaCha8Rng) {
    let mut surplus: Vec<i128> = columns
        .iter()
        .enumerate()
        .map(|(column, &target)| {
            let sum: u64 = table.iter().map(|row| row[column]).sum();
            i128::from(sum) - i128::from(target)
        })
        .collect();
    loop {
        let over = (0..surplus.len()).find(|&column| surplus[column] > 0);
        let under = (0..surplus.len()).find(|&column| surplus[column] < 0);
        let (Some(over), Some(under)) = (over, under) else {
            return;
        };
        let start = rng.random_range(0..table.len());
        let found = (0..table.len())
            .map(|offset| (start + offset) % table.len())
            .find(|&row| table[row][over] > 0);
        let Some(row) = found else {
            return;
        };
        table[row][over] -= 1;
        table[row][under] += 1;
        surplus[over] -= 1;
        surplus[under] += 1;
    }
}

/// A count as a float, for modelling.
pub(crate) fn to_f64(value: u64) -> f64 {
    // Counts in the model stay far below 2^53, where this conversion is exact.
    value as f64
}

/// The floor of a non-negative float as a count (0 for negative or NaN).
pub(crate) fn floor_u64(value: f64) -> u64 {
    if value.partial_cmp(&0.0) != Some(Ordering::Greater) {
        return 0;
    }
    // Saturating conversion of a floored, positive float.
    value.floor() as u64
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    fn check(total: u64, weights: &[f64], caps: &[u64], expect: Result<Vec<u64>, RoundingError>) {
        assert_eq!(apportion(total, weights, caps), expect, "{total} over {weights:?}");
    }

    #[test]
    fn apportions_exactly_within_caps() {
        check(10, &[1.0, 1.0, 1.0], &[10, 10, 10], Ok(vec![4, 3, 3]));
        check(10, &[0.5, 0.3, 0.2], &[10, 10, 10], Ok(vec![5, 3, 2]));
        check(10, &[0.5, 0.3, 0.2], &[2, 10, 10], Ok(vec![2, 5, 3]));
        check(7, &[0.0, 0.0], &[5, 5], Ok(vec![4, 3]));
        check(0, &[1.0], &[0], Ok(vec![0]));
        check(11, &[1.0, 1.0], &[5, 5], Err(RoundingError::Capacity { total: 11, capacity: 10 }));
    }

    #[test]
    fn fits_a_table_to_both_margins() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let expected = vec![vec![5.0, 3.0, 1.0], vec![1.0, 1.0, 1.0], vec![0.0, 2.0, 9.0]];
        let rows = [9, 3, 11];
        let columns = [6, 7, 10];
        let table = fit_table(&expected, &rows, &columns, &mut rng).expect("margins agree");
        let row_sums: Vec<u64> = table.iter().map(|row| row.iter().sum()).collect();
        let column_sums: Vec<u64> =
            (0..3).map(|column| table.iter().map(|row| row[column]).sum()).collect();
        assert_eq!(row_sums, rows);
        assert_eq!(column_sums, columns);
        assert_eq!(
            fit_table(&expected, &[1], &[2], &mut rng),
            Err(RoundingError::Margins { rows: 1, columns: 2 })
        );
    }
}
