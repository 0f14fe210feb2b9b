//! Deciding one race: the rules of a round, ties by runoff or lot, "against all", and the
//! race's result.

use serde::Serialize;

use super::race::{Race, RaceId};
use crate::seats::lot::{LotSeed, draw_order};
use crate::seats::votes::{ListId, Seats, Votes};

/// How a tie for the last seat of a race is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RaceTie {
    /// A second round (повторное голосование) between the tied candidates: the race is
    /// marked and its tied seats are not filled yet.
    Runoff,
    /// A saylau-lot-v1 lot among the tied candidates, with the seed `S/race-<id>`.
    Lot,
}

/// What "against all" votes do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgainstAllRule {
    /// The law: "against all" is counted but never keeps a candidate from winning.
    NoEffect,
    /// The seed's proposal: in an uncontested race, a candidate with fewer votes than
    /// "against all" is not elected and the seat stays vacant for a repeat election.
    VacatesUncontested,
    /// The proposal generalised: in any race, a candidate with fewer votes than "against
    /// all" cannot win, so "against all" ahead of everyone leaves the seat vacant.
    VacatesWhenBeaten,
}

/// The rules of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PluralityRules {
    /// How ties are decided.
    pub ties: RaceTie,
    /// What "against all" does.
    pub against_all: AgainstAllRule,
    /// The seed from which each race's lot seed is derived (`S/race-<id>`).
    pub lot_seed: LotSeed,
}

/// What became of a race.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RaceStatus {
    /// Every seat is filled.
    Elected,
    /// A second round between tied candidates is needed.
    Runoff,
    /// A seat stays vacant for a repeat election ("against all" under the proposal).
    Vacant,
}

/// A candidate in a result, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateResult {
    /// The name.
    pub name: String,
    /// The nominating party, `None` when self-nominated.
    pub party: Option<ListId>,
    /// The votes.
    pub votes: Votes,
}

/// A second round still to be held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Runoff {
    /// The seats it fills.
    pub seats: Seats,
    /// The tied candidates, in ballot order.
    pub candidates: Vec<CandidateResult>,
}

/// A lot drawn among tied candidates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RaceLot {
    /// The seed of the draw: the round's seed with `/race-<id>` appended.
    pub seed: LotSeed,
    /// The tied candidates in ballot order: the items of the draw.
    pub among: Vec<String>,
    /// The order in which they were drawn; the first are elected.
    pub order: Vec<String>,
}

/// The result of one race.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RaceResult {
    /// The race.
    pub id: RaceId,
    /// Its region, if any.
    pub region: Option<String>,
    /// Seats to fill.
    pub seats: Seats,
    /// What became of it.
    pub status: RaceStatus,
    /// The elected candidates, most votes first.
    pub winners: Vec<CandidateResult>,
    /// The second round needed, if any.
    pub runoff: Option<Runoff>,
    /// Seats left vacant.
    pub vacant_seats: Seats,
    /// The lot drawn, if any.
    pub lot: Option<RaceLot>,
    /// "Against all" votes.
    pub against_all: Votes,
}

/// Decides one race under `rules`.
pub fn race_result(rules: &PluralityRules, race: &Race) -> RaceResult {
    let candidates = race.candidates();
    let eligible = eligible_ranking(rules.against_all, race);
    let named = |idx: &usize| race.candidate_result(*idx);
    let seats = race.seat_count();
    let mut res = RaceResult {
        id: race.id().clone(),
        region: race.region().map(str::to_owned),
        seats: race.seats(),
        status: RaceStatus::Elected,
        winners: Vec::new(),
        runoff: None,
        vacant_seats: Seats(0),
        lot: None,
        against_all: race.against_all(),
    };
    if eligible.len() <= seats {
        res.winners = eligible.iter().map(named).collect();
        let vacant = u32::try_from(seats - eligible.len()).expect("fewer vacancies than seats");
        if vacant > 0 {
            res.status = RaceStatus::Vacant;
            res.vacant_seats = Seats(vacant);
        }
        return res;
    }
    let boundary = candidates[eligible[seats - 1]].votes;
    let above: Vec<usize> =
        eligible.iter().copied().filter(|&idx| candidates[idx].votes > boundary).collect();
    let mut tied: Vec<usize> =
        eligible.iter().copied().filter(|&idx| candidates[idx].votes == boundary).collect();
    tied.sort_unstable();
    let needed = seats - above.len();
    res.winners = above.iter().map(named).collect();
    if tied.len() == needed {
        res.winners.extend(tied.iter().map(named));
        return res;
    }
    match rules.ties {
        RaceTie::Runoff => {
            res.status = RaceStatus::Runoff;
            let seats = Seats(u32::try_from(needed).expect("fewer runoff seats than seats"));
            res.runoff = Some(Runoff { seats, candidates: tied.iter().map(named).collect() });
        }
        RaceTie::Lot => {
            let (winners, lot) = race_lot(&rules.lot_seed, race, &tied, needed);
            res.winners.extend(winners);
            res.lot = Some(lot);
        }
    }
    res
}

/// The candidates who can win, most votes first (ballot order among equal votes): all of
/// them, unless "against all" rules some out.
fn eligible_ranking(rule: AgainstAllRule, race: &Race) -> Vec<usize> {
    let candidates = race.candidates();
    let mut ranking: Vec<usize> = (0..candidates.len()).collect();
    // A stable sort keeps ballot order among equal votes.
    ranking.sort_by(|&left, &right| candidates[right].votes.cmp(&candidates[left].votes));
    let beaten = |idx: usize| {
        let below = candidates[idx].votes < race.against_all();
        match rule {
            AgainstAllRule::NoEffect => false,
            AgainstAllRule::VacatesUncontested => below && race.is_uncontested(),
            AgainstAllRule::VacatesWhenBeaten => below,
        }
    };
    ranking.into_iter().filter(|&idx| !beaten(idx)).collect()
}

/// Draws `needed` winners among `tied` (in ballot order) with the race's seed.
fn race_lot(
    round_seed: &LotSeed,
    race: &Race,
    tied: &[usize],
    needed: usize,
) -> (Vec<CandidateResult>, RaceLot) {
    let seed = race_seed(round_seed, race.id());
    let drawn: Vec<usize> =
        draw_order(&seed, tied.len()).into_iter().map(|position| tied[position]).collect();
    let winners = drawn[..needed].iter().map(|&idx| race.candidate_result(idx)).collect();
    let name = |idx: &usize| race.candidates()[*idx].name.clone();
    let lot = RaceLot {
        seed,
        among: tied.iter().map(name).collect(),
        order: drawn.iter().map(name).collect(),
    };
    (winners, lot)
}

/// The lot seed of one race: the round's seed with `/race-<id>` appended.
pub fn race_seed(round_seed: &LotSeed, race: &RaceId) -> LotSeed {
    round_seed.derive(&format!("race-{race}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::plurality::race::test_race;

    fn rules(ties: RaceTie, against_all: AgainstAllRule) -> PluralityRules {
        PluralityRules { ties, against_all, lot_seed: LotSeed::new("kz-2021") }
    }

    /// Decides `race` and describes the outcome: status, winners, runoff or lot order.
    fn check(rules: &PluralityRules, race: &Race, expect: &str) {
        let res = race_result(rules, race);
        let names = |list: &[CandidateResult]| {
            list.iter().map(|it| it.name.as_str()).collect::<Vec<_>>().join(",")
        };
        let mut text = format!("{:?} [{}]", res.status, names(&res.winners));
        if let Some(runoff) = &res.runoff {
            text.push_str(&format!(" runoff {} of [{}]", runoff.seats, names(&runoff.candidates)));
        }
        if res.vacant_seats.0 > 0 {
            text.push_str(&format!(" vacant {}", res.vacant_seats));
        }
        if let Some(lot) = &res.lot {
            text.push_str(&format!(" lot {} order [{}]", lot.seed, lot.order.join(",")));
        }
        assert_eq!(text, expect);
    }

    #[test]
    fn most_votes_wins_and_against_all_has_no_effect_under_the_law() {
        let law = rules(RaceTie::Runoff, AgainstAllRule::NoEffect);
        check(&law, &test_race("a", 1, 50, &[("A", "x", 300), ("B", "", 400)]), "Elected [B]");
        check(&law, &test_race("a", 1, 500, &[("A", "x", 300)]), "Elected [A]");
        check(&law, &test_race("a", 1, 500, &[("A", "x", 300), ("B", "", 200)]), "Elected [A]");
    }

    #[test]
    fn against_all_vacates_under_the_proposal() {
        let uncontested = rules(RaceTie::Runoff, AgainstAllRule::VacatesUncontested);
        let beaten = rules(RaceTie::Runoff, AgainstAllRule::VacatesWhenBeaten);
        let sole = test_race("a", 1, 500, &[("A", "x", 300)]);
        check(&uncontested, &sole, "Vacant [] vacant 1");
        check(&beaten, &sole, "Vacant [] vacant 1");
        // A tie with "against all" is not "more votes than the candidate".
        check(&uncontested, &test_race("a", 1, 300, &[("A", "x", 300)]), "Elected [A]");
        let contested = test_race("a", 1, 500, &[("A", "x", 300), ("B", "", 200)]);
        check(&uncontested, &contested, "Elected [A]");
        check(&beaten, &contested, "Vacant [] vacant 1");
        let split = test_race("a", 2, 250, &[("A", "x", 300), ("B", "", 200), ("C", "", 100)]);
        check(&beaten, &split, "Vacant [A] vacant 1");
    }

    #[test]
    fn ties_go_to_a_runoff_or_a_recorded_lot() {
        let tied = test_race("r1", 1, 0, &[("A", "x", 300), ("B", "", 300), ("C", "", 10)]);
        check(
            &rules(RaceTie::Runoff, AgainstAllRule::NoEffect),
            &tied,
            "Runoff [] runoff 1 of [A,B]",
        );
        // saylau-lot-v1 with the seed "kz-2021/race-r1" over two items draws [1, 0]
        // (recomputed with the Python of docs/lot.md).
        check(
            &rules(RaceTie::Lot, AgainstAllRule::NoEffect),
            &tied,
            "Elected [B] lot kz-2021/race-r1 order [B,A]",
        );
    }

    #[test]
    fn block_vote_fills_several_seats() {
        let law = rules(RaceTie::Runoff, AgainstAllRule::NoEffect);
        let block =
            test_race("b", 2, 0, &[("A", "", 10), ("B", "", 30), ("C", "", 20), ("D", "", 20)]);
        check(&law, &block, "Runoff [B] runoff 1 of [C,D]");
        let clear = test_race("b", 2, 0, &[("A", "", 10), ("B", "", 30), ("C", "", 20)]);
        check(&law, &clear, "Elected [B,C]");
        let uncontested = test_race("b", 3, 0, &[("A", "", 10), ("B", "", 30)]);
        check(&law, &uncontested, "Vacant [B,A] vacant 1");
    }
}
