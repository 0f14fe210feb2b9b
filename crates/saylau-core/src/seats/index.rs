//! Proportionality indices of a result: how far the seats are from the votes.
//!
//! Every index is an exact [`Rational`] with a rounded decimal beside it for readers; the
//! Gallagher index, a square root, is kept exact as its square. Vote shares are of the
//! sum of the list votes ("against all" cannot win seats, so it is left out of the
//! comparison), and seat shares are of the seats given out. The wasted-vote share is the
//! exception: it is of all valid votes, "against all" included, because those votes are
//! wasted too. An index that is undefined for the input (no votes, no seats) is `None`.
//! Reports and the CLI show these next to an [`crate::seats::allocation::Allocation`].

use serde::Serialize;

use crate::seats::rational::Rational;
use crate::seats::votes::{Seats, Votes};

/// Digits after the decimal point in the readable decimals.
const PLACES: u32 = 4;

/// An exact value and its decimal, rounded half up to four places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// The exact value (serialised as `a/b`).
    pub exact: Rational,
    /// The value rounded half up to four decimal places.
    pub decimal: String,
}

impl Measure {
    fn new(exact: Rational) -> Measure {
        let decimal = exact.to_decimal(PLACES);
        Measure { exact, decimal }
    }
}

/// The least-squares index of Gallagher (1991), "Proportionality, disproportionality and
/// electoral systems", Electoral Studies 10(1): `sqrt(1/2 * sum (v_i - s_i)^2)`, with vote
/// and seat shares in percent, so the index is in percentage points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeastSquares {
    /// The square of the index, exact: `1/2 * sum (v_i - s_i)^2`.
    pub squared: Rational,
    /// The index itself, the square root truncated (not rounded) to four decimal places.
    pub decimal: String,
}

/// Proportionality indices of one result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indices {
    /// Gallagher's least-squares index (Gallagher 1991), in percentage points.
    pub gallagher: Option<LeastSquares>,
    /// The Loosemore-Hanby index `1/2 * sum |v_i - s_i|` (Loosemore & Hanby 1971, "The
    /// theoretical limits of maximum distortion", British Journal of Political Science
    /// 1(4)), in percentage points: the share of seats held by over-represented lists
    /// beyond their vote share.
    pub loosemore_hanby: Option<Measure>,
    /// The Sainte-Laguë index `sum (s_i - v_i)^2 / v_i` over the lists with votes, with
    /// shares as fractions of one (Gallagher 1991 uses percentages, which makes it 100
    /// times larger). The divisor method of the same name minimises it. `None` when a
    /// list without votes holds a seat, which makes it infinite.
    pub sainte_lague: Option<Measure>,
    /// The D'Hondt index: the largest advantage ratio `max s_i / v_i` over the lists with
    /// votes (Gallagher 1991); the D'Hondt method minimises it. One is perfect; `None`
    /// when a list without votes holds a seat.
    pub dhondt: Option<Measure>,
    /// The effective number of parties by votes, `1 / sum p_i^2` over the vote shares
    /// (Laakso & Taagepera 1979, "'Effective' number of parties: a measure with
    /// application to West Europe", Comparative Political Studies 12(1)).
    pub effective_parties_votes: Option<Measure>,
    /// The effective number of parties by seats, `1 / sum p_i^2` over the seat shares
    /// (Laakso & Taagepera 1979).
    pub effective_parties_seats: Option<Measure>,
    /// Wasted votes: the votes of lists that won no seat, plus "against all".
    pub wasted_votes: Votes,
    /// Wasted votes in percent of the valid votes (list votes plus "against all").
    pub wasted_percent: Option<Measure>,
}

/// The proportionality indices of a result: `votes` and `seats` per list in the same
/// order, and the valid "against all" votes.
///
/// # Panics
///
/// When `votes` and `seats` differ in length: they describe the same lists.
pub fn indices(votes: &[Votes], seats: &[Seats], against_all: Votes) -> Indices {
    assert_eq!(votes.len(), seats.len(), "votes and seats must describe the same lists");
    let vote_counts: Vec<u128> = votes.iter().map(|it| u128::from(it.0)).collect();
    let seat_counts: Vec<u128> = seats.iter().map(|it| u128::from(it.0)).collect();
    let vote_shares = shares(&vote_counts);
    let seat_shares = shares(&seat_counts);
    let both = vote_shares.as_deref().zip(seat_shares.as_deref());
    // A list holding seats without votes has an infinite advantage.
    let seated_without_votes = vote_counts
        .iter()
        .zip(&seat_counts)
        .any(|(&list_votes, &list_seats)| list_votes == 0 && list_seats > 0);
    let finite = both.filter(|_| !seated_without_votes);
    let wasted_votes: Votes = votes
        .iter()
        .zip(seats)
        .filter(|(_, list_seats)| list_seats.0 == 0)
        .map(|(list_votes, _)| *list_votes)
        .sum::<Votes>()
        + against_all;
    let valid = vote_counts.iter().sum::<u128>() + u128::from(against_all.0);
    Indices {
        gallagher: both.map(|(vote_shares, seat_shares)| least_squares(vote_shares, seat_shares)),
        loosemore_hanby: both.map(|(vote_shares, seat_shares)| {
            Measure::new(loosemore_hanby(vote_shares, seat_shares))
        }),
        sainte_lague: finite
            .map(|(vote_shares, seat_shares)| Measure::new(sainte_lague(vote_shares, seat_shares))),
        dhondt: finite.map(|(vote_shares, seat_shares)| {
            Measure::new(largest_advantage(vote_shares, seat_shares))
        }),
        effective_parties_votes: vote_shares.as_deref().map(|it| Measure::new(effective(it))),
        effective_parties_seats: seat_shares.as_deref().map(|it| Measure::new(effective(it))),
        wasted_votes,
        wasted_percent: (valid > 0)
            .then(|| Measure::new(Rational::from_ratio(u128::from(wasted_votes.0) * 100, valid))),
    }
}

/// Each count as a fraction of their sum; `None` when the sum is zero.
fn shares(counts: &[u128]) -> Option<Vec<Rational>> {
    let total: u128 = counts.iter().sum();
    (total > 0).then(|| counts.iter().map(|&count| Rational::from_ratio(count, total)).collect())
}

/// The gap between a vote share and a seat share, in percentage points.
fn gap_in_points(vote_share: &Rational, seat_share: &Rational) -> Rational {
    vote_share.sub(seat_share).mul(&Rational::from_integer(100))
}

fn least_squares(vote_shares: &[Rational], seat_shares: &[Rational]) -> LeastSquares {
    let sum = vote_shares.iter().zip(seat_shares).fold(Rational::zero(), |acc, (vote, seat)| {
        let gap = gap_in_points(vote, seat);
        acc.add(&gap.mul(&gap))
    });
    let squared = sum.div(&Rational::from_integer(2));
    let decimal = squared.sqrt_decimal(PLACES);
    LeastSquares { squared, decimal }
}

fn loosemore_hanby(vote_shares: &[Rational], seat_shares: &[Rational]) -> Rational {
    let sum = vote_shares
        .iter()
        .zip(seat_shares)
        .fold(Rational::zero(), |acc, (vote, seat)| acc.add(&gap_in_points(vote, seat).abs()));
    sum.div(&Rational::from_integer(2))
}

fn sainte_lague(vote_shares: &[Rational], seat_shares: &[Rational]) -> Rational {
    vote_shares.iter().zip(seat_shares).filter(|(vote, _)| !vote.is_zero()).fold(
        Rational::zero(),
        |acc, (vote, seat)| {
            let gap = seat.sub(vote);
            acc.add(&gap.mul(&gap).div(vote))
        },
    )
}

fn largest_advantage(vote_shares: &[Rational], seat_shares: &[Rational]) -> Rational {
    vote_shares
        .iter()
        .zip(seat_shares)
        .filter(|(vote, _)| !vote.is_zero())
        .map(|(vote, seat)| seat.div(vote))
        .max_by(|left, right| left.compare(right))
        .expect("vote shares exist only when some list has votes")
}

/// `1 / sum p^2`; the shares sum to one, so the sum of squares is positive.
fn effective(shares: &[Rational]) -> Rational {
    let concentration =
        shares.iter().fold(Rational::zero(), |acc, share| acc.add(&share.mul(share)));
    Rational::from_integer(1).div(&concentration)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders every index on its own line, `exact = decimal`, `-` when undefined.
    fn check(votes: &[u64], seats: &[u32], against_all: u64, expect: &str) {
        let votes: Vec<Votes> = votes.iter().copied().map(Votes).collect();
        let seats: Vec<Seats> = seats.iter().copied().map(Seats).collect();
        let res = indices(&votes, &seats, Votes(against_all));
        let show = |measure: &Option<Measure>| match measure {
            Some(measure) => format!("{} = {}", measure.exact, measure.decimal),
            None => "-".to_owned(),
        };
        let gallagher = match &res.gallagher {
            Some(index) => format!("sqrt({}) = {}", index.squared, index.decimal),
            None => "-".to_owned(),
        };
        let actual = format!(
            "gallagher {gallagher}\n\
             loosemore-hanby {}\n\
             sainte-lague {}\n\
             dhondt {}\n\
             enp-votes {}\n\
             enp-seats {}\n\
             wasted {} votes, {} %",
            show(&res.loosemore_hanby),
            show(&res.sainte_lague),
            show(&res.dhondt),
            show(&res.effective_parties_votes),
            show(&res.effective_parties_seats),
            res.wasted_votes,
            show(&res.wasted_percent),
        );
        assert_eq!(actual, expect.trim(), "\n{actual}");
    }

    /// Expected values computed independently with Python's `fractions.Fraction`.
    #[test]
    fn mazhilis_2021() {
        check(
            &[5_148_074, 792_828, 659_019, 383_023, 258_618],
            &[76, 12, 10, 0, 0],
            0,
            "
gallagher sqrt(191933605048427500/4496748882136623) = 6.5332
loosemore-hanby 32082050/3620781 = 8.8605
sainte-lague 323410016645652805/3322137440936560547 = 0.0973
dhondt 12069270/10763977 = 1.1213
enp-votes 26220110099922/13889569038937 = 1.8878
enp-seats 343/215 = 1.5953
wasted 641641 votes, 32082050/3620781 = 8.8605 %",
        );
    }

    #[test]
    fn perfect_proportionality() {
        check(
            &[500, 300, 200],
            &[5, 3, 2],
            0,
            "
gallagher sqrt(0) = 0.0000
loosemore-hanby 0 = 0.0000
sainte-lague 0 = 0.0000
dhondt 1 = 1.0000
enp-votes 50/19 = 2.6316
enp-seats 50/19 = 2.6316
wasted 0 votes, 0 = 0.0000 %",
        );
    }

    /// Hand-checked: shares 50/30/20 % against 60/30/10 % give gaps of 10, 0 and 10 points.
    #[test]
    fn textbook_values() {
        check(
            &[50, 30, 20],
            &[6, 3, 1],
            0,
            "
gallagher sqrt(100) = 10.0000
loosemore-hanby 10 = 10.0000
sainte-lague 7/100 = 0.0700
dhondt 6/5 = 1.2000
enp-votes 50/19 = 2.6316
enp-seats 50/23 = 2.1739
wasted 0 votes, 0 = 0.0000 %",
        );
        // Laakso & Taagepera: four equal parties make four; 40/30/20/10 make 3.33.
        check(
            &[40, 30, 20, 10],
            &[4, 3, 2, 1],
            0,
            "
gallagher sqrt(0) = 0.0000
loosemore-hanby 0 = 0.0000
sainte-lague 0 = 0.0000
dhondt 1 = 1.0000
enp-votes 10/3 = 3.3333
enp-seats 10/3 = 3.3333
wasted 0 votes, 0 = 0.0000 %",
        );
        check(
            &[7, 7, 7, 7],
            &[1, 1, 1, 1],
            0,
            "
gallagher sqrt(0) = 0.0000
loosemore-hanby 0 = 0.0000
sainte-lague 0 = 0.0000
dhondt 1 = 1.0000
enp-votes 4 = 4.0000
enp-seats 4 = 4.0000
wasted 0 votes, 0 = 0.0000 %",
        );
    }

    #[test]
    fn against_all_is_wasted_but_not_a_share() {
        // Shares are of the 105 list votes; the 25 against all are wasted with the 5 votes
        // of the unseated third list: 30 of the 130 valid votes.
        check(
            &[60, 40, 5],
            &[3, 2, 0],
            25,
            "
gallagher sqrt(7600/441) = 4.1513
loosemore-hanby 100/21 = 4.7619
sainte-lague 1/20 = 0.0500
dhondt 21/20 = 1.0500
enp-votes 441/209 = 2.1100
enp-seats 25/13 = 1.9231
wasted 30 votes, 300/13 = 23.0769 %",
        );
    }

    #[test]
    fn undefined_indices_are_none() {
        check(
            &[0, 0],
            &[0, 0],
            0,
            "
gallagher -
loosemore-hanby -
sainte-lague -
dhondt -
enp-votes -
enp-seats -
wasted 0 votes, - %",
        );
        check(
            &[10, 0],
            &[0, 0],
            4,
            "
gallagher -
loosemore-hanby -
sainte-lague -
dhondt -
enp-votes 1 = 1.0000
enp-seats -
wasted 14 votes, 100 = 100.0000 %",
        );
        // A list without votes that holds a seat makes the ratio indices infinite.
        check(
            &[10, 0],
            &[1, 1],
            0,
            "
gallagher sqrt(2500) = 50.0000
loosemore-hanby 50 = 50.0000
sainte-lague -
dhondt -
enp-votes 1 = 1.0000
enp-seats 2 = 2.0000
wasted 0 votes, 0 = 0.0000 %",
        );
        check(
            &[],
            &[],
            0,
            "
gallagher -
loosemore-hanby -
sainte-lague -
dhondt -
enp-votes -
enp-seats -
wasted 0 votes, - %",
        );
    }

    #[test]
    fn serialises_rationals_as_text() {
        let res =
            indices(&[Votes(50), Votes(30), Votes(20)], &[Seats(6), Seats(3), Seats(1)], Votes(0));
        let json = serde_json::to_value(&res).expect("indices serialise");
        assert_eq!(
            json,
            serde_json::json!({
                "gallagher": {"squared": "100", "decimal": "10.0000"},
                "loosemore_hanby": {"exact": "10", "decimal": "10.0000"},
                "sainte_lague": {"exact": "7/100", "decimal": "0.0700"},
                "dhondt": {"exact": "6/5", "decimal": "1.2000"},
                "effective_parties_votes": {"exact": "50/19", "decimal": "2.6316"},
                "effective_parties_seats": {"exact": "50/23", "decimal": "2.1739"},
                "wasted_votes": 0,
                "wasted_percent": {"exact": "0", "decimal": "0.0000"},
            })
        );
    }
}
