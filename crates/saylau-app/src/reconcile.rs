//! `saylau reconcile`: observers' copies against the official protocols, station by
//! station before any total (`docs/observation.md`, "Reconciliation").
//!
//! Each station is, per observer organisation, `match`, `mismatch` (every differing line
//! with both values and the difference official − copy, and the control relations each
//! side breaks), `missing-official` (a copy, no official protocol), or, without a copy,
//! `refused`, `not-admitted`, `removed` or `missing-copy` (a station with an official
//! protocol that no organisation reports on is `missing-copy` with no observer). A copy
//! that differs from the current official version but equals an earlier one names it
//! (`matches_version`): the official protocol changed after the copy was taken.
//!
//! Totals are only over stations with both sides (one copy per station, of the first
//! organisation by id), side by side: turnout, each list's share of the list votes, and
//! the seats those votes give under the law (7 %) and at 5 %. Stations without a copy
//! are counted by region as findings, never dropped silently.

use std::collections::BTreeMap;

use saylau_core::count::commission::StationId;
use saylau_core::count::protocol::{
    BallotLists, ExtraLine, ProtocolExtra, ProtocolLines, violations,
};
use saylau_core::seats::report::Exact;
use saylau_core::seats::votes::Votes;
use saylau_store::id::ElectionId;
use saylau_store::observe::{self, COPY_KIND, CurrentEntry, STATUS_KIND};
use saylau_store::store::Store;
use saylau_store::tabulation::{self, CurrentProtocol};
use serde::Serialize;

use crate::observe::ObserveError;
use crate::observe::payload::{CopyPayload, StatusPayload, line_key};

/// The reconciliation of an election.
#[derive(Debug, Clone, Serialize)]
pub struct ReconcileView {
    /// The election.
    pub election: String,
    /// One row per station and organisation, by station.
    pub stations: Vec<StationRow>,
    /// Totals over the stations with both sides.
    pub totals: Totals,
    /// Rows per status, and per region.
    pub findings: Findings,
}

/// One station as one organisation saw it.
#[derive(Debug, Clone, Serialize)]
pub struct StationRow {
    /// The station.
    pub station: String,
    /// Its region (the station id's first two digits).
    pub region: String,
    /// The organisation (none for a station no organisation reports on).
    pub observer: Option<String>,
    /// `match`, `mismatch`, `missing-official`, `missing-copy`, `refused`,
    /// `not-admitted` or `removed`.
    pub status: &'static str,
    /// The current official version.
    pub official_version: Option<u64>,
    /// The copy's version in the log.
    pub copy_version: Option<u64>,
    /// The official version whose lines the copy equals, if any.
    pub matches_version: Option<u64>,
    /// The current official protocol's turnout (line 6 over line 1), percent, 4 decimals.
    pub official_turnout: Option<String>,
    /// The copy's turnout, percent, 4 decimals.
    pub copy_turnout: Option<String>,
    /// The differing lines of a mismatch (against the current official version).
    pub lines: Vec<LineDiff>,
    /// The differing v2 lines and times (`docs/protocol.md`, "Format v2"), compared where
    /// both sides have them; absent from the JSON when none differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra_lines: Vec<ExtraDiff>,
    /// The control relations the official protocol breaks.
    pub official_breaks: Vec<String>,
    /// The control relations the copy breaks.
    pub copy_breaks: Vec<String>,
    /// The time of a status.
    pub time: Option<String>,
    /// The note of a status.
    pub note: Option<String>,
}

/// One line that differs.
#[derive(Debug, Clone, Serialize)]
pub struct LineDiff {
    /// The line's key: `found_in_boxes`, `list:nur-otan`.
    pub line: String,
    /// The official value.
    pub official: u64,
    /// The copy's value.
    pub copy: u64,
    /// official − copy (ballots the official protocol has in excess of the copy).
    pub difference: i128,
}

/// One v2 line or time that differs between the official protocol and the copy.
#[derive(Debug, Clone, Serialize)]
pub struct ExtraDiff {
    /// Its key: `signatures_on_roll`, `count_started`.
    pub line: &'static str,
    /// The official value, as files write it.
    pub official: String,
    /// The copy's value.
    pub copy: String,
}

/// Totals over the stations with both sides.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    /// Stations with an official protocol and a copy.
    pub stations_compared: usize,
    /// The official side.
    pub official: Side,
    /// The copies' side.
    pub copy: Side,
    /// Seats from each side's list votes, under the 2021 law (7 %) and at 5 %.
    pub seats: Vec<SeatRow>,
    /// Why seats could not be given, when they could not.
    pub seats_error: Option<String>,
}

/// One side's totals.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// Line 1 summed.
    pub voters_on_roll: u64,
    /// Line 6 summed.
    pub found_in_boxes: u64,
    /// Line 6 over line 1, percent, 4 decimals.
    pub turnout: String,
    /// Each list's votes and share of the list votes.
    pub lists: Vec<ListShare>,
}

/// A list's votes and share.
#[derive(Debug, Clone, Serialize)]
pub struct ListShare {
    /// The list.
    pub list: String,
    /// Its votes.
    pub votes: u64,
    /// Percent of all lists' votes, 4 decimals.
    pub share: String,
}

/// Seats of one list under one threshold.
#[derive(Debug, Clone, Serialize)]
pub struct SeatRow {
    /// `7%` or `5%`.
    pub threshold: &'static str,
    /// The list.
    pub list: String,
    /// Seats from the official votes.
    pub official: u32,
    /// Seats from the copies' votes.
    pub copy: u32,
}

/// Counts of rows per status, overall and by region.
#[derive(Debug, Clone, Serialize)]
pub struct Findings {
    /// Status to rows.
    pub by_status: BTreeMap<&'static str, usize>,
    /// Region to status to rows.
    pub by_region: BTreeMap<String, BTreeMap<&'static str, usize>>,
}

/// What one organisation holds about one station.
#[derive(Default)]
struct Held {
    copy: Option<(u64, CopyPayload)>,
    status: Option<StatusPayload>,
}

/// Reconciles the observers' copies of `election` with its official protocols.
pub async fn reconcile(
    store: &Store,
    election: &ElectionId,
) -> Result<ReconcileView, ObserveError> {
    let official = tabulation::current_protocols(store, election).await?;
    let ballot = official.ballot.clone();
    let held = read_held(store, election).await?;
    let official: BTreeMap<String, CurrentProtocol> =
        official.protocols.into_iter().map(|it| (it.protocol.station().to_string(), it)).collect();
    let mut stations = Vec::with_capacity(official.len().max(held.len()));
    let mut sums = Sums::new(ballot.len());
    let mut all: Vec<&String> = official.keys().chain(held.keys()).collect();
    all.sort_unstable();
    all.dedup();
    for station in all {
        let current = official.get(station);
        let Some(by_observer) = held.get(station) else {
            stations.push(row(station, None, "missing-copy", current));
            continue;
        };
        let mut counted = false;
        for (observer, held) in by_observer {
            let mut out = row(station, Some(observer), "missing-copy", current);
            if let Some((version, copy)) = &held.copy {
                let lines = copy.protocol_lines(&ballot);
                out.copy_version = Some(*version);
                out.copy_turnout = Some(turnout(&lines));
                out.copy_breaks = breaks(station, &lines, &ballot);
                match current {
                    None => out.status = "missing-official",
                    Some(current) => {
                        let official_lines = current.protocol.lines();
                        compare(&mut out, current, (&lines, copy), &ballot);
                        if out.status == "mismatch" && current.version.0 > 1 {
                            out.matches_version =
                                earlier_match(store, election, station, &lines).await?;
                        }
                        if !counted {
                            sums.add(official_lines, &lines);
                            counted = true;
                        }
                    }
                }
            } else if let Some(status) = &held.status {
                with_status(&mut out, status);
            }
            stations.push(out);
        }
    }
    let findings = findings(&stations);
    Ok(ReconcileView {
        election: election.to_string(),
        stations,
        totals: sums.totals(&ballot),
        findings,
    })
}

/// The organisation whose key signed `entry`, which must be the one its payload and
/// subject name.
fn signer(entry: &CurrentEntry, observer: &str, station: &str) -> Result<String, ObserveError> {
    let signed_by = observe::organisation_of(&entry.commission);
    if signed_by != Some(observer) || entry.subject != format!("{observer}/{station}") {
        let detail = format!(
            "signed by {}, but its payload names observer {observer} and station {station}",
            entry.commission
        );
        return Err(stored(&entry.subject, detail));
    }
    Ok(observer.to_owned())
}

/// `out` as the organisation's status without a copy says.
fn with_status(out: &mut StationRow, status: &StatusPayload) {
    out.status = match status.status.as_str() {
        "refused" => "refused",
        "not-admitted" => "not-admitted",
        "removed" => "removed",
        _ => "missing-copy",
    };
    out.time = Some(status.time.clone());
    out.note = Some(status.note.clone()).filter(|it| !it.is_empty());
}

/// Rows per status, overall and by region.
fn findings(stations: &[StationRow]) -> Findings {
    let mut findings = Findings { by_status: BTreeMap::new(), by_region: BTreeMap::new() };
    for row in stations {
        *findings.by_status.entry(row.status).or_default() += 1;
        let region = findings.by_region.entry(row.region.clone()).or_default();
        *region.entry(row.status).or_default() += 1;
    }
    findings
}

/// What each organisation holds, by station and organisation.
async fn read_held(
    store: &Store,
    election: &ElectionId,
) -> Result<BTreeMap<String, BTreeMap<String, Held>>, ObserveError> {
    let mut held: BTreeMap<String, BTreeMap<String, Held>> = BTreeMap::new();
    for entry in observe::current_entries(store, election, COPY_KIND).await? {
        let copy =
            CopyPayload::read(&entry.payload).map_err(|detail| stored(&entry.subject, detail))?;
        let observer = signer(&entry, &copy.observer, &copy.station)?;
        let slot = held.entry(copy.station.clone()).or_default();
        slot.entry(observer).or_default().copy = Some((entry.version, copy));
    }
    for entry in observe::current_entries(store, election, STATUS_KIND).await? {
        let status =
            StatusPayload::read(&entry.payload).map_err(|detail| stored(&entry.subject, detail))?;
        let observer = signer(&entry, &status.observer, &status.station)?;
        let slot = held.entry(status.station.clone()).or_default();
        slot.entry(observer).or_default().status = Some(status);
    }
    Ok(held)
}

fn stored(subject: &str, detail: String) -> ObserveError {
    ObserveError::Stored { subject: subject.to_owned(), detail }
}

/// A row of `station` with `status`, its official version filled in.
fn row(
    station: &str,
    observer: Option<&String>,
    status: &'static str,
    current: Option<&CurrentProtocol>,
) -> StationRow {
    StationRow {
        station: station.to_owned(),
        region: station.get(..2).unwrap_or(station).to_owned(),
        observer: observer.cloned(),
        status,
        official_version: current.map(|it| it.version.0),
        copy_version: None,
        matches_version: None,
        official_turnout: current.map(|it| turnout(it.protocol.lines())),
        copy_turnout: None,
        lines: Vec::new(),
        extra_lines: Vec::new(),
        official_breaks: Vec::new(),
        copy_breaks: Vec::new(),
        time: None,
        note: None,
    }
}

/// Line 6 over line 1, percent, 4 decimals.
fn turnout(lines: &ProtocolLines) -> String {
    Exact::percent(Votes(lines.found_in_boxes.0), Votes(lines.voters_on_roll.0)).decimal
}

/// The `P-` codes `lines` break.
fn breaks(station: &str, lines: &ProtocolLines, ballot: &BallotLists) -> Vec<String> {
    let Ok(station) = StationId::parse(station) else { return Vec::new() };
    let mut codes: Vec<String> = violations(station, lines, ballot.len())
        .iter()
        .map(|it| it.kind.rule().code().to_owned())
        .collect();
    codes.dedup();
    codes
}

/// Every line where the two differ, in form order.
fn differences(
    official: &ProtocolLines,
    copy: &ProtocolLines,
    ballot: &BallotLists,
) -> Vec<LineDiff> {
    official
        .iter()
        .filter_map(|(line, value)| {
            let other = copy.get(line);
            (value != other).then(|| LineDiff {
                line: line_key(line, ballot),
                official: value,
                copy: other,
                difference: i128::from(value) - i128::from(other),
            })
        })
        .collect()
}

/// `out` with the lines of the official protocol `current` and the copy compared: a
/// match, or a mismatch with every differing line and v2 line.
fn compare(
    out: &mut StationRow,
    current: &CurrentProtocol,
    (lines, copy): (&ProtocolLines, &CopyPayload),
    ballot: &BallotLists,
) {
    out.lines = differences(current.protocol.lines(), lines, ballot);
    out.extra_lines = extra_differences(current.protocol.extra(), copy);
    if out.lines.is_empty() && out.extra_lines.is_empty() {
        out.status = "match";
        out.matches_version = Some(current.version.0);
    } else {
        out.status = "mismatch";
    }
}

/// The v2 lines and times that both sides have and that differ, in file order.
fn extra_differences(official: &ProtocolExtra, copy: &CopyPayload) -> Vec<ExtraDiff> {
    ExtraLine::ALL
        .iter()
        .filter_map(|line| {
            let official = official.text(*line)?;
            let copy = copy.extra.get(line.key())?;
            (official != *copy).then(|| ExtraDiff {
                line: line.key(),
                official,
                copy: copy.clone(),
            })
        })
        .collect()
}

/// The earlier official version whose lines equal the copy's, if any.
async fn earlier_match(
    store: &Store,
    election: &ElectionId,
    station: &str,
    copy: &ProtocolLines,
) -> Result<Option<u64>, ObserveError> {
    let history = tabulation::history(store, election, station).await?;
    Ok(history.iter().rev().find(|it| it.protocol.lines() == copy).map(|it| it.version.0))
}

/// Both sides' lines summed over the stations compared.
struct Sums {
    stations: usize,
    official: [u64; 2],
    copy: [u64; 2],
    official_lists: Vec<u64>,
    copy_lists: Vec<u64>,
}

impl Sums {
    fn new(lists: usize) -> Sums {
        Sums {
            stations: 0,
            official: [0; 2],
            copy: [0; 2],
            official_lists: vec![0; lists],
            copy_lists: vec![0; lists],
        }
    }

    fn add(&mut self, official: &ProtocolLines, copy: &ProtocolLines) {
        self.stations += 1;
        for (sums, lists, lines) in [
            (&mut self.official, &mut self.official_lists, official),
            (&mut self.copy, &mut self.copy_lists, copy),
        ] {
            sums[0] = sums[0].saturating_add(lines.voters_on_roll.0);
            sums[1] = sums[1].saturating_add(lines.found_in_boxes.0);
            for (sum, votes) in lists.iter_mut().zip(&lines.list_votes) {
                *sum = sum.saturating_add(votes.0);
            }
        }
    }

    fn totals(&self, ballot: &BallotLists) -> Totals {
        let side = |sums: &[u64; 2], lists: &[u64]| {
            let all: u64 = lists.iter().fold(0, |sum, it| sum.saturating_add(*it));
            Side {
                voters_on_roll: sums[0],
                found_in_boxes: sums[1],
                turnout: Exact::percent(Votes(sums[1]), Votes(sums[0])).decimal,
                lists: ballot
                    .lists()
                    .iter()
                    .zip(lists)
                    .map(|(list, votes)| ListShare {
                        list: list.id.to_string(),
                        votes: *votes,
                        share: Exact::percent(Votes(*votes), Votes(all)).decimal,
                    })
                    .collect(),
            }
        };
        let (seats, seats_error) = match self.seats(ballot) {
            Ok(seats) => (seats, None),
            Err(err) => (Vec::new(), Some(err)),
        };
        Totals {
            stations_compared: self.stations,
            official: side(&self.official, &self.official_lists),
            copy: side(&self.copy, &self.copy_lists),
            seats,
            seats_error,
        }
    }

    /// Seats of both sides under the bundled 2021 rules, at 7 % and at 5 %.
    fn seats(&self, ballot: &BallotLists) -> Result<Vec<SeatRow>, String> {
        if self.stations == 0 {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = ballot.lists().iter().map(|list| list.id.as_str()).collect();
        let mut res = Vec::new();
        for (threshold, overrides) in [("7%", &[][..]), ("5%", &["rules.threshold=5%"][..])] {
            let rules =
                crate::pvt::seats::seat_rules(None, overrides).map_err(|it| it.to_string())?;
            let official = rules.seats(&ids, &self.official_lists)?;
            let copy = rules.seats(&ids, &self.copy_lists)?;
            for ((id, official), copy) in ids.iter().zip(official).zip(copy) {
                res.push(SeatRow { threshold, list: (*id).to_owned(), official, copy });
            }
        }
        Ok(res)
    }
}
