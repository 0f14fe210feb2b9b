//! `saylau incidents import|status|summary|export`: clap arguments and terminal rendering
//! over `saylau_app::incidents` (`docs/observation.md`, "Incidents").

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_app::incidents::record::{IncidentImportView, change_state, import_incidents};
use saylau_app::incidents::{IncidentSummary, export, summary};
use saylau_app::observe::CommissionKey;
use saylau_app::store::ElectionId;

use crate::cmd::import::DEFAULT_ELECTION;
use crate::cmd::observe::on_store;
use crate::output;
use crate::table::{grouped, new_table, number};

/// Arguments of `saylau incidents`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
    /// The election.
    #[arg(long, global = true, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Print the result as JSON.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Import an organisation's incident reports (CSV or JSON) with their evidence files.
    Import(ImportArgs),
    /// Move a report along its follow-up: reported, filed, answered, in-court, closed.
    Status(StatusArgs),
    /// Violations, stations, share of observed stations, by type, region and hour.
    Summary,
    /// Every report with its history and evidence checked against its SHA-256 (CSV or --json).
    Export,
}

#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// The incident file (`.json`, or CSV starting `# saylau-incidents v1`).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The organisation's private key (from `saylau keys new --observer ORG`).
    #[arg(long, env = "SAYLAU_OBSERVER_KEY", hide_env_values = true, value_name = "PATH")]
    key: PathBuf,
    /// Who submits; recorded in every entry.
    #[arg(long, value_name = "NAME", default_value = "saylau incidents import")]
    author: String,
}

#[derive(Debug, clap::Args)]
struct StatusArgs {
    /// The report's id (`ID`, or `ORG/ID` of the key's organisation).
    #[arg(value_name = "ID")]
    id: String,
    /// The state it moves to: filed, answered, in-court or closed.
    #[arg(long, value_name = "STATE")]
    to: saylau_app::incidents::State,
    /// Why, or what the commission or court said (required).
    #[arg(long, value_name = "TEXT")]
    note: String,
    /// The organisation's private key.
    #[arg(long, env = "SAYLAU_OBSERVER_KEY", hide_env_values = true, value_name = "PATH")]
    key: PathBuf,
    /// Who submits; recorded in the entry.
    #[arg(long, value_name = "NAME", default_value = "saylau incidents status")]
    author: String,
}

/// Runs `saylau incidents`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    match &args.command {
        Command::Import(import) => run_import(args, import, db),
        Command::Status(status) => run_status(args, status, db),
        Command::Summary => run_summary(args, db),
        Command::Export => run_export(args, db),
    }
}

fn run_import(args: &Args, import: &ImportArgs, db: &str) -> anyhow::Result<ExitCode> {
    let key = CommissionKey::read_pem(&import.key).context("reading the observer's key")?;
    let view = match on_store(db, async |store| {
        import_incidents(store, &args.election, &import.file, &key, &import.author).await
    })? {
        Ok(view) => view,
        Err(code) => return Ok(code),
    };
    if args.json {
        output::print_json(&view)?;
    } else {
        output::print_text(&render_import(&view))?;
    }
    Ok(if view.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn run_status(args: &Args, status: &StatusArgs, db: &str) -> anyhow::Result<ExitCode> {
    let key = CommissionKey::read_pem(&status.key).context("reading the observer's key")?;
    let view = match on_store(db, async |store| {
        let (id, note, author) = (&status.id, &status.note, &status.author);
        change_state(store, &args.election, id, status.to, note, &key, author).await
    })? {
        Ok(view) => view,
        Err(code) => return Ok(code),
    };
    if args.json {
        output::print_json(&view)?;
    } else {
        output::print_text(&format!(
            "Incident {}/{}: {} → {} (log entry {})\n",
            view.observer, view.id, view.from, view.to, view.seq
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn run_summary(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let view = match on_store(db, async |store| summary(store, &args.election).await)? {
        Ok(view) => view,
        Err(code) => return Ok(code),
    };
    if args.json {
        output::print_json(&view)?;
    } else {
        output::print_text(&render_summary(&view))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn run_export(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let view = match on_store(db, async |store| export(store, &args.election).await)? {
        Ok(view) => view,
        Err(code) => return Ok(code),
    };
    if args.json {
        output::print_json(&view)?;
    } else {
        output::print_text(&view.to_csv()?)?;
    }
    for problem in &view.evidence_problems {
        eprintln!("error: {problem}");
    }
    Ok(if view.evidence_problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn render_import(view: &IncidentImportView) -> String {
    let mut out = format!(
        "Imported incidents of observer {} from {} (election {})\n\n",
        view.observer, view.file, view.election
    );
    let mut table = new_table(&["reports", "count"]);
    let rows = [
        ("accepted (new)", view.accepted),
        ("evidence files of the accepted", view.evidence_files),
        ("unchanged", view.unchanged),
        ("rejected", view.rejected.len()),
    ];
    for (label, count) in rows {
        let count = grouped(u64::try_from(count).unwrap_or(u64::MAX));
        table.add_row(vec![comfy_table::Cell::new(label), number(count)]);
    }
    out.push_str(&format!("{table}\n"));
    for rejected in &view.rejected {
        for reason in &rejected.reasons {
            out.push_str(&format!("rejected: {} (rule {})\n", reason.message, reason.rule));
        }
    }
    out
}

fn count(value: usize) -> comfy_table::Cell {
    number(grouped(u64::try_from(value).unwrap_or(u64::MAX)))
}

fn render_summary(view: &IncidentSummary) -> String {
    let mut out = format!(
        "Incidents of election {}: {} violations at {} stations, {} % of the {} stations \
         observed ({} at the end of the day, from 20:00)\n\n",
        view.election,
        view.violations,
        view.stations,
        view.share_of_observed,
        view.observed_stations,
        view.end_of_day
    );
    let mut table = new_table(&["type", "тип", "түрі", "violations", "stations"]);
    for row in view.by_type.iter().filter(|it| it.violations > 0) {
        table.add_row(vec![
            comfy_table::Cell::new(row.labels.en),
            comfy_table::Cell::new(row.labels.ru),
            comfy_table::Cell::new(row.labels.kk),
            count(row.violations),
            count(row.stations),
        ]);
    }
    out.push_str(&format!("By type\n{table}\n\n"));
    let mut table = new_table(&["region", "violations", "stations"]);
    for row in &view.by_region {
        table.add_row(vec![
            comfy_table::Cell::new(&row.region),
            count(row.violations),
            count(row.stations),
        ]);
    }
    out.push_str(&format!("By region\n{table}\n\n"));
    let mut table = new_table(&["hour", "violations"]);
    for row in view.by_hour.iter().filter(|it| it.violations > 0) {
        table.add_row(vec![
            comfy_table::Cell::new(format!("{:02}:00", row.hour)),
            count(row.violations),
        ]);
    }
    out.push_str(&format!("By hour (as written in the reports)\n{table}\n\n"));
    let mut table = new_table(&["state", "reports"]);
    for row in &view.by_state {
        table.add_row(vec![comfy_table::Cell::new(row.labels.en), count(row.violations)]);
    }
    out.push_str(&format!("Follow-up\n{table}\n\n"));
    let published = &view.published;
    out.push_str(&format!(
        "Published aggregate (not station data): {}: {} violations at {} stations, {} at the \
         end of the day; copies refused at {} stations. Source: {}\n",
        published.name,
        published.violations,
        published.stations,
        published.end_of_day,
        published.copies_refused,
        published.source
    ));
    out
}
