//! State funding of parties (государственное финансирование политических партий) and of
//! candidates' campaigns, in whole tenge.
//!
//! Since 2009 parties that won Mazhilis seats receive a yearly subsidy per vote: a share of
//! the minimum wage (МЗП) for each vote cast for the party's list (art. 18-1 of the Law «On
//! Political Parties»; CEC resolution No. 166/314 of 3 September 2009). The seed says the
//! share is 1 %, but its own 2021 figures are exactly 3 % of 42,500 KZT (1,275 KZT per
//! vote), so the rate is always explicit data here. The seed's recommendations 17 and 18
//! (qualification at 3 % of the votes, including parties without seats, and a share of
//! the money paid only to parties that promote women, youth, minorities and persons with
//! disabilities) are [`Qualification::Threshold`] and [`Condition`].
//!
//! Every amount is computed exactly as a rational and rounded down to whole tenge once per
//! party, after the conditional shares: the state never pays a fraction of a tenge.

use std::fmt;

use serde::Serialize;

use crate::seats::rational::Rational;
use crate::seats::threshold::Percent;
use crate::seats::votes::{ListId, Seats, Votes};

/// Decimal places of shares of the total.
const SHARE_PLACES: u32 = 2;

/// An amount of money in whole Kazakhstani tenge (KZT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Tenge(pub u64);

impl fmt::Display for Tenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Which parties receive the subsidy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Qualification {
    /// The law: parties whose list won Mazhilis seats (art. 18-1 of the Law «On Political
    /// Parties»).
    Seats,
    /// The seed's recommendation 17: parties with at least this share of the votes, with
    /// or without seats.
    Threshold {
        /// The share, such as 3 %; a party at exactly the threshold qualifies.
        percent: Percent,
        /// The votes the share is taken of (valid votes of the election).
        base: Votes,
    },
}

/// A share of the subsidy paid only to a party that meets a condition (recommendation 18:
/// promoting women, youth, national minorities, persons with disabilities).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// Identifier, such as `women`.
    pub id: String,
    /// The share of a party's subsidy that depends on the condition.
    pub share: Percent,
    /// What a party must do.
    pub description: String,
}

/// A party as the funding rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundedParty {
    /// Identifier, the same as its list's.
    pub id: ListId,
    /// Display name.
    pub name: String,
    /// Votes for its list.
    pub votes: Votes,
    /// Seats its list won.
    pub seats: Seats,
    /// The ids of the conditions it meets.
    pub meets: Vec<String>,
}

/// The rules of party funding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundingRules {
    /// The minimum wage (минимальная заработная плата, МЗП) of the year.
    pub minimum_wage: Tenge,
    /// The share of the minimum wage paid per vote.
    pub rate: Percent,
    /// Who qualifies.
    pub qualification: Qualification,
    /// Conditional shares.
    pub conditions: Vec<Condition>,
}

/// Why funding rules are not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FundingError {
    /// The conditional shares add up to more than the whole subsidy.
    #[error("the conditional shares add up to {0}, more than 100%")]
    SharesAboveWhole(String),
    /// A party meets a condition that is not defined.
    #[error("party {party} meets condition {condition:?}, which is not defined")]
    UnknownCondition {
        /// The party.
        party: ListId,
        /// The condition it names.
        condition: String,
    },
    /// An amount too large for 64 bits.
    #[error("party {0}: the amount does not fit in 64 bits")]
    Overflow(ListId),
    /// The sum of all amounts is too large for 64 bits.
    #[error("the amounts add up to more than 2^64 - 1 tenge")]
    TotalOverflow,
}

/// One condition as applied to one party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionOutcome {
    /// The condition.
    pub id: String,
    /// True when the party meets it.
    pub met: bool,
}

/// One party's subsidy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyFunding {
    /// Identifier.
    pub id: ListId,
    /// Display name.
    pub name: String,
    /// Votes for its list.
    pub votes: Votes,
    /// Seats its list won.
    pub seats: Seats,
    /// True when it qualifies.
    pub qualified: bool,
    /// The subsidy before conditional shares, rounded down (0 when not qualified).
    pub full_amount: Tenge,
    /// What the unmet conditions withhold: `full_amount - amount`.
    pub withheld: Tenge,
    /// The subsidy paid, in whole tenge.
    pub amount: Tenge,
    /// The party's share of all subsidies paid, in percent.
    pub share: Exact,
    /// Each condition, met or not.
    pub conditions: Vec<ConditionOutcome>,
}

/// An exact value with its decimal rendering (as in [`crate::seats::report::Exact`]).
pub type Exact = crate::seats::report::Exact;

/// The subsidies of all parties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Funding {
    /// The rate applied.
    pub rate: Percent,
    /// The money per vote: minimum wage times rate, exact.
    pub per_vote: Exact,
    /// The parties in file order.
    pub parties: Vec<PartyFunding>,
    /// The sum of the amounts paid.
    pub total: Tenge,
}

/// The money per vote: `minimum_wage * rate / 100`, exact.
pub fn per_vote(rules: &FundingRules) -> Rational {
    let rate = rules.rate.value().to_rational();
    Rational::from_integer(i128::from(rules.minimum_wage.0))
        .mul(&rate)
        .div(&Rational::from_integer(100))
}

/// Every party's subsidy under `rules`.
pub fn funding(rules: &FundingRules, parties: &[FundedParty]) -> Result<Funding, FundingError> {
    let withheld_whole = rules
        .conditions
        .iter()
        .fold(Rational::zero(), |sum, condition| sum.add(&condition.share.value().to_rational()));
    if withheld_whole.compare(&Rational::from_integer(100)).is_gt() {
        return Err(FundingError::SharesAboveWhole(format!("{}%", withheld_whole.to_decimal(2))));
    }
    let per_vote = per_vote(rules);
    let mut res = Vec::with_capacity(parties.len());
    for party in parties {
        res.push(party_funding(rules, party, &per_vote)?);
    }
    let total = res.iter().try_fold(0u64, |sum, party| sum.checked_add(party.amount.0));
    let total = Tenge(total.ok_or(FundingError::TotalOverflow)?);
    for party in &mut res {
        let share = if total.0 == 0 {
            Rational::zero()
        } else {
            Rational::from_ratio(u128::from(party.amount.0) * 100, u128::from(total.0))
        };
        party.share = exact(&share);
    }
    Ok(Funding { rate: rules.rate, per_vote: exact(&per_vote), parties: res, total })
}

/// One party's subsidy, before its share of the total is known.
fn party_funding(
    rules: &FundingRules,
    party: &FundedParty,
    per_vote: &Rational,
) -> Result<PartyFunding, FundingError> {
    for condition in &party.meets {
        if !rules.conditions.iter().any(|it| &it.id == condition) {
            return Err(FundingError::UnknownCondition {
                party: party.id.clone(),
                condition: condition.clone(),
            });
        }
    }
    let qualified = match rules.qualification {
        Qualification::Seats => party.seats.0 > 0,
        Qualification::Threshold { percent, base } => percent.is_met(party.votes, base),
    };
    let conditions: Vec<ConditionOutcome> = rules
        .conditions
        .iter()
        .map(|condition| ConditionOutcome {
            id: condition.id.clone(),
            met: party.meets.contains(&condition.id),
        })
        .collect();
    let unmet = rules
        .conditions
        .iter()
        .zip(&conditions)
        .filter(|(_, outcome)| !outcome.met)
        .fold(Rational::zero(), |sum, (condition, _)| {
            sum.add(&condition.share.value().to_rational())
        });
    let full = if qualified {
        Rational::from_integer(i128::from(party.votes.0)).mul(per_vote)
    } else {
        Rational::zero()
    };
    let paid_part = Rational::from_integer(100).sub(&unmet).div(&Rational::from_integer(100));
    let whole = |value: &Rational| {
        whole_tenge(value).ok_or_else(|| FundingError::Overflow(party.id.clone()))
    };
    let full_amount = whole(&full)?;
    let amount = whole(&full.mul(&paid_part))?;
    Ok(PartyFunding {
        id: party.id.clone(),
        name: party.name.clone(),
        votes: party.votes,
        seats: party.seats,
        qualified,
        full_amount,
        withheld: Tenge(full_amount.0 - amount.0),
        amount,
        share: exact(&Rational::zero()),
        conditions,
    })
}

/// A non-negative amount rounded down to whole tenge; `None` beyond 64 bits.
fn whole_tenge(value: &Rational) -> Option<Tenge> {
    let floor = value.numer() / value.denom();
    u64::try_from(floor).ok().map(Tenge)
}

fn exact(value: &Rational) -> Exact {
    Exact { exact: value.to_string(), decimal: value.to_decimal(SHARE_PLACES) }
}

/// State campaign money for candidates of one kind of race (state-funded campaigning of a
/// rural akim election: 220,000 KZT per candidate of a rural district and 230,000 KZT per
/// candidate of a town of district significance in 2021, CEC press release of 24 June
/// 2021 cited by the seed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignRate {
    /// The kind of race, such as `rural-district`.
    pub kind: String,
    /// The money per registered candidate.
    pub per_candidate: Tenge,
    /// The candidates of this kind, when known.
    pub candidates: Option<u32>,
}

impl CampaignRate {
    /// The money for all candidates of this kind, when their number is known.
    pub fn total(&self) -> Option<Tenge> {
        let candidates = u64::from(self.candidates?);
        self.per_candidate.0.checked_mul(candidates).map(Tenge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(id: &str, votes: u64, seats: u32, meets: &[&str]) -> FundedParty {
        FundedParty {
            id: ListId::new(id),
            name: id.to_owned(),
            votes: Votes(votes),
            seats: Seats(seats),
            meets: meets.iter().map(|it| (*it).to_owned()).collect(),
        }
    }

    fn rules(
        rate: &str,
        qualification: Qualification,
        conditions: &[(&str, &str)],
    ) -> FundingRules {
        FundingRules {
            minimum_wage: Tenge(42_500),
            rate: Percent::parse(rate).expect("a valid rate"),
            qualification,
            conditions: conditions
                .iter()
                .map(|&(id, share)| Condition {
                    id: id.to_owned(),
                    share: Percent::parse(share).expect("a valid share"),
                    description: String::new(),
                })
                .collect(),
        }
    }

    /// The 2021 Mazhilis parties (votes of table 1 of the seed, seats as decided).
    fn parties_2021(meets: &[&str]) -> Vec<FundedParty> {
        vec![
            party("nur-otan", 5_148_074, 76, meets),
            party("ak-zhol", 792_828, 12, meets),
            party("peoples-party", 659_019, 10, meets),
            party("auyl", 383_023, 0, meets),
            party("adal", 258_618, 0, meets),
        ]
    }

    /// Funds the parties and describes each as `id amount (share%)`.
    fn check(rules: &FundingRules, parties: &[FundedParty], expect: &[&str]) {
        let res = funding(rules, parties).expect("valid funding rules");
        let found: Vec<String> = res
            .parties
            .iter()
            .map(|it| format!("{} {} ({}%)", it.id, it.amount, it.share.decimal))
            .collect();
        assert_eq!(found, expect);
    }

    #[test]
    fn reproduces_the_published_2021_subsidies_at_three_percent() {
        check(
            &rules("3%", Qualification::Seats, &[]),
            &parties_2021(&[]),
            &[
                "nur-otan 6563794350 (78.00%)",
                "ak-zhol 1010855700 (12.01%)",
                "peoples-party 840249225 (9.99%)",
                "auyl 0 (0.00%)",
                "adal 0 (0.00%)",
            ],
        );
    }

    #[test]
    fn the_cited_one_percent_gives_a_third() {
        check(
            &rules("1%", Qualification::Seats, &[]),
            &parties_2021(&[]),
            &[
                "nur-otan 2187931450 (78.00%)",
                "ak-zhol 336951900 (12.01%)",
                "peoples-party 280083075 (9.99%)",
                "auyl 0 (0.00%)",
                "adal 0 (0.00%)",
            ],
        );
    }

    #[test]
    fn a_three_percent_threshold_funds_parties_without_seats() {
        let threshold = Qualification::Threshold {
            percent: Percent::parse("3%").expect("a valid percent"),
            base: Votes(7_241_562),
        };
        check(
            &rules("3%", threshold, &[]),
            &parties_2021(&[]),
            &[
                "nur-otan 6563794350 (71.09%)",
                "ak-zhol 1010855700 (10.95%)",
                "peoples-party 840249225 (9.10%)",
                "auyl 488354325 (5.29%)",
                "adal 329737950 (3.57%)",
            ],
        );
    }

    #[test]
    fn unmet_conditions_withhold_their_share_rounded_down() {
        let conditional = rules("1.5%", Qualification::Seats, &[("women", "10%"), ("youth", "5%")]);
        // 101 votes at 637.5 KZT = 64,387.5 KZT; without youth, 95 % of it = 61,168.125.
        let parties = [party("a", 101, 1, &["women", "youth"]), party("b", 101, 1, &["women"])];
        check(&conditional, &parties, &["a 64387 (51.28%)", "b 61168 (48.72%)"]);
        let res = funding(&conditional, &parties).expect("valid funding rules");
        assert_eq!(
            (res.parties[1].full_amount, res.parties[1].withheld),
            (Tenge(64387), Tenge(3219))
        );
        assert_eq!(res.per_vote.exact, "1275/2");
    }

    #[test]
    fn bad_conditions_are_refused() {
        let over = rules("3%", Qualification::Seats, &[("a", "60%"), ("b", "50%")]);
        assert_eq!(
            funding(&over, &[]).map(|_| ()),
            Err(FundingError::SharesAboveWhole("110.00%".to_owned()))
        );
        let unknown = rules("3%", Qualification::Seats, &[]);
        assert_eq!(
            funding(&unknown, &[party("a", 1, 1, &["women"])]).map(|_| ()).unwrap_err().to_string(),
            "party a meets condition \"women\", which is not defined"
        );
    }

    #[test]
    fn campaign_money_per_kind_of_race() {
        let rural = CampaignRate {
            kind: "rural".to_owned(),
            per_candidate: Tenge(220_000),
            candidates: Some(2281),
        };
        assert_eq!(rural.total(), Some(Tenge(501_820_000)));
        assert_eq!(CampaignRate { candidates: None, ..rural }.total(), None);
    }
}
