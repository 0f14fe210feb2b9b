//! Loading election files for commands, and printing their results as text or JSON.
//!
//! Every command goes through [`allocate_file`], so rejection (exit code 1) and the JSON
//! shape are the same everywhere.

use std::fmt;
use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;
use saylau_core::seats::divisor::Divisor;
use saylau_core::seats::index::{Indices, indices};
use saylau_core::seats::method::Method;
use saylau_core::seats::quota::{Quota, QuotaKind, QuotaRounding};
use saylau_core::seats::report::{AllocationReport, allocation_report};
use saylau_core::seats::tie::{TieCriterion, TieRule};
use saylau_core::seats::votes::{Seats, Votes};
use saylau_core::systems::apportionment::Apportionment;
use saylau_core::systems::system::{System, SystemAllocation, SystemDetail, system_allocation};
use saylau_formats::{Diagnostics, ElectionFile, Override, SystemName, VoteModel, read_election};
use serde::Serialize;

use crate::summary::{DistrictRow, ListRow, Summary, summary};

/// Input that saylau refused, with every reason; the CLI exits with code 1.
#[derive(Debug)]
pub(crate) struct Rejected(pub(crate) Diagnostics);

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for Rejected {}

/// An allocated election with everything the views need.
pub(crate) struct Allocated {
    /// The list system's full report; `None` for the other systems.
    pub(crate) report: Option<AllocationReport>,
    /// The result under the file's system, with its trace.
    pub(crate) result: SystemAllocation,
    /// Seats per list and per district.
    pub(crate) summary: Summary,
    /// Proportionality indices of the result.
    pub(crate) indices: Indices,
    /// Recorded seats per list, when the file gives them: official results, or else a
    /// published counterfactual.
    pub(crate) official: Vec<Option<Seats>>,
    /// What the recorded seats are: `official` or `published`.
    pub(crate) official_label: &'static str,
    /// The file as read.
    pub(crate) file: ElectionFile,
    /// True when `--set` changed the file, so its published seats no longer apply.
    pub(crate) overridden: bool,
}

/// The JSON of `saylau allocate --json`: the list system keeps its report's shape; the
/// others give the same `lists[]` rows, `districts[]` where there are districts, and
/// their own trace.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum AllocatedJson<'a> {
    /// A nationwide list contest.
    List(ListJson<'a>),
    /// Any other system.
    System(SystemJson<'a>),
}

/// The JSON of a list contest.
#[derive(Serialize)]
pub(crate) struct ListJson<'a> {
    system: SystemName,
    #[serde(flatten)]
    report: &'a AllocationReport,
    indices: &'a Indices,
    official_seats: &'a [Option<Seats>],
    scenario: Option<&'a saylau_formats::Scenario>,
}

/// The JSON of the mixed, district and biproportional systems.
#[derive(Serialize)]
pub(crate) struct SystemJson<'a> {
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
    scenario: Option<&'a saylau_formats::Scenario>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a VoteModel>,
}

impl Allocated {
    /// The JSON value of the report, indices and provenance.
    pub(crate) fn json(&self) -> AllocatedJson<'_> {
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
    pub(crate) fn scenario_warning(&self) -> Option<String> {
        let scenario = self.file.meta.scenario.as_ref()?;
        let kind =
            if scenario.modelled { "MODELLED SCENARIO, not official figures" } else { "Scenario" };
        Some(format!("{kind}: {}", scenario.note))
    }

    /// The election's name.
    pub(crate) fn name(&self) -> &str {
        &self.file.meta.name
    }

    /// The seats filled in all.
    pub(crate) fn seats(&self) -> Seats {
        self.result.seats.iter().copied().sum()
    }

    /// The valid votes: list votes plus "against all".
    pub(crate) fn valid_votes(&self) -> Votes {
        self.file.system.valid_votes()
    }
}

/// Reads `path` with the `--set` overrides and allocates its seats.
pub(crate) fn allocate_file(path: &Path, sets: &[String]) -> anyhow::Result<Allocated> {
    let overrides = parse_overrides(sets)?;
    let file = read_election(path, &overrides).map_err(Rejected)?;
    allocate_election(file, !overrides.is_empty())
        .with_context(|| format!("allocating {}", path.display()))
}

/// Parses `--set` texts, rejecting all bad ones together.
pub(crate) fn parse_overrides(sets: &[String]) -> anyhow::Result<Vec<Override>> {
    let mut overrides = Vec::with_capacity(sets.len());
    let mut problems = Vec::new();
    for text in sets {
        match Override::parse(text) {
            Ok(parsed) => overrides.push(parsed),
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    if !problems.is_empty() {
        return Err(Rejected(Diagnostics(problems)).into());
    }
    Ok(overrides)
}

/// Allocates an election already read.
pub(crate) fn allocate_election(file: ElectionFile, overridden: bool) -> anyhow::Result<Allocated> {
    let result = system_allocation(&file.system)?;
    let report = match (&file.system, &result.detail) {
        (System::List { contest, rules }, SystemDetail::List(allocation)) => {
            Some(allocation_report(contest, rules, allocation))
        }
        _ => None,
    };
    let summary = summary(&file, &result, report.as_ref());
    let votes: Vec<Votes> = summary.lists.iter().map(|list| list.votes).collect();
    let indices = indices(&votes, &result.seats, file.system.against_all());
    let (official, official_label) = if file.meta.official_seats.iter().any(Option::is_some) {
        (file.meta.official_seats.clone(), "official")
    } else {
        (file.meta.expected_seats.clone(), "published")
    };
    Ok(Allocated { report, result, summary, indices, official, official_label, file, overridden })
}

/// Prints pretty JSON and a newline to stdout.
pub(crate) fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, value).context("writing JSON")?;
    writeln!(stdout).context("writing JSON")?;
    Ok(())
}

/// Prints text to stdout.
pub(crate) fn print_text(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).context("writing to stdout")?;
    stdout.flush().context("writing to stdout")?;
    Ok(())
}

/// A method's name for people.
pub(crate) fn method_name(method: Method) -> String {
    match method {
        Method::LargestRemainder { quota } => {
            format!("largest remainder ({} quota)", quota_name(quota))
        }
        Method::Divisor { divisor } => match divisor {
            Divisor::DHondt => "D'Hondt".to_owned(),
            Divisor::SainteLague => "Sainte-Laguë".to_owned(),
            Divisor::ModifiedSainteLague { first } => {
                format!("modified Sainte-Laguë (first divisor {})", first.to_decimal(2))
            }
            Divisor::HuntingtonHill => "Huntington-Hill".to_owned(),
            Divisor::Adams => "Adams".to_owned(),
            Divisor::Dean => "Dean".to_owned(),
            Divisor::Danish => "Danish".to_owned(),
            Divisor::Imperiali => "Imperiali divisors".to_owned(),
        },
    }
}

/// A quota's name for people.
pub(crate) fn quota_name(quota: Quota) -> String {
    let kind = match quota.kind {
        QuotaKind::Hare => "Hare",
        QuotaKind::Droop => "Droop",
        QuotaKind::HagenbachBischoff => "Hagenbach-Bischoff",
        QuotaKind::Imperiali => "Imperiali",
    };
    if quota == Quota::usual(quota.kind) {
        return kind.to_owned();
    }
    let rounding = match quota.rounding {
        QuotaRounding::Exact => "exact",
        QuotaRounding::Floor => "rounded down",
        QuotaRounding::Round => "rounded",
        QuotaRounding::Ceil => "rounded up",
        QuotaRounding::FloorPlusOne => "rounded down plus one",
    };
    format!("{kind}, {rounding}")
}

/// A tie rule's name for people.
pub(crate) fn tie_rule_name(rule: &TieRule) -> String {
    let names: Vec<&str> = rule
        .criteria()
        .iter()
        .map(|criterion| match criterion {
            TieCriterion::Registration => "earlier registration",
            TieCriterion::Votes => "more votes",
            TieCriterion::Lot => "lot",
        })
        .collect();
    names.join(", then ")
}

/// The indices as text lines.
pub(crate) fn indices_text(indices: &Indices) -> String {
    let show = |value: Option<String>| value.unwrap_or_else(|| "undefined".to_owned());
    let decimal = |measure: &Option<saylau_core::seats::index::Measure>| {
        show(measure.as_ref().map(|it| it.decimal.clone()))
    };
    format!(
        "\nProportionality: Gallagher {} · Loosemore-Hanby {} · Sainte-Laguë index {} · D'Hondt index {}\n\
         Effective number of parties: {} by votes, {} by seats · wasted votes {} ({}%)\n",
        show(indices.gallagher.as_ref().map(|it| it.decimal.clone())),
        decimal(&indices.loosemore_hanby),
        decimal(&indices.sainte_lague),
        decimal(&indices.dhondt),
        decimal(&indices.effective_parties_votes),
        decimal(&indices.effective_parties_seats),
        crate::table::grouped(indices.wasted_votes.0),
        decimal(&indices.wasted_percent),
    )
}
