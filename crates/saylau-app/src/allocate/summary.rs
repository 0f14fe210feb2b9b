//! The parts of a result that every view needs, whatever the system: each list's votes
//! and seats, and each district's seats by list where the system has districts.
//!
//! `saylau allocate --json` prints these rows (the `lists[]` and `districts[]` contract),
//! `saylau compare` lines lists up by id across files, and the terminal views draw their
//! tables from them. The full trace of the system's own module goes beside them.

use saylau_core::seats::report::{AllocationReport, Exact};
use saylau_core::seats::votes::{ListId, Seats, Votes};
use saylau_core::systems::mixed::MixedAllocation;
use saylau_core::systems::system::{System, SystemAllocation, SystemDetail};
use saylau_formats::ElectionFile;
use serde::Serialize;

/// One list's result.
#[derive(Debug, Clone, Serialize)]
pub struct ListRow {
    /// Identifier.
    pub id: ListId,
    /// Display name.
    pub name: String,
    /// Its votes in the whole election (summed over the districts).
    pub votes: Votes,
    /// Its votes as a percentage of the threshold base (list files) or of the valid votes.
    pub percent: Exact,
    /// Whether it took part in the distribution.
    pub qualified: bool,
    /// Its seats in all.
    pub seats: Seats,
    /// Mixed systems: single-member seats won.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub electorates: Option<Seats>,
    /// Mixed systems: list seats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_seats: Option<Seats>,
    /// Mixed systems: electorates beyond the proportional entitlement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overhang: Option<Seats>,
}

/// One district's result.
#[derive(Debug, Clone, Serialize)]
pub struct DistrictRow {
    /// The district's id in the file.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Its population, when the file gives it.
    pub population: Option<u64>,
    /// Its seats as given or apportioned.
    pub magnitude: Seats,
    /// The seats elected there (differs from the magnitude only under two tiers).
    pub seats: Seats,
    /// All list votes there.
    pub votes: Votes,
    /// Each list's votes and seats there, in list order.
    pub lists: Vec<DistrictListRow>,
}

/// A list in a district.
#[derive(Debug, Clone, Serialize)]
pub struct DistrictListRow {
    /// The list's id.
    pub id: ListId,
    /// Its votes in the district.
    pub votes: Votes,
    /// Its seats in the district.
    pub seats: Seats,
}

/// The rows of one result.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Per list, in registration order.
    pub lists: Vec<ListRow>,
    /// Per district, in district order; empty without districts.
    pub districts: Vec<DistrictRow>,
}

/// The rows of `result`, an allocation of `file`; `report` is the list system's report.
pub fn summary(
    file: &ElectionFile,
    result: &SystemAllocation,
    report: Option<&AllocationReport>,
) -> Summary {
    let lists = file.system.lists();
    let valid = file.system.valid_votes();
    let mixed = match &result.detail {
        SystemDetail::Mixed(mixed) => Some(mixed),
        _ => None,
    };
    let rows = lists
        .into_iter()
        .enumerate()
        .map(|(idx, list)| {
            let percent = match report {
                Some(report) => report.lists[idx].percent.clone(),
                None => Exact::percent(list.votes, valid),
            };
            let part = |get: fn(&MixedAllocation) -> &[Seats]| mixed.map(|it| get(it)[idx]);
            ListRow {
                id: list.id,
                name: list.name,
                votes: list.votes,
                percent,
                qualified: result.qualified[idx],
                seats: result.seats[idx],
                electorates: part(|it| &it.electorate_seats),
                list_seats: part(|it| &it.list_seats),
                overhang: part(|it| &it.overhang),
            }
        })
        .collect();
    Summary { lists: rows, districts: district_rows(file, result) }
}

/// The districts' rows, when the system has districts.
fn district_rows(file: &ElectionFile, result: &SystemAllocation) -> Vec<DistrictRow> {
    let (
        Some(table),
        System::Districts { districts, .. } | System::Biproportional { districts, .. },
    ) = (&result.districts, &file.system)
    else {
        return Vec::new();
    };
    let metas = &file.meta.districts;
    districts
        .districts()
        .iter()
        .enumerate()
        .map(|(idx, district)| {
            let seats = &table.seats[idx];
            let lists = districts
                .lists()
                .iter()
                .zip(district.votes.iter().zip(seats))
                .map(|(list, (&votes, &seats))| DistrictListRow {
                    id: list.id.clone(),
                    votes,
                    seats,
                })
                .collect();
            let meta = metas.get(idx);
            DistrictRow {
                id: district.name.clone(),
                name: meta.map_or_else(|| district.name.clone(), |it| it.name.clone()),
                population: meta.and_then(|it| it.population),
                magnitude: table.magnitudes[idx],
                seats: seats.iter().copied().sum(),
                votes: districts.district_votes(idx),
                lists,
            }
        })
        .collect()
}
