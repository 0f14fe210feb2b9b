//! Whole counts that print as the published percentages: for every question, a count per
//! segment and code and per macro-region and code, with the same total per code in both
//! banners, found as a feasible flow inside the rounding intervals.
//!
//! A printed integer percent p of a base n allows the counts k with |100 k - p n| < n / 2
//! (strict, so that every rounding rule prints p); if no table fits strictly, the closed
//! interval is used (the seed's checker shows one always exists).

use super::flow::Network;

/// A published table as percentages: `percent[code][column]` over `bases[column]`.
#[derive(Debug, Clone)]
pub(crate) struct Percentages {
    pub(crate) percent: Vec<Vec<f64>>,
    pub(crate) bases: Vec<i64>,
    /// Counts known exactly (a filtered table's bases), per code and column.
    pub(crate) fixed: Vec<Option<Vec<i64>>>,
}

impl Percentages {
    fn bounds(&self, code: usize, column: usize, strict: bool) -> (i64, i64) {
        match self.fixed.get(code).and_then(Option::as_ref) {
            Some(fixed) => (fixed[column], fixed[column]),
            None => interval(self.percent[code][column], self.bases[column], strict),
        }
    }
}

/// Counts per code and column.
pub(crate) type Counts = Vec<Vec<i64>>;

/// The counts of one question: by segment, by macro-region (when published) and total.
#[derive(Debug, Clone)]
pub(crate) struct QuestionCounts {
    pub(crate) by_segment: Counts,
    pub(crate) by_region: Option<Counts>,
}

/// The counts a printed percent allows.
pub(crate) fn interval(percent: f64, base: i64, strict: bool) -> (i64, i64) {
    // Integers in percent units times two, so that the bounds are exact.
    let (twice_low, twice_high) = (2.0 * percent - 1.0, 2.0 * percent + 1.0);
    let base_f = base as f64;
    let low = twice_low * base_f / 200.0;
    let high = twice_high * base_f / 200.0;
    let (low, high) = if strict {
        (low.floor() as i64 + 1, high.ceil() as i64 - 1)
    } else {
        (low.ceil() as i64, high.floor() as i64)
    };
    (low.max(0), high.min(base))
}

/// Finds counts for a question; `single` adds the constraint that a column's codes add
/// up to its base.
pub(crate) fn question_counts(
    segments: &Percentages,
    total: &[f64],
    regions: Option<&Percentages>,
    single: bool,
) -> Option<QuestionCounts> {
    let total_base: i64 = segments.bases.iter().sum();
    [true, false].into_iter().find_map(|strict| {
        if single {
            single_counts(segments, total, total_base, regions, strict)
        } else {
            multiple_counts(segments, total, total_base, regions, strict)
        }
    })
}

fn single_counts(
    segments: &Percentages,
    total: &[f64],
    total_base: i64,
    regions: Option<&Percentages>,
    strict: bool,
) -> Option<QuestionCounts> {
    let n_codes = total.len();
    let n_seg = segments.bases.len();
    let n_reg = regions.map_or(0, |it| it.bases.len());
    // Nodes: 0 source, 1 sink, segments, codes (in), codes (out), regions.
    let seg_node = |s: usize| 2 + s;
    let code_in = |c: usize| 2 + n_seg + c;
    let code_out = |c: usize| 2 + n_seg + n_codes + c;
    let reg_node = |r: usize| 2 + n_seg + 2 * n_codes + r;
    let mut network = Network::new(2 + n_seg + 2 * n_codes + n_reg);
    network.open_edge(1, 0);
    let mut seg_edges = vec![vec![0; n_seg]; n_codes];
    for (s, base) in segments.bases.iter().enumerate() {
        network.edge(0, seg_node(s), *base, *base);
        for (c, edges) in seg_edges.iter_mut().enumerate() {
            let (low, high) = segments.bounds(c, s, strict);
            edges[s] = network.edge(seg_node(s), code_in(c), low, high);
        }
    }
    for (c, percent) in total.iter().enumerate() {
        let (low, high) = interval(*percent, total_base, strict);
        network.edge(code_in(c), code_out(c), low, high);
    }
    let mut reg_edges = vec![vec![0; n_reg]; n_codes];
    match regions {
        Some(regions) => {
            for (r, base) in regions.bases.iter().enumerate() {
                network.edge(reg_node(r), 1, *base, *base);
                for (c, edges) in reg_edges.iter_mut().enumerate() {
                    let (low, high) = interval(regions.percent[c][r], *base, strict);
                    edges[r] = network.edge(code_out(c), reg_node(r), low, high);
                }
            }
        }
        None => {
            for c in 0..n_codes {
                network.open_edge(code_out(c), 1);
            }
        }
    }
    let flow = network.circulation()?;
    let pick = |edges: &Vec<Vec<usize>>| {
        edges.iter().map(|row| row.iter().map(|it| flow[*it]).collect()).collect()
    };
    Some(QuestionCounts {
        by_segment: pick(&seg_edges),
        by_region: regions.map(|_| pick(&reg_edges)),
    })
}

fn multiple_counts(
    segments: &Percentages,
    total: &[f64],
    total_base: i64,
    regions: Option<&Percentages>,
    strict: bool,
) -> Option<QuestionCounts> {
    let mut by_segment = Vec::new();
    let mut by_region = Vec::new();
    for (c, percent) in total.iter().enumerate() {
        let n_seg = segments.bases.len();
        let n_reg = regions.map_or(0, |it| it.bases.len());
        // Nodes: 0 source, 1 sink, 2 code in, 3 code out, segments, regions.
        let mut network = Network::new(4 + n_seg + n_reg);
        network.open_edge(1, 0);
        let seg_edges: Vec<usize> = (0..n_seg)
            .map(|s| {
                let (low, high) = segments.bounds(c, s, strict);
                let edge = network.edge(0, 4 + s, low, high);
                network.open_edge(4 + s, 2);
                edge
            })
            .collect();
        let (low, high) = interval(*percent, total_base, strict);
        network.edge(2, 3, low, high);
        let reg_edges: Vec<usize> = match regions {
            Some(regions) => (0..n_reg)
                .map(|r| {
                    let (low, high) = interval(regions.percent[c][r], regions.bases[r], strict);
                    network.open_edge(3, 4 + n_seg + r);
                    network.edge(4 + n_seg + r, 1, low, high)
                })
                .collect(),
            None => {
                network.open_edge(3, 1);
                Vec::new()
            }
        };
        let flow = network.circulation()?;
        by_segment.push(seg_edges.iter().map(|it| flow[*it]).collect());
        by_region.push(reg_edges.iter().map(|it| flow[*it]).collect());
    }
    Some(QuestionCounts { by_segment, by_region: regions.map(|_| by_region) })
}

/// Spreads `rows` x `columns` margins over cells of at most `capacity[row][col]`.
pub(crate) fn spread(rows: &[i64], columns: &[i64], capacity: &[Vec<i64>]) -> Option<Counts> {
    let (n_rows, n_cols) = (rows.len(), columns.len());
    let mut network = Network::new(2 + n_rows + n_cols);
    network.open_edge(1, 0);
    for (r, total) in rows.iter().enumerate() {
        network.edge(0, 2 + r, *total, *total);
    }
    for (c, total) in columns.iter().enumerate() {
        network.edge(2 + n_rows + c, 1, *total, *total);
    }
    let cells: Vec<Vec<usize>> = (0..n_rows)
        .map(|r| {
            (0..n_cols).map(|c| network.edge(2 + r, 2 + n_rows + c, 0, capacity[r][c])).collect()
        })
        .collect();
    let flow = network.circulation()?;
    Some(cells.iter().map(|row| row.iter().map(|it| flow[*it]).collect()).collect())
}

/// Spreads margins with every cell near its proportional share (floor or ceiling).
pub(crate) fn proportional(rows: &[i64], columns: &[i64]) -> Option<Counts> {
    let total: i64 = rows.iter().sum();
    let mut network = Network::new(2 + rows.len() + columns.len());
    network.open_edge(1, 0);
    for (r, row_total) in rows.iter().enumerate() {
        network.edge(0, 2 + r, *row_total, *row_total);
    }
    for (c, column_total) in columns.iter().enumerate() {
        network.edge(2 + rows.len() + c, 1, *column_total, *column_total);
    }
    let cells: Vec<Vec<usize>> = rows
        .iter()
        .enumerate()
        .map(|(r, row_total)| {
            columns
                .iter()
                .enumerate()
                .map(|(c, column_total)| {
                    let share = row_total * column_total;
                    let (low, high) = (share / total, (share + total - 1) / total);
                    network.edge(2 + r, 2 + rows.len() + c, low, high)
                })
                .collect()
        })
        .collect();
    let flow = network.circulation()?;
    Some(cells.iter().map(|row| row.iter().map(|it| flow[*it]).collect()).collect())
}

/// Spreads margins over cells in proportion to `capacity`: iterative proportional
/// fitting of the capacities to the margins, then whole counts at the floor or ceiling
/// of each fitted cell (always possible for a two-way table); `spread` if that fails.
pub(crate) fn fitted(rows: &[i64], columns: &[i64], capacity: &[Vec<i64>]) -> Option<Counts> {
    // Half the capacity: a start below every bound, in proportion to the capacities.
    let mut fit: Vec<Vec<f64>> =
        capacity.iter().map(|row| row.iter().map(|it| *it as f64 / 2.0).collect()).collect();
    // Bounded fitting: a cell at its capacity stays there and the others take the rest.
    for _ in 0..500 {
        for (r, target) in rows.iter().enumerate() {
            scale_free(fit[r].iter_mut().zip(&capacity[r]), *target as f64);
        }
        for (c, target) in columns.iter().enumerate() {
            scale_free(
                fit.iter_mut().map(|row| &mut row[c]).zip(capacity.iter().map(|row| &row[c])),
                *target as f64,
            );
        }
    }
    // Widen the bounds around the fitted cells until whole counts fit the capacities.
    (0..=20)
        .find_map(|slack| around(rows, columns, capacity, &fit, slack))
        .or_else(|| spread(rows, columns, capacity))
}

/// Scales the cells below their capacity so that all the cells add up to `target`,
/// capping each at its capacity.
fn scale_free<'a>(cells: impl Iterator<Item = (&'a mut f64, &'a i64)>, target: f64) {
    let cells: Vec<(&mut f64, &i64)> = cells.collect();
    let fixed: f64 =
        cells.iter().filter(|(value, cap)| **value >= **cap as f64).map(|(value, _)| **value).sum();
    let free: f64 =
        cells.iter().filter(|(value, cap)| **value < **cap as f64).map(|(value, _)| **value).sum();
    if free <= 0.0 {
        return;
    }
    let factor = ((target - fixed) / free).max(0.0);
    for (value, cap) in cells {
        if *value < *cap as f64 {
            *value = (*value * factor).min(*cap as f64);
        }
    }
}

fn around(
    rows: &[i64],
    columns: &[i64],
    capacity: &[Vec<i64>],
    fit: &[Vec<f64>],
    slack: i64,
) -> Option<Counts> {
    let (n_rows, n_cols) = (rows.len(), columns.len());
    let mut network = Network::new(2 + n_rows + n_cols);
    network.open_edge(1, 0);
    for (r, total) in rows.iter().enumerate() {
        network.edge(0, 2 + r, *total, *total);
    }
    for (c, total) in columns.iter().enumerate() {
        network.edge(2 + n_rows + c, 1, *total, *total);
    }
    let cells: Vec<Vec<usize>> = (0..n_rows)
        .map(|r| {
            (0..n_cols)
                .map(|c| {
                    let high = (fit[r][c].ceil() as i64 + slack).min(capacity[r][c]);
                    let low = (fit[r][c].floor() as i64 - slack).max(0).min(high);
                    network.edge(2 + r, 2 + n_rows + c, low, high)
                })
                .collect()
        })
        .collect();
    let flow = network.circulation()?;
    Some(cells.iter().map(|row| row.iter().map(|it| flow[*it]).collect()).collect())
}
