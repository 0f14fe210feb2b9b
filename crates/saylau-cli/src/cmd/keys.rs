//! `saylau keys new`: a new ed25519 key pair for a commission. The private key goes to a
//! file only its owner may read; the public key is registered in the store, under a key
//! id that is the SHA-256 of its bytes, so that `saylau log verify` can check what the
//! commission signs.

use std::path::PathBuf;
use std::process::ExitCode;

use saylau_app::keys::{self, CommissionId};

use crate::cmd::db;
use crate::output;

/// Arguments of `saylau keys`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: KeysCommand,
}

#[derive(Debug, clap::Subcommand)]
enum KeysCommand {
    /// Generate a commission's key pair and register its public key in the store.
    New(NewArgs),
}

#[derive(Debug, clap::Args)]
struct NewArgs {
    /// The commission that will sign with the key: `CEC`, or the id of a commission
    /// registered in the store (`RR`, `RR-DD`, `RR-DD-SSSS`).
    #[arg(
        long,
        value_name = "ID",
        required_unless_present = "observer",
        conflicts_with = "observer"
    )]
    commission: Option<CommissionId>,
    /// Or the observer organisation (registered by `saylau observers add`) that will sign
    /// copies and statuses with the key; it can sign nothing else.
    #[arg(long, value_name = "ORG")]
    observer: Option<String>,
    /// The election the observer organisation is registered in.
    #[arg(long, value_name = "ID", default_value = crate::cmd::import::DEFAULT_ELECTION)]
    election: saylau_app::store::ElectionId,
    /// The directory for the key files (created if missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau keys`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let KeysCommand::New(new) = &args.command;
    let Some(commission) = &new.commission else {
        return observer_key(new, new.observer.as_deref().unwrap_or_default(), db);
    };
    if let Err(err) = keys::check_commission(commission) {
        return Ok(refused(&err));
    }
    let made = db::block_on(async {
        let store = db::open(db).await?;
        let res = keys::new_key(&store, commission, &new.out).await;
        store.close().await;
        anyhow::Ok(res)
    })??;
    let key = match made {
        Ok(key) => key,
        Err(err) if err.refused() => return Ok(refused(&err)),
        Err(err) => return Err(err.into()),
    };
    if new.json {
        return output::print_json(&key).map(|()| ExitCode::SUCCESS);
    }
    output::print_text(&format!(
        "Key {} of commission {}\n  private key: {} (mode 0600: keep it secret)\n  \
         public key:  {} (registered in the store)\n",
        key.key_id,
        key.commission,
        key.private_key.display(),
        key.public_key.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `keys new --observer ORG`: a key that signs only the organisation's copies and statuses.
fn observer_key(new: &NewArgs, observer: &str, db: &str) -> anyhow::Result<ExitCode> {
    let made = db::block_on(async {
        let store = db::open(db).await?;
        let res =
            saylau_app::observe::new_observer_key(&store, &new.election, observer, &new.out).await;
        store.close().await;
        anyhow::Ok(res)
    })??;
    let key = match made {
        Ok(key) => key,
        Err(saylau_app::observe::ObserveError::Refused { rule, message }) => {
            eprintln!("error: --observer: {message} (rule {rule})");
            return Ok(ExitCode::from(1));
        }
        Err(err) => return Err(err.into()),
    };
    if new.json {
        return output::print_json(&key).map(|()| ExitCode::SUCCESS);
    }
    output::print_text(&format!(
        "Key {} of observer organisation {observer}\n  private key: {} (mode 0600: keep it \
         secret)\n  public key:  {} (registered in the store; it signs only copies and \
         statuses)\n",
        key.key_id,
        key.private_key.display(),
        key.public_key.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Prints why no key was made; exit code 1, as for other refused input.
fn refused(err: &keys::KeysError) -> ExitCode {
    eprintln!("error: {err}");
    ExitCode::from(1)
}
