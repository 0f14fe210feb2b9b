//! `saylau keys new`, `bootstrap`, `revoke`, `rotate`: a commission's ed25519 key pairs.
//! The private key goes to a file only its owner may read; the public key is registered in
//! the store, under a key id that is the SHA-256 of its bytes, by a signed log entry: the
//! store's first key (the CEC's) by itself, every later one by a key at or above its
//! commission (`--key`), so that `saylau log verify` can check who may sign what
//! (`docs/integrity.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
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
    /// Generate a commission's key pair and register its public key in the store, signed
    /// with --key (without --key: only the store's first key, the CEC's).
    New(NewArgs),
    /// Generate the store's first key, the CEC's, registered by itself (the log's genesis);
    /// the same as `keys new --commission CEC` on a store without keys.
    Bootstrap(BootstrapArgs),
    /// Revoke a registered key: its later entries are not authorised.
    Revoke(RevokeArgs),
    /// Replace a key by a new one of the same commission and revoke it, in one entry
    /// signed with the old key.
    Rotate(RotateArgs),
}

#[derive(Debug, clap::Args)]
struct BootstrapArgs {
    /// The directory for the key files (created if missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct RevokeArgs {
    /// The key id to revoke (64 hex digits).
    #[arg(value_name = "ID")]
    id: keys::Id,
    /// The private key that signs the revocation: the key itself, a key at or above its
    /// commission, or the CEC's.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct RotateArgs {
    /// The private key to replace; it signs the new key's registration and is revoked.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The directory for the new key files (created if missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
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
    /// The private key that signs the new key's registration: a key of the commission or
    /// of one above it (the CEC's for an observer's key). Not needed for the store's first
    /// key, the CEC's.
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau keys`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let new = match &args.command {
        KeysCommand::New(new) => new,
        KeysCommand::Bootstrap(boot) => {
            let cec: CommissionId = "CEC".parse()?;
            return make(&cec, &boot.out, None, boot.json, db);
        }
        KeysCommand::Revoke(revoke) => return run_revoke(revoke, db),
        KeysCommand::Rotate(rotate) => return run_rotate(rotate, db),
    };
    let Some(commission) = &new.commission else {
        return observer_key(new, new.observer.as_deref().unwrap_or_default(), db);
    };
    if let Err(err) = keys::check_commission(commission) {
        return Ok(refused(&err));
    }
    make(commission, &new.out, new.key.as_deref(), new.json, db)
}

/// Reads the signing key of `--key`.
fn signing_key(path: &std::path::Path) -> anyhow::Result<keys::SigningKey> {
    saylau_app::import::read_key(path).with_context(|| format!("--key {}", path.display()))
}

/// `keys new --commission ID` and `keys bootstrap`.
fn make(
    commission: &CommissionId,
    out: &std::path::Path,
    parent: Option<&std::path::Path>,
    json: bool,
    db: &str,
) -> anyhow::Result<ExitCode> {
    let parent = parent.map(signing_key).transpose()?;
    let made = db::block_on(async {
        let store = db::open(db).await?;
        let res = keys::new_key(&store, commission, out, parent.as_ref()).await;
        store.close().await;
        anyhow::Ok(res)
    })??;
    let key = match made {
        Ok(key) => key,
        Err(err) if err.refused() => return Ok(refused(&err)),
        Err(err) => return Err(err.into()),
    };
    if json {
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

/// `keys revoke ID --key K`.
fn run_revoke(revoke: &RevokeArgs, db: &str) -> anyhow::Result<ExitCode> {
    let by = signing_key(&revoke.key)?;
    let done = db::block_on(async {
        let store = db::open(db).await?;
        let res = keys::revoke(&store, &revoke.id, &by).await;
        store.close().await;
        anyhow::Ok(res)
    })??;
    let done = match done {
        Ok(done) => done,
        Err(err) if err.refused() => return Ok(refused(&err)),
        Err(err) => return Err(err.into()),
    };
    if revoke.json {
        return output::print_json(&done).map(|()| ExitCode::SUCCESS);
    }
    output::print_text(&format!(
        "Key {} revoked (signed by key {})\n",
        done.key_id, done.revoked_by
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `keys rotate --key OLD`.
fn run_rotate(rotate: &RotateArgs, db: &str) -> anyhow::Result<ExitCode> {
    let old = signing_key(&rotate.key)?;
    let made = db::block_on(async {
        let store = db::open(db).await?;
        let res = keys::rotate(&store, &old, &rotate.out).await;
        store.close().await;
        anyhow::Ok(res)
    })??;
    let key = match made {
        Ok(key) => key,
        Err(err) if err.refused() => return Ok(refused(&err)),
        Err(err) => return Err(err.into()),
    };
    if rotate.json {
        return output::print_json(&key).map(|()| ExitCode::SUCCESS);
    }
    output::print_text(&format!(
        "Key {} of commission {} replaces key {} (revoked)\n  private key: {} (mode 0600: \
         keep it secret)\n  public key:  {}\n",
        key.key_id,
        key.commission,
        old.public_key().key_id(),
        key.private_key.display(),
        key.public_key.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `keys new --observer ORG --key CEC_KEY`: a key that signs only the organisation's copies
/// and statuses.
fn observer_key(new: &NewArgs, observer: &str, db: &str) -> anyhow::Result<ExitCode> {
    let Some(by) = &new.key else {
        eprintln!("error: --key: an observer's key is registered by the CEC's key (--key FILE)");
        return Ok(ExitCode::from(1));
    };
    let by = signing_key(by)?;
    let made = db::block_on(async {
        let store = db::open(db).await?;
        let res =
            saylau_app::observe::new_observer_key(&store, &new.election, observer, &new.out, &by)
                .await;
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
