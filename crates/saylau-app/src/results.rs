//! Results from the protocol store: the totals of every commission up the hierarchy,
//! derived from the current version of each station's signed protocol, the seats the
//! national totals give, and one station's current protocol with its version history
//! (`saylau results`, `docs/store.md`).
//!
//! Nothing here is typed in: the store hands back the current protocols decoded from
//! their payloads, `saylau_core::count::protocol::tabulate` sums them per commission, and
//! the national totals become the contest whose seats the rules of an election file
//! allocate (by default the bundled 2021 Mazhilis rules: Hare largest remainder, 98
//! seats, 7 %). The view models serialise to the JSON that `saylau results --json` prints.

use std::collections::BTreeMap;
use std::path::Path;

use saylau_core::count::commission::{CommissionId, IdError, Level as CommissionLevel, StationId};
use saylau_core::count::protocol::{
    BallotLists, ProtocolLines, ProtocolTotals, TotalsContestError, TotalsError, tabulate,
};
use saylau_core::seats::allocation::{AllocationError, allocate};
use saylau_core::seats::report::{AllocationReport, allocation_report};
use saylau_core::systems::system::System;
use saylau_formats::{Diagnostics, parse_election, read_election};
use saylau_store::error::DatabaseError;
use saylau_store::id::ElectionId;
use saylau_store::stations::registered_stations;
use saylau_store::store::Store;
use saylau_store::tabulation::{HistoryEntry, TabulationError};
use serde::Serialize;

pub use saylau_core::count::protocol::Line;
pub use saylau_store::tabulation::CurrentProtocols;

// The bundled rules of the 2021 Mazhilis election, used when no rules are given.
use crate::demo::MAZHILIS_2021;

/// The commissions whose totals are wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The whole country, with the seats its totals give.
    National,
    /// Each region (territorial commission of a region or city of republican significance).
    Region,
    /// Each district.
    District,
    /// Each polling station.
    Station,
}

impl Level {
    /// Its name in JSON: `national`, `region`, `district` or `station`.
    pub fn name(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Region => "region",
            Level::District => "district",
            Level::Station => "station",
        }
    }
}

/// Results that cannot be given.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResultsError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] TabulationError),
    /// The store fails its checks (or lacks its known checkpoint): nothing is read from it.
    #[error("{0}")]
    Broken(#[source] saylau_store::checked::CheckedError),
    /// The registered stations could not be read.
    #[error("store: {0}")]
    Registry(#[from] DatabaseError),
    /// A registered station's id is not a station id.
    #[error("registered station {text}")]
    RegisteredStation {
        /// The id as stored.
        text: String,
        /// Why it is not a station id.
        source: IdError,
    },
    /// The current protocols do not add up (a protocol of another ballot, an overflow).
    #[error(transparent)]
    Totals(#[from] TotalsError),
    /// The rules file was rejected; its diagnostics say why.
    #[error("{0}")]
    Rejected(Diagnostics),
    /// The rules file is not one nationwide list contest.
    #[error("{source_name}: results need an election file of one nationwide list contest")]
    NotListContest {
        /// The rules file.
        source_name: String,
    },
    /// The rules file's lists are not the imported lists.
    #[error(
        "{source_name}: its lists are not the imported lists ({lists}); pass --rules with an election file of these lists"
    )]
    ListsDiffer {
        /// The rules file.
        source_name: String,
        /// The imported lists' ids, comma-separated.
        lists: String,
    },
    /// The totals do not make a contest of the rules.
    #[error(transparent)]
    Contest(TotalsContestError),
    /// The rules could not allocate the seats.
    #[error("allocating with {source_name}")]
    Allocate {
        /// The rules file.
        source_name: String,
        /// Why.
        source: AllocationError,
    },
    /// The station id is malformed.
    #[error("--station {text}")]
    StationId {
        /// The id as given.
        text: String,
        /// Why it is not a station id.
        source: IdError,
    },
    /// The station has no protocol in the store.
    #[error("station {station} has no protocol in election {election}")]
    NoProtocol {
        /// The station.
        station: String,
        /// The election.
        election: String,
    },
}

impl crate::Rejection for ResultsError {
    fn into_rejected(self) -> Result<Diagnostics, Self> {
        match self {
            ResultsError::Rejected(diagnostics) => Ok(diagnostics),
            other => Err(other),
        }
    }
}

/// The totals of one commission.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    /// The commission's id.
    pub id: String,
    /// Its name, when the store has one.
    pub name: Option<String>,
    /// The stations whose current protocols are counted in it.
    pub stations: u64,
    /// The registered stations in it, whose protocols are expected.
    pub stations_expected: u64,
    /// Lines 1 to 9.
    pub lines: Lines,
    /// Votes per list, in ballot order.
    pub lists: Vec<ListVotes>,
}

/// The lines 1 to 9 of a protocol or of totals.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Lines {
    /// 1: voters on the rolls.
    pub voters_on_roll: u64,
    /// 2: ballots received.
    pub ballots_received: u64,
    /// 3: ballots issued in the station.
    pub issued_in_station: u64,
    /// 4: ballots issued outside (mobile box).
    pub issued_outside: u64,
    /// 5: cancelled ballots.
    pub cancelled: u64,
    /// 6: ballots found in the boxes.
    pub found_in_boxes: u64,
    /// 7: invalid ballots.
    pub invalid: u64,
    /// 8: valid ballots.
    pub valid: u64,
    /// 9: against all.
    pub against_all: u64,
}

impl Lines {
    /// The nine values in line order, as `Line::FIXED` names them.
    pub fn values(&self) -> [u64; 9] {
        [
            self.voters_on_roll,
            self.ballots_received,
            self.issued_in_station,
            self.issued_outside,
            self.cancelled,
            self.found_in_boxes,
            self.invalid,
            self.valid,
            self.against_all,
        ]
    }
}

/// One list's votes.
#[derive(Debug, Clone, Serialize)]
pub struct ListVotes {
    /// The list's id.
    pub id: String,
    /// Its votes.
    pub votes: u64,
}

/// The national result with seats.
#[derive(Debug, Clone, Serialize)]
pub struct National {
    /// The election.
    pub election: String,
    /// Always `national`.
    pub level: &'static str,
    /// The election file whose rules allocated the seats.
    pub rules: String,
    /// The stations counted.
    pub stations: u64,
    /// The registered stations, whose protocols are expected.
    pub stations_expected: u64,
    /// Lines 1 to 9 of the national totals.
    pub lines: Lines,
    /// Each list's votes and seats.
    pub lists: Vec<SeatedList>,
    /// The full allocation report with its trace.
    pub allocation: AllocationReport,
}

/// A list's national votes and seats.
#[derive(Debug, Clone, Serialize)]
pub struct SeatedList {
    /// The list's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its votes.
    pub votes: u64,
    /// Its seats.
    pub seats: u32,
}

/// The totals of every commission of a level below the national one.
#[derive(Debug, Clone, Serialize)]
pub struct LevelTotals {
    /// The election.
    pub election: String,
    /// The level's name.
    pub level: &'static str,
    /// Each commission's totals, by id.
    pub commissions: Vec<Totals>,
    /// The ids of the ballot's lists, in ballot order (the columns of a table).
    #[serde(skip)]
    pub list_ids: Vec<String>,
}

/// One station's current protocol, with its history when asked.
#[derive(Debug, Clone, Serialize)]
pub struct Station {
    /// The election.
    pub election: String,
    /// The station's id.
    pub station: String,
    /// The current version.
    pub version: u64,
    /// Lines 1 to 9 of the current version.
    pub lines: Lines,
    /// Votes per list of the current version.
    pub lists: Vec<ListVotes>,
    /// Every version, oldest first, when asked.
    pub history: Option<Vec<Version>>,
    /// The names of the ballot's lists, in ballot order.
    #[serde(skip)]
    pub list_names: Vec<String>,
}

/// One version of a station's protocol, as the log records it.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    /// The version number.
    pub version: u64,
    /// The log entry that recorded it.
    pub seq: u64,
    /// Who submitted it.
    pub author: String,
    /// The commission whose key signed it.
    pub commission: String,
    /// The key's id.
    pub key_id: String,
    /// Why it corrected the version before it.
    pub reason: Option<String>,
    /// When it was accepted (UTC, RFC 3339).
    pub recorded_at: String,
    /// SHA-256 of the payload.
    pub content_hash: String,
    /// The entry hash.
    pub entry_hash: String,
    /// The signed batch it belongs to.
    pub batch: Option<u64>,
    /// Its lines 1 to 9.
    pub lines: Lines,
    /// Its votes per list.
    pub lists: Vec<ListVotes>,
}

/// What results are made of: the current protocols and the stations expected.
#[derive(Debug, Clone)]
pub struct Current {
    /// The current protocol of every station that has one.
    pub protocols: CurrentProtocols,
    /// Every registered station, sorted: those whose protocols are expected.
    pub expected: Vec<StationId>,
}

impl Current {
    /// The number of expected stations in each commission of `level`.
    fn expected_in(&self, level: CommissionLevel) -> BTreeMap<CommissionId, u64> {
        let mut res = BTreeMap::new();
        for station in &self.expected {
            *res.entry(station.commission(level)).or_insert(0) += 1;
        }
        res
    }
}

/// The current protocol of every station of `election`, and the registered stations.
pub async fn current(store: &Store, election: &ElectionId) -> Result<Current, ResultsError> {
    let trust = crate::store::trust(store);
    let checked = saylau_store::checked::current_protocols(store, election, &trust);
    let protocols = checked.await.map_err(ResultsError::Broken)?.value;
    let expected = registered_stations(store, election)
        .await?
        .into_iter()
        .map(|text| {
            StationId::parse(&text)
                .map_err(|source| ResultsError::RegisteredStation { text, source })
        })
        .collect::<Result<_, _>>()?;
    Ok(Current { protocols, expected })
}

/// The totals of every commission of `level` that has a protocol or an expected station,
/// by id ([`national`] adds the seats to the national totals).
pub fn level_totals(
    current: &Current,
    level: Level,
    election: &str,
) -> Result<LevelTotals, ResultsError> {
    let of = match level {
        Level::National => CommissionLevel::Central,
        Level::Station => CommissionLevel::Precinct,
        Level::Region => CommissionLevel::Region,
        Level::District => CommissionLevel::District,
    };
    let expected = current.expected_in(of);
    let (ballot, hierarchy) = (&current.protocols.ballot, &current.protocols.hierarchy);
    let protocols = current.protocols.protocols.iter().map(|it| &it.protocol);
    let mut totals = tabulate(protocols, ballot.len(), of)?;
    for id in expected.keys() {
        totals.entry(*id).or_insert_with(|| ProtocolTotals::new(ballot.len()));
    }
    let commissions = totals
        .iter()
        .map(|(id, totals)| Totals {
            id: id.to_string(),
            name: hierarchy.name(*id),
            stations: totals.stations(),
            stations_expected: expected.get(id).copied().unwrap_or(0),
            lines: lines_view(totals.lines()),
            lists: lists_view(totals.lines(), ballot),
        })
        .collect();
    let list_ids = ballot.lists().iter().map(|list| list.id.to_string()).collect();
    Ok(LevelTotals { election: election.to_owned(), level: level.name(), commissions, list_ids })
}

fn lines_view(lines: &ProtocolLines) -> Lines {
    Lines {
        voters_on_roll: lines.voters_on_roll.0,
        ballots_received: lines.ballots_received.0,
        issued_in_station: lines.issued_in_station.0,
        issued_outside: lines.issued_outside.0,
        cancelled: lines.cancelled.0,
        found_in_boxes: lines.found_in_boxes.0,
        invalid: lines.invalid.0,
        valid: lines.valid.0,
        against_all: lines.against_all.0,
    }
}

fn lists_view(lines: &ProtocolLines, ballot: &BallotLists) -> Vec<ListVotes> {
    ballot
        .lists()
        .iter()
        .zip(&lines.list_votes)
        .map(|(list, votes)| ListVotes { id: list.id.to_string(), votes: votes.0 })
        .collect()
}

/// The national totals and the seats they give under the rules of the election file
/// `rules` (by default the bundled 2021 Mazhilis rules).
pub fn national(
    current: &Current,
    rules: Option<&Path>,
    election: &str,
) -> Result<National, ResultsError> {
    let stations_expected = u64::try_from(current.expected.len()).unwrap_or(u64::MAX);
    let current = &current.protocols;
    let protocols = current.protocols.iter().map(|it| &it.protocol);
    let totals = ProtocolTotals::of(protocols, current.ballot.len())?;
    let (source_name, file) = match rules {
        Some(path) => (path.display().to_string(), read_election(path, &[])),
        None => (MAZHILIS_2021.0.to_owned(), parse_election(MAZHILIS_2021.0, MAZHILIS_2021.1, &[])),
    };
    let file = file.map_err(ResultsError::Rejected)?;
    let System::List { contest: template, rules } = file.system else {
        return Err(ResultsError::NotListContest { source_name });
    };
    let contest = match totals.contest_for(&template, &current.ballot) {
        Ok(contest) => contest,
        Err(TotalsContestError::ListsDiffer) => {
            let ids: Vec<&str> = current.ballot.lists().iter().map(|it| it.id.as_str()).collect();
            return Err(ResultsError::ListsDiffer { source_name, lists: ids.join(", ") });
        }
        Err(err) => return Err(ResultsError::Contest(err)),
    };
    let allocation = allocate(&rules, &contest)
        .map_err(|source| ResultsError::Allocate { source_name: source_name.clone(), source })?;
    let report = allocation_report(&contest, &rules, &allocation);
    let lists = report
        .lists
        .iter()
        .map(|list| SeatedList {
            id: list.id.to_string(),
            name: list.name.clone(),
            votes: list.votes.0,
            seats: list.seats.0,
        })
        .collect();
    Ok(National {
        election: election.to_owned(),
        level: "national",
        rules: source_name,
        stations: totals.stations(),
        stations_expected,
        lines: lines_view(totals.lines()),
        lists,
        allocation: report,
    })
}

/// One station's current protocol (`RR-DD-SSSS`), and every version of it when
/// `with_history`.
pub async fn station(
    store: &Store,
    election: &ElectionId,
    station: &str,
    with_history: bool,
) -> Result<Station, ResultsError> {
    let id = StationId::parse(station)
        .map_err(|source| ResultsError::StationId { text: station.to_owned(), source })?;
    let (station_text, trust) = (id.to_string(), crate::store::trust(store));
    let checked = saylau_store::checked::history(store, election, &station_text, &trust);
    let (versions, ballot) = checked.await.map_err(ResultsError::Broken)?.value;
    let Some(last) = versions.last() else {
        return Err(ResultsError::NoProtocol {
            station: id.to_string(),
            election: election.to_string(),
        });
    };
    Ok(Station {
        election: election.to_string(),
        station: id.to_string(),
        version: last.version.0,
        lines: lines_view(last.protocol.lines()),
        lists: lists_view(last.protocol.lines(), &ballot),
        history: with_history
            .then(|| versions.iter().map(|it| version_view(it, &ballot)).collect()),
        list_names: ballot.lists().iter().map(|list| list.name.clone()).collect(),
    })
}

fn version_view(entry: &HistoryEntry, ballot: &BallotLists) -> Version {
    Version {
        version: entry.version.0,
        seq: entry.seq.0,
        author: entry.author.clone(),
        commission: entry.commission.clone(),
        key_id: entry.key_id.clone(),
        reason: entry.reason.clone(),
        recorded_at: entry.recorded_at.clone(),
        content_hash: entry.content_hash.to_string(),
        entry_hash: entry.entry_hash.to_string(),
        batch: entry.batch,
        lines: lines_view(entry.protocol.lines()),
        lists: lists_view(entry.protocol.lines(), ballot),
    }
}
