//! The commissions' signing keys: ed25519 key pairs, their ids, and their files.
//!
//! A private key lives in a PKCS#8 PEM file that only its owner may read (mode 0600); the
//! public key is registered in the store ([`crate::registry::register_key`]) under its
//! [`KeyId`], the SHA-256 of its 32 bytes. Files are interoperable: `openssl pkey -in
//! FILE -pubout` prints the public key.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, EncodePublicKey as _};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

use crate::digest::{Digest, DigestError};

/// A commission's private signing key, held in memory while it signs entries.
pub struct CommissionKey {
    signing: SigningKey,
}

/// A commission's public key: what verifies its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

/// The id of a public key: the SHA-256 of its 32 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(Digest);

/// A key that cannot be made, read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The system gave no randomness.
    #[error("no randomness for a new key: {0}")]
    Randomness(String),
    /// Reading or writing a key file failed.
    #[error("key file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file is not a PKCS#8 PEM ed25519 private key.
    #[error("key file {}: not an ed25519 private key in PKCS#8 PEM ({detail})", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What the decoder said.
        detail: String,
    },
    /// Others than the owner may read or write the private key file.
    #[error("key file {}: mode {mode:o} lets others read it; run `chmod 600` on it", path.display())]
    Permissions {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// Bytes that are not an ed25519 public key.
    #[error("not an ed25519 public key")]
    PublicKey,
}

impl CommissionKey {
    /// A new random key pair, from the operating system's randomness.
    pub fn generate() -> Result<CommissionKey, KeyError> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|err| KeyError::Randomness(err.to_string()))?;
        Ok(CommissionKey { signing: SigningKey::from_bytes(&secret) })
    }

    /// The key pair of a 32-byte secret (for tests and known-answer vectors).
    pub fn from_secret(secret: &[u8; 32]) -> CommissionKey {
        CommissionKey { signing: SigningKey::from_bytes(secret) }
    }

    /// Reads a private key file written by [`CommissionKey::write_pem`] (or by
    /// `openssl genpkey -algorithm ed25519`), refusing files that others may read.
    pub fn read_pem(path: &Path) -> Result<CommissionKey, KeyError> {
        let io = |source| KeyError::Io { path: path.to_owned(), source };
        check_private(path).map_err(io)??;
        let text = std::fs::read_to_string(path).map_err(io)?;
        let signing = SigningKey::from_pkcs8_pem(&text)
            .map_err(|err| KeyError::Format { path: path.to_owned(), detail: err.to_string() })?;
        Ok(CommissionKey { signing })
    }

    /// Writes the private key as PKCS#8 PEM to a new file with mode 0600; an existing
    /// file is never overwritten.
    pub fn write_pem(&self, path: &Path) -> Result<(), KeyError> {
        let pem = self
            .signing
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|err| KeyError::Format { path: path.to_owned(), detail: err.to_string() })?;
        write_new(path, pem.as_bytes(), 0o600)
    }

    /// Writes the private key as PKCS#8 PEM to the new file `path` with mode 0600 and syncs
    /// it, in place (a staged file, [`crate::keyfile`]).
    pub(crate) fn write_pem_synced(&self, path: &Path) -> Result<(), KeyError> {
        let pem = self
            .signing
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|err| KeyError::Format { path: path.to_owned(), detail: err.to_string() })?;
        crate::keyfile::write_synced(path, pem.as_bytes(), 0o600)
            .map_err(|source| KeyError::Io { path: path.to_owned(), source })
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.signing.verifying_key())
    }

    /// A second copy of the key, for a blocking task that signs (the type is not `Clone`,
    /// so that a copy of a private key is never made by accident).
    pub(crate) fn duplicate(&self) -> CommissionKey {
        CommissionKey { signing: self.signing.clone() }
    }

    /// The ed25519 signature of `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }
}

impl fmt::Debug for CommissionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CommissionKey({})", self.public_key().key_id())
    }
}

impl PublicKey {
    /// The public key of 32 bytes, as stored.
    pub fn from_bytes(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        let bytes = <[u8; 32]>::try_from(bytes).map_err(|_| KeyError::PublicKey)?;
        VerifyingKey::from_bytes(&bytes).map(PublicKey).map_err(|_| KeyError::PublicKey)
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    /// The key's id.
    pub fn key_id(&self) -> KeyId {
        KeyId(Digest::of(self.as_bytes()))
    }

    /// The key as SubjectPublicKeyInfo PEM, for `openssl pkeyutl -verify`.
    pub fn to_pem(&self) -> String {
        self.0.to_public_key_pem(LineEnding::LF).expect("an ed25519 public key always encodes")
    }

    /// Writes [`PublicKey::to_pem`] to a new file with mode 0644.
    pub fn write_pem(&self, path: &Path) -> Result<(), KeyError> {
        write_new(path, self.to_pem().as_bytes(), 0o644)
    }

    /// True when `signature` is this key's strict ed25519 signature of `message`.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(bytes) = <[u8; 64]>::try_from(signature) else {
            return false;
        };
        self.0.verify_strict(message, &Signature::from_bytes(&bytes)).is_ok()
    }
}

impl KeyId {
    /// The digest the id is.
    pub fn digest(&self) -> &Digest {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for KeyId {
    type Err = DigestError;

    fn from_str(text: &str) -> Result<KeyId, DigestError> {
        text.parse().map(KeyId)
    }
}

/// Creates `path` (failing if it exists) with `mode` and writes `bytes` to it.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), KeyError> {
    let io = |source| KeyError::Io { path: path.to_owned(), source };
    if path.try_exists().map_err(io)? {
        return Err(io(std::io::Error::from(std::io::ErrorKind::AlreadyExists)));
    }
    // Written whole and synced to a hidden file beside it, renamed, and the directory
    // synced, so that the final name never holds a partial key, whatever kills the process.
    let name = path.file_name().map(|it| it.to_string_lossy()).unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = crate::keyfile::write_synced(&temp, bytes, mode)
        .and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written.map_err(io)?;
    crate::keyfile::sync_dir(path.parent().unwrap_or(Path::new("."))).map_err(io)
}

/// Refuses a private key file whose group or other permission bits are set.
fn check_private(path: &Path) -> std::io::Result<Result<(), KeyError>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Ok(Err(KeyError::Permissions { path: path.to_owned(), mode }));
        }
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::{CommissionKey, KeyError};

    #[test]
    fn key_files_round_trip_and_stay_private() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("cec.pem");
        let key = CommissionKey::generate().expect("randomness");
        key.write_pem(&path).expect("a new key file");
        let read = CommissionKey::read_pem(&path).expect("the key file reads back");
        assert_eq!(read.public_key(), key.public_key());
        assert!(matches!(key.write_pem(&path), Err(KeyError::Io { .. })), "never overwrites");

        let readable = std::fs::Permissions::from_mode(0o644);
        std::fs::set_permissions(&path, readable).expect("chmod 644");
        let err = CommissionKey::read_pem(&path).expect_err("a readable private key is refused");
        assert!(err.to_string().contains("mode 644 lets others read it"), "{err}");
    }

    #[test]
    fn signatures_verify_only_for_their_message() {
        let key = CommissionKey::from_secret(&[7; 32]);
        let signature = key.sign(b"entry");
        assert!(key.public_key().verifies(b"entry", &signature));
        assert!(!key.public_key().verifies(b"entrY", &signature));
        assert!(!key.public_key().verifies(b"entry", &signature[..63]));
    }
}
