//! An akim elected by a council: the maslikhat's vote on an oblast akim, in rounds.
//!
//! The seed's recommendation 12 proposes electing oblast akims by the maslikhats and the
//! akims of cities of republican significance directly; under the law of 2021 both are
//! appointed by the President (the seed, chapter on election administration). The seed
//! gives no rule for the council's vote, so every choice here is a parameter of a rule
//! file with its source: the majority (of the council's members or of those present),
//! what follows a round without one (the lowest eliminated, or a run-off of the top two),
//! and how many rounds may be held. A tie that decides who goes on is broken by a
//! reproducible lot ([`crate::seats::lot::draw_order`]) whose seed is recorded.

use serde::Serialize;

use crate::seats::lot::{LotSeed, draw_order};

/// Whose majority elects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Majority {
    /// More than half of the council's elected members.
    OfMembers,
    /// More than half of the members present and voting.
    OfPresent,
}

/// What follows a round in which nobody has the majority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AfterFailedRound {
    /// The candidate with the fewest votes drops out, and the others go on.
    EliminateLowest,
    /// The two with the most votes go on to a run-off.
    RunoffTopTwo,
}

/// The rules of a council's vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CouncilRules {
    /// Whose majority elects.
    pub majority: Majority,
    /// What follows a round without a majority.
    pub after_failed: AfterFailedRound,
    /// The most rounds; after the last without a majority nobody is elected.
    pub max_rounds: u32,
}

/// One round of the council's secret ballot as counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CouncilRound {
    /// Members present and voting.
    pub present: u64,
    /// Votes by candidate index; a candidate not on this round's ballot has `None`.
    pub votes: Vec<Option<u64>>,
}

/// A council's vote: its members, the candidates and the rounds held so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CouncilVote {
    /// The council's elected members.
    pub members: u64,
    /// The candidates' names, in the order of the first ballot.
    pub candidates: Vec<String>,
    /// The rounds, in order.
    pub rounds: Vec<CouncilRound>,
}

/// Why a vote cannot be decided: its counts do not add up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CouncilError {
    /// More present than members, or more votes than present.
    #[error("round {round}: {what}")]
    Count {
        /// The round, from 1.
        round: usize,
        /// What does not add up.
        what: String,
    },
}

/// Rounds of the file that these rules do not count: the vote was decided before them,
/// or their ballot is not the one these rules call for (the file records the vote held
/// under other rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotCounted {
    /// The first round not counted, from 1.
    pub from_round: usize,
    /// Why.
    pub why: String,
}

/// What a round decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RoundDecision {
    /// A candidate reached the majority.
    Elected {
        /// The candidate.
        candidate: String,
    },
    /// Nobody did: these go on to the next round.
    NextRound {
        /// The candidates of the next round, in ballot order.
        candidates: Vec<String>,
        /// Those who drop out.
        dropped: Vec<String>,
    },
    /// Nobody did in the rules' last round: nobody is elected.
    NoneElected,
}

/// A lot that decided who goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CouncilLot {
    /// The seed, printed so that anyone can draw again (`docs/lot.md`).
    pub seed: LotSeed,
    /// The tied candidates, in ballot order.
    pub among: Vec<String>,
    /// The order drawn; the first go on.
    pub order: Vec<String>,
}

/// One round, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundReport {
    /// The round, from 1.
    pub number: usize,
    /// Members present and voting.
    pub present: u64,
    /// The base of the majority (members or present) and the votes needed: more than half.
    pub base: u64,
    /// Votes needed.
    pub needed: u64,
    /// Each candidate on the ballot with their votes, most first.
    pub votes: Vec<(String, u64)>,
    /// What it decided.
    pub decision: RoundDecision,
    /// The lot, when a tie decided who goes on.
    pub lot: Option<CouncilLot>,
}

/// The outcome of a council's vote so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CouncilOutcome {
    /// The akim is elected.
    Elected {
        /// The candidate.
        candidate: String,
        /// In which round.
        round: usize,
    },
    /// The rounds held leave another round to hold, with these candidates.
    Pending {
        /// The next round's candidates.
        candidates: Vec<String>,
    },
    /// The last round the rules allow gave nobody the majority.
    NoneElected,
}

/// Every round explained and the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CouncilResult {
    /// The rounds.
    pub rounds: Vec<RoundReport>,
    /// The outcome.
    pub outcome: CouncilOutcome,
    /// The rounds of the file these rules do not count, if any.
    pub not_counted: Option<NotCounted>,
}

/// Decides `vote` under `rules`; a tie for going on is drawn with `seed` derived per round
/// (`{seed}/round-N`).
pub fn decide(
    vote: &CouncilVote,
    rules: &CouncilRules,
    seed: &LotSeed,
) -> Result<CouncilResult, CouncilError> {
    let mut on_ballot: Vec<usize> = (0..vote.candidates.len()).collect();
    let mut reports = Vec::new();
    let mut not_counted = None;
    for (idx, round) in vote.rounds.iter().enumerate() {
        let number = idx + 1;
        if let Some(last) = reports.last().map(|it: &RoundReport| &it.decision)
            && !matches!(last, RoundDecision::NextRound { .. })
        {
            let why = "these rules decided the vote in an earlier round".to_owned();
            not_counted = Some(NotCounted { from_round: number, why });
            break;
        }
        check_counts(vote, round, number)?;
        if let Some(why) = ballot_mismatch(vote, round, &on_ballot) {
            not_counted = Some(NotCounted { from_round: number, why });
            break;
        }
        let report = decide_round(vote, rules, seed, (number, round), &on_ballot);
        if let RoundDecision::NextRound { candidates, .. } = &report.decision {
            on_ballot = vote
                .candidates
                .iter()
                .enumerate()
                .filter(|(_, name)| candidates.contains(name))
                .map(|(idx, _)| idx)
                .collect();
        }
        reports.push(report);
    }
    let outcome = match reports.last().map(|it| (&it.decision, it.number)) {
        Some((RoundDecision::Elected { candidate }, round)) => {
            CouncilOutcome::Elected { candidate: candidate.clone(), round }
        }
        Some((RoundDecision::NoneElected, _)) => CouncilOutcome::NoneElected,
        _ => CouncilOutcome::Pending {
            candidates: on_ballot.iter().map(|&idx| vote.candidates[idx].clone()).collect(),
        },
    };
    Ok(CouncilResult { rounds: reports, outcome, not_counted })
}

/// The counts of a round add up.
fn check_counts(
    vote: &CouncilVote,
    round: &CouncilRound,
    number: usize,
) -> Result<(), CouncilError> {
    let count = |what: String| CouncilError::Count { round: number, what };
    if round.present > vote.members {
        return Err(count(format!(
            "{} present, more than the council's {} members",
            round.present, vote.members
        )));
    }
    let cast: u64 = round.votes.iter().flatten().sum();
    if cast > round.present {
        return Err(count(format!("{cast} votes cast by {} members present", round.present)));
    }
    Ok(())
}

/// Why a round held is not the round these rules call for: its ballot is not the
/// candidates they leave.
fn ballot_mismatch(
    vote: &CouncilVote,
    round: &CouncilRound,
    on_ballot: &[usize],
) -> Option<String> {
    let has: Vec<usize> =
        (0..round.votes.len()).filter(|&idx| round.votes[idx].is_some()).collect();
    let names = |list: &[usize]| {
        list.iter().map(|&idx| vote.candidates[idx].as_str()).collect::<Vec<_>>().join(", ")
    };
    (has != on_ballot)
        .then(|| format!("its ballot has {}, these rules leave {}", names(&has), names(on_ballot)))
}

/// One round under the rules.
fn decide_round(
    vote: &CouncilVote,
    rules: &CouncilRules,
    seed: &LotSeed,
    (number, round): (usize, &CouncilRound),
    on_ballot: &[usize],
) -> RoundReport {
    let base = match rules.majority {
        Majority::OfMembers => vote.members,
        Majority::OfPresent => round.present,
    };
    let needed = base / 2 + 1;
    let votes_of = |idx: usize| round.votes[idx].unwrap_or(0);
    let mut ranking = on_ballot.to_vec();
    // A stable sort keeps ballot order among equal votes.
    ranking.sort_by_key(|&idx| std::cmp::Reverse(votes_of(idx)));
    let name = |idx: usize| vote.candidates[idx].clone();
    let votes = ranking.iter().map(|&idx| (name(idx), votes_of(idx))).collect();
    let mut report = RoundReport {
        number,
        present: round.present,
        base,
        needed,
        votes,
        decision: RoundDecision::NoneElected,
        lot: None,
    };
    if let Some(&top) = ranking.first()
        && votes_of(top) >= needed
    {
        report.decision = RoundDecision::Elected { candidate: name(top) };
        return report;
    }
    if u32::try_from(number).unwrap_or(u32::MAX) >= rules.max_rounds {
        return report;
    }
    let keep = match rules.after_failed {
        AfterFailedRound::RunoffTopTwo => 2.min(ranking.len()),
        AfterFailedRound::EliminateLowest => ranking.len().saturating_sub(1).max(1),
    };
    // Who goes on: the first `keep` of the ranking, a tie across the cut drawn by lot.
    let cut = votes_of(ranking[keep - 1]);
    let sure: Vec<usize> = ranking.iter().copied().filter(|&idx| votes_of(idx) > cut).collect();
    let mut tied: Vec<usize> =
        ranking.iter().copied().filter(|&idx| votes_of(idx) == cut).collect();
    tied.sort_unstable();
    let mut going = sure;
    if going.len() + tied.len() > keep {
        let lot_seed = seed.derive(&format!("round-{number}"));
        let order: Vec<usize> =
            draw_order(&lot_seed, tied.len()).into_iter().map(|position| tied[position]).collect();
        going.extend(&order[..keep - going.len()]);
        report.lot = Some(CouncilLot {
            seed: lot_seed,
            among: tied.iter().map(|&idx| name(idx)).collect(),
            order: order.iter().map(|&idx| name(idx)).collect(),
        });
    } else {
        going.extend(tied);
    }
    going.sort_unstable();
    let dropped = on_ballot.iter().filter(|idx| !going.contains(idx)).map(|&idx| name(idx));
    report.decision = RoundDecision::NextRound {
        candidates: going.iter().map(|&idx| name(idx)).collect(),
        dropped: dropped.collect(),
    };
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A council of 39 members (a synthetic oblast maslikhat) and three candidates.
    fn vote(rounds: &[(u64, &[Option<u64>])]) -> CouncilVote {
        CouncilVote {
            members: 39,
            candidates: ["Amanov", "Bekova", "Sadykov"].map(str::to_owned).to_vec(),
            rounds: rounds
                .iter()
                .map(|(present, votes)| CouncilRound { present: *present, votes: votes.to_vec() })
                .collect(),
        }
    }

    fn rules(majority: Majority, after_failed: AfterFailedRound) -> CouncilRules {
        CouncilRules { majority, after_failed, max_rounds: 3 }
    }

    fn outcome(vote: &CouncilVote, rules: &CouncilRules) -> String {
        let result = decide(vote, rules, &LotSeed::new("test")).expect("decided");
        serde_json::to_string(&result.outcome).expect("JSON")
    }

    #[test]
    fn the_majority_is_of_members_or_of_those_present() {
        // 19 of 35 present is a majority of those present (18 needed), not of the 39
        // members (20 needed).
        let first = vote(&[(35, &[Some(19), Some(10), Some(6)])]);
        let present = rules(Majority::OfPresent, AfterFailedRound::RunoffTopTwo);
        let members = rules(Majority::OfMembers, AfterFailedRound::RunoffTopTwo);
        assert_eq!(
            outcome(&first, &present),
            r#"{"kind":"elected","candidate":"Amanov","round":1}"#
        );
        assert_eq!(
            outcome(&first, &members),
            r#"{"kind":"pending","candidates":["Amanov","Bekova"]}"#
        );
        let runoff =
            vote(&[(35, &[Some(19), Some(10), Some(6)]), (37, &[Some(21), Some(16), None])]);
        assert_eq!(
            outcome(&runoff, &members),
            r#"{"kind":"elected","candidate":"Amanov","round":2}"#
        );
    }

    #[test]
    fn elimination_drops_the_lowest_and_a_tie_is_drawn_with_a_printed_seed() {
        let rules = rules(Majority::OfMembers, AfterFailedRound::EliminateLowest);
        let tied = vote(&[(39, &[Some(17), Some(11), Some(11)])]);
        let result = decide(&tied, &rules, &LotSeed::new("maslikhat-2026")).expect("decided");
        let lot = result.rounds[0].lot.clone().expect("a lot");
        assert_eq!(lot.seed.as_str(), "maslikhat-2026/round-1");
        assert_eq!(lot.among, ["Bekova", "Sadykov"]);
        let RoundDecision::NextRound { candidates, dropped } = &result.rounds[0].decision else {
            panic!("{result:?}");
        };
        assert_eq!(dropped, &[lot.order[1].clone()]);
        assert!(candidates.contains(&lot.order[0]) && candidates.contains(&"Amanov".to_owned()));
        // The same seed draws the same.
        assert_eq!(decide(&tied, &rules, &LotSeed::new("maslikhat-2026")), Ok(result));
    }

    #[test]
    fn no_majority_in_the_last_round_elects_nobody_and_bad_rounds_are_refused() {
        let rules = CouncilRules {
            majority: Majority::OfMembers,
            after_failed: AfterFailedRound::RunoffTopTwo,
            max_rounds: 2,
        };
        let twice =
            vote(&[(36, &[Some(18), Some(12), Some(6)]), (36, &[Some(19), Some(17), None])]);
        assert_eq!(outcome(&twice, &rules), r#"{"kind":"none-elected"}"#);
        let other = vote(&[(36, &[Some(18), Some(12), Some(6)]), (36, &[Some(19), None, Some(6)])]);
        let result = decide(&other, &rules, &LotSeed::new("s")).expect("decided");
        assert_eq!(
            result.not_counted.map(|it| format!("{}: {}", it.from_round, it.why)).as_deref(),
            Some("2: its ballot has Amanov, Sadykov, these rules leave Amanov, Bekova")
        );
        assert_eq!(
            serde_json::to_string(&result.outcome).expect("JSON"),
            r#"{"kind":"pending","candidates":["Amanov","Bekova"]}"#
        );
        let crowded = vote(&[(40, &[Some(18), Some(12), Some(6)])]);
        assert_eq!(
            decide(&crowded, &rules, &LotSeed::new("s")).unwrap_err().to_string(),
            "round 1: 40 present, more than the council's 39 members"
        );
    }
}
