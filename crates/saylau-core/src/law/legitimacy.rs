//! Whether an election stands, and how widely its winners are backed: a turnout quorum,
//! repeat elections, winners' votes as a share of the registered voters, and the votes
//! that elect nobody.
//!
//! The law of 2021 has no turnout quorum: the seed quotes experts who call that a flaw
//! («сейчас даже, если придет, грубо говоря, один человек, то выборы все равно считаются
//! состоявшимися», section on the experts' views) and warns that "against all" at a low
//! turnout lets a candidate win with very few votes («может привести к избранию партии или
//! кандидата с очень малым числом голосов»). A [`Quorum`] is the minimum turnout below
//! which an election fails (выборы признаются несостоявшимися) and is repeated; with
//! "against all" vacating a seat (`AgainstAllRule`), the two causes of a repeat election
//! are judged here, for plurality races ([`race_legitimacy`]) and list contests
//! ([`contest_legitimacy`]).
//!
//! The wasted votes of a race are the valid votes that elect nobody: those for losing
//! candidates, and "against all" unless it vacated a seat; in a failed or vacated race
//! every valid vote is wasted, since a repeat is held. Of a list contest: the votes for
//! lists without seats, and "against all" (no effect under the law).

use serde::Serialize;

use crate::law::plurality::{Race, RaceResult, RaceStatus};
use crate::seats::contest::Contest;
use crate::seats::report::Exact;
use crate::seats::threshold::Percent;
use crate::seats::votes::{Seats, Votes};

/// A minimum turnout and the rule it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quorum {
    /// Participants as a percentage of the voters on the roll, at least (a tie passes).
    pub min_turnout: Percent,
    /// The article or recommendation it rests on.
    pub source: String,
}

/// What becomes of an election.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It stands: every seat is filled.
    Elected,
    /// A second round between tied candidates is needed.
    Runoff,
    /// Turnout below the quorum: failed, to be repeated (несостоявшиеся выборы).
    RepeatQuorum,
    /// "Against all" left a seat vacant: a repeat election for it.
    RepeatAgainstAll,
    /// A quorum applies but the voters or participants are not published.
    Undetermined,
}

impl Outcome {
    /// True when a repeat election must be held.
    pub fn is_repeat(self) -> bool {
        matches!(self, Outcome::RepeatQuorum | Outcome::RepeatAgainstAll)
    }
}

/// Turnout against the quorum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuorumCheck {
    /// Participants as a percentage of the voters on the roll.
    pub turnout: Exact,
    /// The minimum.
    pub min_turnout: Percent,
    /// True when the turnout reaches it.
    pub met: bool,
}

/// A winner's backing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Backing {
    /// The candidate or list.
    pub name: String,
    /// Votes.
    pub votes: Votes,
    /// Percent of the valid votes.
    pub percent_of_valid: Exact,
    /// Percent of the voters on the roll, when published.
    pub percent_of_registered: Option<Exact>,
}

/// The legitimacy of one race or contest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Legitimacy {
    /// The race or contest.
    pub id: String,
    /// What becomes of it.
    pub outcome: Outcome,
    /// Turnout against the quorum; `None` without a quorum or without turnout figures.
    pub quorum: Option<QuorumCheck>,
    /// The winners (candidates elected, or lists with seats), most votes first.
    pub winners: Vec<Backing>,
    /// Valid votes.
    pub valid_votes: Votes,
    /// Valid votes that elect nobody.
    pub wasted_votes: Votes,
    /// Wasted votes as a percent of the valid votes.
    pub wasted_percent: Exact,
}

/// Turnout of `participants` among `voters` against `quorum`.
fn quorum_check(quorum: &Quorum, voters: Votes, participants: Votes) -> QuorumCheck {
    QuorumCheck {
        turnout: Exact::percent(participants, voters),
        min_turnout: quorum.min_turnout,
        met: quorum.min_turnout.is_met(participants, voters),
    }
}

fn backing(name: &str, votes: Votes, valid: Votes, voters: Option<Votes>) -> Backing {
    Backing {
        name: name.to_owned(),
        votes,
        percent_of_valid: Exact::percent(votes, valid),
        percent_of_registered: voters.map(|voters| Exact::percent(votes, voters)),
    }
}

/// Judges a decided race: the quorum (when given) first, then its decision.
pub fn race_legitimacy(race: &Race, result: &RaceResult, quorum: Option<&Quorum>) -> Legitimacy {
    let valid = race.valid_votes();
    let turnout = race.turnout();
    let check =
        quorum.zip(turnout).map(|(quorum, it)| quorum_check(quorum, it.voters, it.participants));
    let outcome = match (quorum, &check, result.status) {
        (Some(_), Some(check), _) if !check.met => Outcome::RepeatQuorum,
        (Some(_), None, _) => Outcome::Undetermined,
        (_, _, RaceStatus::Vacant) => Outcome::RepeatAgainstAll,
        (_, _, RaceStatus::Runoff) => Outcome::Runoff,
        _ => Outcome::Elected,
    };
    let voters = turnout.map(|it| it.voters);
    let winners: Vec<Backing> = if outcome == Outcome::RepeatQuorum {
        Vec::new()
    } else {
        result.winners.iter().map(|it| backing(&it.name, it.votes, valid, voters)).collect()
    };
    let elected: u64 = winners.iter().map(|it| it.votes.0).sum();
    // A repeat or a runoff leaves every vote without effect yet, "against all" included;
    // otherwise "against all" elects nobody and is wasted with the losers' votes.
    let wasted = match outcome {
        Outcome::Elected | Outcome::Undetermined => Votes(valid.0 - elected),
        Outcome::Runoff | Outcome::RepeatQuorum | Outcome::RepeatAgainstAll => valid,
    };
    Legitimacy {
        id: race.id().to_string(),
        outcome,
        quorum: check,
        winners,
        valid_votes: valid,
        wasted_votes: wasted,
        wasted_percent: Exact::percent(wasted, valid),
    }
}

/// Judges a list contest given each list's seats (in the contest's list order) and the
/// voters on the roll when known: the quorum on the participants, then the lists' backing
/// and the votes of the lists without seats.
pub fn contest_legitimacy(
    contest: &Contest,
    seats: &[Seats],
    voters: Option<Votes>,
    quorum: Option<&Quorum>,
) -> Legitimacy {
    let valid = contest.valid_votes();
    let participants = contest.ballots().participants;
    let check = match (quorum, voters, participants) {
        (Some(quorum), Some(voters), Some(participants)) => {
            Some(quorum_check(quorum, voters, participants))
        }
        _ => None,
    };
    let outcome = match (quorum, &check) {
        (Some(_), Some(check)) if !check.met => Outcome::RepeatQuorum,
        (Some(_), None) => Outcome::Undetermined,
        _ => Outcome::Elected,
    };
    let mut winners: Vec<Backing> = Vec::new();
    if outcome != Outcome::RepeatQuorum {
        for (list, seats) in contest.lists().iter().zip(seats) {
            if seats.0 > 0 {
                winners.push(backing(&list.name, list.votes, valid, voters));
            }
        }
        winners.sort_by_key(|it| std::cmp::Reverse(it.votes));
    }
    let seated: u64 = winners.iter().map(|it| it.votes.0).sum();
    let wasted = if outcome == Outcome::RepeatQuorum { valid } else { Votes(valid.0 - seated) };
    Legitimacy {
        id: contest.name().to_owned(),
        outcome,
        quorum: check,
        winners,
        valid_votes: valid,
        wasted_votes: wasted,
        wasted_percent: Exact::percent(wasted, valid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::plurality::{AgainstAllRule, PluralityRules, RaceTie, race_result};
    use crate::seats::lot::LotSeed;

    fn race(voters: Option<u64>, participants: u64, against_all: u64, votes: &[u64]) -> Race {
        use crate::law::plurality::{Candidate, RaceConfig, RaceId};
        let candidates = votes
            .iter()
            .enumerate()
            .map(|(idx, votes)| Candidate {
                name: format!("C{idx}"),
                party: None,
                votes: Votes(*votes),
            })
            .collect();
        Race::new(RaceConfig {
            id: RaceId::new("r"),
            name: None,
            region: None,
            seats: Seats(1),
            candidates,
            against_all: Votes(against_all),
            voters: voters.map(Votes),
            participants: Some(Votes(participants)),
        })
        .expect("a race")
    }

    /// The outcome, the winners with their percent of the registered voters, and the
    /// wasted votes of `race` under `against_all` and a quorum of `quorum`.
    fn check(race: &Race, against_all: AgainstAllRule, quorum: Option<&str>, expect: &str) {
        let rules =
            PluralityRules { ties: RaceTie::Runoff, against_all, lot_seed: LotSeed::new("t") };
        let quorum = quorum.map(|text| Quorum {
            min_turnout: Percent::parse(text).expect("a percent"),
            source: "test".to_owned(),
        });
        let res = race_legitimacy(race, &race_result(&rules, race), quorum.as_ref());
        let winners: Vec<String> = res
            .winners
            .iter()
            .map(|it| {
                let registered = it.percent_of_registered.as_ref().map(|it| it.decimal.as_str());
                format!("{} {}", it.name, registered.unwrap_or("-"))
            })
            .collect();
        let text = format!(
            "{:?} [{}] wasted {} ({}%)",
            res.outcome,
            winners.join(", "),
            res.wasted_votes,
            res.wasted_percent.decimal
        );
        assert_eq!(text, expect);
    }

    #[test]
    fn without_a_quorum_a_low_turnout_still_elects() {
        // 300 of 1,000 voters took part; the winner has 150, 15 % of the registered.
        let low = race(Some(1000), 300, 50, &[150, 100]);
        check(&low, AgainstAllRule::NoEffect, None, "Elected [C0 15.0000] wasted 150 (50.0000%)");
        check(
            &low,
            AgainstAllRule::NoEffect,
            Some("50%"),
            "RepeatQuorum [] wasted 300 (100.0000%)",
        );
        // Exactly at the quorum passes.
        let at = race(Some(1000), 500, 0, &[300, 200]);
        check(
            &at,
            AgainstAllRule::NoEffect,
            Some("50%"),
            "Elected [C0 30.0000] wasted 200 (40.0000%)",
        );
    }

    #[test]
    fn against_all_ahead_of_the_only_candidate_repeats_under_the_proposal() {
        let sole = race(Some(1500), 1100, 420, &[400]);
        check(&sole, AgainstAllRule::NoEffect, None, "Elected [C0 26.6667] wasted 420 (51.2195%)");
        check(
            &sole,
            AgainstAllRule::VacatesUncontested,
            None,
            "RepeatAgainstAll [] wasted 820 (100.0000%)",
        );
    }

    #[test]
    fn a_quorum_without_turnout_figures_is_undetermined() {
        let unknown = race(None, 300, 0, &[200, 100]);
        check(
            &unknown,
            AgainstAllRule::NoEffect,
            Some("50%"),
            "Undetermined [C0 -] wasted 100 (33.3333%)",
        );
    }
}
