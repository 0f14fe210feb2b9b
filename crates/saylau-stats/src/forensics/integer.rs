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
//! significance comes from a seeded Monte Carlo (Xoshiro256++): in each draw every station
//! is integer with its exact probability, which has the same distribution as drawing the binomial counts and
//! testing them (the authors' procedure) but costs one uniform number per station and line.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, SeedableRng};
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

/// Rolls up to this size are computed in 64 bits (20·1000·n and 100·n cannot overflow).
const SMALL: u64 = 1 << 40;

/// True when `100·x/n` is within 0.05 of a whole number, decided in integers.
pub fn is_integer_percent(x: u64, n: u64) -> bool {
    if n == 0 {
        return false;
    }
    // 64-bit arithmetic where it cannot overflow (any real roll), 128-bit otherwise.
    if n <= SMALL && x <= n {
        let rem = (x * 100) % n;
        let dist = rem.min(n - rem);
        return dist * TOLERANCE_DENOMINATOR <= n;
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
///
/// The probabilities are walked from the mode outwards by the ratio of neighbouring terms
/// (no factorial or log-gamma), up and down until a term falls below 1e-13 of the mode's,
/// and normalised by their sum; each count is tested against the window of whole
/// percentage `k`, `[⌈(20k − 1)·n / 2000⌉, ⌊(20k + 1)·n / 2000⌋]`, moved only when the walk
/// leaves it.
pub fn integer_probability(x: u64, n: u64, boundary: Boundary) -> f64 {
    if n == 0 {
        return 0.0;
    }
    if x == 0 || x >= n {
        return if boundary.is_integer(x.min(n), n) { 1.0 } else { 0.0 };
    }
    let p = x as f64 / n as f64;
    let odds = p / (1.0 - p);
    let mode = ((((n + 1) as f64) * p).floor() as u64).min(n);
    let window = |k: u64| window(k, n, boundary);
    let start_k = mode * 100 / n;
    let mut total = 1.0;
    let in_start = [start_k, start_k + 1].iter().any(|&k| {
        let (lo, hi) = window(k);
        lo <= mode && mode <= hi
    });
    let mut integer = if in_start { 1.0 } else { 0.0 };
    // Upwards: the window with the smallest k whose upper end is at or above the count.
    let (mut k, mut current) = (start_k, window(start_k));
    let mut weight = 1.0;
    for count in mode + 1..=n {
        weight *= (n - count + 1) as f64 / count as f64 * odds;
        if weight < CUTOFF {
            break;
        }
        while current.1 < count {
            k += 1;
            current = window(k);
        }
        total += weight;
        if current.0 <= count {
            integer += weight;
        }
    }
    // Downwards: the window with the largest k whose lower end is at or below the count.
    let (mut k, mut current) = (start_k + 1, window(start_k + 1));
    weight = 1.0;
    for count in (0..mode).rev() {
        weight *= (count + 1) as f64 / (n - count) as f64 / odds;
        if weight < CUTOFF {
            break;
        }
        while current.0 > count && k > 0 {
            k -= 1;
            current = window(k);
        }
        total += weight;
        if current.0 <= count && count <= current.1 {
            integer += weight;
        }
    }
    (integer / total).min(1.0)
}

/// Binomial terms below this share of the mode's are left out of the sums (their total is below
/// 1e-11 of the mass: far below the Monte Carlo noise).
const CUTOFF: f64 = 1e-13;

/// The counts `c` of `n` with `100·c/n` within 0.05 of `k` under `boundary`: `(lo, hi)`,
/// empty when `lo > hi`. Only the ends can sit exactly on a boundary, where the rules differ.
fn window(k: u64, n: u64, boundary: Boundary) -> (u64, u64) {
    let (mut lo, mut hi) = if n <= SMALL && k <= 1000 {
        let centre = 20 * k * n;
        (centre.saturating_sub(n).div_ceil(2000), (centre + n) / 2000)
    } else {
        let centre = 20 * u128::from(k) * u128::from(n);
        let lo = centre.saturating_sub(u128::from(n)).div_ceil(2000);
        let hi = (centre + u128::from(n)) / 2000;
        (u64::try_from(lo).unwrap_or(u64::MAX), u64::try_from(hi).unwrap_or(u64::MAX))
    };
    if lo <= hi && !boundary.is_integer(lo, n) {
        lo += 1;
    }
    if lo <= hi && !boundary.is_integer(hi, n) {
        hi = hi.saturating_sub(1);
    }
    (lo, hi)
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
        let reason =
            dropped_reason(station.voters, station.given, cast, leader, options.min_voters);
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

/// Why the authors' filter drops a station, or `None` to keep it.
fn dropped_reason(
    voters: u64,
    given: u64,
    cast: u64,
    leader: u64,
    min_voters: u64,
) -> Option<&'static str> {
    if cast == 0 {
        Some("no ballots cast")
    } else if voters < min_voters {
        Some("fewer voters than the minimum")
    } else if u128::from(given) * 100 > u128::from(voters) * 99 {
        Some("turnout above 99 %")
    } else if u128::from(leader) * 100 > u128::from(cast) * 99 {
        Some("leader share above 99 %")
    } else {
        None
    }
}

/// The seeded Monte Carlo: per draw, each station is integer in the leader share and in
/// turnout with its exact probabilities, independently. The generator is Xoshiro256++
/// seeded from `seed` (rand's `seed_from_u64`); each 64-bit output gives the two uniform
/// 32-bit numbers of one station and draw, compared with `p·2^32` (a resolution of
/// 2.3e-10, far below the Monte Carlo's own noise).
fn monte_carlo(
    probabilities: &[(f64, f64)],
    observed: &Counts<u64>,
    options: &IntegerOptions,
) -> Counts<MonteCarlo> {
    let draws = usize::try_from(options.draws).unwrap_or(0);
    let mut leader = vec![0u32; draws];
    let mut turnout = vec![0u32; draws];
    let mut either = vec![0u32; draws];
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(options.seed);
    for &(p_leader, p_turnout) in probabilities {
        let (t_leader, t_turnout) = (threshold(p_leader), threshold(p_turnout));
        for draw in 0..draws {
            let bits = rng.next_u64();
            let hit_leader = u64::from(bits as u32) < t_leader;
            let hit_turnout = (bits >> 32) < t_turnout;
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

/// `p·2^32` rounded, so that a uniform 32-bit number is below it with probability `p`
/// (1 gives 2^32: always).
fn threshold(p: f64) -> u64 {
    (p.clamp(0.0, 1.0) * 4_294_967_296.0).round() as u64
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
    fn a_roll_of_1000_hits_one_count_in_ten() {
        // Window |c − 10k| ≤ 0.5: one count in ten, and the spread (sd 15.8) is smooth.
        let p = integer_probability(500, 1000, Boundary::Exact);
        assert!((p - 0.1).abs() < 1e-3, "{p}");
    }

    #[test]
    fn walk_agrees_with_a_brute_force_sum() {
        for (x, n) in [(1234, 2345), (7, 151), (2950, 3001), (61_234, 100_000)] {
            // Every term from 0 to n, by the same recurrence from 0, in log space.
            let p = x as f64 / n as f64;
            let mut log_terms = vec![(n as f64) * (1.0 - p).ln()];
            for c in 1..=n {
                let last = log_terms[log_terms.len() - 1];
                log_terms.push(last + ((n - c + 1) as f64 / c as f64).ln() + (p / (1.0 - p)).ln());
            }
            let top = log_terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let terms: Vec<f64> = log_terms.iter().map(|it| (it - top).exp()).collect();
            let total: f64 = terms.iter().sum();
            for boundary in [Boundary::Exact, Boundary::Float] {
                let brute: f64 = (0..=n)
                    .filter(|&c| boundary.is_integer(c, n))
                    .map(|c| terms[usize::try_from(c).expect("small")])
                    .sum::<f64>()
                    / total;
                let walked = integer_probability(x, n, boundary);
                assert!((walked - brute).abs() < 1e-9, "{x}/{n} {boundary:?}: {walked} vs {brute}");
            }
        }
    }
}
