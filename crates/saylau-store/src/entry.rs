//! A log entry and its canonical encoding: the exact bytes that are signed and hashed.
//!
//! The encoding is specified in `docs/ledger.md` so that anyone can verify the log without
//! saylau. In short: the 16 ASCII bytes `saylau-ledger-v1`, then every field in a fixed
//! order, integers as 8-byte big-endian, hashes as their 32 raw bytes, texts as an 8-byte
//! big-endian length and their UTF-8 bytes, and the optional reason behind a 0 or 1 byte.
//! The signature is ed25519 over those bytes; the entry hash is the SHA-256 of those bytes
//! followed by the 64 signature bytes, and the next entry's previous hash is that hash.
//!
//! An entry of a signed batch ([`crate::batch`]) is encoded the same way but starts with
//! `saylau-ledger-b1`; it has no signature of its own, and its entry hash is the SHA-256
//! of its encoding alone.

use std::fmt;
use std::str::FromStr;

use crate::digest::Digest;
use crate::id::{ElectionId, Kind, Subject};
use crate::key::KeyId;

/// The first bytes of every encoded entry that is signed alone: the name and version of
/// the encoding.
pub const ENCODING: &[u8; 16] = b"saylau-ledger-v1";

/// The first bytes of every encoded entry of a signed batch.
pub const BATCHED_ENCODING: &[u8; 16] = b"saylau-ledger-b1";

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
    /// The canonical encoding of an entry signed alone: the bytes that are signed.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(512);
        self.encode(ENCODING, &mut out);
        out
    }

    /// The canonical encoding of an entry of a signed batch.
    pub fn batched_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(512);
        self.encode(BATCHED_ENCODING, &mut out);
        out
    }

    /// The entry hash of an entry of a signed batch: SHA-256 of [`Entry::batched_bytes`].
    pub fn batched_hash(&self) -> Digest {
        Digest::of(&self.batched_bytes())
    }

    /// Appends the encoding that starts with `encoding` to `out`.
    pub(crate) fn encode(&self, encoding: &[u8; 16], out: &mut Vec<u8>) {
        let fields = Fields {
            seq: self.seq,
            election: self.election.as_str(),
            kind: self.kind.as_str(),
            subject: self.subject.as_str(),
            version: self.version,
            content_hash: &self.content_hash,
            prev_hash: &self.prev_hash,
            author: &self.author,
            key_id: &self.key_id,
            reason: self.reason.as_deref(),
            recorded_at: &self.recorded_at,
        };
        fields.encode(encoding, out);
    }
}

/// The fields of an entry, borrowed: what a batch encodes without copying them.
pub(crate) struct Fields<'a> {
    pub(crate) seq: Seq,
    pub(crate) election: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) subject: &'a str,
    pub(crate) version: Version,
    pub(crate) content_hash: &'a Digest,
    pub(crate) prev_hash: &'a Digest,
    pub(crate) author: &'a str,
    pub(crate) key_id: &'a KeyId,
    pub(crate) reason: Option<&'a str>,
    pub(crate) recorded_at: &'a str,
}

impl Fields<'_> {
    /// Appends the encoding that starts with `encoding` to `out`.
    pub(crate) fn encode(&self, encoding: &[u8; 16], out: &mut Vec<u8>) {
        out.extend_from_slice(encoding);
        out.extend_from_slice(&self.seq.0.to_be_bytes());
        put_text(out, self.election);
        put_text(out, self.kind);
        put_text(out, self.subject);
        out.extend_from_slice(&self.version.0.to_be_bytes());
        out.extend_from_slice(self.content_hash.as_bytes());
        out.extend_from_slice(self.prev_hash.as_bytes());
        put_text(out, self.author);
        out.extend_from_slice(self.key_id.digest().as_bytes());
        match self.reason {
            None => out.push(0),
            Some(reason) => {
                out.push(1);
                put_text(out, reason);
            }
        }
        put_text(out, self.recorded_at);
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

    /// The entry hash of the same entry in a batch: SHA-256 of its `saylau-ledger-b1`
    /// encoding, computed independently by the Python verifier of `docs/ledger.md`.
    #[test]
    fn batched_encoding_known_answers() {
        let check = |reason: Option<&str>, expect: &str| {
            let entry = entry(reason);
            assert_eq!(&entry.batched_bytes()[..16], b"saylau-ledger-b1");
            assert_eq!(entry.batched_bytes()[16..], entry.signed_bytes()[16..]);
            assert_eq!(entry.batched_hash().to_hex(), expect);
        };
        check(None, "20ee8ffc520f5d1cf751c3b7b78883510bf92a46c8bd3db7879073e92ee09771");
        check(Some("recount"), "7a2e33b4f5d817fb143e3dd209babfd451c5158a8120392cde03366952c6caca");
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
