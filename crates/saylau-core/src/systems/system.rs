//! Electoral systems as one type, and one allocation for all of them.
//!
//! Each system has its own module: one nationwide list contest ([`crate::seats::allocation`], art.
//! 97-1), mixed systems ([`crate::systems::mixed`]), multi-district list PR ([`crate::systems::district`] and
//! the Czech two-tier rule of [`crate::systems::district::tier`]) and biproportional apportionment
//! ([`crate::systems::biproportional`]). An election file can describe any of them, so readers and
//! views need one type that holds whichever it is, and one function that allocates it:
//! [`System`] and [`system_allocation`].
//!
//! District magnitudes may be fixed or apportioned from the districts' populations (or
//! their votes) by [`crate::systems::apportionment`] before the districts are allocated; the seed's
//! reform of 17 districts "in proportion to population" and the cube-root house are that
//! step. The result keeps each module's own result and trace ([`SystemDetail`]) and adds
//! the parts every view needs: seats per list and, where there are districts, per
//! district.

use serde::Serialize;

use crate::seats::allocation::{Allocation, AllocationError, allocate};
use crate::seats::contest::Contest;
use crate::seats::lot::LotSeed;
use crate::seats::method::Rules;
use crate::seats::quota::Quota;
use crate::seats::threshold::Percent;
use crate::seats::tie::TieRule;
use crate::seats::votes::{ListId, Seats, Votes};
use crate::systems::apportionment::{
    Apportionment, ApportionmentError, ApportionmentRules, Populations, apportionment,
};
use crate::systems::biproportional::{
    Biproportional, BiproportionalError, BiproportionalRules, DistrictSeats, VoteMatrix,
    VoteMatrixError, biproportional_apportionment,
};
use crate::systems::district::tier::{
    TierAllocation, TierRules, TierRulesConfig, two_tier_allocation,
};
use crate::systems::district::{
    DistrictAllocation, DistrictError, DistrictRules, DistrictRulesConfig, Districts, Magnitudes,
    district_allocation,
};
use crate::systems::mixed::{
    MixedAllocation, MixedContest, MixedError, MixedRules, mixed_allocation,
};

/// An election under its system, with validated parts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum System {
    /// One nationwide list contest (art. 97-1).
    List {
        /// The lists and ballots.
        contest: Contest,
        /// The rules.
        rules: Rules,
    },
    /// Single-member seats next to list seats, parallel or compensatory.
    Mixed {
        /// The parties, their list votes and electorates.
        contest: MixedContest,
        /// The rules.
        rules: MixedRules,
    },
    /// Multi-district list PR: each district allocates its own seats.
    Districts {
        /// The lists and each district's votes.
        districts: Districts,
        /// How many seats each district fills.
        magnitudes: MagnitudeRule,
        /// How each district's seats are allocated.
        method: DistrictMethod,
    },
    /// Biproportional apportionment: seats to lists nationally, then to the districts.
    /// A list with no votes in a district does not stand there.
    Biproportional {
        /// The lists (without thresholds of their own) and each district's votes.
        districts: Districts,
        /// How many seats each district fills.
        magnitudes: MagnitudeRule,
        /// The rules.
        rules: BiproportionalRules,
    },
}

/// How many seats each district fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MagnitudeRule {
    /// As given, district by district, in district order.
    Fixed(Vec<Seats>),
    /// The house apportioned among the districts by a weight (their population, or their
    /// list votes as in the Czech Act No. 247/1995 Coll. § 48), named as the districts.
    Apportioned {
        /// The apportionment method, house size and minimum.
        rules: Box<ApportionmentRules>,
        /// Each district's weight, in district order, under the district's name.
        weights: Populations,
    },
}

/// How the seats of a multi-district election are allocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DistrictMethod {
    /// Each district on its own ([`crate::systems::district`]): thresholds, then the method.
    PerDistrict {
        /// A list below this share of the national list votes gets no seat anywhere.
        national_threshold: Option<Percent>,
        /// A list below this share of a district's list votes gets no seat there.
        district_threshold: Option<Percent>,
        /// The method and ties in every district, without a threshold of their own (boxed:
        /// rules are much larger than the other variant).
        rules: Box<Rules>,
    },
    /// Whole quotas per district, then the leftover seats nationally on the unused votes
    /// (the Czech rule since 2021, [`crate::systems::district::tier`]).
    TwoTier {
        /// A list below this share of the national list votes gets no seat anywhere.
        national_threshold: Option<Percent>,
        /// The first-tier quota in each district, rounded to whole votes.
        district_quota: Quota,
        /// The second-tier quota on the carried votes.
        national_quota: Quota,
        /// How ties are broken.
        ties: TieRule,
        /// The seed of lots; `None` uses the election's content seed.
        lot_seed: Option<LotSeed>,
    },
}

/// A list as every system has it: identifier, name and national votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SystemList {
    /// Stable identifier.
    pub id: ListId,
    /// Display name.
    pub name: String,
    /// Its list votes in the whole election (summed over the districts).
    pub votes: Votes,
}

/// The seats of an election under any system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SystemAllocation {
    /// Seats of each list in all (list and single-member seats), in registration order.
    pub seats: Vec<Seats>,
    /// Per list: true when it took part in the distribution of list seats (passed the
    /// threshold, was admitted as runner-up, qualified by electorates or in a district).
    pub qualified: Vec<bool>,
    /// The districts, when the system has them.
    pub districts: Option<DistrictSeatTable>,
    /// The system's own result, with its trace.
    pub detail: SystemDetail,
}

/// Seats per district and list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictSeatTable {
    /// Seats of each district, as fixed or apportioned. Under the two-tier rule the seats
    /// finally elected in a district may differ ([`DistrictSeatTable::seats`] sums them).
    pub magnitudes: Vec<Seats>,
    /// The apportionment of the house among the districts, when computed.
    pub apportionment: Option<Apportionment>,
    /// Seats of each list in each district: `seats[district][list]`.
    pub seats: Vec<Vec<Seats>>,
}

/// The result of the system's own module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "system", content = "result")]
#[non_exhaustive]
pub enum SystemDetail {
    /// [`crate::seats::allocation::allocate`].
    List(Allocation),
    /// [`crate::systems::mixed::mixed_allocation`].
    Mixed(MixedAllocation),
    /// [`crate::systems::district::district_allocation`].
    Districts(DistrictAllocation),
    /// [`crate::systems::district::tier::two_tier_allocation`].
    TwoTier(TierAllocation),
    /// [`crate::systems::biproportional::biproportional_apportionment`].
    Biproportional(Biproportional),
}

/// Why an election cannot be allocated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SystemError {
    /// The list contest.
    #[error(transparent)]
    List(#[from] AllocationError),
    /// The mixed election.
    #[error(transparent)]
    Mixed(#[from] MixedError),
    /// The district magnitudes.
    #[error("district magnitudes: {0}")]
    Magnitudes(#[from] ApportionmentError),
    /// Magnitudes that do not match the districts.
    #[error("{found} magnitudes for {expected} districts")]
    MagnitudeCount {
        /// Districts in the election.
        expected: usize,
        /// Magnitudes given.
        found: usize,
    },
    /// The multi-district allocation.
    #[error(transparent)]
    Districts(#[from] DistrictError),
    /// The vote matrix of a biproportional election (a district without seats).
    #[error(transparent)]
    Matrix(#[from] VoteMatrixError),
    /// The biproportional apportionment.
    #[error(transparent)]
    Biproportional(#[from] BiproportionalError),
}

impl System {
    /// The lists in registration order, with their national votes.
    pub fn lists(&self) -> Vec<SystemList> {
        match self {
            System::List { contest, .. } => contest
                .lists()
                .iter()
                .map(|list| SystemList {
                    id: list.id.clone(),
                    name: list.name.clone(),
                    votes: list.votes,
                })
                .collect(),
            System::Mixed { contest, .. } => contest
                .parties()
                .iter()
                .map(|party| SystemList {
                    id: party.id.clone(),
                    name: party.name.clone(),
                    votes: party.list_votes,
                })
                .collect(),
            System::Districts { districts, .. } | System::Biproportional { districts, .. } => {
                districts
                    .lists()
                    .iter()
                    .enumerate()
                    .map(|(idx, list)| SystemList {
                        id: list.id.clone(),
                        name: list.name.clone(),
                        votes: districts.list_votes(idx),
                    })
                    .collect()
            }
        }
    }

    /// Valid "against all" votes, which count in the valid votes and never win a seat.
    pub fn against_all(&self) -> Votes {
        match self {
            System::List { contest, .. } => contest.ballots().against_all,
            System::Mixed { contest, .. } => contest.ballots().against_all,
            System::Districts { .. } | System::Biproportional { .. } => Votes(0),
        }
    }

    /// Valid votes (действительные голоса) in the whole election: the list votes plus
    /// "against all". Every percentage of the valid votes is of this number.
    pub fn valid_votes(&self) -> Votes {
        self.lists().iter().map(|list| list.votes).sum::<Votes>() + self.against_all()
    }
}

/// Allocates the seats of `system`.
pub fn system_allocation(system: &System) -> Result<SystemAllocation, SystemError> {
    match system {
        System::List { contest, rules } => {
            let res = allocate(rules, contest)?;
            let qualified = res.admission.iter().map(|status| status.is_admitted()).collect();
            let seats = res.seats.clone();
            Ok(SystemAllocation {
                seats,
                qualified,
                districts: None,
                detail: SystemDetail::List(res),
            })
        }
        System::Mixed { contest, rules } => {
            let res = mixed_allocation(rules, contest)?;
            let qualified = res.admission.iter().map(|status| status.is_admitted()).collect();
            let seats = res.seats.clone();
            Ok(SystemAllocation {
                seats,
                qualified,
                districts: None,
                detail: SystemDetail::Mixed(res),
            })
        }
        System::Districts { districts, magnitudes, method } => {
            let (magnitudes, apportionment) = district_magnitudes(magnitudes, districts)?;
            by_districts(districts, magnitudes, apportionment, method)
        }
        System::Biproportional { districts, magnitudes, rules } => {
            let (magnitudes, apportionment) = district_magnitudes(magnitudes, districts)?;
            biproportional(districts, magnitudes, apportionment, rules)
        }
    }
}

/// The magnitudes of the districts, apportioned when they are not fixed.
fn district_magnitudes(
    rule: &MagnitudeRule,
    districts: &Districts,
) -> Result<(Vec<Seats>, Option<Apportionment>), SystemError> {
    let expected = districts.districts().len();
    match rule {
        MagnitudeRule::Fixed(seats) if seats.len() != expected => {
            Err(SystemError::MagnitudeCount { expected, found: seats.len() })
        }
        MagnitudeRule::Fixed(seats) => Ok((seats.clone(), None)),
        MagnitudeRule::Apportioned { weights, .. } if weights.districts().len() != expected => {
            Err(SystemError::MagnitudeCount { expected, found: weights.districts().len() })
        }
        MagnitudeRule::Apportioned { rules, weights } => {
            let res = apportionment(rules, weights)?;
            Ok((res.seats.clone(), Some(res)))
        }
    }
}

/// Multi-district list PR on the magnitudes found.
fn by_districts(
    districts: &Districts,
    magnitudes: Vec<Seats>,
    apportionment: Option<Apportionment>,
    method: &DistrictMethod,
) -> Result<SystemAllocation, SystemError> {
    let (seats, totals, admission, detail) = match method {
        DistrictMethod::PerDistrict { national_threshold, district_threshold, rules } => {
            let rules = DistrictRules::new(DistrictRulesConfig {
                magnitudes: Magnitudes::Fixed(magnitudes.clone()),
                national_threshold: *national_threshold,
                district_threshold: *district_threshold,
                rules: Rules::clone(rules),
            })?;
            let res = district_allocation(&rules, districts)?;
            let parts = (res.seats.clone(), res.totals.clone(), res.admission.clone());
            (parts.0, parts.1, parts.2, SystemDetail::Districts(res))
        }
        DistrictMethod::TwoTier {
            national_threshold,
            district_quota,
            national_quota,
            ties,
            lot_seed,
        } => {
            let rules = TierRules::new(TierRulesConfig {
                magnitudes: Magnitudes::Fixed(magnitudes.clone()),
                national_threshold: *national_threshold,
                district_quota: *district_quota,
                national_quota: *national_quota,
                ties: ties.clone(),
                lot_seed: lot_seed.clone(),
            })?;
            let res = two_tier_allocation(&rules, districts)?;
            let parts = (res.seats.clone(), res.totals.clone(), res.admission.clone());
            (parts.0, parts.1, parts.2, SystemDetail::TwoTier(res))
        }
    };
    Ok(SystemAllocation {
        seats: totals,
        qualified: admission.iter().map(|status| status.is_admitted()).collect(),
        districts: Some(DistrictSeatTable { magnitudes, apportionment, seats }),
        detail,
    })
}

/// Biproportional apportionment on the magnitudes found; zero votes mean the list does
/// not stand in the district.
fn biproportional(
    districts: &Districts,
    magnitudes: Vec<Seats>,
    apportionment: Option<Apportionment>,
    rules: &BiproportionalRules,
) -> Result<SystemAllocation, SystemError> {
    let district_seats = districts
        .districts()
        .iter()
        .zip(&magnitudes)
        .map(|(district, &seats)| DistrictSeats { name: district.name.clone(), seats })
        .collect();
    let lists = districts.lists().iter().map(|list| list.id.clone()).collect();
    let votes = (0..districts.lists().len())
        .map(|list| {
            let row = districts.districts().iter().map(|district| district.votes[list]);
            row.map(|votes| (votes.0 > 0).then_some(votes)).collect()
        })
        .collect();
    let matrix = VoteMatrix::new(district_seats, lists, votes)?;
    let res = biproportional_apportionment(rules, &matrix)?;
    // The lower apportionment is by list; the table is by district.
    let seats = (0..magnitudes.len())
        .map(|district| res.lower.seats.iter().map(|row| row[district]).collect())
        .collect();
    Ok(SystemAllocation {
        seats: res.upper.seats.clone(),
        qualified: res.upper.qualified.clone(),
        districts: Some(DistrictSeatTable { magnitudes, apportionment, seats }),
        detail: SystemDetail::Biproportional(res),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seats::divisor::Divisor;
    use crate::seats::method::{Method, RulesConfig};
    use crate::seats::quota::{QuotaKind, QuotaRounding};
    use crate::seats::tie::TieCriterion;
    use crate::systems::apportionment::{
        ApportionmentConfig, DistrictPopulation, HouseSize, Minimum, MinimumRule, Population,
    };
    use crate::systems::biproportional::{BiproportionalConfig, Rounding, VoterNumbers};
    use crate::systems::district::{District, DistrictList};

    fn ties() -> TieRule {
        TieRule::new(&[TieCriterion::Registration]).expect("one criterion")
    }

    fn dhondt() -> Rules {
        Rules::new(RulesConfig {
            method: Method::Divisor { divisor: Divisor::DHondt },
            threshold: None,
            admit_at_least: 0,
            runner_up: None,
            ties: ties(),
            lot_seed: None,
        })
        .expect("valid rules")
    }

    /// Lists a, b, c and districts d1 (population 300), d2 (100) with the vote rows given.
    fn election(rows: &[[u64; 3]]) -> Districts {
        let lists = ["a", "b", "c"]
            .iter()
            .map(|id| DistrictList { id: ListId::new(id), name: (*id).to_owned(), threshold: None })
            .collect();
        let districts = rows
            .iter()
            .enumerate()
            .map(|(idx, row)| District {
                name: format!("d{}", idx + 1),
                votes: row.iter().copied().map(Votes).collect(),
            })
            .collect();
        Districts::new("test", lists, districts).expect("a valid election")
    }

    fn by_population(house: u32, minimum: u32) -> MagnitudeRule {
        let weights = Populations::new(vec![
            DistrictPopulation { name: "d1".into(), population: Population(300) },
            DistrictPopulation { name: "d2".into(), population: Population(100) },
        ])
        .expect("valid districts");
        let rules = ApportionmentRules::new(ApportionmentConfig {
            method: Method::LargestRemainder {
                quota: Quota { kind: QuotaKind::Hare, rounding: QuotaRounding::Exact },
            },
            house: HouseSize::Seats(Seats(house)),
            minimum: (minimum > 0)
                .then_some(Minimum { seats: Seats(minimum), rule: MinimumRule::Floor }),
            ties: ties(),
            lot_seed: None,
        })
        .expect("valid apportionment rules");
        MagnitudeRule::Apportioned { rules: Box::new(rules), weights }
    }

    /// Allocates and shows `seats per list | seats per district and list | magnitudes`.
    fn check(system: &System, expect: &str) {
        let res = match system_allocation(system) {
            Ok(res) => {
                let show = |seats: &[Seats]| {
                    seats.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
                };
                let mut text = show(&res.seats);
                if let Some(table) = &res.districts {
                    let rows: Vec<String> = table.seats.iter().map(|row| show(row)).collect();
                    text.push_str(&format!(" | {} | {}", rows.join(", "), show(&table.magnitudes)));
                }
                text
            }
            Err(err) => err.to_string(),
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn districts_with_fixed_and_apportioned_magnitudes() {
        let rows = [[600, 300, 100], [100, 100, 800]];
        let per_district = |national: Option<&str>| DistrictMethod::PerDistrict {
            national_threshold: national.map(|text| Percent::parse(text).expect("a percentage")),
            district_threshold: None,
            rules: Box::new(dhondt()),
        };
        let fixed = System::Districts {
            districts: election(&rows),
            magnitudes: MagnitudeRule::Fixed(vec![Seats(4), Seats(4)]),
            method: per_district(None),
        };
        check(&fixed, "3 1 4 | 3 1 0, 0 0 4 | 4 4");
        // 8 seats by population 300:100 give 6 and 2.
        let apportioned = System::Districts {
            districts: election(&rows),
            magnitudes: by_population(8, 0),
            method: per_district(Some("25%")),
        };
        // b has 400 of 2000 (20 %) and fails 25 %; in d1 the sixth seat is a tie of a's
        // 600 / 6 and c's 100 / 1, to the earlier-registered a.
        check(&apportioned, "6 0 2 | 6 0 0, 0 0 2 | 6 2");
        // A minimum of 3 holds d2 at 3.
        let minimum = System::Districts {
            districts: election(&rows),
            magnitudes: by_population(8, 3),
            method: per_district(None),
        };
        check(&minimum, "4 1 3 | 4 1 0, 0 0 3 | 5 3");
        let wrong = System::Districts {
            districts: election(&rows),
            magnitudes: MagnitudeRule::Fixed(vec![Seats(4)]),
            method: per_district(None),
        };
        check(&wrong, "1 magnitudes for 2 districts");
    }

    #[test]
    fn two_tiers_and_biproportional() {
        let rows = [[600, 300, 100], [100, 100, 800]];
        let two_tier = System::Districts {
            districts: election(&rows),
            magnitudes: MagnitudeRule::Fixed(vec![Seats(4), Seats(4)]),
            method: DistrictMethod::TwoTier {
                national_threshold: None,
                district_quota: Quota {
                    kind: QuotaKind::Imperiali,
                    rounding: QuotaRounding::Round,
                },
                national_quota: Quota {
                    kind: QuotaKind::HagenbachBischoff,
                    rounding: QuotaRounding::Round,
                },
                ties: ties(),
                lot_seed: None,
            },
        };
        // Quotas 1000/6 ≈ 167: a 3, b 1, c 0 and c 4 in d2; nothing is left over.
        check(&two_tier, "3 1 4 | 3 1 0, 0 0 4 | 4 4");
        let rules = BiproportionalRules::new(BiproportionalConfig {
            qualification: None,
            voter_numbers: VoterNumbers::Votes,
            upper: Divisor::SainteLague,
            lower: Rounding::Standard,
            ties: ties(),
            lot_seed: None,
        })
        .expect("valid rules");
        let bipro = System::Biproportional {
            districts: election(&rows),
            magnitudes: MagnitudeRule::Fixed(vec![Seats(4), Seats(4)]),
            rules,
        };
        // 700 : 400 : 900 of 8 seats by Sainte-Laguë is 3 : 2 : 3 (quotients 900, 700,
        // 400, 300, 233.3, 180, 140, 133.3), unlike the districts on their own (3 1 4): b's
        // second seat comes from d2, where c gives one up.
        check(&bipro, "3 2 3 | 3 1 0, 0 1 3 | 4 4");
    }
}
