//! The portal's read model: one [`Snapshot`] of an election at one head of the log, built
//! from saylau-store's public read API (current protocols, the registry, the checkpoint)
//! and the core's tabulation and allocation.
//!
//! This is the portal's own copy of the results use case until `saylau_app::results`
//! exists; it is shaped like it (a function of the store returning serialisable view
//! models) so that the swap is a change of imports. No SQL here: only saylau-store knows it.

use std::collections::BTreeMap;

use saylau_core::count::commission::{CommissionId, Level, StationId};
use saylau_core::count::protocol::rule::ProtocolRule;
use saylau_core::count::protocol::{
    BallotLists, Line, Protocol, ProtocolLines, ProtocolTotals, tabulate, violations,
};
use saylau_core::seats::allocation::allocate;
use saylau_core::seats::report::{AllocationReport, allocation_report};
use saylau_core::systems::system::System;
use saylau_formats::parse_election;
use saylau_store::entry::Checkpoint;
use saylau_store::id::ElectionId;
use saylau_store::registry::Level as StoreLevel;
use saylau_store::store::Store;
use saylau_store::tabulation::{CurrentProtocols, HistoryEntry, current_protocols};

/// The bundled rules of the 2021 Mazhilis election, which allocate the national seats.
pub const MAZHILIS_2021: (&str, &str) =
    ("data/kz/mazhilis-2021.toml", include_str!("../../../data/kz/mazhilis-2021.toml"));

/// Why a snapshot cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// The store could not be read.
    #[error("store: {0}")]
    Store(String),
    /// The national totals cannot be allocated with the bundled rules.
    #[error("allocation: {0}")]
    Allocation(String),
}

/// A territory (the CEC, a region or a district commission) with its totals.
#[derive(Debug, Clone)]
pub struct Territory {
    /// Its id: `CEC`, `RR` or `RR-DD`.
    pub id: CommissionId,
    /// Its name, when registered.
    pub name: String,
    /// The territories or stations directly below it.
    pub children: Vec<CommissionId>,
    /// Registered stations below it.
    pub expected: u64,
    /// Stations below it with a current protocol.
    pub counted: u64,
    /// Registered stations below it without a protocol, by id.
    pub not_received: Vec<StationId>,
    /// The sum of its stations' current protocols.
    pub lines: ProtocolLines,
}

/// A station: registered, with its current protocol if one was received.
#[derive(Debug, Clone)]
pub struct Station {
    /// Its id.
    pub id: StationId,
    /// Its registered name.
    pub name: String,
    /// The current protocol, its version and its log entry.
    pub current: Option<(Protocol, u64, u64)>,
}

/// The national result: totals and seats.
#[derive(Debug, Clone)]
pub struct National {
    /// The allocation of the seats with every step.
    pub report: AllocationReport,
    /// Where the rules come from.
    pub rules: String,
}

/// An election at one head of the log.
#[derive(Debug)]
pub struct Snapshot {
    /// The election.
    pub election: ElectionId,
    /// Its registered name.
    pub election_name: String,
    /// The head of the log the snapshot was read at.
    pub head: Checkpoint,
    /// The lists on the ballot.
    pub ballot: BallotLists,
    /// The CEC, regions and districts, by id.
    pub territories: BTreeMap<CommissionId, Territory>,
    /// Every station, by id.
    pub stations: BTreeMap<StationId, Station>,
    /// The national seats, when there are protocols to allocate them from.
    pub national: Option<National>,
    /// The current protocols as the store returned them (for open data).
    pub current: CurrentProtocols,
    /// The bulk downloads of this snapshot, made on first request.
    pub open_data: std::sync::OnceLock<Result<crate::opendata::OpenData, String>>,
    /// The responses rendered from this snapshot, by path (see [`crate::http::public`]).
    pub rendered: crate::http::Rendered,
}

impl Snapshot {
    /// The strong validator of everything published from this snapshot.
    pub fn etag(&self) -> String {
        let hex = self.head.hash.to_hex();
        format!("\"{}-{}-{}\"", self.election, self.head.seq.0, &hex[..16])
    }

    /// A territory by id.
    pub fn territory(&self, id: CommissionId) -> Option<&Territory> {
        self.territories.get(&id)
    }

    /// The name of a commission, or its id.
    pub fn name(&self, id: CommissionId) -> String {
        match id {
            CommissionId::Precinct(station) => {
                self.stations.get(&station).map(|it| it.name.clone())
            }
            other => self.territories.get(&other).map(|it| it.name.clone()),
        }
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| id.to_string())
    }
}

/// Reads the snapshot of `election` at the store's current head.
pub async fn snapshot(store: &Store, election: &ElectionId) -> Result<Snapshot, ResultsError> {
    let err = |err: &dyn std::fmt::Display| ResultsError::Store(err.to_string());
    let head = saylau_store::ledger::checkpoint(store).await.map_err(|e| err(&e))?;
    let registered =
        saylau_store::listing::commissions(store, election).await.map_err(|e| err(&e))?;
    let election_name = saylau_store::listing::election(store, election)
        .await
        .map_err(|e| err(&e))?
        .map_or_else(|| election.to_string(), |it| it.name);
    let current = current_protocols(store, election).await.map_err(|e| err(&e))?;
    let mut snapshot = build(election, election_name, head, &registered, current)?;
    snapshot.national = national(&snapshot)?;
    Ok(snapshot)
}

fn build(
    election: &ElectionId,
    election_name: String,
    head: Checkpoint,
    registered: &[saylau_store::registry::Commission],
    current: CurrentProtocols,
) -> Result<Snapshot, ResultsError> {
    let n_lists = current.ballot.len();
    let mut territories: BTreeMap<CommissionId, Territory> = BTreeMap::new();
    let mut stations: BTreeMap<StationId, Station> = BTreeMap::new();
    let empty = |id: CommissionId, name: String| Territory {
        id,
        name,
        children: Vec::new(),
        expected: 0,
        counted: 0,
        not_received: Vec::new(),
        lines: ProtocolTotals::new(n_lists).lines().clone(),
    };
    territories.insert(CommissionId::Central, empty(CommissionId::Central, String::new()));
    for commission in registered {
        // Ids outside the hierarchy's scheme cannot be placed on the map of the country.
        let Ok(id) = CommissionId::parse(commission.id.as_str()) else { continue };
        match (commission.level, id) {
            (StoreLevel::Pec, CommissionId::Precinct(station)) => {
                stations.insert(
                    station,
                    Station { id: station, name: commission.name.clone(), current: None },
                );
            }
            (_, CommissionId::Precinct(_)) => {}
            (_, id) => {
                territories.entry(id).or_insert_with(|| empty(id, String::new())).name =
                    commission.name.clone();
            }
        }
    }
    for it in &current.protocols {
        let station = it.protocol.station();
        let entry = stations.entry(station).or_insert_with(|| Station {
            id: station,
            name: String::new(),
            current: None,
        });
        entry.current = Some((it.protocol.clone(), it.version.0, it.seq.0));
    }
    count_stations(&stations, &current, &mut territories, &empty);
    add_totals(&current, &mut territories)?;
    Ok(Snapshot {
        election: election.clone(),
        election_name,
        head,
        ballot: current.ballot.clone(),
        territories,
        stations,
        national: None,
        current,
        open_data: std::sync::OnceLock::new(),
        rendered: crate::http::Rendered::default(),
    })
}

/// Sums the current protocols into the CEC, each region and each district.
fn add_totals(
    current: &CurrentProtocols,
    territories: &mut BTreeMap<CommissionId, Territory>,
) -> Result<(), ResultsError> {
    for level in [Level::Central, Level::Region, Level::District] {
        let protocols = current.protocols.iter().map(|it| &it.protocol);
        let totals = tabulate(protocols, current.ballot.len(), level)
            .map_err(|err| ResultsError::Allocation(err.to_string()))?;
        for (id, totals) in totals {
            if let Some(territory) = territories.get_mut(&id) {
                territory.lines = totals.lines().clone();
            }
        }
    }
    for territory in territories.values_mut() {
        territory.children.sort();
        territory.children.dedup();
    }
    Ok(())
}

/// Counts each station as expected (and received, or not) in the CEC, its region and its
/// district, and links each territory to the ones below it.
fn count_stations(
    stations: &BTreeMap<StationId, Station>,
    current: &CurrentProtocols,
    territories: &mut BTreeMap<CommissionId, Territory>,
    empty: &dyn Fn(CommissionId, String) -> Territory,
) {
    for station in stations.values() {
        for level in [Level::Central, Level::Region, Level::District] {
            let id = station.id.commission(level);
            let name = current.hierarchy.name(id).unwrap_or_default();
            let territory = territories.entry(id).or_insert_with(|| empty(id, name));
            territory.expected += 1;
            match station.current {
                Some(_) => territory.counted += 1,
                None => territory.not_received.push(station.id),
            }
            let child = match level {
                Level::Central => station.id.commission(Level::Region),
                Level::Region => station.id.commission(Level::District),
                _ => CommissionId::Precinct(station.id),
            };
            if territory.children.last() != Some(&child) {
                territory.children.push(child);
            }
        }
    }
}

/// The national seats under the bundled rules, when the imported lists are theirs.
fn national(snapshot: &Snapshot) -> Result<Option<National>, ResultsError> {
    let protocols = snapshot.current.protocols.iter().map(|it| &it.protocol);
    let totals = ProtocolTotals::of(protocols, snapshot.ballot.len())
        .map_err(|err| ResultsError::Allocation(err.to_string()))?;
    if totals.stations() == 0 {
        return Ok(None);
    }
    let file = parse_election(MAZHILIS_2021.0, MAZHILIS_2021.1, &[])
        .map_err(|err| ResultsError::Allocation(err.to_string()))?;
    let System::List { contest: template, rules } = file.system else {
        return Err(ResultsError::Allocation("the bundled rules are not one list contest".into()));
    };
    // Lists other than the bundled election's have no rules to allocate seats with.
    let Ok(contest) = totals.contest_for(&template, &snapshot.ballot) else { return Ok(None) };
    let allocation =
        allocate(&rules, &contest).map_err(|err| ResultsError::Allocation(err.to_string()))?;
    let report = allocation_report(&contest, &rules, &allocation);
    Ok(Some(National { report, rules: MAZHILIS_2021.0.to_owned() }))
}

/// Whether each control relation holds for `lines` (a stored protocol satisfies all; the
/// page still checks them, so that it shows what was checked).
pub fn control_status(
    station: StationId,
    lines: &ProtocolLines,
    n_lists: usize,
) -> Vec<(ProtocolRule, bool)> {
    let broken = violations(station, lines, n_lists);
    RULES.iter().map(|rule| (*rule, !broken.iter().any(|it| it.kind.rule() == *rule))).collect()
}

/// The control relations of a protocol, in code order.
pub const RULES: [ProtocolRule; 7] = [
    ProtocolRule::BallotAccount,
    ProtocolRule::IssuedWithinRoll,
    ProtocolRule::FoundWithinIssued,
    ProtocolRule::FoundIsValidPlusInvalid,
    ProtocolRule::ValidIsVotes,
    ProtocolRule::ListLines,
    ProtocolRule::LineRange,
];

/// Every line of a protocol with its value: the fixed lines, then one per list.
pub fn all_lines(lines: &ProtocolLines, n_lists: usize) -> Vec<(Line, u64)> {
    let mut res: Vec<(Line, u64)> =
        Line::FIXED.iter().map(|line| (*line, lines.get(*line))).collect();
    res.extend((0..n_lists).map(|idx| (Line::List(idx), lines.get(Line::List(idx)))));
    res
}

/// One line that a version changed from the version before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The line.
    pub line: Line,
    /// Its value in the version before.
    pub from: u64,
    /// Its value in this version.
    pub to: u64,
}

/// The lines that `entry` changed from `before` (every line for a first version is not a
/// change: a first version has no diff).
pub fn changes(before: Option<&HistoryEntry>, entry: &HistoryEntry, n_lists: usize) -> Vec<Change> {
    let Some(before) = before else { return Vec::new() };
    let old = all_lines(before.protocol.lines(), n_lists);
    let new = all_lines(entry.protocol.lines(), n_lists);
    old.into_iter()
        .zip(new)
        .filter(|(a, b)| a.1 != b.1)
        .map(|((line, from), (_, to))| Change { line, from, to })
        .collect()
}
