//! A commission's signing key (`saylau keys new`, `docs/ledger.md`): a new ed25519 key
//! pair whose private key goes to a file only its owner may read, and whose public key is
//! registered in the store under a key id that is the SHA-256 of its bytes, so that a
//! verification of the log can check what the commission signs.
//!
//! Only the CEC's key bootstraps a store (the log's genesis entry, registered by itself);
//! every later key is registered by an entry signed with a key at or above its commission
//! (`--key PARENT`), and its commission must be registered first (by an import of its
//! stations), so that a key names a real commission (`docs/integrity.md`). The private key
//! is staged under a hidden name before the registration and published under its final name
//! after it (`keys::files`), so that a killed run never leaves a private key file whose key is
//! not registered, nor a registered key whose file the next run in that directory does not
//! finish.

use std::path::{Path, PathBuf};

mod files;

pub(crate) use files::registered_with_files;

use saylau_core::count::commission::CommissionId as Commission;
use saylau_store::key::{CommissionKey, KeyError, KeyId};
use saylau_store::registry::{self, RegistryError};
use saylau_store::store::Store;
use serde::Serialize;

pub use saylau_store::id::CommissionId;
pub use saylau_store::key::{CommissionKey as SigningKey, KeyId as Id};

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
    /// The store has keys, so a new one needs a key at or above its commission to sign
    /// its registration; nothing was written.
    #[error(
        "--key: the store has its first key already; sign the registration of a key for \
         {0} with --key PARENT, a key of {0} or of a commission above it"
    )]
    NeedsParent(String),
    /// The signing key may not register or revoke this key; nothing was written.
    #[error("--key: {0}")]
    NotAuthorised(String),
    /// The public key could not be registered.
    #[error("registering the public key")]
    Register(#[source] RegistryError),
}

impl KeysError {
    /// Whether the commission was refused (nothing was written): exit code 1.
    pub fn refused(&self) -> bool {
        matches!(
            self,
            KeysError::NotACommission(_)
                | KeysError::NotRegistered(_)
                | KeysError::NeedsParent(_)
                | KeysError::NotAuthorised(_)
        )
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

/// Generates a key pair for `commission`, registers its public key in `store`, signed with
/// `parent` (without one: the store's first key, the CEC's, registered by itself), and
/// writes both files into `dir` (created if missing).
pub async fn new_key(
    store: &Store,
    commission: &CommissionId,
    dir: &Path,
    parent: Option<&CommissionKey>,
) -> Result<NewKey, KeysError> {
    let parsed = parse(commission)?;
    let key = CommissionKey::generate()?;
    let key_id = key.public_key().key_id();
    let stem = format!("{}-{}", file_safe(commission.as_str()), &key_id.to_string()[..16]);
    let known =
        parsed == Commission::Central || registry::commission_registered(store, commission).await?;
    if !known {
        return Err(KeysError::NotRegistered(commission.to_string()));
    }
    if parent.is_none()
        && (parsed != Commission::Central || !registry::registered_keys(store).await?.is_empty())
    {
        return Err(KeysError::NeedsParent(commission.to_string()));
    }
    let register = async {
        match parent {
            Some(parent) => {
                registry::register_key(store, commission, &key.public_key(), parent).await
            }
            None => registry::bootstrap(store, commission, &key).await,
        }
        .map_err(authorised)
    };
    let (_, files) = files::registered_with_files(store, dir, &stem, &key, register).await?;
    Ok(NewKey {
        commission: commission.to_string(),
        key_id: key_id.to_string(),
        private_key: files.private_key,
        public_key: files.public_key,
    })
}

/// A refused registration as [`KeysError::NotAuthorised`], anything else as
/// [`KeysError::Register`].
fn authorised(err: RegistryError) -> KeysError {
    match err {
        RegistryError::NotAuthorised { .. } => KeysError::NotAuthorised(err.to_string()),
        err => KeysError::Register(err),
    }
}

/// A revoked key: the JSON of `saylau keys revoke --json`.
#[derive(Debug, Clone, Serialize)]
pub struct RevokedKey {
    /// The key revoked.
    pub key_id: String,
    /// The key that signed the revocation.
    pub revoked_by: String,
}

/// Revokes the registered key `key_id`, signed with `by` (the key itself, a key at or above
/// its commission, or the CEC's): its entries after the revocation are not authorised.
pub async fn revoke(
    store: &Store,
    key_id: &KeyId,
    by: &CommissionKey,
) -> Result<RevokedKey, KeysError> {
    registry::revoke_key(store, key_id, by).await.map_err(authorised)?;
    Ok(RevokedKey { key_id: key_id.to_string(), revoked_by: by.public_key().key_id().to_string() })
}

/// Replaces the key `old` by a new key of the same commission (one entry, signed with
/// `old`, registers the new key and revokes the old one) and writes the new key's files
/// into `dir`.
pub async fn rotate(store: &Store, old: &CommissionKey, dir: &Path) -> Result<NewKey, KeysError> {
    let key = CommissionKey::generate()?;
    let key_id = key.public_key().key_id();
    let old_id = old.public_key().key_id();
    let keys = registry::registered_keys(store).await?;
    // An unregistered old key: the registration below refuses it, naming it.
    let commission = keys.iter().find(|it| it.id == old_id).map(|it| it.commission.to_string());
    let commission = commission.unwrap_or_default();
    let stem = format!("{}-{}", file_safe(&commission), &key_id.to_string()[..16]);
    let register =
        async { registry::rotate_key(store, &key.public_key(), old).await.map_err(authorised) };
    let (registered, files) =
        files::registered_with_files(store, dir, &stem, &key, register).await?;
    Ok(NewKey {
        commission: registered.commission.to_string(),
        key_id: key_id.to_string(),
        private_key: files.private_key,
        public_key: files.public_key,
    })
}

/// The commission id with every character that is not a letter, digit, `-`, `_` or `.`
/// replaced by `_`, for a file name.
fn file_safe(id: &str) -> String {
    id.chars()
        .map(|it| if it.is_alphanumeric() || matches!(it, '-' | '_' | '.') { it } else { '_' })
        .collect()
}
