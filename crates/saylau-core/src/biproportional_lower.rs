//! The lower apportionment (Unterzuteilung) of [`crate::biproportional`]: district and
//! list divisors such that every list's votes in a district, divided by both divisors and
//! rounded, give seats that add up to the district seats in every district and to the
//! upper apportionment for every list.
//!
//! # Algorithm: tie-and-transfer
//!
//! The tie-and-transfer algorithm of Balinski and Demange, as described by Pukelsheim
//! ("Proportional Representation", 2nd ed., ch. 14) and benchmarked by Maier,
//! Zachariassen and Zachariasen (2010), in exact rational arithmetic:
//!
//! 1. Start: every list divisor is 1; each district's seats go to its lists by the divisor
//!    method alone, and its divisor is the smallest that gives them. District sums are now
//!    right and stay right; a list's *flaw* is its upper seats minus the seats it holds.
//! 2. Transfer: from a list short of seats, label the districts where it could take one
//!    more seat at a tie (quotient exactly on a rounding boundary), then the lists that
//!    could give up a seat there at a tie, and so on. When a labelled list holds too many
//!    seats, move one seat along the path: every list on it keeps its sum except the two
//!    ends, so the total flaw drops by one.
//! 3. Scale: when no such list is labelled, divide the labelled lists' divisors and
//!    multiply the labelled districts' divisors by the largest factor that keeps every
//!    rounding valid. Quotients inside the labelled block do not change, so the labels
//!    stay; at that factor some new quotient reaches a boundary, so the next labelling
//!    reaches at least one more list or district. If no quotient limits the factor, the
//!    labelled lists can only take seats in the labelled districts, which are full:
//!    no apportionment exists, and that is reported.
//!
//! Termination: each transfer lowers the total flaw by one, and between two transfers
//! there are at most as many scalings as lists plus districts (each labels something
//! new). The total flaw after the start is at most the house size, so the algorithm
//! stops after at most `flaw × (lists + districts)` scalings. A guard returns
//! [`BiproportionalError::StepLimit`] past that bound instead of looping.
//!
//! When the divisors' numerators or denominators grow long, they are tidied between
//! transfers, and always at the end: each divisor, in turn, is replaced by the number with
//! the fewest significant digits that keeps every rounding valid.
//!
//! # Ties
//!
//! Forced ties (seats the rounding leaves open between two lists) are settled by the tie
//! rule and recorded; ties that are not forced are removed. Both are in
//! `biproportional_ties`.

use serde::Serialize;

use crate::apportionment::simplest_between;
use crate::biproportional::{BiproportionalError, BiproportionalRules, Rounding, VoteMatrix};
use crate::biproportional_ties::{remove_unforced_ties, settle_ties};
use crate::lot::LotSeed;
use crate::rational::Rational;
use crate::tie::{TieBreak, TieRule};
use crate::votes::Seats;

/// A cell of the seat matrix: a list in a district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Cell {
    /// The list (index in registration order).
    pub list: usize,
    /// The district (index in order).
    pub district: usize,
}

/// A seat the rounding leaves open between two lists in a district, and its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LowerTie {
    /// The district.
    pub district: usize,
    /// The list that could take the seat.
    pub gainer: usize,
    /// The list that held the seat when the tie was found.
    pub holder: usize,
    /// How the tie rule decided; the winner has the seat. Its stage is a tie of equal
    /// quotients for the district's last seat: at the district divisor, the gainer's next
    /// quotient equals the holder's last one.
    pub decision: TieBreak,
}

/// A compact account of the lower apportionment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LowerTrace {
    /// Seats the district-by-district start gave to lists beyond their upper apportionment.
    pub initial_flaw: u64,
    /// Seats moved along tie paths (equal to the initial flaw).
    pub transfers: u64,
    /// Scalings of divisors between transfers.
    pub scalings: u64,
    /// Contested seats settled by the tie rule.
    pub ties: Vec<LowerTie>,
    /// The cells whose quotient is exactly on a rounding boundary in the result: the cells
    /// of the settled ties, and no others.
    pub tied_cells: Vec<Cell>,
}

/// The lower apportionment: seats per list and district, and the divisors that give them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LowerApportionment {
    /// `seats[list][district]`, lists in registration order.
    pub seats: Vec<Vec<Seats>>,
    /// The district divisors (Wahlkreisdivisoren), exact.
    pub district_divisors: Vec<Rational>,
    /// The list divisors (Listengruppendivisoren), exact; `None` for a list that took no
    /// part. A list's seats in a district are its votes there divided by both divisors,
    /// rounded.
    pub list_divisors: Vec<Option<Rational>>,
    /// How the result was reached.
    pub trace: LowerTrace,
}

/// What the lower apportionment works on: some lists of a matrix and their seats.
pub(crate) struct LowerSetup<'a> {
    /// The votes.
    pub(crate) matrix: &'a VoteMatrix,
    /// The lists taking part (indices into the matrix's lists).
    pub(crate) lists: &'a [usize],
    /// The seats of each list taking part, in the same order.
    pub(crate) list_seats: &'a [u32],
    /// The rounding.
    pub(crate) rounding: Rounding,
    /// The tie rule for contested seats.
    pub(crate) ties: &'a TieRule,
    /// The seed lots are derived from.
    pub(crate) seed: &'a LotSeed,
}

/// The lower apportionment alone, for list seats given from elsewhere (an official upper
/// apportionment, for example). Every list of the matrix takes part; qualification and
/// voter numbers of `rules` are not used.
pub fn lower_apportionment(
    rules: &BiproportionalRules,
    matrix: &VoteMatrix,
    list_seats: &[Seats],
) -> Result<LowerApportionment, BiproportionalError> {
    if list_seats.len() != matrix.lists().len() {
        return Err(BiproportionalError::ListSeatsCount {
            found: list_seats.len(),
            expected: matrix.lists().len(),
        });
    }
    let lists: Vec<usize> = (0..list_seats.len()).collect();
    let seats: Vec<u32> = list_seats.iter().map(|seats| seats.0).collect();
    let seed = rules.seed_for(matrix);
    let setup = LowerSetup {
        matrix,
        lists: &lists,
        list_seats: &seats,
        rounding: rules.lower(),
        ties: rules.ties(),
        seed: &seed,
    };
    lower(&setup)
}

/// The lower apportionment of `setup`, by tie-and-transfer (see the module docs).
pub(crate) fn lower(setup: &LowerSetup<'_>) -> Result<LowerApportionment, BiproportionalError> {
    let matrix = setup.matrix;
    let list_total: u64 = setup.list_seats.iter().map(|&seats| u64::from(seats)).sum();
    if list_total != u64::from(matrix.house().0) {
        return Err(BiproportionalError::HouseMismatch {
            lists: list_total,
            districts: matrix.house(),
        });
    }
    let mut grid = Grid::new(setup);
    grid.start(setup)?;
    let mut trace = LowerTrace {
        initial_flaw: grid
            .flaws(setup.list_seats)
            .iter()
            .map(|&flaw| flaw.unsigned_abs())
            .sum::<u64>()
            / 2,
        transfers: 0,
        scalings: 0,
        ties: Vec::new(),
        tied_cells: Vec::new(),
    };
    tie_and_transfer(&mut grid, setup, &mut trace)?;
    trace.ties = settle_ties(&mut grid, setup);
    remove_unforced_ties(&mut grid);
    // A second pass often finds rounder numbers once the neighbours have been rounded.
    grid.tidy();
    grid.tidy();
    trace.tied_cells = grid.tied_cells(setup.lists);
    Ok(grid.result(setup, trace))
}

/// The size of divisor numerators and denominators past which the divisors are tidied
/// between transfers.
const BULKY_BITS: u64 = 256;

/// A node of the tie graph: a list (row) or a district (column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Node {
    Row(usize),
    Col(usize),
}

/// The working state: votes, seats, divisors and the cached quotients.
pub(crate) struct Grid {
    /// `votes[row][col]`, zero where a list does not stand.
    pub(crate) votes: Vec<Vec<u64>>,
    /// `seats[row][col]`.
    pub(crate) seats: Vec<Vec<u32>>,
    /// The list divisors.
    pub(crate) row_div: Vec<Rational>,
    /// The district divisors.
    pub(crate) col_div: Vec<Rational>,
    /// `votes / (row_div * col_div)`, kept in step with the divisors.
    pub(crate) quotient: Vec<Vec<Rational>>,
    /// `signposts[k]`: the boundary between `k - 1` and `k` seats (`k >= 1`).
    signposts: Vec<Rational>,
}

impl Grid {
    fn new(setup: &LowerSetup<'_>) -> Grid {
        let matrix = setup.matrix;
        let cols = matrix.districts().len();
        let votes: Vec<Vec<u64>> = setup
            .lists
            .iter()
            .map(|&list| (0..cols).map(|col| matrix.cell(list, col)).collect())
            .collect();
        let most = matrix.districts().iter().map(|district| district.seats.0).max().unwrap_or(0);
        let signposts = (0..=most + 1)
            .map(|k| match setup.rounding {
                Rounding::Standard if k == 0 => Rational::zero(),
                Rounding::Standard => Rational::from_ratio(2 * u128::from(k) - 1, 2),
                Rounding::Downward => Rational::from_integer(i128::from(k)),
            })
            .collect();
        let rows = votes.len();
        Grid {
            seats: vec![vec![0; cols]; rows],
            row_div: vec![Rational::from_integer(1); rows],
            col_div: vec![Rational::from_integer(1); cols],
            quotient: vec![vec![Rational::zero(); cols]; rows],
            votes,
            signposts,
        }
    }

    pub(crate) fn rows(&self) -> usize {
        self.votes.len()
    }

    pub(crate) fn cols(&self) -> usize {
        self.col_div.len()
    }

    pub(crate) fn signpost(&self, k: u32) -> &Rational {
        &self.signposts[usize::try_from(k).expect("a small number of seats")]
    }

    fn votes(&self, row: usize, col: usize) -> Rational {
        Rational::from_integer(i128::from(self.votes[row][col]))
    }

    pub(crate) fn refresh_row(&mut self, row: usize) {
        for col in 0..self.cols() {
            let divisor = self.row_div[row].mul(&self.col_div[col]);
            self.quotient[row][col] = self.votes(row, col).div(&divisor);
        }
    }

    fn refresh_col(&mut self, col: usize) {
        for row in 0..self.rows() {
            let divisor = self.row_div[row].mul(&self.col_div[col]);
            self.quotient[row][col] = self.votes(row, col).div(&divisor);
        }
    }

    /// The cell could hold one more seat: its quotient is exactly the next boundary.
    pub(crate) fn can_gain(&self, row: usize, col: usize) -> bool {
        self.votes[row][col] > 0
            && self.quotient[row][col] == *self.signpost(self.seats[row][col] + 1)
    }

    /// The cell could hold one seat less: its quotient is exactly its lower boundary.
    pub(crate) fn can_lose(&self, row: usize, col: usize) -> bool {
        let seats = self.seats[row][col];
        seats > 0 && self.quotient[row][col] == *self.signpost(seats)
    }

    /// Each list's seats to receive (positive) or give up (negative).
    fn flaws(&self, list_seats: &[u32]) -> Vec<i64> {
        self.seats
            .iter()
            .zip(list_seats)
            .map(|(row, &target)| {
                i64::from(target) - row.iter().map(|&seats| i64::from(seats)).sum::<i64>()
            })
            .collect()
    }

    /// Step 1: each district by itself, list divisors 1, district divisors the smallest
    /// that give its seats.
    fn start(&mut self, setup: &LowerSetup<'_>) -> Result<(), BiproportionalError> {
        for (col, district) in setup.matrix.districts().iter().enumerate() {
            if (0..self.rows()).all(|row| self.votes[row][col] == 0) {
                return Err(BiproportionalError::NoVotesInDistrict(district.name.clone()));
            }
            let next = |grid: &Grid, row: usize| {
                grid.votes(row, col).div(grid.signpost(grid.seats[row][col] + 1))
            };
            for _ in 0..district.seats.0 {
                let best = (0..self.rows())
                    .filter(|&row| self.votes[row][col] > 0)
                    .reduce(|best, row| if next(self, row) > next(self, best) { row } else { best })
                    .expect("the district has a list with votes");
                self.seats[best][col] += 1;
            }
            self.col_div[col] = (0..self.rows())
                .filter(|&row| self.votes[row][col] > 0)
                .map(|row| next(self, row))
                .max()
                .expect("the district has a list with votes");
            self.refresh_col(col);
        }
        Ok(())
    }

    /// The closed range of divisors of `node` that keep every rounding in its row or
    /// column valid, the other divisors fixed: `(lowest, highest)`, `None` for no bound.
    fn range(&self, node: Node) -> (Option<Rational>, Option<Rational>) {
        let cells: Vec<(usize, usize, &Rational)> = match node {
            Node::Row(row) => (0..self.cols()).map(|col| (row, col, &self.col_div[col])).collect(),
            Node::Col(col) => (0..self.rows()).map(|row| (row, col, &self.row_div[row])).collect(),
        };
        let (mut lowest, mut highest): (Option<Rational>, Option<Rational>) = (None, None);
        for (row, col, other) in cells {
            if self.votes[row][col] == 0 {
                continue;
            }
            let seats = self.seats[row][col];
            let votes = self.votes(row, col);
            keep_max(&mut lowest, votes.div(&other.mul(self.signpost(seats + 1))));
            if seats > 0 {
                keep_min(&mut highest, votes.div(&other.mul(self.signpost(seats))));
            }
        }
        (lowest, highest)
    }

    /// Replaces every divisor by the simplest number strictly inside its range, lists
    /// first, after scaling all list divisors so that the largest list's is 1. A divisor
    /// whose range is a single point (a forced tie) keeps its value. Every rounding stays
    /// valid, and no new quotient lands on a boundary.
    fn tidy(&mut self) {
        let seats: Vec<u32> = self.seats.iter().map(|row| row.iter().sum()).collect();
        let largest = (0..self.rows()).rev().max_by_key(|&row| seats[row]).unwrap_or(0);
        let factor = self.row_div[largest].clone();
        for divisor in &mut self.row_div {
            *divisor = divisor.div(&factor);
        }
        for divisor in &mut self.col_div {
            *divisor = divisor.mul(&factor);
        }
        for row in 0..self.rows() {
            if let Some(value) = simplest_in(self.range(Node::Row(row))) {
                self.row_div[row] = value;
                self.refresh_row(row);
            }
        }
        for col in 0..self.cols() {
            if let Some(value) = simplest_in(self.range(Node::Col(col))) {
                self.col_div[col] = value;
                self.refresh_col(col);
            }
        }
    }

    /// True when some divisor's numerator or denominator has grown past 256 bits: time to
    /// tidy, so that the arithmetic stays fast.
    fn is_bulky(&self) -> bool {
        self.row_div.iter().chain(&self.col_div).any(|divisor| {
            divisor.numer().bits() > BULKY_BITS || divisor.denom().bits() > BULKY_BITS
        })
    }

    /// The cells on a rounding boundary, with list indices of the matrix.
    fn tied_cells(&self, lists: &[usize]) -> Vec<Cell> {
        let mut cells = Vec::new();
        for (row, &list) in lists.iter().enumerate() {
            for col in 0..self.cols() {
                if self.can_gain(row, col) || self.can_lose(row, col) {
                    cells.push(Cell { list, district: col });
                }
            }
        }
        cells
    }

    /// The result, with every list of the matrix.
    fn result(self, setup: &LowerSetup<'_>, trace: LowerTrace) -> LowerApportionment {
        let all = setup.matrix.lists().len();
        let mut seats = vec![vec![Seats(0); self.cols()]; all];
        let mut list_divisors = vec![None; all];
        for (row, &list) in setup.lists.iter().enumerate() {
            seats[list] = self.seats[row].iter().map(|&won| Seats(won)).collect();
            list_divisors[list] = Some(self.row_div[row].clone());
        }
        LowerApportionment { seats, district_divisors: self.col_div, list_divisors, trace }
    }
}

/// The simplest number strictly inside a range; `None` when the range is one point or
/// unbounded below and above.
fn simplest_in(range: (Option<Rational>, Option<Rational>)) -> Option<Rational> {
    match range {
        (Some(low), Some(high)) if low < high => Some(simplest_between(&low, Some(&high))),
        (Some(low), None) => Some(simplest_between(&low, None)),
        (None, Some(high)) => Some(simplest_between(&Rational::zero(), Some(&high))),
        _ => None,
    }
}

/// How a node was reached while labelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    No,
    Root,
    Via(usize),
}

/// The labels of one transfer: lists reached (and from which district), districts
/// reached (and from which list).
struct Labels {
    rows: Vec<Reach>,
    cols: Vec<Option<usize>>,
}

impl Labels {
    /// Labels everything reachable by tie edges, starting from every labelled node (new
    /// edges appear only between labelled and unlabelled nodes); returns a reached list
    /// with too many seats, if any.
    fn grow(&mut self, grid: &Grid, flaws: &[i64]) -> Option<usize> {
        let mut queue: std::collections::VecDeque<Node> = (0..grid.rows())
            .filter(|&row| self.rows[row] != Reach::No)
            .map(Node::Row)
            .chain((0..grid.cols()).filter(|&col| self.cols[col].is_some()).map(Node::Col))
            .collect();
        while let Some(node) = queue.pop_front() {
            match node {
                Node::Row(row) => {
                    for col in 0..grid.cols() {
                        if self.cols[col].is_none() && grid.can_gain(row, col) {
                            self.cols[col] = Some(row);
                            queue.push_back(Node::Col(col));
                        }
                    }
                }
                Node::Col(col) => {
                    for (row, &flaw) in flaws.iter().enumerate() {
                        if self.rows[row] == Reach::No && grid.can_lose(row, col) {
                            self.rows[row] = Reach::Via(col);
                            if flaw < 0 {
                                return Some(row);
                            }
                            queue.push_back(Node::Row(row));
                        }
                    }
                }
            }
        }
        None
    }

    /// The largest factor for step 3, or `None` when nothing limits it.
    fn scaling_factor(&self, grid: &Grid) -> Option<Rational> {
        let mut factor: Option<Rational> = None;
        for row in 0..grid.rows() {
            for col in 0..grid.cols() {
                let quotient = &grid.quotient[row][col];
                let seats = grid.seats[row][col];
                let row_in = self.rows[row] != Reach::No;
                let col_in = self.cols[col].is_some();
                let limit = if row_in && !col_in && grid.votes[row][col] > 0 {
                    grid.signpost(seats + 1).div(quotient)
                } else if !row_in && col_in && seats > 0 {
                    quotient.div(grid.signpost(seats))
                } else {
                    continue;
                };
                keep_min(&mut factor, limit);
            }
        }
        factor
    }

    /// Moves one seat along the labels from `end` back to the root.
    fn transfer(&self, grid: &mut Grid, end: usize) {
        let mut row = end;
        while let Reach::Via(col) = self.rows[row] {
            let from =
                self.cols[col].expect("a labelled list was reached from a labelled district");
            grid.seats[row][col] -= 1;
            grid.seats[from][col] += 1;
            row = from;
        }
    }
}

/// Steps 2 and 3 until every list holds its seats.
fn tie_and_transfer(
    grid: &mut Grid,
    setup: &LowerSetup<'_>,
    trace: &mut LowerTrace,
) -> Result<(), BiproportionalError> {
    let nodes = u64::try_from(grid.rows() + grid.cols()).unwrap_or(u64::MAX);
    let limit = trace.initial_flaw.saturating_mul(nodes);
    loop {
        let flaws = grid.flaws(setup.list_seats);
        let Some(root) = flaws.iter().position(|&flaw| flaw > 0) else {
            return Ok(());
        };
        let mut labels =
            Labels { rows: vec![Reach::No; grid.rows()], cols: vec![None; grid.cols()] };
        labels.rows[root] = Reach::Root;
        loop {
            if let Some(end) = labels.grow(grid, &flaws) {
                labels.transfer(grid, end);
                trace.transfers += 1;
                break;
            }
            let Some(factor) = labels.scaling_factor(grid) else {
                let list = setup.matrix.lists()[setup.lists[root]].to_string();
                return Err(BiproportionalError::Infeasible(list));
            };
            scale(grid, &labels, &factor);
            trace.scalings += 1;
            if trace.scalings > limit {
                return Err(BiproportionalError::StepLimit(limit));
            }
        }
        if grid.is_bulky() {
            grid.tidy();
        }
    }
}

/// Step 3: labelled lists' divisors divided, labelled districts' multiplied by `factor`.
/// Quotients of labelled lists in unlabelled districts grow by the factor, those of
/// unlabelled lists in labelled districts shrink by it, and the others stay.
fn scale(grid: &mut Grid, labels: &Labels, factor: &Rational) {
    for row in 0..grid.rows() {
        let row_in = labels.rows[row] != Reach::No;
        if row_in {
            grid.row_div[row] = grid.row_div[row].div(factor);
        }
        for col in 0..grid.cols() {
            let col_in = labels.cols[col].is_some();
            if grid.votes[row][col] == 0 || row_in == col_in {
                continue;
            }
            let quotient = &grid.quotient[row][col];
            grid.quotient[row][col] =
                if row_in { quotient.mul(factor) } else { quotient.div(factor) };
        }
    }
    for col in (0..grid.cols()).filter(|&col| labels.cols[col].is_some()) {
        grid.col_div[col] = grid.col_div[col].mul(factor);
    }
}

/// Lowers `slot` to `value` if `value` is smaller (or `slot` is empty).
pub(crate) fn keep_min(slot: &mut Option<Rational>, value: Rational) {
    if slot.as_ref().is_none_or(|current| value < *current) {
        *slot = Some(value);
    }
}

/// Raises `slot` to `value` if `value` is larger (or `slot` is empty).
fn keep_max(slot: &mut Option<Rational>, value: Rational) {
    if slot.as_ref().is_none_or(|current| value > *current) {
        *slot = Some(value);
    }
}
