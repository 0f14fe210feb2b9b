//! Multi-district list PR: district magnitudes, national or district thresholds, and one
//! engine run per district. The national-first pattern is in [`crate::district_spread`].
//!
//! [`district_allocation`] is the Czech Chamber of Deputies rule of 2002-2021 (Act No.
//! 247/1995 Coll. as amended by Act No. 37/2002 Coll.): the 200 seats are apportioned
//! among the 14 regions by the republic mandate number, the valid votes divided by 200
//! and rounded (§ 48); lists below 5 % of the national valid votes are dropped (§ 49);
//! each region then allocates its seats by D'Hondt (§ 50). Each district is one
//! [`allocate`] call, so every district has its own trace. The two-tier rule of 2021 is
//! in [`crate::district_tier`]; biproportional apportionment lives elsewhere.

use serde::Serialize;

use crate::allocation::{Allocation, AllocationError, allocate};
use crate::contest::{Ballots, Contest, List};
use crate::fraction::Fraction;
use crate::lot::LotSeed;
use crate::method::Rules;
use crate::threshold::{Percent, ThresholdBase};
use crate::trace::{Admission, ThresholdTrace, Trace};
use crate::votes::{ListId, Seats, Votes};

/// A list that stands in the districts: a party, movement or coalition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictList {
    /// Stable identifier.
    pub id: ListId,
    /// Display name.
    pub name: String,
    /// Replaces the national threshold for this list: Act No. 247/1995 Coll. § 49 (1)
    /// b-c (2021) asks 8 % of a coalition of two and 11 % of a larger one.
    pub threshold: Option<Percent>,
}

/// One district's votes (a Czech volební kraj, a Kazakh oblast in the seed's reform).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct District {
    /// Name, unique in the election.
    pub name: String,
    /// Votes of each list, in list order; zero where a list does not stand.
    pub votes: Vec<Votes>,
}

/// A validated multi-district election: lists in registration order and a district ×
/// list vote matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Districts {
    name: String,
    lists: Vec<DistrictList>,
    districts: Vec<District>,
}

/// How many seats each district fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Magnitudes {
    /// As given, district by district.
    Fixed(Vec<Seats>),
    /// The house apportioned among the districts by their list votes under `rules`, with
    /// each district as a "list" (Act No. 247/1995 Coll. § 48: Hare largest remainders on
    /// the regional valid votes, the quota rounded to a whole number).
    ByVotes {
        /// The seats of the whole house.
        house: Seats,
        /// The apportionment rules (boxed: they are much larger than a magnitude list).
        rules: Box<Rules>,
    },
}

/// The parts of [`DistrictRules`], before they are checked together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictRulesConfig {
    /// District magnitudes.
    pub magnitudes: Magnitudes,
    /// A list below this share of all national list votes gets no seat anywhere
    /// (Act No. 247/1995 Coll. § 49: 5 %).
    pub national_threshold: Option<Percent>,
    /// A list below this share of all list votes in a district gets no seat there.
    pub district_threshold: Option<Percent>,
    /// The method and tie rule applied in every district. Thresholds belong in the two
    /// fields above, so these rules must have none and no runner-up admission.
    pub rules: Rules,
}

/// Validated multi-district rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictRules {
    config: DistrictRulesConfig,
}

/// Why a multi-district election cannot be set up or allocated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DistrictError {
    /// No lists.
    #[error("a multi-district election needs at least one list")]
    NoLists,
    /// No districts.
    #[error("a multi-district election needs at least one district")]
    NoDistricts,
    /// An empty list identifier.
    #[error("list {0} has an empty id")]
    EmptyId(usize),
    /// Two lists share an identifier.
    #[error("list id {0:?} is used twice")]
    DuplicateList(String),
    /// An empty district name.
    #[error("district {0} has an empty name")]
    EmptyDistrictName(usize),
    /// Two districts share a name.
    #[error("district name {0:?} is used twice")]
    DuplicateDistrict(String),
    /// A district row without one count per list.
    #[error("district {district}: {found} vote counts for {expected} lists")]
    VoteCount {
        /// The district.
        district: String,
        /// Lists in the election.
        expected: usize,
        /// Counts in the row.
        found: usize,
    },
    /// Fixed magnitudes that do not match the districts.
    #[error("{found} magnitudes for {expected} districts")]
    MagnitudeCount {
        /// Districts in the election.
        expected: usize,
        /// Magnitudes given.
        found: usize,
    },
    /// Per-district rules that carry a threshold or admission of their own.
    #[error(
        "the district rules carry a threshold or runner-up admission: use national_threshold or district_threshold instead"
    )]
    RulesHaveThreshold,
    /// A quota the two-tier rule cannot use.
    #[error("the district quota must be rounded to whole votes, so that remainders are votes")]
    QuotaNotWhole,
    /// A house of zero seats.
    #[error("the house must have at least one seat")]
    NoSeats,
    /// No list passes the national threshold.
    #[error("no list with votes passes the national threshold")]
    NothingAdmitted,
    /// A quota that rounds to zero in a district.
    #[error("district {0}: the quota rounds to zero")]
    ZeroQuota(String),
    /// The engine refused one step (a district, the apportionment or a spread).
    #[error("{step}: {source}")]
    Allocation {
        /// The step: a district name, `magnitudes`, `national` or a list id.
        step: String,
        /// The engine's reason.
        source: AllocationError,
    },
}

impl Districts {
    /// An election from its parts, checked: at least one list and district, unique
    /// non-empty ids and names, and one vote count per list in every district.
    pub fn new(
        name: &str,
        lists: Vec<DistrictList>,
        districts: Vec<District>,
    ) -> Result<Districts, DistrictError> {
        if lists.is_empty() {
            return Err(DistrictError::NoLists);
        }
        if districts.is_empty() {
            return Err(DistrictError::NoDistricts);
        }
        // One pass: a check of each against all before it is quadratic in lists.
        let mut seen = std::collections::HashSet::with_capacity(lists.len());
        for (idx, list) in lists.iter().enumerate() {
            if list.id.as_str().is_empty() {
                return Err(DistrictError::EmptyId(idx + 1));
            }
            if !seen.insert(&list.id) {
                return Err(DistrictError::DuplicateList(list.id.to_string()));
            }
        }
        // One pass: a check of each against all before it is quadratic in districts.
        let mut seen_names = std::collections::HashSet::with_capacity(districts.len());
        for (idx, district) in districts.iter().enumerate() {
            if district.name.is_empty() {
                return Err(DistrictError::EmptyDistrictName(idx + 1));
            }
            if !seen_names.insert(&district.name) {
                return Err(DistrictError::DuplicateDistrict(district.name.clone()));
            }
            if district.votes.len() != lists.len() {
                return Err(DistrictError::VoteCount {
                    district: district.name.clone(),
                    expected: lists.len(),
                    found: district.votes.len(),
                });
            }
        }
        Ok(Districts { name: name.to_owned(), lists, districts })
    }

    /// The election's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The lists in registration order.
    pub fn lists(&self) -> &[DistrictList] {
        &self.lists
    }

    /// The districts in order.
    pub fn districts(&self) -> &[District] {
        &self.districts
    }

    /// National votes of the list at `list`.
    pub fn list_votes(&self, list: usize) -> Votes {
        self.districts.iter().map(|district| district.votes[list]).sum()
    }

    /// All list votes of the district at `district`.
    pub fn district_votes(&self, district: usize) -> Votes {
        self.districts[district].votes.iter().copied().sum()
    }

    /// All list votes in the election.
    pub fn total_votes(&self) -> Votes {
        (0..self.districts.len()).map(|district| self.district_votes(district)).sum()
    }

    /// The default lot seed: the SHA-256 of the election's canonical text (name, then
    /// each district's name and votes), so that nobody chooses it.
    pub fn content_seed(&self) -> LotSeed {
        let mut text = format!("saylau-districts-v1\n{}\n", self.name);
        for list in &self.lists {
            text.push_str(&format!("list\t{}\n", list.id));
        }
        for district in &self.districts {
            let votes: Vec<String> = district.votes.iter().map(Votes::to_string).collect();
            text.push_str(&format!("{}\t{}\n", district.name, votes.join("\t")));
        }
        LotSeed::from_content(text.as_bytes())
    }
}

impl DistrictRules {
    /// Checks that the per-district rules leave thresholds to this module.
    pub fn new(config: DistrictRulesConfig) -> Result<DistrictRules, DistrictError> {
        if config.rules.threshold().is_some() || config.rules.admit_at_least() > 0 {
            return Err(DistrictError::RulesHaveThreshold);
        }
        Ok(DistrictRules { config })
    }

    /// The checked parts.
    pub fn config(&self) -> &DistrictRulesConfig {
        &self.config
    }
}

/// Seats per district and per list, with the trace of every step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictAllocation {
    /// Seats of each district.
    pub magnitudes: Vec<Seats>,
    /// Seats of each list in each district: `seats[district][list]`.
    pub seats: Vec<Vec<Seats>>,
    /// Seats of each list, summed over the districts.
    pub totals: Vec<Seats>,
    /// National admission of each list.
    pub admission: Vec<Admission>,
    /// How the result was reached.
    pub trace: DistrictTrace,
}

/// The explanation of a multi-district allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictTrace {
    /// The apportionment of the house among the districts (districts as "lists"), when
    /// the magnitudes are computed.
    pub magnitudes: Option<Trace>,
    /// The national threshold test; the base is all national list votes.
    pub national_threshold: Option<ThresholdTrace>,
    /// One step per district.
    pub districts: Vec<DistrictStep>,
}

/// One district's allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictStep {
    /// The district (index in order).
    pub district: usize,
    /// The district threshold test; the base is all list votes in the district.
    pub threshold: Option<ThresholdTrace>,
    /// Nationally admitted lists that fail the district threshold.
    pub below_threshold: Vec<usize>,
    /// The lists of the district's contest (indices in registration order); the engine
    /// trace numbers them by position in this vector.
    pub lists: Vec<usize>,
    /// The engine's trace, absent when the district has no seats.
    pub trace: Option<Trace>,
}

/// Allocates every district's seats among the lists admitted nationally and in the
/// district, one engine run per district.
pub fn district_allocation(
    rules: &DistrictRules,
    districts: &Districts,
) -> Result<DistrictAllocation, DistrictError> {
    let config = rules.config();
    let (magnitudes, magnitude_trace) = district_magnitudes(&config.magnitudes, districts)?;
    let (admission, national_threshold) = national_admission(districts, config.national_threshold)?;
    let n_lists = districts.lists().len();
    let mut seats = vec![vec![Seats(0); n_lists]; districts.districts().len()];
    let mut steps = Vec::with_capacity(districts.districts().len());
    for (district_idx, magnitude) in magnitudes.iter().enumerate() {
        let (step, district_seats) =
            district_step(config, districts, district_idx, *magnitude, &admission)?;
        for (&list, &won) in step.lists.iter().zip(&district_seats) {
            seats[district_idx][list] = won;
        }
        steps.push(step);
    }
    let totals = list_totals(&seats, n_lists);
    let trace = DistrictTrace { magnitudes: magnitude_trace, national_threshold, districts: steps };
    Ok(DistrictAllocation { magnitudes, seats, totals, admission, trace })
}

/// One district: the district threshold, then the engine on the admitted lists.
fn district_step(
    config: &DistrictRulesConfig,
    districts: &Districts,
    district_idx: usize,
    magnitude: Seats,
    admission: &[Admission],
) -> Result<(DistrictStep, Vec<Seats>), DistrictError> {
    let district = &districts.districts()[district_idx];
    let base = districts.district_votes(district_idx);
    let threshold = config.district_threshold.map(|percent| threshold_trace(percent, base));
    let mut lists = Vec::new();
    let mut below_threshold = Vec::new();
    for list in (0..admission.len()).filter(|&list| admission[list].is_admitted()) {
        match config.district_threshold {
            Some(percent) if !percent.is_met(district.votes[list], base) => {
                below_threshold.push(list);
            }
            _ => lists.push(list),
        }
    }
    let mut step =
        DistrictStep { district: district_idx, threshold, below_threshold, lists, trace: None };
    if magnitude.0 == 0 {
        let none = vec![Seats(0); step.lists.len()];
        return Ok((step, none));
    }
    let error = |source| DistrictError::Allocation { step: district.name.clone(), source };
    if step.lists.is_empty() {
        return Err(error(AllocationError::NothingAdmitted));
    }
    let contest_lists = step
        .lists
        .iter()
        .map(|&list| engine_list(&districts.lists()[list], district.votes[list]))
        .collect();
    let name = format!("{}/{}", districts.name(), district.name);
    let contest = Contest::new(&name, magnitude, contest_lists, Ballots::default())
        .expect("seats, lists and unique ids were checked");
    let res = allocate(&config.rules, &contest).map_err(error)?;
    step.trace = Some(res.trace);
    Ok((step, res.seats))
}

/// A list of a district's contest: its votes there, and no threshold of its own (the
/// thresholds were applied before).
pub(crate) fn engine_list(list: &DistrictList, votes: Votes) -> List {
    List { id: list.id.clone(), name: list.name.clone(), votes, threshold: None }
}

/// The seats of each list, summed over the rows of `seats`.
pub(crate) fn list_totals(seats: &[Vec<Seats>], n_lists: usize) -> Vec<Seats> {
    (0..n_lists).map(|list| seats.iter().map(|row| row[list]).sum()).collect()
}

/// A threshold test on all list votes (`base`).
pub(crate) fn threshold_trace(percent: Percent, base: Votes) -> ThresholdTrace {
    let min_votes =
        Fraction::new(percent.value().num() * u128::from(base.0), percent.value().den() * 100);
    ThresholdTrace { base: ThresholdBase::Lists, base_votes: base, percent, min_votes }
}

/// The national threshold test (Act No. 247/1995 Coll. § 49): a list's own threshold
/// replaces the general one; a list without votes is never admitted.
pub(crate) fn national_admission(
    districts: &Districts,
    threshold: Option<Percent>,
) -> Result<(Vec<Admission>, Option<ThresholdTrace>), DistrictError> {
    let base = districts.total_votes();
    let admission: Vec<Admission> = (0..districts.lists().len())
        .map(|list| {
            let votes = districts.list_votes(list);
            match districts.lists()[list].threshold.or(threshold) {
                _ if votes.0 == 0 => Admission::NoVotes,
                Some(percent) if !percent.is_met(votes, base) => Admission::BelowThreshold,
                _ => Admission::Passed,
            }
        })
        .collect();
    if !admission.iter().any(|status| status.is_admitted()) {
        return Err(DistrictError::NothingAdmitted);
    }
    Ok((admission, threshold.map(|percent| threshold_trace(percent, base))))
}

/// District magnitudes, with the apportionment trace when they are computed.
pub(crate) fn district_magnitudes(
    magnitudes: &Magnitudes,
    districts: &Districts,
) -> Result<(Vec<Seats>, Option<Trace>), DistrictError> {
    match magnitudes {
        Magnitudes::Fixed(seats) if seats.len() != districts.districts().len() => {
            Err(DistrictError::MagnitudeCount {
                expected: districts.districts().len(),
                found: seats.len(),
            })
        }
        Magnitudes::Fixed(seats) => Ok((seats.clone(), None)),
        Magnitudes::ByVotes { house, rules } => {
            let lists = (0..districts.districts().len())
                .map(|idx| {
                    let name = &districts.districts()[idx].name;
                    List {
                        id: ListId::new(name),
                        name: name.clone(),
                        votes: districts.district_votes(idx),
                        threshold: None,
                    }
                })
                .collect();
            let res = districts_as_lists(districts, "magnitudes", *house, lists, rules)?;
            Ok((res.seats, Some(res.trace)))
        }
    }
}

/// One engine run whose "lists" are the districts (unique, non-empty names).
pub(crate) fn districts_as_lists(
    districts: &Districts,
    step: &str,
    seats: Seats,
    lists: Vec<List>,
    rules: &Rules,
) -> Result<Allocation, DistrictError> {
    let name = format!("{}/{step}", districts.name());
    let error = |source| DistrictError::Allocation { step: step.to_owned(), source };
    if seats.0 == 0 {
        return Err(DistrictError::NoSeats);
    }
    let contest = Contest::new(&name, seats, lists, Ballots::default())
        .expect("at least one district with a unique, non-empty name");
    allocate(rules, &contest).map_err(error)
}

/// Test data: lists a, b, c, ... and districts d1, d2, ... with the vote rows given
/// (one row per district, one column per list).
#[cfg(test)]
pub(crate) fn test_districts(rows: &[&[u64]]) -> Districts {
    let lists = (0..rows[0].len())
        .zip('a'..)
        .map(|(_, id)| DistrictList {
            id: ListId::new(&id.to_string()),
            name: id.to_string(),
            threshold: None,
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::divisor::Divisor;
    use crate::method::{Method, RulesConfig, test_rules as rules};
    use crate::tie::TieRule;

    /// Lists a, b, c, ... and districts d1, d2, ... with the vote rows given.
    fn election(rows: &[&[u64]]) -> Districts {
        test_districts(rows)
    }

    /// D'Hondt in districts of the given magnitudes under the thresholds; checks the
    /// seats per district.
    fn check(
        rows: &[&[u64]],
        magnitudes: &[u32],
        national: Option<&str>,
        district: Option<&str>,
        expect: &[&[u32]],
    ) {
        let percent = |text: &str| Percent::parse(text).expect("a valid percentage");
        let rules = DistrictRules::new(DistrictRulesConfig {
            magnitudes: Magnitudes::Fixed(magnitudes.iter().copied().map(Seats).collect()),
            national_threshold: national.map(percent),
            district_threshold: district.map(percent),
            rules: rules(Method::Divisor { divisor: Divisor::DHondt }),
        })
        .expect("valid district rules");
        let res = district_allocation(&rules, &election(rows)).expect("an allocation");
        let seats: Vec<Vec<u32>> =
            res.seats.iter().map(|row| row.iter().map(|seats| seats.0).collect()).collect();
        assert_eq!(seats, expect);
    }

    #[test]
    fn national_and_district_thresholds() {
        let rows: &[&[u64]] = &[&[600, 300, 100], &[100, 100, 800]];
        // No threshold: each district on its own.
        check(rows, &[4, 4], None, None, &[&[3, 1, 0], &[0, 0, 4]]);
        // c has 900 of 2000 nationally; b has 400 (20 %) and fails 25 %.
        check(rows, &[4, 4], Some("25%"), None, &[&[4, 0, 0], &[0, 0, 4]]);
        // A district threshold of 15 % drops a in d2 but keeps b in d1 (30 %).
        check(rows, &[4, 4], None, Some("15%"), &[&[3, 1, 0], &[0, 0, 4]]);
        check(rows, &[4, 0], None, Some("35%"), &[&[4, 0, 0], &[0, 0, 0]]);
    }

    #[test]
    fn rejects_bad_shapes_and_rule_thresholds() {
        let list =
            |id: &str| DistrictList { id: ListId::new(id), name: id.into(), threshold: None };
        let district = |name: &str, votes: &[u64]| District {
            name: name.into(),
            votes: votes.iter().copied().map(Votes).collect(),
        };
        let err = Districts::new("x", vec![list("a")], vec![district("d", &[1, 2])]);
        assert_eq!(
            err.map_err(|err| err.to_string()),
            Err("district d: 2 vote counts for 1 lists".to_owned())
        );
        let err = Districts::new("x", vec![list("a")], vec![district("d", &[1]); 2]);
        assert_eq!(err, Err(DistrictError::DuplicateDistrict("d".into())));
        let threshold = crate::threshold::Threshold {
            percent: Percent::parse("5%").expect("a valid percentage"),
            base: ThresholdBase::Lists,
        };
        let with_threshold = Rules::new(RulesConfig {
            threshold: Some(threshold),
            ..RulesConfig {
                method: Method::Divisor { divisor: Divisor::DHondt },
                threshold: None,
                admit_at_least: 0,
                runner_up: None,
                ties: TieRule::lot(),
                lot_seed: None,
            }
        })
        .expect("valid rules");
        let config = DistrictRulesConfig {
            magnitudes: Magnitudes::Fixed(vec![Seats(1)]),
            national_threshold: None,
            district_threshold: None,
            rules: with_threshold,
        };
        assert_eq!(DistrictRules::new(config), Err(DistrictError::RulesHaveThreshold));
    }
}
