//! Ties of the lower apportionment of [`crate::systems::biproportional`] (see
//! [`crate::systems::biproportional::lower`] for the algorithm that reaches them).
//!
//! The seats are unique unless some quotients must sit exactly on a boundary for every
//! choice of divisors. Those ties form cycles of cells where one list could take a seat
//! from another in one district and give it back in another (Pukelsheim, ch. 14; by
//! linear-programming duality every solution shares every divisor pair, so such cells are
//! tied for all of them). Each such contested seat is settled by the configured
//! [`crate::seats::tie::TieRule`] between the list that could take it and the list that holds it, district by
//! district in order, and recorded as a [`LowerTie`]; the cells then stay fixed. Ties that
//! are not forced are removed by a small change of the divisors, so in the result a
//! quotient sits exactly on a boundary only in the cells listed in
//! [`crate::systems::biproportional::lower::LowerTrace::tied_cells`]. The Zurich law names no lower-apportionment tie rule that
//! we could confirm; the election's tie rule is used, as the trace shows.
//!
//! Both steps work on the tie graph: a node per list and per district, an edge list →
//! district where the list could take one more seat at a tie, and district → list where
//! the list could give one up.

use crate::seats::rational::Rational;
use crate::seats::tie::{TieStage, break_tie};
use crate::seats::votes::Votes;
use crate::systems::biproportional::lower::{Grid, LowerSetup, LowerTie, Node, keep_min};

/// Graph node index: lists first, then districts.
fn index(grid: &Grid, node: Node) -> usize {
    match node {
        Node::Row(row) => row,
        Node::Col(col) => grid.rows() + col,
    }
}

/// The tie graph: list → district where the list could take a seat, district → list
/// where the list could give one up; cells marked in `fixed` are left out.
fn tie_graph(grid: &Grid, fixed: &[Vec<bool>]) -> Vec<Vec<usize>> {
    let mut edges = vec![Vec::new(); grid.rows() + grid.cols()];
    for (row, fixed_row) in fixed.iter().enumerate() {
        for (col, &is_fixed) in fixed_row.iter().enumerate() {
            if is_fixed {
                continue;
            }
            let (list, district) = (index(grid, Node::Row(row)), index(grid, Node::Col(col)));
            if grid.can_gain(row, col) {
                edges[list].push(district);
            } else if grid.can_lose(row, col) {
                edges[district].push(list);
            }
        }
    }
    edges
}

/// A shortest path from `from` to `to` in `edges`, both ends included.
fn path(edges: &[Vec<usize>], from: usize, to: usize) -> Option<Vec<usize>> {
    let mut previous: Vec<Option<usize>> = vec![None; edges.len()];
    let mut queue = std::collections::VecDeque::from([from]);
    let mut seen = vec![false; edges.len()];
    seen[from] = true;
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut res = vec![to];
            while let Some(before) = previous[*res.last().expect("the path is not empty")] {
                res.push(before);
            }
            res.reverse();
            return Some(res);
        }
        for &next in &edges[node] {
            if !seen[next] {
                seen[next] = true;
                previous[next] = Some(node);
                queue.push_back(next);
            }
        }
    }
    None
}

/// A contested seat in district `col`: a list that could take it, one that could give it
/// up, and a tie path back from the second to the first (a cycle, so the seat can move
/// without changing any sum).
fn contested_seat(
    grid: &Grid,
    fixed: &[Vec<bool>],
    col: usize,
) -> Option<(usize, usize, Vec<usize>)> {
    let edges = tie_graph(grid, fixed);
    for gainer in (0..grid.rows()).filter(|&row| !fixed[row][col] && grid.can_gain(row, col)) {
        for holder in (0..grid.rows()).filter(|&row| !fixed[row][col] && grid.can_lose(row, col)) {
            let cycle =
                path(&edges, index(grid, Node::Row(holder)), index(grid, Node::Row(gainer)));
            if let Some(cycle) = cycle {
                return Some((gainer, holder, cycle));
            }
        }
    }
    None
}

/// Settles every contested seat by the tie rule, district by district (see the module
/// docs), and returns the decisions.
pub(crate) fn settle_ties(grid: &mut Grid, setup: &LowerSetup<'_>) -> Vec<LowerTie> {
    let mut fixed = vec![vec![false; grid.cols()]; grid.rows()];
    let mut ties: Vec<LowerTie> = Vec::new();
    for col in 0..grid.cols() {
        while let Some((gainer, holder, cycle)) = contested_seat(grid, &fixed, col) {
            let votes: Vec<Votes> = (0..setup.matrix.lists().len())
                .map(|list| Votes(setup.matrix.cell(list, col)))
                .collect();
            let (gainer_list, holder_list) = (setup.lists[gainer], setup.lists[holder]);
            let seed = setup.seed.derive(&format!("lower-tie-{}", ties.len() + 1));
            let stage = TieStage::Quotient { seat: setup.matrix.districts()[col].seats.0 };
            let decision =
                break_tie(setup.ties, stage, &[gainer_list, holder_list], 1, &votes, &seed);
            if decision.winners.first() == Some(&gainer_list) {
                grid.seats[gainer][col] += 1;
                grid.seats[holder][col] -= 1;
                move_along(grid, &cycle);
            }
            fixed[gainer][col] = true;
            fixed[holder][col] = true;
            ties.push(LowerTie {
                district: col,
                gainer: gainer_list,
                holder: holder_list,
                decision,
            });
        }
    }
    ties
}

/// Moves one seat along a tie path: list → district edges gain a seat, district → list
/// edges lose one.
fn move_along(grid: &mut Grid, nodes: &[usize]) {
    let rows = grid.rows();
    for pair in nodes.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if from < rows {
            grid.seats[from][to - rows] += 1;
        } else {
            grid.seats[to][from - rows] -= 1;
        }
    }
}

/// Moves every quotient that sits on a boundary without being forced to off it.
///
/// Nodes of one strongly connected part of the tie graph keep their ratio (their ties are
/// forced); the parts are ranked so that every remaining tie edge goes from a lower rank
/// to a higher one (ranking by how many nodes a node reaches does that), and node `u` is
/// scaled by `r^rank(u)`, districts up and lists down, with `r` just above 1. Every tie
/// between parts then moves strictly inside its rounding range, and `r` is small enough
/// that no other quotient reaches a boundary: with `x = min(slack - 1, 1) / 4`,
/// `(1 + x / parts)^parts <= e^x <= 1 + 2 x < slack`.
pub(crate) fn remove_unforced_ties(grid: &mut Grid) {
    let nodes = grid.rows() + grid.cols();
    let edges = tie_graph(grid, &vec![vec![false; grid.cols()]; grid.rows()]);
    let reached: Vec<usize> = (0..nodes).map(|node| reachable(&edges, node)).collect();
    let most = reached.iter().copied().max().unwrap_or(0);
    let rank: Vec<u32> =
        reached.iter().map(|&count| u32::try_from(most - count).expect("few nodes")).collect();
    let unforced = (0..nodes).any(|from| edges[from].iter().any(|&to| rank[from] != rank[to]));
    if !unforced {
        return;
    }
    let parts = rank.iter().copied().max().unwrap_or(0) + 1;
    let ratio = perturbation_ratio(grid_slack(grid), parts);
    let mut powers = vec![Rational::from_integer(1)];
    for _ in 1..parts {
        let next = powers.last().expect("powers start with 1").mul(&ratio);
        powers.push(next);
    }
    let power = |node: Node| &powers[usize::try_from(rank[index(grid, node)]).expect("few nodes")];
    let row_div: Vec<Rational> =
        (0..grid.rows()).map(|row| grid.row_div[row].div(power(Node::Row(row)))).collect();
    let col_div: Vec<Rational> =
        (0..grid.cols()).map(|col| grid.col_div[col].mul(power(Node::Col(col)))).collect();
    grid.row_div = row_div;
    grid.col_div = col_div;
    for row in 0..grid.rows() {
        grid.refresh_row(row);
    }
}

/// `1 + 2^-k` with the smallest `k` such that `2^-k <= min(slack - 1, 1) / (4 parts)`,
/// so that `r^parts < slack` (see [`remove_unforced_ties`]); a power of two keeps the
/// powers of `r` short.
fn perturbation_ratio(slack: Option<Rational>, parts: u32) -> Rational {
    let one = Rational::from_integer(1);
    let room = slack.map_or(one.clone(), |slack| slack.sub(&one).min(one.clone()));
    let bound = room.div(&Rational::from_integer(4 * i128::from(parts)));
    let mut step = one.clone();
    let half = Rational::from_ratio(1, 2);
    while step > bound {
        step = step.mul(&half);
    }
    one.add(&step)
}

/// How many nodes `start` reaches in `edges`, itself included.
fn reachable(edges: &[Vec<usize>], start: usize) -> usize {
    let mut seen = vec![false; edges.len()];
    let mut stack = vec![start];
    seen[start] = true;
    let mut count = 0;
    while let Some(node) = stack.pop() {
        count += 1;
        for &next in &edges[node] {
            if !seen[next] {
                seen[next] = true;
                stack.push(next);
            }
        }
    }
    count
}

/// The smallest ratio by which a quotient can move before it reaches a boundary, over
/// all bounds that are not met with equality; `None` when there are none.
fn grid_slack(grid: &Grid) -> Option<Rational> {
    let mut slack: Option<Rational> = None;
    for row in 0..grid.rows() {
        for col in 0..grid.cols() {
            if grid.votes[row][col] == 0 {
                continue;
            }
            let quotient = &grid.quotient[row][col];
            let seats = grid.seats[row][col];
            let upper = grid.signpost(seats + 1);
            let mut limits = Vec::with_capacity(2);
            if quotient != upper {
                limits.push(upper.div(quotient));
            }
            if seats > 0 && quotient != grid.signpost(seats) {
                limits.push(quotient.div(grid.signpost(seats)));
            }
            for limit in limits {
                keep_min(&mut slack, limit);
            }
        }
    }
    slack
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seats::lot::LotSeed;
    use crate::seats::tie::TieRule;
    use crate::seats::votes::{ListId, Seats};
    use crate::systems::biproportional::lower::lower;
    use crate::systems::biproportional::{DistrictSeats, Rounding, VoteMatrix};

    /// The lower apportionment of `votes[list][district]` for the given sums: its seats,
    /// the number of settled ties and of cells left on a boundary.
    fn check(
        districts: &[u32],
        votes: &[&[u64]],
        lists: &[u32],
        expect: (&[&[u32]], usize, usize),
    ) {
        let districts = districts
            .iter()
            .enumerate()
            .map(|(idx, &seats)| DistrictSeats { name: format!("d{idx}"), seats: Seats(seats) })
            .collect();
        let ids = (0..votes.len()).map(|idx| ListId::new(&format!("l{idx}"))).collect();
        let rows = votes.iter().map(|row| row.iter().map(|&v| Some(Votes(v))).collect()).collect();
        let matrix = VoteMatrix::new(districts, ids, rows).expect("a valid matrix");
        let taking_part: Vec<usize> = (0..votes.len()).collect();
        let ties = TieRule::new(&[crate::seats::tie::TieCriterion::Registration]).expect("a rule");
        let setup = LowerSetup {
            matrix: &matrix,
            lists: &taking_part,
            list_seats: lists,
            rounding: Rounding::Standard,
            ties: &ties,
            seed: &LotSeed::new("test"),
        };
        let res = lower(&setup).expect("an apportionment");
        let seats: Vec<Vec<u32>> =
            res.seats.iter().map(|row| row.iter().map(|seats| seats.0).collect()).collect();
        assert_eq!(seats, expect.0);
        assert_eq!((res.trace.ties.len(), res.trace.tied_cells.len()), (expect.1, expect.2));
    }

    #[test]
    fn forced_and_unforced_ties() {
        // One transfer: list 0 takes its third seat in district 1 (a product of
        // boundaries over votes of 2.9e-8 against 7.9e-8 for the other matrix).
        check(&[3, 1], &[&[60, 45], &[40, 55]], &[3, 1], (&[&[2, 1], &[1, 0]], 0, 0));
        // Equal lists in two one-seat districts: one forced tie, four tied cells.
        check(&[1, 1], &[&[5, 5], &[5, 5]], &[1, 1], (&[&[1, 0], &[0, 1]], 1, 4));
        // Quotients 1/2 at the start, but only one solution: no tie remains.
        check(&[1, 1], &[&[1, 1], &[1, 0]], &[1, 1], (&[&[0, 1], &[1, 0]], 0, 0));
    }

    #[test]
    fn perturbation_ratio_stays_below_the_slack() {
        let ratio = perturbation_ratio(Some(Rational::from_ratio(101, 100)), 5);
        assert_eq!(ratio.to_string(), "2049/2048");
        assert_eq!(perturbation_ratio(None, 1).to_string(), "5/4");
    }
}
