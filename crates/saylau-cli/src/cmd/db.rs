//! `saylau db init`: creates the protocol store, or migrates it to this program's schema;
//! `saylau db backup --out FILE`: a consistent, verified copy of a SQLite store.
//!
//! Also how the store commands (`db`, `keys`, `log`) reach the store named by the global
//! `--db` option (a SQLite file, `saylau.sqlite` by default, or a `postgres://` URL) and
//! run its async calls.

use std::future::Future;
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_app::store::{self, Store};

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

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// PostgreSQL: run the migrations as this owner role (a URL of the same database) and
    /// grant the role of --db SELECT and INSERT only, so that the application cannot change
    /// the log or disable its triggers (docs/ledger.md, "PostgreSQL roles").
    #[arg(long, value_name = "URL", env = "SAYLAU_DB_OWNER_URL", hide_env_values = true)]
    owner_url: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau db`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let init = match &args.command {
        DbCommand::Init(init) => init,
        DbCommand::Backup(backup) => return run_backup(backup, db),
    };
    let done = block_on(store::init(db, init.owner_url.as_deref()))??;
    if init.json {
        output::print_json(&done)?;
    } else {
        let applied = match done.applied.as_slice() {
            [] => "up to date".to_owned(),
            versions => format!("applied migrations {versions:?}"),
        };
        output::print_text(&format!(
            "Store {} ({}): schema version {}, {applied}\n",
            done.location, done.backend, done.schema_version
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `saylau db backup`: exit 0 when the copy verifies, 1 when it does not.
fn run_backup(args: &BackupArgs, db: &str) -> anyhow::Result<ExitCode> {
    let done = block_on(async {
        let store = open(db).await?;
        let res = store::backup(&store, &args.out).await;
        store.close().await;
        anyhow::Ok(res?)
    })??;
    if args.json {
        output::print_json(&done)?;
    } else {
        let verdict = match &done.broken {
            None => "verified".to_owned(),
            Some(broken) => format!("NOT verified: {broken}"),
        };
        output::print_text(&format!(
            "Backup {}: {} entries, checkpoint {}, {verdict}\n",
            done.backup, done.entries, done.checkpoint
        ))?;
    }
    Ok(if done.verified { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Opens the existing store at `--db`.
pub(crate) async fn open(db: &str) -> anyhow::Result<Store> {
    saylau_app::store::open(db).await.context("opening the protocol store")
}

/// The current protocol of every station of `election` in the store at `--db`, and the
/// stations expected.
pub(crate) fn current_protocols(
    db: &str,
    election: &saylau_app::store::ElectionId,
) -> anyhow::Result<saylau_app::results::Current> {
    block_on(async {
        let store = open(db).await?;
        let res = saylau_app::results::current(&store, election).await;
        store.close().await;
        res.map_err(output::app_error)
    })?
}

/// Runs a future of the store on a runtime of this thread.
pub(crate) fn block_on<F: Future>(future: F) -> anyhow::Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    Ok(runtime.block_on(future))
}
