//! `saylau results`: totals of every commission up the hierarchy, derived from the current
//! version of each station's signed protocol, and the seats they give.
//!
//! Nothing here is typed in: the store hands back the current protocols decoded from
//! their payloads, `saylau_core::count::protocol::tabulate` sums them per commission, and the
//! national totals become the contest whose seats the rules of an election file allocate
//! (by default the bundled 2021 Mazhilis rules: Hare largest remainder, 98 seats, 7 %).
//! `--station ID` shows one station's current protocol, and `--history` every version
//! with who submitted it, when, why, and its hashes.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_core::count::commission::{CommissionId, Level, StationId};
use saylau_core::count::protocol::{
    BallotLists, Line, ProtocolLines, ProtocolTotals, TotalsContestError, tabulate,
};
use saylau_core::seats::allocation::allocate;
use saylau_core::seats::report::{AllocationReport, allocation_report};
use saylau_core::systems::system::System;
use saylau_formats::{parse_election, read_election};
use saylau_store::id::ElectionId;
use saylau_store::tabulation::{CurrentProtocols, HistoryEntry};
use serde::Serialize;

use crate::cmd::db;
use crate::cmd::import::DEFAULT_ELECTION;
use crate::cmd::trust::{self, TrustArgs};
use crate::output;
use crate::table::{grouped, new_table, number};

/// Arguments of `saylau results`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The commissions to total: the whole country, each region, each district, or each
    /// station.
    #[arg(long, value_enum, default_value = "national")]
    level: LevelArg,
    /// One polling station's current protocol (`RR-DD-SSSS`).
    #[arg(long, value_name = "ID")]
    station: Option<String>,
    /// With `--station`: every version of its protocol, with who, when, why and hashes.
    #[arg(long, requires = "station")]
    history: bool,
    /// An election file whose rules allocate the seats; its lists must be the imported
    /// lists (default: the bundled data/kz/mazhilis-2021.toml).
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// The election.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Print the results as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    trust: TrustArgs,
}

/// A level of `--level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LevelArg {
    National,
    Region,
    District,
    Station,
}

/// The bundled rules of the 2021 Mazhilis election.
const MAZHILIS_2021: (&str, &str) =
    ("data/kz/mazhilis-2021.toml", include_str!("../../../../data/kz/mazhilis-2021.toml"));

/// The totals of one commission.
#[derive(Debug, Serialize)]
pub(crate) struct TotalsJson {
    id: String,
    name: Option<String>,
    stations: u64,
    lines: LinesJson,
    lists: Vec<ListVotesJson>,
}

/// The lines 1 to 9 of a protocol or of totals.
#[derive(Debug, Serialize)]
struct LinesJson {
    voters_on_roll: u64,
    ballots_received: u64,
    issued_in_station: u64,
    issued_outside: u64,
    cancelled: u64,
    found_in_boxes: u64,
    invalid: u64,
    valid: u64,
    against_all: u64,
}

#[derive(Debug, Serialize)]
struct ListVotesJson {
    id: String,
    votes: u64,
}

/// The national result with seats.
#[derive(Debug, Serialize)]
pub(crate) struct NationalJson {
    election: String,
    level: &'static str,
    rules: String,
    stations: u64,
    /// The polling stations registered for the election.
    stations_registered: u64,
    /// Registered stations without a protocol: the result is not final while there are any.
    stations_missing: u64,
    lines: LinesJson,
    lists: Vec<SeatedListJson>,
    allocation: AllocationReport,
}

/// A list's national votes and seats.
#[derive(Debug, Serialize)]
pub(crate) struct SeatedListJson {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) votes: u64,
    pub(crate) seats: u32,
}

#[derive(Serialize)]
struct LevelJson {
    election: String,
    level: &'static str,
    commissions: Vec<TotalsJson>,
}

#[derive(Serialize)]
struct StationJson {
    election: String,
    station: String,
    version: u64,
    lines: LinesJson,
    lists: Vec<ListVotesJson>,
    history: Option<Vec<VersionJson>>,
}

#[derive(Serialize)]
struct VersionJson {
    version: u64,
    seq: u64,
    author: String,
    commission: String,
    key_id: String,
    reason: Option<String>,
    recorded_at: String,
    content_hash: String,
    entry_hash: String,
    batch: Option<u64>,
    lines: LinesJson,
    lists: Vec<ListVotesJson>,
}

/// Runs `saylau results`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    if let Some(station) = &args.station {
        return station_results(args, db, station);
    }
    let current = trust::current_protocols(db, &args.election, &args.trust)?.value;
    let level = match args.level {
        LevelArg::National => return national(args, &current),
        LevelArg::Region => Level::Region,
        LevelArg::District => Level::District,
        LevelArg::Station => Level::Precinct,
    };
    let commissions = level_totals(&current, level)?;
    if args.json {
        let level = level_name(args.level);
        let election = args.election.to_string();
        print_large_json(&LevelJson { election, level, commissions })?;
    } else {
        output::print_text(&render_level(&current.ballot, &commissions))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints pretty JSON through a buffer: a level of 100,000 stations is millions of lines,
/// which the line-buffered stdout would write one system call each.
fn print_large_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value).context("writing JSON")?;
    writeln!(out).context("writing JSON")?;
    out.flush().context("writing JSON")
}

fn level_name(level: LevelArg) -> &'static str {
    match level {
        LevelArg::National => "national",
        LevelArg::Region => "region",
        LevelArg::District => "district",
        LevelArg::Station => "station",
    }
}

/// The totals of every commission of `level`, by id.
fn level_totals(current: &CurrentProtocols, level: Level) -> anyhow::Result<Vec<TotalsJson>> {
    let protocols = current.protocols.iter().map(|it| &it.protocol);
    let totals = tabulate(protocols, current.ballot.len(), level)?;
    Ok(totals
        .iter()
        .map(|(id, totals)| {
            totals_json(
                *id,
                current.hierarchy.name(*id),
                totals.stations(),
                totals.lines(),
                &current.ballot,
            )
        })
        .collect())
}

fn totals_json(
    id: CommissionId,
    name: Option<String>,
    stations: u64,
    lines: &ProtocolLines,
    ballot: &BallotLists,
) -> TotalsJson {
    TotalsJson {
        id: id.to_string(),
        name,
        stations,
        lines: lines_json(lines),
        lists: lists_json(lines, ballot),
    }
}

fn lines_json(lines: &ProtocolLines) -> LinesJson {
    LinesJson {
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

fn lists_json(lines: &ProtocolLines, ballot: &BallotLists) -> Vec<ListVotesJson> {
    ballot
        .lists()
        .iter()
        .zip(&lines.list_votes)
        .map(|(list, votes)| ListVotesJson { id: list.id.to_string(), votes: votes.0 })
        .collect()
}

/// The national totals and the seats they give under the rules of `--rules`.
pub(crate) fn national_result(
    current: &CurrentProtocols,
    rules: Option<&std::path::Path>,
    election: &str,
) -> anyhow::Result<NationalJson> {
    let protocols = current.protocols.iter().map(|it| &it.protocol);
    let totals = ProtocolTotals::of(protocols, current.ballot.len())?;
    let (source, file) = match rules {
        Some(path) => (path.display().to_string(), read_election(path, &[])),
        None => (MAZHILIS_2021.0.to_owned(), parse_election(MAZHILIS_2021.0, MAZHILIS_2021.1, &[])),
    };
    let file = file.map_err(output::Rejected)?;
    let System::List { contest: template, rules } = file.system else {
        anyhow::bail!("{source}: results need an election file of one nationwide list contest");
    };
    let contest = match totals.contest_for(&template, &current.ballot) {
        Err(TotalsContestError::ListsDiffer) => {
            let ids: Vec<&str> = current.ballot.lists().iter().map(|it| it.id.as_str()).collect();
            anyhow::bail!(
                "{source}: its lists are not the imported lists ({}); pass --rules with an election file of these lists",
                ids.join(", ")
            );
        }
        res => res?,
    };
    let allocation =
        allocate(&rules, &contest).with_context(|| format!("allocating with {source}"))?;
    let report = allocation_report(&contest, &rules, &allocation);
    let lists = report
        .lists
        .iter()
        .map(|list| SeatedListJson {
            id: list.id.to_string(),
            name: list.name.clone(),
            votes: list.votes.0,
            seats: list.seats.0,
        })
        .collect();
    Ok(NationalJson {
        election: election.to_owned(),
        level: "national",
        rules: source,
        stations: totals.stations(),
        stations_registered: current.registered_stations,
        stations_missing: current.registered_stations.saturating_sub(totals.stations()),
        lines: lines_json(totals.lines()),
        lists,
        allocation: report,
    })
}

fn national(args: &Args, current: &CurrentProtocols) -> anyhow::Result<ExitCode> {
    let result = national_result(current, args.rules.as_deref(), args.election.as_str())?;
    if args.json {
        output::print_json(&result)?;
    } else {
        output::print_text(&render_national(&result))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The national result as a terminal table.
pub(crate) fn render_national(result: &NationalJson) -> String {
    let mut table = new_table(&["list", "votes", "seats"]);
    for list in &result.lists {
        let name = comfy_table::Cell::new(&list.name);
        table.add_row(vec![name, number(grouped(list.votes)), number(list.seats.to_string())]);
    }
    let lines = &result.lines;
    let missing = match result.stations_missing {
        0 => String::new(),
        missing => format!(
            "NOT FINAL: {} of the {} registered stations have no protocol in the store yet\n",
            grouped(missing),
            grouped(result.stations_registered)
        ),
    };
    format!(
        "National result of {} from {} stations' current protocols (rules: {})\n{missing}\
         voters on the rolls {} · ballots in the boxes {} · invalid {} · valid {}\n\n{table}\n",
        result.election,
        grouped(result.stations),
        result.rules,
        grouped(lines.voters_on_roll),
        grouped(lines.found_in_boxes),
        grouped(lines.invalid),
        grouped(lines.valid),
    )
}

fn render_level(ballot: &BallotLists, commissions: &[TotalsJson]) -> String {
    let mut header = vec!["commission", "stations", "voters", "in boxes", "valid"];
    header.extend(ballot.lists().iter().map(|list| list.id.as_str()));
    let mut table = new_table(&header);
    for totals in commissions {
        let label = match &totals.name {
            Some(name) => format!("{} {name}", totals.id),
            None => totals.id.clone(),
        };
        let mut row = vec![comfy_table::Cell::new(label), number(grouped(totals.stations))];
        for value in [totals.lines.voters_on_roll, totals.lines.found_in_boxes, totals.lines.valid]
        {
            row.push(number(grouped(value)));
        }
        row.extend(totals.lists.iter().map(|list| number(grouped(list.votes))));
        table.add_row(row);
    }
    format!("{table}\n")
}

/// `--station ID [--history]`.
fn station_results(args: &Args, db: &str, station: &str) -> anyhow::Result<ExitCode> {
    let id = StationId::parse(station).with_context(|| format!("--station {station}"))?;
    let trust = args.trust.trust(db)?;
    let (versions, ballot) = db::block_on(async {
        let store = db::open(db).await?;
        let station = id.to_string();
        let res = saylau_store::checked::history(&store, &args.election, &station, &trust).await;
        store.close().await;
        res.map(|it| it.value).map_err(trust::refused)
    })??;
    let Some(last) = versions.last() else {
        anyhow::bail!("station {id} has no protocol in election {}", args.election);
    };
    let json = StationJson {
        election: args.election.to_string(),
        station: id.to_string(),
        version: last.version.0,
        lines: lines_json(last.protocol.lines()),
        lists: lists_json(last.protocol.lines(), &ballot),
        history: args
            .history
            .then(|| versions.iter().map(|it| version_json(it, &ballot)).collect()),
    };
    if args.json {
        output::print_json(&json)?;
    } else {
        output::print_text(&render_station(&json, &ballot))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn version_json(entry: &HistoryEntry, ballot: &BallotLists) -> VersionJson {
    VersionJson {
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
        lines: lines_json(entry.protocol.lines()),
        lists: lists_json(entry.protocol.lines(), ballot),
    }
}

fn render_station(json: &StationJson, ballot: &BallotLists) -> String {
    let mut table = new_table(&["line", "value"]);
    let lines = &json.lines;
    let values = [
        lines.voters_on_roll,
        lines.ballots_received,
        lines.issued_in_station,
        lines.issued_outside,
        lines.cancelled,
        lines.found_in_boxes,
        lines.invalid,
        lines.valid,
        lines.against_all,
    ];
    for (line, value) in Line::FIXED.iter().zip(values) {
        let label = format!("{} {}", line.number(), line.label());
        table.add_row(vec![comfy_table::Cell::new(label), number(grouped(value))]);
    }
    for (idx, (list, votes)) in ballot.lists().iter().zip(&json.lists).enumerate() {
        let label = format!("{} {}", Line::List(idx).number(), list.name);
        table.add_row(vec![comfy_table::Cell::new(label), number(grouped(votes.votes))]);
    }
    let mut out = format!(
        "Station {} of {}: version {}\n{table}\n",
        json.station, json.election, json.version
    );
    for version in json.history.iter().flatten() {
        let reason =
            version.reason.as_deref().map_or_else(String::new, |it| format!(", reason: {it}"));
        out.push_str(&format!(
            "version {} (entry {}) by {} with the key of {} at {}{reason}\n  content {}\n  entry   {}\n",
            version.version,
            version.seq,
            version.author,
            version.commission,
            version.recorded_at,
            version.content_hash,
            version.entry_hash,
        ));
    }
    out
}
