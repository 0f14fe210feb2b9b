//! `saylau keys new`: a new ed25519 key pair for a commission. The private key goes to a
//! file only its owner may read; the public key is registered in the store, under a key
//! id that is the SHA-256 of its bytes, so that `saylau log verify` can check what the
//! commission signs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
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
    /// The commission that will sign with the key, such as `cec` or a PEC's id.
    #[arg(long, value_name = "ID")]
    commission: CommissionId,
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
    let key = CommissionKey::generate()?;
    let key_id = key.public_key().key_id();
    let stem = format!("{}-{}", file_safe(new.commission.as_str()), &key_id.to_string()[..16]);
    let private = new.out.join(format!("{stem}.pem"));
    let public = new.out.join(format!("{stem}.pub.pem"));
    db::block_on(async {
        let store = db::open(db).await?;
        std::fs::create_dir_all(&new.out)
            .with_context(|| format!("creating {}", new.out.display()))?;
        key.write_pem(&private)?;
        key.public_key().write_pem(&public)?;
        let registered = registry::register_key(&store, &new.commission, &key.public_key()).await;
        store.close().await;
        if let Err(err) = registered {
            // The files were just created by this call: a key that is not registered
            // must not be left behind to sign entries that will never verify.
            let _ = std::fs::remove_file(&private);
            let _ = std::fs::remove_file(&public);
            return Err(err).context("registering the public key");
        }
        anyhow::Ok(())
    })??;
    if new.json {
        return output::print_json(&NewJson {
            commission: new.commission.as_str(),
            key_id: key_id.to_string(),
            private_key: &private,
            public_key: &public,
        })
        .map(|()| ExitCode::SUCCESS);
    }
    output::print_text(&format!(
        "Key {key_id} of commission {}\n  private key: {} (mode 0600: keep it secret)\n  \
         public key:  {} (registered in the store)\n",
        new.commission,
        private.display(),
        public.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// The commission id with every character that is not a letter, digit, `-`, `_` or `.`
/// replaced by `_`, for a file name.
fn file_safe(id: &str) -> String {
    id.chars()
        .map(|it| if it.is_alphanumeric() || matches!(it, '-' | '_' | '.') { it } else { '_' })
        .collect()
}
