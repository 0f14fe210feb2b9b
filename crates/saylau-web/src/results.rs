//! The portal's read model: one [`Snapshot`] of an election at one head of the log, made
//! of the results use case of saylau-app (current protocols, registered stations, the
//! national seats with the allocation report), the log's checkpoint and the core's
//! tabulation per region and district. No SQL here: only saylau-store knows it.

use std::collections::BTreeMap;

use saylau_core::count::commission::{CommissionId, Level, StationId};
use saylau_core::count::protocol::rule::ProtocolRule;
use saylau_core::count::protocol::{
    BallotLists, Line, Protocol, ProtocolLines, ProtocolTotals, tabulate, violations,
};
use saylau_core::seats::report::AllocationReport;
use saylau_store::entry::Checkpoint;
use saylau_store::id::ElectionId;
use saylau_store::store::Store;
use saylau_store::tabulation::{CurrentProtocols, HistoryEntry};

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

    /// The name of a territory; a station, or a territory without a name, is its id.
    pub fn name(&self, id: CommissionId) -> String {
        self.territories
            .get(&id)
            .map(|it| it.name.clone())
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| id.to_string())
    }
}

/// Reads the snapshot of `election` at the store's current head.
pub async fn snapshot(store: &Store, election: &ElectionId) -> Result<Snapshot, ResultsError> {
    let head = saylau_store::ledger::checkpoint(store)
        .await
        .map_err(|err| ResultsError::Store(err.to_string()))?;
    let current = saylau_app::results::current(store, election)
        .await
        .map_err(|err| ResultsError::Store(err.to_string()))?;
    let national = national(&current, election)?;
    let mut snapshot = build(election, head, &current.expected, current.protocols)?;
    snapshot.national = national;
    Ok(snapshot)
}

/// The national seats under the bundled rules, when there are protocols and the imported
/// lists are the rules' lists.
fn national(
    current: &saylau_app::results::Current,
    election: &ElectionId,
) -> Result<Option<National>, ResultsError> {
    use saylau_app::results::ResultsError as AppError;
    if current.protocols.protocols.is_empty() {
        return Ok(None);
    }
    match saylau_app::results::national(current, None, election.as_str()) {
        Ok(national) => Ok(Some(National { report: national.allocation, rules: national.rules })),
        // Lists other than the bundled election's have no rules to allocate seats with.
        Err(AppError::ListsDiffer { .. }) => Ok(None),
        Err(err) => Err(ResultsError::Allocation(err.to_string())),
    }
}

fn build(
    election: &ElectionId,
    head: Checkpoint,
    expected: &[StationId],
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
    for station in expected {
        stations.insert(*station, Station { id: *station, current: None });
    }
    for it in &current.protocols {
        let station = it.protocol.station();
        let entry = stations.entry(station).or_insert(Station { id: station, current: None });
        entry.current = Some((it.protocol.clone(), it.version.0, it.seq.0));
    }
    count_stations(&stations, &current, &mut territories, &empty);
    add_totals(&current, &mut territories)?;
    Ok(Snapshot {
        election: election.clone(),
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
