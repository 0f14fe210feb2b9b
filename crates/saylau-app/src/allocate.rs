//! Allocating an election file: read it with `--set` overrides, allocate its seats under
//! its system with the full trace, and give the rows every view needs (`saylau allocate`,
//! `docs/election-format.md`).
//!
//! [`Allocated`] holds the result with its proportionality indices and the recorded seats
//! of the file (official results, or else a published counterfactual); [`Allocated::json`]
//! is the JSON of `saylau allocate --json`, whose list system keeps the core report's
//! shape. [`summary`] gives each list's and each district's row, and [`names`] the names
//! of methods, quotas and tie rules for people.

pub mod names;
pub mod summary;

use std::path::Path;

pub use saylau_core::seats::index::Indices;
use saylau_core::seats::index::indices;
pub use saylau_core::seats::report::AllocationReport;
use saylau_core::seats::report::allocation_report;
pub use saylau_core::seats::votes::{Seats, Votes};
pub use saylau_core::systems::apportionment::Apportionment;
use saylau_core::systems::system::system_allocation;
pub use saylau_core::systems::system::{System, SystemAllocation, SystemDetail, SystemError};
use saylau_formats::{Diagnostics, parse_election, read_election};
pub use saylau_formats::{ElectionFile, Override, Scenario, SystemName, VoteModel};
use serde::Serialize;

use crate::Rejection;
use summary::{DistrictRow, ListRow, Summary};

// The domain types of the allocation views, for front ends that render them.
pub use saylau_core::seats::index::Measure;
pub use saylau_core::seats::method::Method;
pub use saylau_core::seats::quota::{Quota, QuotaKind, QuotaRounding};
pub use saylau_core::seats::rational::Rational;
pub use saylau_core::seats::threshold::{Percent, ThresholdBase};
pub use saylau_core::seats::tie::TieStage;
pub use saylau_core::seats::trace::{Admission, ThresholdTrace};
pub use saylau_core::seats::votes::ListId;
pub use saylau_core::systems::apportionment::HouseSize;
pub use saylau_core::systems::biproportional::{Biproportional, VoterNumbers};
pub use saylau_core::systems::district::tier::TierAllocation;
pub use saylau_core::systems::mixed::{
    MixedAllocation, MixedContest, MixedRules, MixedSystem, Overhang,
};
pub use saylau_core::systems::system::{DistrictMethod, MagnitudeRule};

/// An election file that cannot be allocated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AllocateError {
    /// The file or an override was rejected; the diagnostics say why.
    #[error("{0}")]
    Rejected(Diagnostics),
    /// The system could not allocate the seats of the file.
    #[error("{context}")]
    System {
        /// What was being allocated: `allocating FILE`, `variant SETS`.
        context: String,
        /// Why.
        source: SystemError,
    },
    /// The system could not allocate the seats of the file.
    #[error(transparent)]
    Unnamed(SystemError),
}

impl Rejection for AllocateError {
    fn into_rejected(self) -> Result<Diagnostics, Self> {
        match self {
            AllocateError::Rejected(diagnostics) => Ok(diagnostics),
            other => Err(other),
        }
    }
}

/// An allocated election with everything the views need.
#[derive(Debug, Clone)]
pub struct Allocated {
    /// The list system's full report; `None` for the other systems.
    pub report: Option<AllocationReport>,
    /// The result under the file's system, with its trace.
    pub result: SystemAllocation,
    /// Seats per list and per district.
    pub summary: Summary,
    /// Proportionality indices of the result.
    pub indices: Indices,
    /// Recorded seats per list, when the file gives them: official results, or else a
    /// published counterfactual.
    pub official: Vec<Option<Seats>>,
    /// What the recorded seats are: `official` or `published`.
    pub official_label: &'static str,
    /// The file as read.
    pub file: ElectionFile,
    /// True when `--set` changed the file, so its published seats no longer apply.
    pub overridden: bool,
}

/// The JSON of `saylau allocate --json`: the list system keeps its report's shape; the
/// others give the same `lists[]` rows, `districts[]` where there are districts, and
/// their own trace.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum AllocatedJson<'a> {
    /// A nationwide list contest.
    List(ListJson<'a>),
    /// Any other system.
    System(SystemJson<'a>),
}

/// The JSON of a list contest.
#[derive(Debug, Serialize)]
pub struct ListJson<'a> {
    system: SystemName,
    #[serde(flatten)]
    report: &'a AllocationReport,
    indices: &'a Indices,
    official_seats: &'a [Option<Seats>],
    scenario: Option<&'a Scenario>,
}

/// The JSON of the mixed, district and biproportional systems.
#[derive(Debug, Serialize)]
pub struct SystemJson<'a> {
    election: &'a str,
    system: SystemName,
    /// Seats filled in all.
    seats: Seats,
    lists: &'a [ListRow],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    districts: &'a [DistrictRow],
    /// The apportionment of the house among the districts, when computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    magnitudes: Option<&'a Apportionment>,
    /// The system's own result and trace.
    trace: &'a SystemDetail,
    indices: &'a Indices,
    official_seats: &'a [Option<Seats>],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    official_district_seats: &'a [Option<Vec<Seats>>],
    scenario: Option<&'a Scenario>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a VoteModel>,
}

impl Allocated {
    /// The JSON value of the report, indices and provenance.
    pub fn json(&self) -> AllocatedJson<'_> {
        let meta = &self.file.meta;
        match &self.report {
            Some(report) => AllocatedJson::List(ListJson {
                system: meta.system,
                report,
                indices: &self.indices,
                official_seats: &self.official,
                scenario: meta.scenario.as_ref(),
            }),
            None => {
                let by_district = &meta.official_district_seats;
                AllocatedJson::System(SystemJson {
                    election: &meta.name,
                    system: meta.system,
                    seats: self.seats(),
                    lists: &self.summary.lists,
                    districts: &self.summary.districts,
                    magnitudes: self
                        .result
                        .districts
                        .as_ref()
                        .and_then(|it| it.apportionment.as_ref()),
                    trace: &self.result.detail,
                    indices: &self.indices,
                    official_seats: &self.official,
                    official_district_seats: if by_district.iter().any(Option::is_some) {
                        by_district
                    } else {
                        &[]
                    },
                    scenario: meta.scenario.as_ref(),
                    model: meta.model.as_ref(),
                })
            }
        }
    }

    /// A warning line for modelled scenarios, which must never pass for official numbers.
    pub fn scenario_warning(&self) -> Option<String> {
        let scenario = self.file.meta.scenario.as_ref()?;
        let kind =
            if scenario.modelled { "MODELLED SCENARIO, not official figures" } else { "Scenario" };
        Some(format!("{kind}: {}", scenario.note))
    }

    /// The election's name.
    pub fn name(&self) -> &str {
        &self.file.meta.name
    }

    /// The seats filled in all.
    pub fn seats(&self) -> Seats {
        self.result.seats.iter().copied().sum()
    }

    /// The valid votes: list votes plus "against all".
    pub fn valid_votes(&self) -> Votes {
        self.file.system.valid_votes()
    }
}

/// Reads `path` with the `--set` overrides and allocates its seats.
pub fn allocate_file(path: &Path, sets: &[String]) -> Result<Allocated, AllocateError> {
    let overrides = parse_overrides(sets).map_err(AllocateError::Rejected)?;
    let file = read_election(path, &overrides).map_err(AllocateError::Rejected)?;
    allocate_election(file, !overrides.is_empty()).map_err(|source| AllocateError::System {
        context: format!("allocating {}", path.display()),
        source,
    })
}

/// Parses the election file `text` (named `source` in diagnostics) with `overrides`.
pub fn parse_file(
    source: &str,
    text: &str,
    overrides: &[Override],
) -> Result<ElectionFile, AllocateError> {
    parse_election(source, text, overrides).map_err(AllocateError::Rejected)
}

/// Parses `--set` texts, rejecting all bad ones together.
pub fn parse_overrides(sets: &[String]) -> Result<Vec<Override>, Diagnostics> {
    let mut overrides = Vec::with_capacity(sets.len());
    let mut problems = Vec::new();
    for text in sets {
        match Override::parse(text) {
            Ok(parsed) => overrides.push(parsed),
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    Ok(overrides)
}

/// Allocates an election already read; `overridden` when `--set` changed it.
pub fn allocate_election(file: ElectionFile, overridden: bool) -> Result<Allocated, SystemError> {
    let result = system_allocation(&file.system)?;
    let report = match (&file.system, &result.detail) {
        (System::List { contest, rules }, SystemDetail::List(allocation)) => {
            Some(allocation_report(contest, rules, allocation))
        }
        _ => None,
    };
    let summary = summary::summary(&file, &result, report.as_ref());
    let votes: Vec<Votes> = summary.lists.iter().map(|list| list.votes).collect();
    let indices = indices(&votes, &result.seats, file.system.against_all());
    let (official, official_label) = if file.meta.official_seats.iter().any(Option::is_some) {
        (file.meta.official_seats.clone(), "official")
    } else {
        (file.meta.expected_seats.clone(), "published")
    };
    Ok(Allocated { report, result, summary, indices, official, official_label, file, overridden })
}
