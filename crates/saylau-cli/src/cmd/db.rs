//! `saylau db init`: creates the protocol store, or migrates it to this program's schema;
//! `saylau db backup --out FILE`: a consistent, verified copy of a SQLite store.
//!
//! Also how the store commands (`db`, `keys`, `log`) reach the store named by the global
//! `--db` option (a SQLite file, `saylau.sqlite` by default, or a `postgres://` URL) and
//! run its async calls.

use std::future::Future;
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_store::location::Location;
use saylau_store::store::{Backend, Store};
use saylau_store::verify::Verification;
use serde::Serialize;

use crate::output;

/// Arguments of `saylau db`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: DbCommand,
}

#[derive(Debug, clap::Subcommand)]
enum DbCommand {
    /// Create the store, or apply the migrations it lacks; safe to run again.
    Init(InitArgs),
    /// Write a consistent copy of a SQLite store to a new file, even during an import, and
    /// verify it against the checkpoint taken with it (PostgreSQL: pg_dump).
    Backup(BackupArgs),
}

#[derive(Debug, clap::Args)]
struct BackupArgs {
    /// The new file to write; an existing file is never overwritten.
    #[arg(long, value_name = "FILE")]
    out: std::path::PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct BackupJson {
    backup: String,
    checkpoint: String,
    entries: u64,
    verified: bool,
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct InitJson<'a> {
    backend: &'static str,
    location: String,
    schema_version: i64,
    applied: &'a [i64],
}

/// Runs `saylau db`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let init = match &args.command {
        DbCommand::Init(init) => init,
        DbCommand::Backup(backup) => return run_backup(backup, db),
    };
    let location = Location::parse(db);
    let (backend, done) = block_on(async {
        let (store, done) = Store::init(&location).await?;
        store.close().await;
        anyhow::Ok((store.backend(), done))
    })??;
    if init.json {
        output::print_json(&InitJson {
            backend: backend_name(backend),
            location: location.to_string(),
            schema_version: done.schema_version,
            applied: &done.applied,
        })?;
    } else {
        let applied = match done.applied.as_slice() {
            [] => "up to date".to_owned(),
            versions => format!("applied migrations {versions:?}"),
        };
        output::print_text(&format!(
            "Store {location} ({}): schema version {}, {applied}\n",
            backend_name(backend),
            done.schema_version
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `saylau db backup`: exit 0 when the copy verifies, 1 when it does not.
fn run_backup(args: &BackupArgs, db: &str) -> anyhow::Result<ExitCode> {
    let done = block_on(async {
        let store = open(db).await?;
        let res = saylau_store::backup::backup(&store, &args.out).await;
        store.close().await;
        anyhow::Ok(res?)
    })??;
    let verified = matches!(done.verification, Verification::Intact { .. });
    let backup = args.out.display().to_string();
    if args.json {
        output::print_json(&BackupJson {
            backup,
            checkpoint: done.checkpoint.to_string(),
            entries: done.checkpoint.seq.0,
            verified,
        })?;
    } else {
        let verdict = match &done.verification {
            Verification::Intact { .. } => "verified".to_owned(),
            Verification::Broken(broken) => format!("NOT verified: {broken}"),
        };
        output::print_text(&format!(
            "Backup {backup}: {} entries, checkpoint {}, {verdict}\n",
            done.checkpoint.seq, done.checkpoint
        ))?;
    }
    Ok(if verified { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The backend's name in output.
pub(crate) fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// Opens the existing store at `--db`.
pub(crate) async fn open(db: &str) -> anyhow::Result<Store> {
    let location = Location::parse(db);
    Store::open(&location).await.context("opening the protocol store")
}

/// Runs a future of the store on a runtime of this thread.
pub(crate) fn block_on<F: Future>(future: F) -> anyhow::Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    Ok(runtime.block_on(future))
}
