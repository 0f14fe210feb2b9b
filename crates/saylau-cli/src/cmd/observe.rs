//! `saylau observers add|revoke`, `saylau observe import` and `saylau reconcile`: clap
//! arguments and terminal rendering over `saylau_app::observe` and
//! `saylau_app::reconcile` (`docs/observation.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_app::observe::{self, ObserveError, import::ImportView};
use saylau_app::observe::{CommissionKey, KeyId};
use saylau_app::reconcile::{ReconcileView, reconcile};
use saylau_app::store::{ElectionId, Store};

use crate::cmd::db;
use crate::cmd::import::DEFAULT_ELECTION;
use crate::output;
use crate::table::{grouped, new_table, number};

/// Arguments of `saylau observers`.
#[derive(Debug, clap::Args)]
pub(crate) struct ObserversArgs {
    #[command(subcommand)]
    command: ObserversCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ObserversCommand {
    /// Register an observer organisation, signed by the CEC's key.
    Add(AddArgs),
    /// Revoke an observer key, signed by the CEC's key.
    Revoke(RevokeArgs),
}

#[derive(Debug, clap::Args)]
struct AddArgs {
    /// The organisation's id (no `/`).
    #[arg(long, value_name = "ORG")]
    id: String,
    /// Its name.
    #[arg(long, value_name = "NAME")]
    name: String,
    /// The CEC's private key (PKCS#8 PEM).
    #[arg(long, value_name = "PATH")]
    key: PathBuf,
    /// The election.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct RevokeArgs {
    /// The id of the observer key to revoke.
    #[arg(long = "key-id", value_name = "HEX")]
    key_id: KeyId,
    /// Why.
    #[arg(long, value_name = "TEXT")]
    note: String,
    /// The CEC's private key (PKCS#8 PEM).
    #[arg(long, value_name = "PATH")]
    key: PathBuf,
    /// The election.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `saylau observe`.
#[derive(Debug, clap::Args)]
pub(crate) struct ObserveArgs {
    #[command(subcommand)]
    command: ObserveCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ObserveCommand {
    /// Import an organisation's copies (a protocol file) or statuses (station,status,time,note).
    Import(ImportArgs),
    /// Write the observer report: self-contained HTML with charts, SVGs and JSON.
    Report(crate::cmd::observe_report::ReportArgs),
    /// Deploy one of the organisation's observers to a station (or withdraw them).
    Deploy(crate::cmd::observe_deploy::DeployArgs),
}

#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// The file: a protocol file (CSV or JSON) of copies, or a CSV of statuses.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The organisation's private key (from `saylau keys new --observer ORG`).
    #[arg(long, env = "SAYLAU_OBSERVER_KEY", hide_env_values = true, value_name = "PATH")]
    key: PathBuf,
    /// Who submits; recorded in every entry.
    #[arg(long, value_name = "NAME", default_value = "saylau observe import")]
    author: String,
    /// The election.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `saylau reconcile`.
#[derive(Debug, clap::Args)]
pub(crate) struct ReconcileArgs {
    /// The election.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Print every station and the totals as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `op` on the store at `db`, opened and closed around it; a refused input is exit
/// code 1 with its message, other errors go up.
pub(crate) fn on_store<T>(
    db: &str,
    op: impl AsyncFnOnce(&Store) -> Result<T, ObserveError>,
) -> anyhow::Result<Result<T, ExitCode>> {
    let res = db::block_on(async {
        let store = db::open(db).await?;
        let res = op(&store).await;
        store.close().await;
        anyhow::Ok(res)
    })??;
    outcome(res)
}

/// Exit code 1 with the message of refused input; other errors go up.
fn outcome<T>(res: Result<T, ObserveError>) -> anyhow::Result<Result<T, ExitCode>> {
    match res {
        Ok(value) => Ok(Ok(value)),
        Err(ObserveError::Refused { rule, message }) => {
            eprintln!("error: {message} (rule {rule})");
            Ok(Err(ExitCode::from(1)))
        }
        Err(ObserveError::File(diagnostics)) => Err(output::Rejected(diagnostics).into()),
        Err(err) => Err(err.into()),
    }
}

/// Runs `saylau observers`.
pub(crate) fn run_observers(args: &ObserversArgs, db: &str) -> anyhow::Result<ExitCode> {
    match &args.command {
        ObserversCommand::Add(add) => {
            let key = CommissionKey::read_pem(&add.key).context("reading the CEC's key")?;
            let view = match on_store(db, async |store| {
                observe::add_organisation(store, &add.election, &add.id, &add.name, &key).await
            })? {
                Ok(view) => view,
                Err(code) => return Ok(code),
            };
            if add.json {
                output::print_json(&view)?;
            } else {
                output::print_text(&format!(
                    "Observer organisation {} ({}) registered in election {} (log entry {})\n",
                    view.id, view.name, view.election, view.seq
                ))?;
            }
        }
        ObserversCommand::Revoke(revoke) => {
            let key = CommissionKey::read_pem(&revoke.key).context("reading the CEC's key")?;
            let view = match on_store(db, async |store| {
                let (election, note) = (&revoke.election, &revoke.note);
                observe::revoke_key(store, election, &revoke.key_id, note, &key).await
            })? {
                Ok(view) => view,
                Err(code) => return Ok(code),
            };
            if revoke.json {
                output::print_json(&view)?;
            } else {
                output::print_text(&format!(
                    "Key {} of observer {} revoked (log entry {})\n",
                    view.key_id, view.observer, view.seq
                ))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `saylau observe`.
pub(crate) fn run_observe(args: &ObserveArgs, db: &str) -> anyhow::Result<ExitCode> {
    let import = match &args.command {
        ObserveCommand::Import(import) => import,
        ObserveCommand::Report(report) => return crate::cmd::observe_report::run(report, db),
        ObserveCommand::Deploy(deploy) => return crate::cmd::observe_deploy::run(deploy, db),
    };
    let key = CommissionKey::read_pem(&import.key).context("reading the observer's key")?;
    let view = match on_store(db, async |store| {
        observe::import::import_file(store, &import.election, &import.file, &key, &import.author)
            .await
    })? {
        Ok(view) => view,
        Err(code) => return Ok(code),
    };
    if import.json {
        output::print_json(&view)?;
    } else {
        output::print_text(&render_import(&view))?;
    }
    Ok(if view.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn render_import(view: &ImportView) -> String {
    let mut out = format!(
        "Imported {} of observer {} from {} (election {})\n\n",
        view.content, view.observer, view.file, view.election
    );
    let mut table = new_table(&["rows", "count"]);
    let counts = &view.counts;
    let rows = [
        ("accepted (new)", counts.accepted),
        ("  of which break control relations (kept as evidence)", counts.flagged),
        ("unchanged", counts.unchanged),
        ("rejected", counts.rejected),
    ];
    for (label, count) in rows {
        let count = grouped(u64::try_from(count).unwrap_or(u64::MAX));
        table.add_row(vec![comfy_table::Cell::new(label), number(count)]);
    }
    out.push_str(&format!("{table}\n"));
    for flagged in &view.flagged {
        out.push_str(&format!(
            "flagged {}: the copy breaks {}\n",
            flagged.station,
            flagged.rules.join(", ")
        ));
    }
    for rejected in &view.rejected {
        let station = rejected.station.as_deref().unwrap_or("row");
        for reason in &rejected.reasons {
            out.push_str(&format!(
                "rejected {station}: {} (rule {})\n",
                reason.message, reason.rule
            ));
        }
    }
    out
}

/// Runs `saylau reconcile`.
pub(crate) fn run_reconcile(args: &ReconcileArgs, db: &str) -> anyhow::Result<ExitCode> {
    let view = match on_store(db, async |store| reconcile(store, &args.election).await)? {
        Ok(view) => view,
        Err(code) => return Ok(code),
    };
    if args.json {
        output::print_json(&view)?;
    } else {
        output::print_text(&render_reconcile(&view))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// At most this many mismatching stations are listed in the terminal (`--json` has all).
const MISMATCHES_SHOWN: usize = 30;

fn render_reconcile(view: &ReconcileView) -> String {
    let mut out = format!(
        "Reconciliation of observers' copies with the official protocols (election {})\n\n",
        view.election
    );
    let mut table = new_table(&["stations (per observer)", "count"]);
    for (status, count) in &view.findings.by_status {
        let count = grouped(u64::try_from(*count).unwrap_or(u64::MAX));
        table.add_row(vec![comfy_table::Cell::new(status), number(count)]);
    }
    out.push_str(&format!("{table}\n\n"));
    out.push_str(&render_mismatches(view));
    out.push_str(&render_totals(view));
    out.push_str(&render_regions(view));
    out
}

fn render_mismatches(view: &ReconcileView) -> String {
    let mut out = String::new();
    let mismatches: Vec<_> = view.stations.iter().filter(|it| it.status == "mismatch").collect();
    if !mismatches.is_empty() {
        let mut table =
            new_table(&["station", "observer", "line", "official", "copy", "official − copy"]);
        for row in mismatches.iter().take(MISMATCHES_SHOWN) {
            for line in &row.lines {
                table.add_row(vec![
                    comfy_table::Cell::new(&row.station),
                    comfy_table::Cell::new(row.observer.as_deref().unwrap_or("")),
                    comfy_table::Cell::new(&line.line),
                    number(grouped(line.official)),
                    number(grouped(line.copy)),
                    number(line.difference.to_string()),
                ]);
            }
        }
        out.push_str(&format!("Mismatches ({} stations", mismatches.len()));
        if mismatches.len() > MISMATCHES_SHOWN {
            out.push_str(&format!(", the first {MISMATCHES_SHOWN} shown; --json has all"));
        }
        out.push_str(&format!(")\n{table}\n\n"));
    }
    out
}

fn render_totals(view: &ReconcileView) -> String {
    let mut out = String::new();
    let totals = &view.totals;
    out.push_str(&format!(
        "Totals over the {} stations with both an official protocol and a copy\n",
        totals.stations_compared
    ));
    let mut table = new_table(&["", "official", "observers' copies"]);
    table.add_row(vec![
        comfy_table::Cell::new("turnout, %"),
        number(totals.official.turnout.clone()),
        number(totals.copy.turnout.clone()),
    ]);
    for (official, copy) in totals.official.lists.iter().zip(&totals.copy.lists) {
        table.add_row(vec![
            comfy_table::Cell::new(format!("{}, % of list votes", official.list)),
            number(official.share.clone()),
            number(copy.share.clone()),
        ]);
    }
    for seat in &totals.seats {
        table.add_row(vec![
            comfy_table::Cell::new(format!("{} seats at {}", seat.list, seat.threshold)),
            number(seat.official.to_string()),
            number(seat.copy.to_string()),
        ]);
    }
    out.push_str(&format!("{table}\n"));
    if let Some(err) = &totals.seats_error {
        out.push_str(&format!("seats not given: {err}\n"));
    }
    out
}

fn render_regions(view: &ReconcileView) -> String {
    let mut out = String::new();
    let mut table = new_table(&[
        "region",
        "compared",
        "mismatch",
        "refused",
        "not admitted",
        "removed",
        "missing copy",
        "missing official",
    ]);
    for (region, counts) in &view.findings.by_region {
        let get = |status: &str| {
            grouped(u64::try_from(counts.get(status).copied().unwrap_or(0)).unwrap_or(0))
        };
        let compared = counts.get("match").copied().unwrap_or(0)
            + counts.get("mismatch").copied().unwrap_or(0);
        table.add_row(vec![
            comfy_table::Cell::new(region),
            number(grouped(u64::try_from(compared).unwrap_or(0))),
            number(get("mismatch")),
            number(get("refused")),
            number(get("not-admitted")),
            number(get("removed")),
            number(get("missing-copy")),
            number(get("missing-official")),
        ]);
    }
    out.push_str(&format!("\nFindings by region\n{table}\n"));
    out
}
