//! `saylau results`: totals of every commission up the hierarchy, derived from the current
//! version of each station's signed protocol, and the seats they give.
//!
//! The use case is `saylau_app::results`; this file is its arguments and its terminal
//! tables. `--station ID` shows one station's current protocol, and `--history` every
//! version with who submitted it, when, why, and its hashes.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_app::results::{self, Level, LevelTotals, Line, National, Station};
use saylau_app::store::ElectionId;
use serde::Serialize;

use crate::cmd::db;
use crate::cmd::import::DEFAULT_ELECTION;
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
}

/// A level of `--level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LevelArg {
    National,
    Region,
    District,
    Station,
}

impl LevelArg {
    fn level(self) -> Level {
        match self {
            LevelArg::National => Level::National,
            LevelArg::Region => Level::Region,
            LevelArg::District => Level::District,
            LevelArg::Station => Level::Station,
        }
    }
}

/// Runs `saylau results`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    if let Some(station) = &args.station {
        return station_results(args, db, station);
    }
    let current = db::current_protocols(db, &args.election)?;
    let election = args.election.as_str();
    if args.level == LevelArg::National {
        let result = results::national(&current, args.rules.as_deref(), election)
            .map_err(output::app_error)?;
        if args.json {
            output::print_json(&result)?;
        } else {
            output::print_text(&render_national(&result))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let totals =
        results::level_totals(&current, args.level.level(), election).map_err(output::app_error)?;
    if args.json {
        print_large_json(&totals)?;
    } else {
        output::print_text(&render_level(&totals))?;
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

/// The national result as a terminal table.
pub(crate) fn render_national(result: &National) -> String {
    let mut table = new_table(&["list", "votes", "seats"]);
    for list in &result.lists {
        let name = comfy_table::Cell::new(&list.name);
        table.add_row(vec![name, number(grouped(list.votes)), number(list.seats.to_string())]);
    }
    let lines = &result.lines;
    format!(
        "National result of {} from {} stations' current protocols (rules: {})\n\
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

fn render_level(totals: &LevelTotals) -> String {
    let mut header = vec!["commission", "stations", "voters", "in boxes", "valid"];
    header.extend(totals.list_ids.iter().map(String::as_str));
    let mut table = new_table(&header);
    for totals in &totals.commissions {
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
    let json = db::block_on(async {
        let store = db::open(db).await?;
        let res = results::station(&store, &args.election, station, args.history).await;
        store.close().await;
        res.map_err(output::app_error)
    })??;
    if args.json {
        output::print_json(&json)?;
    } else {
        output::print_text(&render_station(&json))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn render_station(json: &Station) -> String {
    let mut table = new_table(&["line", "value"]);
    for (line, value) in Line::FIXED.iter().zip(json.lines.values()) {
        let label = format!("{} {}", line.number(), line.label());
        table.add_row(vec![comfy_table::Cell::new(label), number(grouped(value))]);
    }
    for (idx, (name, votes)) in json.list_names.iter().zip(&json.lists).enumerate() {
        let label = format!("{} {name}", Line::List(idx).number());
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
