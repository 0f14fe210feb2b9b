//! `saylau log verify` and `saylau log checkpoint`: check the whole protocol log, and
//! print the checkpoint to publish.
//!
//! Verification recomputes every entry's content hash, chain link, signature and entry
//! hash, and with `--checkpoint HASH@SEQ` checks that the log still contains a published
//! entry unchanged. A broken log exits with code 1 and names the first broken entry.
//! `checkpoint` verifies first, so that a broken log is never published.

use std::process::ExitCode;

use saylau_app::log::{PublishedCheckpoint as Checkpoint, Verified, verify};

use crate::cmd::db;
use crate::output;

/// Arguments of `saylau log`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: LogCommand,
}

#[derive(Debug, clap::Subcommand)]
enum LogCommand {
    /// Recompute the whole log: hashes, chain and signatures; exit 1 if it is broken.
    Verify(VerifyArgs),
    /// Verify the log, then print its checkpoint (last entry's hash and position).
    Checkpoint(CheckpointArgs),
}

#[derive(Debug, clap::Args)]
struct VerifyArgs {
    /// A published checkpoint the log must still contain unchanged.
    #[arg(long, value_name = "HASH@SEQ")]
    checkpoint: Option<Checkpoint>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct CheckpointArgs {
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau log`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let published = match &args.command {
        LogCommand::Verify(verify) => verify.checkpoint,
        LogCommand::Checkpoint(_) => None,
    };
    let verification = db::block_on(async {
        let store = db::open(db).await?;
        let res = verify(&store, published).await;
        store.close().await;
        anyhow::Ok(res?)
    })??;
    match &args.command {
        LogCommand::Verify(verify) => print_verification(&verification, verify.json),
        LogCommand::Checkpoint(checkpoint) => print_checkpoint(&verification, checkpoint.json),
    }
}

fn print_verification(verified: &Verified, json: bool) -> anyhow::Result<ExitCode> {
    let code = if verified.intact { ExitCode::SUCCESS } else { ExitCode::from(1) };
    if json {
        output::print_json(verified)?;
        return Ok(code);
    }
    let text = match (&verified.checkpoint, verified.entries, &verified.broken) {
        (Some(head), Some(entries), _) => {
            let contains = verified.published.as_ref().map_or_else(String::new, |published| {
                format!("It contains the published checkpoint {published} unchanged.\n")
            });
            format!(
                "The log is intact: {entries} entries, checkpoint {}.\n{contains}",
                head.checkpoint
            )
        }
        (_, _, Some(broken)) => format!("The log is broken at {}.\n", broken.message),
        _ => "The log is broken.\n".to_owned(),
    };
    output::print_text(&text)?;
    Ok(code)
}

fn print_checkpoint(verified: &Verified, json: bool) -> anyhow::Result<ExitCode> {
    let (true, Some(head)) = (verified.intact, &verified.checkpoint) else {
        return print_verification(verified, json);
    };
    if json {
        output::print_json(head)?;
    } else {
        output::print_text(&format!("{}\n", head.checkpoint))?;
    }
    Ok(ExitCode::SUCCESS)
}
