//! A commission's signing key (`saylau keys new`, `docs/ledger.md`): a new ed25519 key
//! pair whose private key goes to a file only its owner may read, and whose public key is
//! registered in the store under a key id that is the SHA-256 of its bytes, so that a
//! verification of the log can check what the commission signs.
//!
//! Only the CEC's key bootstraps a store; every other commission must be registered first
//! (by an import of its stations), so that a key names a real commission. The key is
//! registered before its files are written, each atomically, so that a killed run never
//! leaves a private key file whose key is not registered.

use std::path::{Path, PathBuf};

use saylau_core::count::commission::CommissionId as Commission;
use saylau_store::key::{CommissionKey, KeyError};
use saylau_store::registry::{self, RegistryError};
use saylau_store::store::Store;
use serde::Serialize;

pub use saylau_store::id::CommissionId;

/// A new key: the JSON of `saylau keys new --json`.
#[derive(Debug, Clone, Serialize)]
pub struct NewKey {
    /// The commission that signs with it.
    pub commission: String,
    /// Its key id: the SHA-256 of the public key's bytes.
    pub key_id: String,
    /// The private key's file (PKCS#8 PEM, mode 0600).
    pub private_key: PathBuf,
    /// The public key's file (SubjectPublicKeyInfo PEM).
    pub public_key: PathBuf,
}

/// A key that was not made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeysError {
    /// The id is not `CEC` nor a commission id; nothing was written.
    #[error("--commission: {0}")]
    NotACommission(String),
    /// The commission is not registered in the store; nothing was written.
    #[error(
        "--commission: commission {0} is not registered in the store (only the CEC's key \
         comes first): import its stations first"
    )]
    NotRegistered(String),
    /// The key could not be generated or written.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The store could not be asked about the commission.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The public key could not be registered.
    #[error("registering the public key")]
    Register(#[source] RegistryError),
    /// The directory could not be created.
    #[error("creating {path}")]
    Directory {
        /// The directory.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

impl KeysError {
    /// Whether the commission was refused (nothing was written): exit code 1.
    pub fn refused(&self) -> bool {
        matches!(self, KeysError::NotACommission(_) | KeysError::NotRegistered(_))
    }
}

/// Checks that `commission` is `CEC` or a commission id (`RR`, `RR-DD`, `RR-DD-SSSS`),
/// before anything opens the store.
pub fn check_commission(commission: &CommissionId) -> Result<(), KeysError> {
    parse(commission).map(|_| ())
}

fn parse(commission: &CommissionId) -> Result<Commission, KeysError> {
    Commission::parse(commission.as_str()).map_err(|err| KeysError::NotACommission(err.to_string()))
}

/// Generates a key pair for `commission`, registers its public key in `store` and writes
/// both files into `dir` (created if missing).
pub async fn new_key(
    store: &Store,
    commission: &CommissionId,
    dir: &Path,
) -> Result<NewKey, KeysError> {
    let parsed = parse(commission)?;
    let key = CommissionKey::generate()?;
    let key_id = key.public_key().key_id();
    let stem = format!("{}-{}", file_safe(commission.as_str()), &key_id.to_string()[..16]);
    let private_key = dir.join(format!("{stem}.pem"));
    let public_key = dir.join(format!("{stem}.pub.pem"));
    let known =
        parsed == Commission::Central || registry::commission_registered(store, commission).await?;
    if !known {
        return Err(KeysError::NotRegistered(commission.to_string()));
    }
    std::fs::create_dir_all(dir)
        .map_err(|source| KeysError::Directory { path: dir.display().to_string(), source })?;
    registry::register_key(store, commission, &key.public_key())
        .await
        .map_err(KeysError::Register)?;
    key.write_pem(&private_key)?;
    key.public_key().write_pem(&public_key)?;
    Ok(NewKey {
        commission: commission.to_string(),
        key_id: key_id.to_string(),
        private_key,
        public_key,
    })
}

/// The commission id with every character that is not a letter, digit, `-`, `_` or `.`
/// replaced by `_`, for a file name.
fn file_safe(id: &str) -> String {
    id.chars()
        .map(|it| if it.is_alphanumeric() || matches!(it, '-' | '_' | '.') { it } else { '_' })
        .collect()
}
