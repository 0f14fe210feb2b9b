//! The summary of incidents an observer group publishes, as the seed's does ("294
//! violations at 181 stations"): violations, stations, the share of observed stations,
//! and counts by type, region, hour, state and organisation, beside the seed's published
//! aggregate.
//!
//! [`IncidentSummary`] is the view model of `saylau incidents summary --json`, and the one
//! the observer report (`saylau observe report`) and the portal show: build it with
//! [`summary`] from a store, or with [`IncidentSummary::of`] from reports already read.

use std::collections::{BTreeMap, BTreeSet};

use saylau_core::count::incident::{
    INCIDENT_STATES, INCIDENT_TYPES, IncidentState, IncidentType, Labels,
};
use saylau_store::id::ElectionId;
use saylau_store::observe::{self, COPY_KIND, STATUS_KIND, current_entries};
use saylau_store::store::Store;
use serde::{Deserialize, Serialize};

use super::{IncidentView, incidents};
use crate::observe::ObserveError;

/// The summary of an election's incident reports. Every count is of reports (each one
/// violation) or of distinct polling stations; shares are percent as decimal strings
/// with one decimal, rounded half up from the exact fraction.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentSummary {
    /// The election.
    pub election: String,
    /// Reports (violations) recorded.
    pub violations: usize,
    /// Distinct stations with at least one report.
    pub stations: usize,
    /// Distinct stations that any observer organisation observed: with a copy, a status
    /// (including refused, not admitted, removed) or a report.
    pub observed_stations: usize,
    /// `stations` over `observed_stations`, percent ("0.0" when none was observed).
    pub share_of_observed: String,
    /// Stations registered in the election.
    pub registered_stations: usize,
    /// Reports at the end of polling day: from 20:00 on (the count), by the time written.
    pub end_of_day: usize,
    /// Evidence files named by the reports.
    pub evidence_files: usize,
    /// Every type of the taxonomy, in its order, with its counts (zero included).
    pub by_type: Vec<TypeCount>,
    /// Regions with reports, by region code.
    pub by_region: Vec<RegionCount>,
    /// Hours 0 to 23 of the time written in the reports.
    pub by_hour: Vec<HourCount>,
    /// Every workflow state, in order, with the reports in it now.
    pub by_state: Vec<StateCount>,
    /// Organisations with reports, by id.
    pub by_observer: Vec<ObserverCount>,
    /// The seed's published aggregate, labelled as such, to set beside these figures.
    pub published: PublishedIncidents,
}

/// Reports of one type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeCount {
    /// The type's code.
    #[serde(rename = "type")]
    pub kind: IncidentType,
    /// Its labels (kk, ru, en).
    pub labels: Labels,
    /// Reports.
    pub violations: usize,
    /// Distinct stations.
    pub stations: usize,
}

/// Reports in one region.
#[derive(Debug, Clone, Serialize)]
pub struct RegionCount {
    /// The region code (`RR`, the first part of the station id).
    pub region: String,
    /// Reports.
    pub violations: usize,
    /// Distinct stations.
    pub stations: usize,
}

/// Reports in one hour.
#[derive(Debug, Clone, Serialize)]
pub struct HourCount {
    /// The hour, 0 to 23.
    pub hour: u8,
    /// Reports.
    pub violations: usize,
}

/// Reports in one state.
#[derive(Debug, Clone, Serialize)]
pub struct StateCount {
    /// The state's code.
    pub state: IncidentState,
    /// Its labels.
    pub labels: Labels,
    /// Reports in it now.
    pub violations: usize,
}

/// Reports of one organisation.
#[derive(Debug, Clone, Serialize)]
pub struct ObserverCount {
    /// The organisation.
    pub observer: String,
    /// Reports.
    pub violations: usize,
    /// Distinct stations.
    pub stations: usize,
}

/// A published aggregate of violations (`data/reference/observers/
/// kz-mazhilis-2021-incidents.toml`): totals as printed, with their source.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedIncidents {
    /// Always `published aggregate`: not station data, not a sample.
    pub kind: String,
    /// Its title.
    pub name: String,
    /// The election it is about.
    pub election: String,
    /// The organisation that logged the violations.
    pub organisation: String,
    /// Violations logged.
    pub violations: u64,
    /// Stations where they were logged.
    pub stations: u64,
    /// Violations at the end of polling day.
    pub end_of_day: u64,
    /// Stations where a protocol copy was refused.
    pub copies_refused: u64,
    /// The citation.
    #[serde(default)]
    pub source: String,
    #[serde(default, skip_serializing)]
    format: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishedFile {
    aggregate: PublishedIncidents,
    source: PublishedSource,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishedSource {
    citation: String,
    document: String,
    #[expect(dead_code, reason = "kept in the file for people; the citation names it")]
    urls: Vec<String>,
}

const PUBLISHED: &str =
    include_str!("../../../../data/reference/observers/kz-mazhilis-2021-incidents.toml");

/// The seed's published aggregate of violations (bundled).
pub fn published() -> PublishedIncidents {
    let file: PublishedFile = toml::from_str(PUBLISHED).expect("the bundled aggregate is valid");
    let mut aggregate = file.aggregate;
    assert_eq!(aggregate.format, 1, "the bundled aggregate is format 1");
    aggregate.source = format!("{} ({})", file.source.citation, file.source.document);
    aggregate
}

/// `numerator / denominator` in percent with one decimal, rounded half up.
fn percent(numerator: usize, denominator: usize) -> String {
    if denominator == 0 {
        return "0.0".to_owned();
    }
    let (num, den) = (numerator as u128 * 1000, denominator as u128);
    let tenths = (num * 2 + den) / (den * 2);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The station of an observer entry's subject `ORG/STATION`.
fn station_of(subject: &str) -> Option<&str> {
    subject.split_once('/').map(|(_, station)| station)
}

/// The summary of `election`'s reports in `store`.
pub async fn summary(
    store: &Store,
    election: &ElectionId,
) -> Result<IncidentSummary, ObserveError> {
    let reports = incidents(store, election).await?;
    let mut observed = BTreeSet::new();
    for kind in [COPY_KIND, STATUS_KIND] {
        for entry in current_entries(store, election, kind).await? {
            observed.extend(station_of(&entry.subject).map(str::to_owned));
        }
    }
    let registered = observe::stations(store, election).await?.len();
    Ok(IncidentSummary::of(election.as_str(), &reports, &observed, registered))
}

/// Every type of the taxonomy with the counts of `types` (code, reports, stations).
fn by_type(types: &[(String, usize, usize)]) -> Vec<TypeCount> {
    INCIDENT_TYPES
        .into_iter()
        .map(|kind| {
            let found = types.iter().find(|it| it.0 == kind.code());
            TypeCount {
                kind,
                labels: kind.labels(),
                violations: found.map_or(0, |it| it.1),
                stations: found.map_or(0, |it| it.2),
            }
        })
        .collect()
}

/// Every state with the reports in it.
fn by_state(reports: &[IncidentView]) -> Vec<StateCount> {
    INCIDENT_STATES
        .into_iter()
        .map(|state| StateCount {
            state,
            labels: state.labels(),
            violations: reports.iter().filter(|it| it.state == state).count(),
        })
        .collect()
}

impl IncidentSummary {
    /// The summary of `reports`, where `observed` are the stations observed besides those
    /// with reports, and `registered` the number of registered stations.
    pub fn of(
        election: &str,
        reports: &[IncidentView],
        observed: &BTreeSet<String>,
        registered: usize,
    ) -> IncidentSummary {
        let stations: BTreeSet<&str> = reports.iter().map(|it| it.station.as_str()).collect();
        let mut observed: BTreeSet<&str> = observed.iter().map(String::as_str).collect();
        observed.extend(stations.iter().copied());
        let group = |key: &dyn Fn(&IncidentView) -> String| {
            let mut map: BTreeMap<String, (usize, BTreeSet<&str>)> = BTreeMap::new();
            for it in reports {
                let slot = map.entry(key(it)).or_default();
                slot.0 += 1;
                slot.1.insert(it.station.as_str());
            }
            map.into_iter()
                .map(|(key, (count, stations))| (key, count, stations.len()))
                .collect::<Vec<_>>()
        };
        let types = group(&|it| it.kind.code().to_owned());
        let by_type = by_type(&types);
        let by_state = by_state(reports);
        let by_hour = (0..24u8)
            .map(|hour| HourCount {
                hour,
                violations: reports.iter().filter(|it| it.hour == hour).count(),
            })
            .collect();
        IncidentSummary {
            election: election.to_owned(),
            violations: reports.len(),
            stations: stations.len(),
            observed_stations: observed.len(),
            share_of_observed: percent(stations.len(), observed.len()),
            registered_stations: registered,
            end_of_day: reports.iter().filter(|it| it.hour >= 20).count(),
            evidence_files: reports.iter().map(|it| it.evidence.len()).sum(),
            by_type,
            by_region: group(&|it| it.region.clone())
                .into_iter()
                .map(|(region, violations, stations)| RegionCount { region, violations, stations })
                .collect(),
            by_hour,
            by_state,
            by_observer: group(&|it| it.observer.clone())
                .into_iter()
                .map(|(observer, violations, stations)| ObserverCount {
                    observer,
                    violations,
                    stations,
                })
                .collect(),
            published: published(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{percent, published};

    #[test]
    fn shares_round_half_up_exactly() {
        assert_eq!(percent(1, 3), "33.3");
        assert_eq!(percent(2, 3), "66.7");
        assert_eq!(percent(1, 8), "12.5");
        assert_eq!(percent(1, 16), "6.3");
        assert_eq!(percent(0, 0), "0.0");
        assert_eq!(percent(181, 181), "100.0");
    }

    #[test]
    fn the_seeds_aggregate_is_bundled_with_its_source() {
        let it = published();
        assert_eq!(
            (it.violations, it.stations, it.end_of_day, it.copies_refused),
            (294, 181, 168, 64)
        );
        assert_eq!(it.kind, "published aggregate");
        assert!(it.source.contains("lines 1169 and 1179-1180"), "{}", it.source);
    }
}
