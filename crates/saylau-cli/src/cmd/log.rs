//! `saylau log verify` and `saylau log checkpoint`: check the whole protocol log, and
//! print the checkpoint to publish.
//!
//! Verification recomputes every entry's content hash, chain link, signature and entry
//! hash, and with `--checkpoint HASH@SEQ` checks that the log still contains a published
//! entry unchanged. A broken log exits with code 1 and names the first broken entry.
//! `checkpoint` verifies first, so that a broken log is never published.

use std::process::ExitCode;

use saylau_store::entry::Checkpoint;
use saylau_store::known::KnownCheckpoint;
use saylau_store::verify::{Verification, verify_against};
use serde::Serialize;

use crate::cmd::db;
use crate::cmd::trust::{self, TrustArgs};
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
    #[command(flatten)]
    trust: TrustArgs,
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

#[derive(Serialize)]
struct VerifyJson {
    intact: bool,
    entries: Option<u64>,
    checkpoint: Option<CheckpointJson>,
    published: Option<String>,
    /// The known checkpoint checked (from `--known-checkpoint` or the file beside the store).
    known: Option<String>,
    broken: Option<BrokenJson>,
}

#[derive(Serialize)]
struct CheckpointJson {
    seq: u64,
    hash: String,
    checkpoint: String,
}

#[derive(Serialize)]
struct BrokenJson {
    seq: u64,
    election: Option<String>,
    kind: Option<String>,
    subject: Option<String>,
    problem: &'static str,
    message: String,
}

/// Runs `saylau log`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let (published, known) = match &args.command {
        LogCommand::Verify(verify) => {
            let known = verify.trust.trust(db)?.known;
            let checkpoint = known.as_ref().map(KnownCheckpoint::read).transpose()?.flatten();
            (verify.trust.checkpoint, checkpoint.map(|it| (it, known)))
        }
        LogCommand::Checkpoint(_) => {
            // A log that lost entries since the known checkpoint is never published.
            let known = trust::known_file(None, db);
            let checkpoint = known.as_ref().map(KnownCheckpoint::read).transpose()?.flatten();
            (None, checkpoint.map(|it| (it, known)))
        }
    };
    let checkpoints = published.into_iter().chain(known.as_ref().map(|it| it.0)).collect();
    let verification = db::block_on(async {
        let store = db::open(db).await?;
        let res = verify_against(&store, checkpoints).await;
        store.close().await;
        anyhow::Ok(res?)
    })??;
    let known = known.map(|(checkpoint, file)| {
        let file = file.map_or_else(String::new, |it| it.path().display().to_string());
        (checkpoint, file)
    });
    match &args.command {
        LogCommand::Verify(verify) => {
            print_verification(&verification, published, known.as_ref(), verify.json)
        }
        LogCommand::Checkpoint(checkpoint) => print_checkpoint(&verification, checkpoint.json),
    }
}

fn checkpoint_json(checkpoint: Checkpoint) -> CheckpointJson {
    CheckpointJson {
        seq: checkpoint.seq.0,
        hash: checkpoint.hash.to_string(),
        checkpoint: checkpoint.to_string(),
    }
}

fn verify_json(
    verification: &Verification,
    published: Option<Checkpoint>,
    known: Option<&(Checkpoint, String)>,
) -> VerifyJson {
    let published = published.map(|it| it.to_string());
    let known = known.map(|it| it.0.to_string());
    match verification {
        Verification::Intact { entries, head } => VerifyJson {
            intact: true,
            entries: Some(*entries),
            checkpoint: Some(checkpoint_json(*head)),
            published,
            known,
            broken: None,
        },
        Verification::Broken(broken) => VerifyJson {
            intact: false,
            entries: None,
            checkpoint: None,
            published,
            known,
            broken: Some(BrokenJson {
                seq: broken.seq.0,
                election: broken.subject.as_ref().map(|it| it.election.clone()),
                kind: broken.subject.as_ref().map(|it| it.kind.clone()),
                subject: broken.subject.as_ref().map(|it| it.subject.clone()),
                problem: broken.problem.code(),
                message: broken.to_string(),
            }),
        },
    }
}

fn print_verification(
    verification: &Verification,
    published: Option<Checkpoint>,
    known: Option<&(Checkpoint, String)>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let code = match verification {
        Verification::Intact { .. } => ExitCode::SUCCESS,
        Verification::Broken(_) => ExitCode::from(1),
    };
    if json {
        output::print_json(&verify_json(verification, published, known))?;
        return Ok(code);
    }
    let text = match verification {
        Verification::Intact { entries, head } => {
            let contains = published.map_or_else(String::new, |published| {
                format!("It contains the published checkpoint {published} unchanged.\n")
            });
            format!("The log is intact: {entries} entries, checkpoint {head}.\n{contains}")
        }
        Verification::Broken(broken) => format!("The log is broken at {broken}.\n"),
    };
    let text = match known {
        Some((known, file)) => format!(
            "{text}Checked against the known checkpoint {known} of {file}: the log must contain it.\n"
        ),
        None => text,
    };
    output::print_text(&text)?;
    Ok(code)
}

fn print_checkpoint(verification: &Verification, json: bool) -> anyhow::Result<ExitCode> {
    let Verification::Intact { head, .. } = verification else {
        return print_verification(verification, None, None, json);
    };
    if json {
        output::print_json(&checkpoint_json(*head))?;
    } else {
        output::print_text(&format!("{head}\n"))?;
    }
    Ok(ExitCode::SUCCESS)
}
