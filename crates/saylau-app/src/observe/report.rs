//! `saylau observe report`: everything an observer group publishes after election night,
//! as one view model (`docs/observation.md`, "Report").
//!
//! The numbers are those of the other commands, not recomputed: the reconciliation is
//! [`reconcile`] itself, the quick count is
//! [`estimate`] on the files the user names, and the
//! published aggregate of 2021 is [`published`]. What
//! this module adds are the per-station turnout pairs of the stations with both sides and
//! the findings by region (added ballots, refusals, missing copies) that the report's
//! charts and tables draw; the incidents are those of `saylau incidents summary`.

use std::collections::BTreeMap;

use saylau_core::count::commission::{CommissionId, RegionCode};
use saylau_store::id::ElectionId;
use saylau_store::store::Store;
use saylau_store::tabulation;
use serde::Serialize;

use crate::incidents::{IncidentSummary, summary};
use crate::observe::ObserveError;
use crate::pvt::estimate::{EstimateInputs, EstimateView, estimate};
use crate::pvt::published::{PublishedView, published};
use crate::reconcile::{ReconcileView, StationRow, reconcile};

/// The observer report's data: what `--json` prints and the HTML draws.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    /// The election.
    pub election: String,
    /// The reconciliation, exactly as `saylau reconcile --json` prints it.
    pub reconcile: ReconcileView,
    /// Official against observed turnout at each station with both sides (the first
    /// organisation's copy, as in the totals).
    pub turnout: Vec<TurnoutPoint>,
    /// The findings of each region, in region order.
    pub regions: Vec<RegionFindings>,
    /// The quick count, exactly as `saylau pvt estimate --json` prints it, when its files
    /// were given.
    pub estimate: Option<EstimateView>,
    /// The observers' published aggregate of 2021 with its seats at 7 % and 5 %, as
    /// `saylau pvt published --json` prints it.
    pub published: PublishedView,
    /// The incident reports by type, region and hour, as `saylau incidents summary
    /// --json` prints them.
    pub incidents: IncidentSummary,
}

/// One station's turnout on both sides.
#[derive(Debug, Clone, Serialize)]
pub struct TurnoutPoint {
    /// The station.
    pub station: String,
    /// Its region.
    pub region: String,
    /// `match` or `mismatch`.
    pub status: &'static str,
    /// The official turnout, percent.
    pub official: String,
    /// The copy's turnout, percent.
    pub copy: String,
}

/// A region's reconciliation findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RegionFindings {
    /// The region's code, two digits.
    pub region: String,
    /// Its name, when the store has one.
    pub name: String,
    /// Rows with an observer (copies and statuses).
    pub observed: usize,
    /// Copies equal to the official protocol.
    pub matched: usize,
    /// Copies that differ.
    pub mismatched: usize,
    /// Ballots found in the boxes officially in excess of the copies (line 6, official −
    /// copy, summed over the mismatches).
    pub added_ballots: i128,
    /// Copies refused.
    pub refused: usize,
    /// Observers not admitted.
    pub not_admitted: usize,
    /// Observers removed.
    pub removed: usize,
    /// Stations with an official protocol and no copy.
    pub missing_copy: usize,
    /// Copies without an official protocol.
    pub missing_official: usize,
}

/// Builds the report of `election`, with the quick count `estimate` made by
/// [`quick_count`] (or none).
pub async fn report(
    store: &Store,
    election: &ElectionId,
    estimate: Option<EstimateView>,
) -> Result<ReportView, ReportError> {
    let reconciled = reconcile(store, election).await?;
    let names = region_names(store, election).await?;
    let incidents = summary(store, election).await?;
    let published = published().map_err(ReportError::QuickCount)?;
    Ok(ReportView {
        election: election.to_string(),
        turnout: turnout_points(&reconciled.stations),
        regions: regions(&reconciled.stations, &names),
        reconcile: reconciled,
        estimate,
        published,
        incidents,
    })
}

/// The quick count of a report from its files, as `saylau pvt estimate` makes it.
pub fn quick_count(inputs: &EstimateInputs<'_>) -> Result<EstimateView, ReportError> {
    estimate(inputs).map_err(ReportError::QuickCount)
}

/// A report that could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The reconciliation failed.
    #[error("{0}")]
    Reconcile(#[from] ObserveError),
    /// The quick count's files (or the bundled aggregate) were refused.
    #[error("{0}")]
    QuickCount(saylau_formats::Diagnostics),
}

impl From<tabulation::TabulationError> for ReportError {
    fn from(err: tabulation::TabulationError) -> ReportError {
        ReportError::Reconcile(err.into())
    }
}

/// Region code to name, from the store's hierarchy.
async fn region_names(
    store: &Store,
    election: &ElectionId,
) -> Result<BTreeMap<String, String>, ReportError> {
    let current = tabulation::current_protocols(store, election).await?;
    Ok((1..=17u8)
        .filter_map(|code| {
            let region = RegionCode::new(code)?;
            let name = current.hierarchy.name(CommissionId::Region(region))?;
            Some((format!("{code:02}"), name))
        })
        .collect())
}

/// The turnout pairs of the stations in the totals: the first organisation's row of each
/// station with both sides.
pub fn turnout_points(stations: &[StationRow]) -> Vec<TurnoutPoint> {
    let mut seen = std::collections::BTreeSet::new();
    stations
        .iter()
        .filter(|row| matches!(row.status, "match" | "mismatch"))
        .filter(|row| seen.insert(row.station.as_str()))
        .filter_map(|row| {
            Some(TurnoutPoint {
                station: row.station.clone(),
                region: row.region.clone(),
                status: row.status,
                official: row.official_turnout.clone()?,
                copy: row.copy_turnout.clone()?,
            })
        })
        .collect()
}

/// The findings of every region that has a row, named from `names`.
pub fn regions(stations: &[StationRow], names: &BTreeMap<String, String>) -> Vec<RegionFindings> {
    let mut by_region: BTreeMap<&str, RegionFindings> = BTreeMap::new();
    for row in stations {
        let region = by_region.entry(row.region.as_str()).or_insert_with(|| RegionFindings {
            region: row.region.clone(),
            name: names.get(&row.region).cloned().unwrap_or_default(),
            ..RegionFindings::default()
        });
        if row.observer.is_some() {
            region.observed += 1;
        }
        match row.status {
            "match" => region.matched += 1,
            "mismatch" => {
                region.mismatched += 1;
                region.added_ballots += row
                    .lines
                    .iter()
                    .filter(|line| line.line == "found_in_boxes")
                    .map(|line| line.difference)
                    .sum::<i128>();
            }
            "refused" => region.refused += 1,
            "not-admitted" => region.not_admitted += 1,
            "removed" => region.removed += 1,
            "missing-official" => region.missing_official += 1,
            _ => region.missing_copy += 1,
        }
    }
    by_region.into_values().collect()
}
