//! The integer-percentage test of Kobak, Shpilkin and Pshenichnikov ("Integer percentages as
//! electoral falsification fingerprints", Ann. Appl. Stat. 10(1), 2016).
//!
//! A station is "integer" in turnout (ballots issued / voters) or in the leader's share
//! (leader votes / ballots cast) when that percentage lies within 0.05 points of a whole
//! number. Stations that report a target figure instead of a count pile up on whole numbers.
//! The null model keeps each station's own size: turnout ~ Binomial(voters, observed turnout),
//! leader votes ~ Binomial(cast, observed share), drawn independently.
//!
//! Boundary rule: the comparison is exact, in integers. `100·x/n` is within 0.05 of a whole
//! number `k` if and only if `|2000·x − 20·k·n| ≤ n`, that is if `d ≤ n/20` where `d` is the
//! distance of `100·x mod n` to the nearest multiple of `n`. The authors compare in floating
//! point (`abs(p − round(p)) ≤ 0.05`); the two rules differ only when a percentage lies
//! exactly on a boundary, and the result reports how many stations that is.
//!
//! The expected count is exact (a sum of binomial window probabilities, no simulation). The
//! significance comes from a seeded Monte Carlo: in each draw every station is integer with
//! its exact probability, which has the same distribution as drawing the binomial counts and
//! testing them (the authors' procedure) but costs one uniform number per station and line.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::explain::{Explanation, Selection};
use super::station::StationSet;

/// How to run the test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntegerOptions {
    /// The leading list.
    pub leader: usize,
    /// Monte Carlo draws (the authors use 1,000).
    pub draws: u32,
    /// The Monte Carlo seed, printed with the result.
    pub seed: u64,
    /// The smallest roll kept (the authors: 100).
    pub min_voters: u64,
    /// How a percentage on the 0.05 boundary is decided.
    pub boundary: Boundary,
}

/// The boundary rule of "within 0.05 points of a whole number".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    /// Exact integers: `|2000·x − 20·k·n| ≤ n` (a boundary value counts).
    Exact,
    /// The authors' floating-point rule, `abs(p − round(p)) ≤ 0.05` on `p = 100·x/n` in
    /// `f64`, which drops some exact boundary values; use it to reproduce their counts.
    Float,
}

impl Boundary {
    /// True when `100·x/n` is an integer percentage under this rule.
    pub fn is_integer(self, x: u64, n: u64) -> bool {
        match self {
            Boundary::Exact => is_integer_percent(x, n),
            Boundary::Float => n > 0 && is_integer_percent_float(x, n),
        }
    }
}

/// Counts for the three definitions the authors report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts<T> {
    /// Stations with an integer turnout or an integer leader share.
    pub either: T,
    /// Stations with an integer leader share.
    pub leader: T,
    /// Stations with an integer turnout.
    pub turnout: T,
}

/// The Monte Carlo summary of one count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MonteCarlo {
    /// Mean over the draws.
    pub mean: f64,
    /// Standard deviation over the draws.
    pub sd: f64,
    /// The 99.9th percentile of the draws (the authors' significance mark).
    pub p999: f64,
    /// One-sided p-value: (1 + draws at or above the observed count) / (1 + draws).
    pub p_value: f64,
}

/// The result of the integer-percentage test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntegerTest {
    /// Definition, assumptions and artifacts.
    pub explanation: Explanation,
    /// Stations kept and dropped.
    pub selection: Selection,
    /// Stations kept (the same as `selection.kept`, the name scripts rely on).
    pub stations_kept: usize,
    /// Stations observed at integer percentages.
    pub observed: Counts<u64>,
    /// The exact expected count under the binomial null.
    pub expected: Counts<f64>,
    /// Observed minus expected.
    pub excess: Counts<f64>,
    /// The seeded Monte Carlo.
    pub monte_carlo: Counts<MonteCarlo>,
    /// Observed minus the Monte Carlo mean (the authors' figure).
    pub excess_monte_carlo: Counts<f64>,
    /// Monte Carlo draws.
    pub draws: u32,
    /// Monte Carlo seed.
    pub seed: u64,
    /// The boundary rule used for `observed`, `expected` and the Monte Carlo.
    pub boundary: Boundary,
    /// Stations whose integer status differs between the exact rule and the authors'
    /// floating-point rule (`abs(p − round(p)) ≤ 0.05` on `p = 100·x/n` in `f64`).
    pub float_rule_disagreements: u64,
    /// True when the either-count exceeds the 99.9th Monte Carlo percentile.
    pub significant: bool,
}

/// The tolerance, in percentage points, written as the fraction 1/20.
const TOLERANCE_DENOMINATOR: u64 = 20;

/// True when `100·x/n` is within 0.05 of a whole number, decided in integers.
pub fn is_integer_percent(x: u64, n: u64) -> bool {
    if n == 0 {
        return false;
    }
    let rem = (u128::from(x) * 100) % u128::from(n);
    let dist = rem.min(u128::from(n) - rem);
    dist * u128::from(TOLERANCE_DENOMINATOR) <= u128::from(n)
}

/// The authors' rule in floating point, for the comparison.
fn is_integer_percent_float(x: u64, n: u64) -> bool {
    let p = 100.0 * x as f64 / n as f64;
    (p - p.round()).abs() <= 0.05
}

/// Probability that a Binomial(n, x/n) count is an integer percentage of `n` under the
/// `boundary` rule.
pub fn integer_probability(x: u64, n: u64, boundary: Boundary) -> f64 {
    if n == 0 {
        return 0.0;
    }
    if x == 0 || x >= n {
        return if boundary.is_integer(x.min(n), n) { 1.0 } else { 0.0 };
    }
    let (start, pmf) = binomial_pmf(n, x as f64 / n as f64);
    let end = start + pmf.len() as u64; // Exclusive.
    let mut total = 0.0;
    let mut k = (start * 100) / n;
    loop {
        // Window of counts whose percentage is within 0.05 of k: 20kn − n ≤ 2000·c ≤ 20kn + n.
        let centre = 20 * u128::from(k) * u128::from(n);
        let lo = (centre.saturating_sub(u128::from(n))).div_ceil(2000);
        let hi = (centre + u128::from(n)) / 2000;
        let mut lo = u64::try_from(lo).unwrap_or(u64::MAX).max(start);
        let mut hi = u64::try_from(hi).unwrap_or(u64::MAX).min(end.saturating_sub(1));
        if lo >= end || k > 100 {
            break;
        }
        // Only a window's end points can sit exactly on a boundary, where the rules differ.
        if lo <= hi && !boundary.is_integer(lo, n) {
            lo += 1;
        }
        if lo <= hi && !boundary.is_integer(hi, n) {
            hi = hi.saturating_sub(1);
        }
        if lo <= hi {
            let from = usize::try_from(lo - start).unwrap_or(usize::MAX);
            let to = usize::try_from(hi - start).unwrap_or(usize::MAX);
            total += pmf[from..=to].iter().sum::<f64>();
        }
        k += 1;
    }
    total.min(1.0)
}

/// The Binomial(n, p) probabilities over the counts that carry all but ~1e-17 of the mass:
/// `(first count, probabilities)`, computed from the mode outwards by the ratio of
/// neighbouring terms and normalised, so no factorial or log-gamma is needed.
fn binomial_pmf(n: u64, p: f64) -> (u64, Vec<f64>) {
    let mode = (((n + 1) as f64) * p).floor().min(n as f64) as u64;
    let odds = p / (1.0 - p);
    let mut up = Vec::new();
    let mut weight = 1.0;
    let mut k = mode;
    while k < n {
        weight *= (n - k) as f64 / (k + 1) as f64 * odds;
        if weight < 1e-17 {
            break;
        }
        up.push(weight);
        k += 1;
    }
    let mut down = Vec::new();
    weight = 1.0;
    k = mode;
    while k > 0 {
        weight *= k as f64 / (n - k + 1) as f64 / odds;
        if weight < 1e-17 {
            break;
        }
        down.push(weight);
        k -= 1;
    }
    let start = mode - down.len() as u64;
    let mut pmf: Vec<f64> = down.into_iter().rev().collect();
    pmf.push(1.0);
    pmf.extend(up);
    let sum: f64 = pmf.iter().sum();
    for it in &mut pmf {
        *it /= sum;
    }
    (start, pmf)
}

/// Runs the integer-percentage test.
pub fn integer_test(set: &StationSet, options: &IntegerOptions) -> IntegerTest {
    let mut selection = Selection::default();
    let mut observed = Counts::<u64>::default();
    let mut expected = Counts::<f64>::default();
    let mut probabilities = Vec::new();
    let mut float_rule_disagreements = 0;
    for station in &set.stations {
        let cast = station.cast();
        let leader = station.votes[options.leader];
        let reason = if cast == 0 {
            Some("no ballots cast")
        } else if station.voters < options.min_voters {
            Some("fewer voters than the minimum")
        } else if u128::from(station.given) * 100 > u128::from(station.voters) * 99 {
            Some("turnout above 99 %")
        } else if u128::from(leader) * 100 > u128::from(cast) * 99 {
            Some("leader share above 99 %")
        } else {
            None
        };
        if let Some(reason) = reason {
            selection.drop_for(reason);
            continue;
        }
        selection.kept += 1;
        let int_leader = options.boundary.is_integer(leader, cast);
        let int_turnout = options.boundary.is_integer(station.given, station.voters);
        if is_integer_percent(leader, cast) != is_integer_percent_float(leader, cast)
            || is_integer_percent(station.given, station.voters)
                != is_integer_percent_float(station.given, station.voters)
        {
            float_rule_disagreements += 1;
        }
        observed.leader += u64::from(int_leader);
        observed.turnout += u64::from(int_turnout);
        observed.either += u64::from(int_leader || int_turnout);
        let p_leader = integer_probability(leader, cast, options.boundary);
        let p_turnout = integer_probability(station.given, station.voters, options.boundary);
        expected.leader += p_leader;
        expected.turnout += p_turnout;
        expected.either += p_leader + p_turnout - p_leader * p_turnout;
        probabilities.push((p_leader, p_turnout));
    }
    let monte_carlo = monte_carlo(&probabilities, &observed, options);
    let excess = Counts {
        either: observed.either as f64 - expected.either,
        leader: observed.leader as f64 - expected.leader,
        turnout: observed.turnout as f64 - expected.turnout,
    };
    let excess_monte_carlo = Counts {
        either: observed.either as f64 - monte_carlo.either.mean,
        leader: observed.leader as f64 - monte_carlo.leader.mean,
        turnout: observed.turnout as f64 - monte_carlo.turnout.mean,
    };
    IntegerTest {
        explanation: explanation(options.min_voters),
        stations_kept: selection.kept,
        selection,
        observed,
        expected,
        excess,
        significant: observed.either as f64 > monte_carlo.either.p999,
        monte_carlo,
        excess_monte_carlo,
        draws: options.draws,
        seed: options.seed,
        boundary: options.boundary,
        float_rule_disagreements,
    }
}

/// The seeded Monte Carlo: per draw, each station is integer in the leader share and in
/// turnout with its exact probabilities, independently.
fn monte_carlo(
    probabilities: &[(f64, f64)],
    observed: &Counts<u64>,
    options: &IntegerOptions,
) -> Counts<MonteCarlo> {
    let draws = usize::try_from(options.draws).unwrap_or(0);
    let mut leader = vec![0u32; draws];
    let mut turnout = vec![0u32; draws];
    let mut either = vec![0u32; draws];
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    // A probability p becomes the threshold p·2^64 for a uniform 64-bit integer.
    let scale = 18_446_744_073_709_551_616.0_f64;
    for &(p_leader, p_turnout) in probabilities {
        let t_leader = threshold(p_leader, scale);
        let t_turnout = threshold(p_turnout, scale);
        for draw in 0..draws {
            let hit_leader = rng.next_u64() < t_leader || p_leader >= 1.0;
            let hit_turnout = rng.next_u64() < t_turnout || p_turnout >= 1.0;
            leader[draw] += u32::from(hit_leader);
            turnout[draw] += u32::from(hit_turnout);
            either[draw] += u32::from(hit_leader || hit_turnout);
        }
    }
    Counts {
        either: summarise(&mut either, observed.either),
        leader: summarise(&mut leader, observed.leader),
        turnout: summarise(&mut turnout, observed.turnout),
    }
}

fn threshold(p: f64, scale: f64) -> u64 {
    // Saturating float-to-integer conversion; p = 1 is handled by the caller.
    (p * scale) as u64
}

fn summarise(counts: &mut [u32], observed: u64) -> MonteCarlo {
    if counts.is_empty() {
        return MonteCarlo::default();
    }
    let n = counts.len() as f64;
    let mean = counts.iter().map(|&it| f64::from(it)).sum::<f64>() / n;
    let var =
        counts.iter().map(|&it| (f64::from(it) - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    let at_or_above = counts.iter().filter(|&&it| u64::from(it) >= observed).count();
    counts.sort_unstable();
    MonteCarlo {
        mean,
        sd: var.sqrt(),
        p999: quantile(counts, 0.999),
        p_value: (1.0 + at_or_above as f64) / (1.0 + n),
    }
}

/// Linear-interpolation quantile of sorted counts (numpy's default).
fn quantile(sorted: &[u32], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    f64::from(sorted[lo]) * (1.0 - frac) + f64::from(sorted[hi]) * frac
}

fn explanation(min_voters: u64) -> Explanation {
    let min = format!(
        "stations kept: ballots cast > 0, at least {min_voters} voters, turnout ≤ 99 %, leader share ≤ 99 % (the authors' filter)"
    );
    let mut res = Explanation::new(
        "stations whose turnout (ballots issued / voters) or leader share (leader votes / ballots cast) is within 0.05 points of a whole percentage, against the number expected if each station's count were binomial with its own size and observed rate; excess = observed − expected",
        &[
            "without manipulation, the last digits of a station's percentages are smooth: each count is binomial around its own rate",
            "turnout and leader share are drawn independently (the either-probability is p_L + p_T − p_L·p_T)",
            "boundary rule (see `boundary`): exact integers, |2000·x − 20·k·n| ≤ n, by default; the authors' float rule abs(p − round(p)) ≤ 0.05 differs only on exact boundaries (counted in float_rule_disagreements)",
        ],
        &[
            "small stations hit whole percentages by chance (n = 100 makes every value whole): the null uses each station's own n, and the minimum roll drops the smallest",
            "commissions that round reported figures, or special stations (hospitals, abroad) with round rolls, add integer stations without fraud",
        ],
    );
    res.assumptions.insert(0, min);
    res
}

#[cfg(test)]
mod tests {
    use super::{Boundary, integer_probability, is_integer_percent};

    fn check(x: u64, n: u64, expect: bool) {
        assert_eq!(is_integer_percent(x, n), expect, "{x}/{n}");
    }

    #[test]
    fn boundary_is_inclusive_and_exact() {
        check(1, 2000, true); // 0.05 % exactly.
        check(3, 2000, false); // 0.15 %.
        check(21, 2000, true); // 1.05 %, on the upper boundary.
        check(19, 2000, true); // 0.95 %, on the lower boundary.
        check(50, 100, true);
        check(1, 3, false); // 33.33 %.
        check(0, 7, true);
    }

    #[test]
    fn float_rule_drops_some_exact_boundaries() {
        // 100·21/2000 = 1.05 in f64 is 1.0500000000000000444, just beyond 0.05 from 1.
        assert!(Boundary::Exact.is_integer(21, 2000));
        assert!(!Boundary::Float.is_integer(21, 2000));
        let exact = integer_probability(21, 2000, Boundary::Exact);
        let float = integer_probability(21, 2000, Boundary::Float);
        assert!(float < exact, "{float} < {exact}");
    }

    #[test]
    fn every_count_of_a_roll_of_100_is_integer() {
        assert!((integer_probability(37, 100, Boundary::Exact) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn large_rolls_approach_one_in_ten() {
        // With n = 100,000 a 0.1-point window holds about a tenth of the mass.
        let p = integer_probability(61_234, 100_000, Boundary::Exact);
        assert!((p - 0.1).abs() < 0.002, "{p}");
    }
}
