//! `saylau keys new`: a new ed25519 key pair for a commission. The private key goes to a
//! file only its owner may read; the public key is registered in the store, under a key
//! id that is the SHA-256 of its bytes, so that `saylau log verify` can check what the
//! commission signs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_core::count::commission::CommissionId::Central;
use saylau_store::id::CommissionId;
use saylau_store::key::CommissionKey;
use saylau_store::registry;
use serde::Serialize;

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
    election: saylau_store::id::ElectionId,
    /// The directory for the key files (created if missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct NewJson<'a> {
    commission: &'a str,
    key_id: String,
    private_key: &'a Path,
    public_key: &'a Path,
}

/// Runs `saylau keys`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let KeysCommand::New(new) = &args.command;
    if let Some(observer) = &new.observer {
        return observer_key(new, observer, db);
    }
    let Some(commission_id) = &new.commission else {
        return Ok(refused("--commission or --observer is required"));
    };
    let commission =
        match saylau_core::count::commission::CommissionId::parse(commission_id.as_str()) {
            Ok(commission) => commission,
            Err(err) => return Ok(refused(&format!("--commission: {err}"))),
        };
    let key = CommissionKey::generate()?;
    let key_id = key.public_key().key_id();
    let stem = format!("{}-{}", file_safe(commission_id.as_str()), &key_id.to_string()[..16]);
    let private = new.out.join(format!("{stem}.pem"));
    let public = new.out.join(format!("{stem}.pub.pem"));
    let known = db::block_on(async {
        let store = db::open(db).await?;
        // Only the CEC's key bootstraps a store; every other commission must be
        // registered first (by `saylau import`), so that a key names a real commission.
        let known =
            commission == Central || registry::commission_registered(&store, commission_id).await?;
        if !known {
            store.close().await;
            return anyhow::Ok(false);
        }
        std::fs::create_dir_all(&new.out)
            .with_context(|| format!("creating {}", new.out.display()))?;
        // Registered before its files are written (each atomically), so that a killed
        // run never leaves a private key file whose key is not registered.
        let registered = registry::register_key(&store, commission_id, &key.public_key()).await;
        store.close().await;
        registered.context("registering the public key")?;
        key.write_pem(&private)?;
        key.public_key().write_pem(&public)?;
        anyhow::Ok(true)
    })??;
    if !known {
        let message = format!(
            "--commission: commission {} is not registered in the store (only the CEC's key \
             comes first): import its stations first",
            commission_id
        );
        return Ok(refused(&message));
    }
    if new.json {
        return output::print_json(&NewJson {
            commission: commission_id.as_str(),
            key_id: key_id.to_string(),
            private_key: &private,
            public_key: &public,
        })
        .map(|()| ExitCode::SUCCESS);
    }
    output::print_text(&format!(
        "Key {key_id} of commission {}\n  private key: {} (mode 0600: keep it secret)\n  \
         public key:  {} (registered in the store)\n",
        commission_id,
        private.display(),
        public.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `keys new --observer ORG`: a key registered under `observer:ORG`, which signs only
/// the organisation's copies and statuses (migration 0020).
fn observer_key(new: &NewArgs, observer: &str, db: &str) -> anyhow::Result<ExitCode> {
    let commission = match saylau_store::observe::observer_commission(observer) {
        Ok(commission) => commission,
        Err(err) => return Ok(refused(&format!("--observer: {err}"))),
    };
    let key = CommissionKey::generate()?;
    let key_id = key.public_key().key_id();
    let stem = format!("observer-{}-{}", file_safe(observer), &key_id.to_string()[..16]);
    let private = new.out.join(format!("{stem}.pem"));
    let public = new.out.join(format!("{stem}.pub.pem"));
    let known = db::block_on(async {
        let store = db::open(db).await?;
        let known = saylau_app::observe::check_organisation(&store, &new.election, observer).await;
        if let Err(err) = known {
            store.close().await;
            return anyhow::Ok(Err(err));
        }
        std::fs::create_dir_all(&new.out)
            .with_context(|| format!("creating {}", new.out.display()))?;
        let registered = registry::register_key(&store, &commission, &key.public_key()).await;
        store.close().await;
        registered.context("registering the public key")?;
        key.write_pem(&private)?;
        key.public_key().write_pem(&public)?;
        anyhow::Ok(Ok(()))
    })??;
    if let Err(err) = known {
        return Ok(refused(&format!("--observer: {err}")));
    }
    if new.json {
        return output::print_json(&NewJson {
            commission: commission.as_str(),
            key_id: key_id.to_string(),
            private_key: &private,
            public_key: &public,
        })
        .map(|()| ExitCode::SUCCESS);
    }
    output::print_text(&format!(
        "Key {key_id} of observer organisation {observer}\n  private key: {} (mode 0600: keep \
         it secret)\n  public key:  {} (registered in the store; it signs only copies and \
         statuses)\n",
        private.display(),
        public.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Prints why no key was made; exit code 1, as for other refused input.
fn refused(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(1)
}

/// The commission id with every character that is not a letter, digit, `-`, `_` or `.`
/// replaced by `_`, for a file name.
fn file_safe(id: &str) -> String {
    id.chars()
        .map(|it| if it.is_alphanumeric() || matches!(it, '-' | '_' | '.') { it } else { '_' })
        .collect()
}
