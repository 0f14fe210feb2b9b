//! Biproportional apportionment ("doppelter Pukelsheim", Doppelproporz): seats to lists
//! and to districts at once, as the Canton of Zurich elects its Kantonsrat.
//!
//! The Zurich law (Gesetz über die politischen Rechte, GPR, LS 161, § 102 ff.) has three
//! steps, each a function here:
//!
//! 1. Qualification (§ 102 sentence 3): a list group takes part only if it won at least
//!    5 % of the votes in at least one district.
//! 2. Upper apportionment (Oberzuteilung): the house is divided among the lists by a
//!    divisor method (Sainte-Laguë) on their "voter numbers": each list's votes in a
//!    district divided by the district's seats, since every voter there has as many votes
//!    as seats. Until 2021 each district's quotient was rounded to a whole number before
//!    summing; the Kantonsrat dropped that rounding on 1 March 2021 (parliamentary
//!    initiative Lais), see [`VoterNumbers`].
//! 3. Lower apportionment (Unterzuteilung): district and list divisors such that each
//!    list's votes in a district divided by both, and rounded, give seats whose district
//!    sums are the district seats and whose list sums are the upper apportionment. The
//!    algorithm, its termination argument and the tie rule are in
//!    [`crate::biproportional_lower`].
//!
//! District seats are given (see [`crate::apportionment`] for apportioning them by
//! population). Everything is exact: integers and [`Rational`]s, never an epsilon.

use serde::Serialize;

use crate::allocation::{Allocation, AllocationError, allocate};
use crate::apportionment::{DivisorChoice, divisor_choice};
use crate::biproportional_lower::{LowerApportionment, LowerSetup, lower};
use crate::contest::{Ballots, Contest, List};
use crate::divisor::Divisor;
use crate::lot::LotSeed;
use crate::method::{Method, Rules, RulesConfig, RulesError};
use crate::rational::Rational;
use crate::threshold::Percent;
use crate::tie::TieRule;
use crate::votes::{ListId, Seats, Votes};

/// A district (Wahlkreis) of a biproportional election and its fixed number of seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictSeats {
    /// The district's name, unique in the election.
    pub name: String,
    /// Its seats, fixed before the election (in Zurich, by population).
    pub seats: Seats,
}

/// The votes of a biproportional election, validated: districts with seats, lists, and
/// each list's votes in each district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoteMatrix {
    districts: Vec<DistrictSeats>,
    lists: Vec<ListId>,
    votes: Vec<Vec<Option<Votes>>>,
    house: Seats,
}

/// Why a vote matrix is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VoteMatrixError {
    /// No districts.
    #[error("a biproportional election needs at least one district")]
    NoDistricts,
    /// No lists.
    #[error("a biproportional election needs at least one list")]
    NoLists,
    /// A district without a name.
    #[error("district {0} has an empty name")]
    EmptyDistrictName(usize),
    /// Two districts with the same name.
    #[error("district name {0:?} is used twice")]
    DuplicateDistrict(String),
    /// A district with no seats.
    #[error("district {0:?} has no seats")]
    NoSeats(String),
    /// A list without an id.
    #[error("list {0} has an empty id")]
    EmptyListId(usize),
    /// Two lists with the same id.
    #[error("list id {0:?} is used twice")]
    DuplicateList(String),
    /// A vote row for each list is needed.
    #[error("{found} vote rows for {expected} lists")]
    RowCount {
        /// Rows given.
        found: usize,
        /// Lists.
        expected: usize,
    },
    /// A list's row does not have one entry per district.
    #[error("list {list:?} has {found} vote entries for {expected} districts")]
    RowLength {
        /// The list.
        list: String,
        /// Entries given.
        found: usize,
        /// Districts.
        expected: usize,
    },
    /// More than 2^32 seats in all.
    #[error("the district seats add up to more than 2^32")]
    HouseTooLarge,
}

impl VoteMatrix {
    /// A vote matrix from districts, lists and `votes[list][district]`, where `None` means
    /// the list does not stand in that district.
    pub fn new(
        districts: Vec<DistrictSeats>,
        lists: Vec<ListId>,
        votes: Vec<Vec<Option<Votes>>>,
    ) -> Result<VoteMatrix, VoteMatrixError> {
        if districts.is_empty() {
            return Err(VoteMatrixError::NoDistricts);
        }
        if lists.is_empty() {
            return Err(VoteMatrixError::NoLists);
        }
        // One pass: a check of each against all before it is quadratic in districts.
        let mut seen_names = std::collections::HashSet::with_capacity(districts.len());
        for (idx, district) in districts.iter().enumerate() {
            if district.name.is_empty() {
                return Err(VoteMatrixError::EmptyDistrictName(idx + 1));
            }
            if !seen_names.insert(&district.name) {
                return Err(VoteMatrixError::DuplicateDistrict(district.name.clone()));
            }
            if district.seats.0 == 0 {
                return Err(VoteMatrixError::NoSeats(district.name.clone()));
            }
        }
        // One pass: a check of each against all before it is quadratic in lists.
        let mut seen = std::collections::HashSet::with_capacity(lists.len());
        for (idx, list) in lists.iter().enumerate() {
            if list.as_str().is_empty() {
                return Err(VoteMatrixError::EmptyListId(idx + 1));
            }
            if !seen.insert(list) {
                return Err(VoteMatrixError::DuplicateList(list.to_string()));
            }
        }
        if votes.len() != lists.len() {
            return Err(VoteMatrixError::RowCount { found: votes.len(), expected: lists.len() });
        }
        for (list, row) in lists.iter().zip(&votes) {
            if row.len() != districts.len() {
                return Err(VoteMatrixError::RowLength {
                    list: list.to_string(),
                    found: row.len(),
                    expected: districts.len(),
                });
            }
        }
        let house = districts
            .iter()
            .try_fold(0u32, |total, district| total.checked_add(district.seats.0))
            .ok_or(VoteMatrixError::HouseTooLarge)?;
        Ok(VoteMatrix { districts, lists, votes, house: Seats(house) })
    }

    /// The districts in order.
    pub fn districts(&self) -> &[DistrictSeats] {
        &self.districts
    }

    /// The lists in registration order.
    pub fn lists(&self) -> &[ListId] {
        &self.lists
    }

    /// The votes of `list` in `district`; `None` when it does not stand there.
    pub fn votes(&self, list: usize, district: usize) -> Option<Votes> {
        self.votes[list][district]
    }

    /// The votes of `list` in `district`, zero where it does not stand.
    pub fn cell(&self, list: usize, district: usize) -> u64 {
        self.votes[list][district].map_or(0, |votes| votes.0)
    }

    /// The seats of all districts together.
    pub fn house(&self) -> Seats {
        self.house
    }

    /// The default lot seed: the SHA-256 of the matrix's canonical text, so the same data
    /// always gives the same lot and nobody chooses it.
    pub fn content_seed(&self) -> LotSeed {
        let mut text = String::from("saylau-biproportional-v1\n");
        for district in &self.districts {
            text.push_str(&format!("{}\t{}\n", district.name, district.seats));
        }
        for (list, row) in self.lists.iter().zip(&self.votes) {
            text.push_str(list.as_str());
            for votes in row {
                match votes {
                    Some(votes) => text.push_str(&format!("\t{votes}")),
                    None => text.push_str("\t-"),
                }
            }
            text.push('\n');
        }
        LotSeed::from_content(text.as_bytes())
    }
}

/// What the upper apportionment divides: the lists' national weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VoterNumbers {
    /// The votes themselves, summed (each voter casts one vote).
    Votes,
    /// Zurich's voter numbers (Wählerzahlen) until 2021: in each district the list's votes
    /// divided by the district's seats and rounded to the nearest whole number, halves up
    /// ("zur nächsten ganzen Zahl gerundet (Wahlkreiswählerzahl)"), then summed.
    RoundedPerDistrict,
    /// Zurich's voter numbers since the amendment of 1 March 2021 (parliamentary
    /// initiative Lais): the same quotients summed exactly, without rounding.
    Exact,
}

/// How the lower apportionment rounds a quotient to seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rounding {
    /// Standard rounding (Sainte-Laguë): `k` seats for quotients from `k - 1/2` to
    /// `k + 1/2`; Zurich's "Standardrundung".
    Standard,
    /// Rounding down (D'Hondt): `k` seats for quotients from `k` to `k + 1`.
    Downward,
}

/// The parts of [`BiproportionalRules`], before they are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BiproportionalConfig {
    /// A list qualifies with at least this share of the votes in at least one district
    /// (GPR § 102: 5 %); `None` admits every list with votes.
    pub qualification: Option<Percent>,
    /// The weights of the upper apportionment.
    pub voter_numbers: VoterNumbers,
    /// The divisor method of the upper apportionment (Zurich: Sainte-Laguë).
    pub upper: Divisor,
    /// The rounding of the lower apportionment (Zurich: standard rounding).
    pub lower: Rounding,
    /// How ties are broken, in both apportionments.
    pub ties: TieRule,
    /// The seed of lots; `None` uses the vote matrix's content seed.
    pub lot_seed: Option<LotSeed>,
}

/// Validated rules of a biproportional apportionment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BiproportionalRules {
    qualification: Option<Percent>,
    voter_numbers: VoterNumbers,
    upper: Divisor,
    lower: Rounding,
    ties: TieRule,
    lot_seed: Option<LotSeed>,
}

impl BiproportionalRules {
    /// Checks the rules (a modified Sainte-Laguë first divisor must be positive).
    pub fn new(config: BiproportionalConfig) -> Result<BiproportionalRules, RulesError> {
        upper_rules(config.upper, &config.ties, None)?;
        Ok(BiproportionalRules {
            qualification: config.qualification,
            voter_numbers: config.voter_numbers,
            upper: config.upper,
            lower: config.lower,
            ties: config.ties,
            lot_seed: config.lot_seed,
        })
    }

    /// The qualification threshold per district.
    pub fn qualification(&self) -> Option<Percent> {
        self.qualification
    }

    /// The weights of the upper apportionment.
    pub fn voter_numbers(&self) -> VoterNumbers {
        self.voter_numbers
    }

    /// The divisor method of the upper apportionment.
    pub fn upper(&self) -> Divisor {
        self.upper
    }

    /// The rounding of the lower apportionment.
    pub fn lower(&self) -> Rounding {
        self.lower
    }

    /// The tie rule.
    pub fn ties(&self) -> &TieRule {
        &self.ties
    }

    /// The lot seed for `matrix`: the configured one, or the matrix's content seed.
    pub fn seed_for(&self, matrix: &VoteMatrix) -> LotSeed {
        self.lot_seed.clone().unwrap_or_else(|| matrix.content_seed())
    }
}

/// The allocation rules of the upper apportionment.
fn upper_rules(
    divisor: Divisor,
    ties: &TieRule,
    seed: Option<LotSeed>,
) -> Result<Rules, RulesError> {
    Rules::new(RulesConfig {
        method: Method::Divisor { divisor },
        threshold: None,
        admit_at_least: 0,
        runner_up: None,
        ties: ties.clone(),
        lot_seed: seed,
    })
}

/// The upper apportionment (Oberzuteilung): seats per list over all districts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpperApportionment {
    /// Per list: true when it qualified (GPR § 102 sentence 3).
    pub qualified: Vec<bool>,
    /// Per list: its national weight (voter number or votes), exact; zero when it did not
    /// qualify.
    pub weights: Vec<Rational>,
    /// Per list: its seats.
    pub seats: Vec<Seats>,
    /// The divisor of the upper apportionment (weights divided by it and rounded give the
    /// seats); `None` for Huntington-Hill.
    pub divisor: Option<DivisorChoice>,
    /// The qualified lists in registration order: the list indices of `allocation` refer
    /// to this vector.
    pub lists: Vec<usize>,
    /// The factor the weights were multiplied by to make the whole numbers `allocation`
    /// divides: the least common multiple of the district seats for exact voter numbers,
    /// otherwise 1. Multiplying every weight by one factor changes no seat.
    pub scale: u64,
    /// The divisor-method allocation among the qualified lists, with its trace.
    pub allocation: Allocation,
}

/// The result of a biproportional apportionment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Biproportional {
    /// Seats per list.
    pub upper: UpperApportionment,
    /// Seats per list and district, with the divisors that produce them.
    pub lower: LowerApportionment,
}

/// Why a biproportional apportionment cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BiproportionalError {
    /// No list reached the qualification threshold.
    #[error("no list qualifies: none reaches the threshold in any district")]
    NoListQualifies,
    /// Exact voter numbers made whole overflow 64 bits.
    #[error("the exact voter numbers, made whole, exceed 2^64")]
    WeightsTooLarge,
    /// The upper apportionment failed.
    #[error("upper apportionment: {0}")]
    Upper(#[from] AllocationError),
    /// Given list seats do not match the lists.
    #[error("{found} list seat numbers for {expected} lists")]
    ListSeatsCount {
        /// Numbers given.
        found: usize,
        /// Lists.
        expected: usize,
    },
    /// Given list seats do not add up to the district seats.
    #[error("the lists hold {lists} seats, but the districts have {districts}")]
    HouseMismatch {
        /// Sum of the list seats.
        lists: u64,
        /// Sum of the district seats.
        districts: Seats,
    },
    /// A district whose seats nobody can take.
    #[error("district {0:?} has seats but no list with votes there")]
    NoVotesInDistrict(String),
    /// No matrix has the required sums (a list holds more seats than the districts where
    /// it has votes can give).
    #[error(
        "no apportionment exists: list {0:?} cannot receive its seats in the districts where it has votes"
    )]
    Infeasible(String),
    /// The step guard fired; the termination argument says it cannot.
    #[error("the lower apportionment did not finish within {0} steps")]
    StepLimit(u64),
}

/// Biproportional apportionment of `matrix` under `rules`: qualification, the upper
/// apportionment on voter numbers, and the lower apportionment on the votes.
pub fn biproportional_apportionment(
    rules: &BiproportionalRules,
    matrix: &VoteMatrix,
) -> Result<Biproportional, BiproportionalError> {
    let seed = rules.seed_for(matrix);
    let upper = upper_apportionment(rules, matrix, &seed)?;
    let list_seats: Vec<u32> = upper.lists.iter().map(|&list| upper.seats[list].0).collect();
    let setup = LowerSetup {
        matrix,
        lists: &upper.lists,
        list_seats: &list_seats,
        rounding: rules.lower,
        ties: &rules.ties,
        seed: &seed,
    };
    let lower = lower(&setup)?;
    Ok(Biproportional { upper, lower })
}

/// Per list: true when it has votes and reaches the threshold in at least one district
/// (the base is the district's votes for all lists).
fn qualification(rules: &BiproportionalRules, matrix: &VoteMatrix) -> Vec<bool> {
    let district_totals: Vec<Votes> = (0..matrix.districts.len())
        .map(|district| {
            (0..matrix.lists.len()).map(|list| Votes(matrix.cell(list, district))).sum()
        })
        .collect();
    (0..matrix.lists.len())
        .map(|list| {
            (0..matrix.districts.len()).any(|district| {
                let votes = Votes(matrix.cell(list, district));
                votes.0 > 0
                    && rules
                        .qualification
                        .is_none_or(|percent| percent.is_met(votes, district_totals[district]))
            })
        })
        .collect()
}

/// The whole-number weights of the qualified lists and the factor they were scaled by.
fn whole_weights(
    rules: &BiproportionalRules,
    matrix: &VoteMatrix,
    lists: &[usize],
) -> Result<(u64, Vec<u64>), BiproportionalError> {
    let seats: Vec<u128> =
        matrix.districts.iter().map(|district| u128::from(district.seats.0)).collect();
    let scale: u128 = match rules.voter_numbers {
        VoterNumbers::Votes | VoterNumbers::RoundedPerDistrict => 1,
        VoterNumbers::Exact => seats
            .iter()
            .try_fold(1u128, |lcm, &seats| {
                let gcd = num_integer::gcd(lcm, seats);
                (lcm / gcd).checked_mul(seats).filter(|lcm| *lcm <= u128::from(u64::MAX))
            })
            .ok_or(BiproportionalError::WeightsTooLarge)?,
    };
    let weight = |list: usize| -> Option<u128> {
        (0..seats.len()).try_fold(0u128, |total, district| {
            let votes = u128::from(matrix.cell(list, district));
            let term = match rules.voter_numbers {
                VoterNumbers::Votes => votes,
                // Halves up: floor((2 v + s) / (2 s)).
                VoterNumbers::RoundedPerDistrict => {
                    (2 * votes + seats[district]) / (2 * seats[district])
                }
                VoterNumbers::Exact => votes.checked_mul(scale / seats[district])?,
            };
            total.checked_add(term)
        })
    };
    let weights = lists
        .iter()
        .map(|&list| weight(list).and_then(|weight| u64::try_from(weight).ok()))
        .collect::<Option<Vec<u64>>>()
        .ok_or(BiproportionalError::WeightsTooLarge)?;
    let scale = u64::try_from(scale).expect("the scale was checked to fit 64 bits");
    Ok((scale, weights))
}

/// The upper apportionment: qualification, weights and the divisor method.
fn upper_apportionment(
    rules: &BiproportionalRules,
    matrix: &VoteMatrix,
    seed: &LotSeed,
) -> Result<UpperApportionment, BiproportionalError> {
    let qualified = qualification(rules, matrix);
    let lists: Vec<usize> = (0..qualified.len()).filter(|&list| qualified[list]).collect();
    if lists.is_empty() {
        return Err(BiproportionalError::NoListQualifies);
    }
    let (scale, whole) = whole_weights(rules, matrix, &lists)?;
    let contest_lists = lists
        .iter()
        .zip(&whole)
        .map(|(&list, &weight)| List {
            id: matrix.lists[list].clone(),
            name: matrix.lists[list].to_string(),
            votes: Votes(weight),
            threshold: None,
        })
        .collect();
    let contest =
        Contest::new("upper apportionment", matrix.house, contest_lists, Ballots::default())
            .expect("a validated matrix makes a valid contest");
    let upper = upper_rules(rules.upper, &rules.ties, Some(seed.derive("upper")))
        .expect("the rules were checked when they were built");
    let allocation = allocate(&upper, &contest)?;
    let scale_rational = Rational::from_integer(i128::from(scale));
    let mut weights = vec![Rational::zero(); qualified.len()];
    let mut seats = vec![Seats(0); qualified.len()];
    for ((&list, &weight), &won) in lists.iter().zip(&whole).zip(&allocation.seats) {
        weights[list] = Rational::from_integer(i128::from(weight)).div(&scale_rational);
        seats[list] = won;
    }
    let qualified_weights: Vec<Rational> =
        lists.iter().map(|&list| weights[list].clone()).collect();
    let divisor = divisor_choice(&qualified_weights, &allocation.seats, rules.upper);
    Ok(UpperApportionment { qualified, weights, seats, divisor, lists, scale, allocation })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One list with `votes` in districts of `seats`: the scale and its whole weight.
    fn check(voter_numbers: VoterNumbers, seats: &[u32], votes: &[u64], expect: (u64, u64)) {
        let districts = seats
            .iter()
            .enumerate()
            .map(|(idx, &seats)| DistrictSeats { name: format!("d{idx}"), seats: Seats(seats) })
            .collect();
        let row = votes.iter().map(|&votes| Some(Votes(votes))).collect();
        let matrix =
            VoteMatrix::new(districts, vec![ListId::new("a")], vec![row]).expect("a valid matrix");
        let rules = BiproportionalRules::new(BiproportionalConfig {
            qualification: None,
            voter_numbers,
            upper: Divisor::SainteLague,
            lower: Rounding::Standard,
            ties: TieRule::lot(),
            lot_seed: None,
        })
        .expect("valid rules");
        let (scale, weights) = whole_weights(&rules, &matrix, &[0]).expect("weights");
        assert_eq!((scale, weights[0]), expect);
    }

    #[test]
    fn voter_numbers() {
        check(VoterNumbers::Votes, &[3, 4], &[10, 7], (1, 17));
        // 10 / 3 = 3.33 rounds to 3, 7 / 4 = 1.75 to 2, and 6 / 4 = 1.5 up to 2.
        check(VoterNumbers::RoundedPerDistrict, &[3, 4], &[10, 7], (1, 5));
        check(VoterNumbers::RoundedPerDistrict, &[4], &[6], (1, 2));
        // 10 / 3 + 7 / 4 = 61 / 12: scaled by lcm(3, 4) = 12.
        check(VoterNumbers::Exact, &[3, 4], &[10, 7], (12, 61));
        check(VoterNumbers::Exact, &[2, 4, 6], &[1, 1, 1], (12, 11));
    }
}
