//! A log entry and its canonical encoding: the exact bytes that are signed and hashed.
//!
//! The encoding is specified in `docs/ledger.md` so that anyone can verify the log without
//! saylau. In short: the 16 ASCII bytes `saylau-ledger-v1`, then every field in a fixed
//! order, integers as 8-byte big-endian, hashes as their 32 raw bytes, texts as an 8-byte
//! big-endian length and their UTF-8 bytes, and the optional reason behind a 0 or 1 byte.
//! The signature is ed25519 over those bytes; the entry hash is the SHA-256 of those bytes
//! followed by the 64 signature bytes, and the next entry's previous hash is that hash.

use std::fmt;
use std::str::FromStr;

use crate::digest::Digest;
use crate::id::{ElectionId, Kind, Subject};
use crate::key::KeyId;

/// The first bytes of every encoded entry: the name and version of the encoding.
pub const ENCODING: &[u8; 16] = b"saylau-ledger-v1";

/// The position of an entry in the log: 1, 2, 3, ... with no gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Seq(pub u64);

/// The version of one subject's document: 1 for the first, then one more per correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub u64);

/// One accepted version of a subject's payload, as signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Position in the log.
    pub seq: Seq,
    /// The election the payload belongs to.
    pub election: ElectionId,
    /// What the payload is.
    pub kind: Kind,
    /// What the payload is about (a station).
    pub subject: Subject,
    /// The version of this subject's payload that the entry records.
    pub version: Version,
    /// SHA-256 of the payload bytes.
    pub content_hash: Digest,
    /// The entry hash of the previous entry ([`Digest::ZERO`] for the first).
    pub prev_hash: Digest,
    /// Who submitted the version (recorded as given).
    pub author: String,
    /// The commission key that signed the entry.
    pub key_id: KeyId,
    /// Why a correction was made; required for every version after the first.
    pub reason: Option<String>,
    /// When the version was accepted: UTC, RFC 3339, milliseconds, such as
    /// `2026-03-19T20:15:07.123Z`.
    pub recorded_at: String,
}

/// An entry with its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedEntry {
    /// The signed fields.
    pub entry: Entry,
    /// The ed25519 signature of [`Entry::signed_bytes`].
    pub signature: [u8; 64],
}

/// A published state of the log: the hash of its last entry and that entry's position.
/// Written `HASH@SEQ`; the empty log's checkpoint is [`Digest::ZERO`] at 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// Position of the last entry.
    pub seq: Seq,
    /// Its entry hash.
    pub hash: Digest,
}

/// A text that is not `HASH@SEQ`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a checkpoint: expected HASH@SEQ, 64 hex digits, `@` and a number")]
pub struct CheckpointError {
    /// The text as given.
    pub text: String,
}

impl Entry {
    /// The canonical encoding: the bytes that are signed.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(512);
        out.extend_from_slice(ENCODING);
        out.extend_from_slice(&self.seq.0.to_be_bytes());
        put_text(&mut out, self.election.as_str());
        put_text(&mut out, self.kind.as_str());
        put_text(&mut out, self.subject.as_str());
        out.extend_from_slice(&self.version.0.to_be_bytes());
        out.extend_from_slice(self.content_hash.as_bytes());
        out.extend_from_slice(self.prev_hash.as_bytes());
        put_text(&mut out, &self.author);
        out.extend_from_slice(self.key_id.digest().as_bytes());
        match &self.reason {
            None => out.push(0),
            Some(reason) => {
                out.push(1);
                put_text(&mut out, reason);
            }
        }
        put_text(&mut out, &self.recorded_at);
        out
    }
}

impl SignedEntry {
    /// The entry hash: SHA-256 of the signed bytes followed by the signature.
    pub fn entry_hash(&self) -> Digest {
        let mut bytes = self.entry.signed_bytes();
        bytes.extend_from_slice(&self.signature);
        Digest::of(&bytes)
    }
}

/// The current time as an entry records it: UTC, RFC 3339, milliseconds.
pub(crate) fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.millisecond()
    )
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(text.as_bytes());
}

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.hash, self.seq)
    }
}

impl FromStr for Checkpoint {
    type Err = CheckpointError;

    fn from_str(text: &str) -> Result<Checkpoint, CheckpointError> {
        let error = || CheckpointError { text: text.to_owned() };
        let (hash, seq) = text.trim().split_once('@').ok_or_else(error)?;
        let hash = hash.parse().map_err(|_| error())?;
        let seq = seq.parse().map_err(|_| error())?;
        Ok(Checkpoint { seq: Seq(seq), hash })
    }
}

#[cfg(test)]
mod tests {
    use super::{Checkpoint, Entry, Seq, SignedEntry, Version};
    use crate::digest::Digest;
    use crate::key::CommissionKey;

    fn entry(reason: Option<&str>) -> Entry {
        let key = CommissionKey::from_secret(&[1; 32]);
        Entry {
            seq: Seq(2),
            election: "mazhilis-2026".parse().expect("an id"),
            kind: "protocol".parse().expect("an id"),
            subject: "12-034".parse().expect("an id"),
            version: Version(2),
            content_hash: Digest::of(b"{}"),
            prev_hash: Digest::ZERO,
            author: "PEC 12-034 secretary".to_owned(),
            key_id: key.public_key().key_id(),
            reason: reason.map(str::to_owned),
            recorded_at: "2026-03-19T20:15:07.123Z".to_owned(),
        }
    }

    fn check(reason: Option<&str>, expect_hash: &str) {
        let key = CommissionKey::from_secret(&[1; 32]);
        let entry = entry(reason);
        let signature = key.sign(&entry.signed_bytes());
        assert!(key.public_key().verifies(&entry.signed_bytes(), &signature));
        let signed = SignedEntry { entry, signature };
        assert_eq!(signed.entry_hash().to_hex(), expect_hash);
    }

    /// Known answers pin the encoding: if one changes, the log format changed, and
    /// `docs/ledger.md` and `ENCODING` must change with it. The values were computed
    /// independently by the Python verifier of `docs/ledger.md`.
    #[test]
    fn encoding_known_answers() {
        check(None, "05cefc3c5c66750a60642a0ed96ed51c48026e03b2c1afa2d19ad337bc8e6e51");
        check(Some("recount"), "280029b08210a18cf81036b7defca51ff8fdda8cfd282e4060484b70136428b9");
    }

    #[test]
    fn encoding_starts_with_the_format_and_seq() {
        let bytes = entry(None).signed_bytes();
        assert_eq!(&bytes[..16], b"saylau-ledger-v1");
        assert_eq!(&bytes[16..24], &[0, 0, 0, 0, 0, 0, 0, 2]);
        assert_eq!(&bytes[24..32], &13u64.to_be_bytes());
        assert_eq!(&bytes[32..45], b"mazhilis-2026");
    }

    #[test]
    fn timestamps_are_rfc3339_utc_with_milliseconds() {
        let now = super::now_rfc3339();
        assert_eq!(now.len(), 24, "{now}");
        assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T' && now.as_bytes()[19] == b'.');
    }

    #[test]
    fn checkpoints_parse_and_print() {
        let text = format!("{}@42", Digest::of(b"x"));
        let checkpoint: Checkpoint = text.parse().expect("a checkpoint");
        assert_eq!(checkpoint.seq, Seq(42));
        assert_eq!(checkpoint.to_string(), text);
        assert!("abc@1".parse::<Checkpoint>().is_err());
        assert!(format!("{}", Digest::ZERO).parse::<Checkpoint>().is_err());
    }
}
