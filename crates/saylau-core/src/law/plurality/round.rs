//! A round of many races: its validation and lot seed, every race decided, and the round
//! summed up per party, per region and in turnout.

use std::collections::BTreeMap;

use serde::Serialize;

use super::decision::{PluralityRules, RaceResult, race_result};
use super::race::{Race, RaceError, Turnout};
use crate::seats::lot::LotSeed;
use crate::seats::rational::Rational;
use crate::seats::report::Exact;
use crate::seats::votes::{ListId, Seats, Votes};

/// Decimal places of turnout percentages.
const PERCENT_PLACES: u32 = 2;

/// Many races decided at once, such as a national round of rural akim elections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Round {
    races: Vec<Race>,
}

impl Round {
    /// A round from races with unique ids whose votes fit in 64 bits together.
    pub fn new(races: Vec<Race>) -> Result<Round, RaceError> {
        if races.is_empty() {
            return Err(RaceError::NoRaces);
        }
        let mut seen = std::collections::BTreeSet::new();
        for race in &races {
            if !seen.insert(race.id().as_str()) {
                return Err(RaceError::DuplicateRace(race.id().clone()));
            }
        }
        races
            .iter()
            .try_fold(0u64, |sum, race| sum.checked_add(race.valid_votes().0))
            .ok_or(RaceError::RoundOverflow)?;
        Ok(Round { races })
    }

    /// The races in file order.
    pub fn races(&self) -> &[Race] {
        &self.races
    }

    /// The default lot seed of a round: the SHA-256 of its canonical text
    /// (`saylau-plurality-v1`, then per race its id, seats and "against all", and per
    /// candidate a tab-separated name, party and votes), so nobody chooses it.
    pub fn content_seed(&self) -> LotSeed {
        let mut text = String::from("saylau-plurality-v1\n");
        for race in &self.races {
            text.push_str(&format!(
                "race\t{}\t{}\t{}\n",
                race.id(),
                race.seats(),
                race.against_all()
            ));
            for candidate in race.candidates() {
                let party = candidate.party.as_ref().map_or("-", ListId::as_str);
                text.push_str(&format!("\t{}\t{party}\t{}\n", candidate.name, candidate.votes));
            }
        }
        LotSeed::from_content(text.as_bytes())
    }
}

/// One party's (or the self-nominated candidates') part in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartySummary {
    /// The party; `None` for self-nominated candidates.
    pub party: Option<ListId>,
    /// Candidates who stood.
    pub candidates: u32,
    /// Candidates elected.
    pub winners: u32,
    /// Candidates in a second round still to be held.
    pub in_runoff: u32,
    /// Votes for its candidates.
    pub votes: Votes,
}

/// One region's part in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionSummary {
    /// The region (`None` for races without one).
    pub region: Option<String>,
    /// Races.
    pub races: u32,
    /// Seats.
    pub seats: Seats,
    /// Candidates who stood.
    pub candidates: u32,
    /// Candidates elected.
    pub elected: u32,
    /// Races needing a second round.
    pub runoffs: u32,
    /// Seats left vacant.
    pub vacant_seats: Seats,
}

/// Turnout over the races that publish it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TurnoutSummary {
    /// Races with both voters and participants.
    pub races: u32,
    /// Voters on the roll in those races.
    pub voters: Votes,
    /// Voters who took part in those races.
    pub participants: Votes,
    /// Participants as a percentage of voters.
    pub percent: Exact,
}

/// The totals of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundSummary {
    /// Races.
    pub races: u32,
    /// Seats.
    pub seats: Seats,
    /// Candidates who stood.
    pub candidates: u32,
    /// Candidates elected.
    pub elected: u32,
    /// Races needing a second round.
    pub runoffs: u32,
    /// Seats left vacant.
    pub vacant_seats: Seats,
    /// Races decided by lot.
    pub lots: u32,
    /// Races with no more candidates than seats.
    pub uncontested: u32,
    /// Per party, most winners first; self-nominated candidates have `party: null`.
    pub parties: Vec<PartySummary>,
    /// Per region, in order of first appearance.
    pub regions: Vec<RegionSummary>,
    /// Turnout, when any race publishes it.
    pub turnout: Option<TurnoutSummary>,
}

/// Every race of a round decided, and the round summed up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundResult {
    /// The round's seed; each race draws with `{seed}/race-<id>`.
    pub lot_seed: LotSeed,
    /// The races in file order.
    pub races: Vec<RaceResult>,
    /// The totals.
    pub summary: RoundSummary,
}

/// Decides every race of `round` and sums the round up.
pub fn round_result(rules: &PluralityRules, round: &Round) -> RoundResult {
    let races: Vec<RaceResult> = round.races.iter().map(|race| race_result(rules, race)).collect();
    let summary = round_summary(round, &races);
    RoundResult { lot_seed: rules.lot_seed.clone(), races, summary }
}

/// Sums up decided races (`results[i]` belongs to `round.races()[i]`).
fn round_summary(round: &Round, results: &[RaceResult]) -> RoundSummary {
    let count = |value: usize| u32::try_from(value).expect("fewer than 2^32 races or candidates");
    let mut summary = RoundSummary {
        races: count(results.len()),
        seats: results.iter().map(|res| res.seats).sum(),
        candidates: count(round.races.iter().map(|race| race.candidates().len()).sum()),
        elected: count(results.iter().map(|res| res.winners.len()).sum()),
        runoffs: count(results.iter().filter(|res| res.runoff.is_some()).count()),
        vacant_seats: results.iter().map(|res| res.vacant_seats).sum(),
        lots: count(results.iter().filter(|res| res.lot.is_some()).count()),
        uncontested: count(round.races.iter().filter(|race| race.is_uncontested()).count()),
        parties: party_summaries(round, results),
        regions: Vec::new(),
        turnout: turnout_summary(round),
    };
    for (race, res) in round.races.iter().zip(results) {
        let region =
            match summary.regions.iter_mut().find(|it| it.region.as_deref() == race.region()) {
                Some(region) => region,
                None => {
                    summary.regions.push(RegionSummary {
                        region: race.region().map(str::to_owned),
                        races: 0,
                        seats: Seats(0),
                        candidates: 0,
                        elected: 0,
                        runoffs: 0,
                        vacant_seats: Seats(0),
                    });
                    summary.regions.last_mut().expect("a region was just pushed")
                }
            };
        region.races += 1;
        region.seats = region.seats + race.seats();
        region.candidates += count(race.candidates().len());
        region.elected += count(res.winners.len());
        region.runoffs += u32::from(res.runoff.is_some());
        region.vacant_seats = region.vacant_seats + res.vacant_seats;
    }
    summary
}

/// Per party: candidates, winners and votes, most winners first (then most votes, then
/// by id, self-nominated last among equals).
fn party_summaries(round: &Round, results: &[RaceResult]) -> Vec<PartySummary> {
    let mut parties: BTreeMap<Option<ListId>, PartySummary> = BTreeMap::new();
    for candidate in round.races.iter().flat_map(Race::candidates) {
        let summary = parties.entry(candidate.party.clone()).or_insert_with(|| PartySummary {
            party: candidate.party.clone(),
            candidates: 0,
            winners: 0,
            in_runoff: 0,
            votes: Votes(0),
        });
        summary.candidates += 1;
        summary.votes += candidate.votes;
    }
    for res in results {
        for winner in &res.winners {
            parties.get_mut(&winner.party).expect("a winner stood as a candidate").winners += 1;
        }
        for candidate in res.runoff.iter().flat_map(|runoff| &runoff.candidates) {
            parties.get_mut(&candidate.party).expect("a runoff candidate stood").in_runoff += 1;
        }
    }
    let mut res: Vec<PartySummary> = parties.into_values().collect();
    res.sort_by(|left, right| {
        right
            .winners
            .cmp(&left.winners)
            .then(right.votes.cmp(&left.votes))
            .then(left.party.is_none().cmp(&right.party.is_none()))
            .then(left.party.cmp(&right.party))
    });
    res
}

/// Turnout over the races that publish both voters and participants.
fn turnout_summary(round: &Round) -> Option<TurnoutSummary> {
    let published: Vec<Turnout> = round.races.iter().filter_map(Race::turnout).collect();
    if published.is_empty() {
        return None;
    }
    let voters: Votes = published.iter().map(|turnout| turnout.voters).sum();
    let participants: Votes = published.iter().map(|turnout| turnout.participants).sum();
    let percent = if voters.0 == 0 {
        Rational::zero()
    } else {
        Rational::from_ratio(u128::from(participants.0) * 100, u128::from(voters.0))
    };
    Some(TurnoutSummary {
        races: u32::try_from(published.len()).expect("fewer than 2^32 races"),
        voters,
        participants,
        percent: Exact { exact: percent.to_string(), decimal: percent.to_decimal(PERCENT_PLACES) },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::plurality::decision::{AgainstAllRule, RaceTie};
    use crate::law::plurality::race::test_race;

    fn rules(ties: RaceTie, against_all: AgainstAllRule) -> PluralityRules {
        PluralityRules { ties, against_all, lot_seed: LotSeed::new("kz-2021") }
    }

    #[test]
    fn a_round_is_summed_up_per_party_and_region() {
        let round = Round::new(vec![
            test_race("1", 1, 0, &[("A", "nur-otan", 500), ("B", "", 100)]),
            test_race("2", 1, 0, &[("C", "nur-otan", 100), ("D", "", 300)]),
            test_race("3", 1, 0, &[("E", "auyl", 200), ("F", "", 200)]),
        ])
        .expect("a valid round");
        let res = round_result(&rules(RaceTie::Runoff, AgainstAllRule::NoEffect), &round);
        let summary = &res.summary;
        let parties: Vec<String> = summary
            .parties
            .iter()
            .map(|it| {
                let party = it.party.as_ref().map_or("self", ListId::as_str);
                format!("{party}:{}/{}/{}/{}", it.candidates, it.winners, it.in_runoff, it.votes)
            })
            .collect();
        assert_eq!(parties, ["nur-otan:2/1/0/600", "self:3/1/1/600", "auyl:1/0/1/200"]);
        assert_eq!((summary.races, summary.elected, summary.runoffs), (3, 2, 1));
        assert_eq!(summary.regions.len(), 1);
        let turnout = summary.turnout.as_ref().expect("turnout is published");
        assert_eq!(
            (turnout.percent.exact.as_str(), turnout.percent.decimal.as_str()),
            ("80", "80.00")
        );
    }

    #[test]
    fn content_seed_depends_on_the_data() {
        let one = Round::new(vec![test_race("1", 1, 0, &[("A", "x", 5)])]).expect("a valid round");
        let two = Round::new(vec![test_race("1", 1, 0, &[("A", "x", 6)])]).expect("a valid round");
        assert_ne!(one.content_seed(), two.content_seed());
        assert_eq!(one.content_seed(), one.clone().content_seed());
    }
}
