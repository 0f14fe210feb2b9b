//! Signed batches: a run of consecutive log entries appended in one transaction by one
//! key and covered by a single ed25519 signature.
//!
//! Signing every entry alone costs an ed25519 signature each (about 13 µs), which is more
//! than a bulk import of protocols may spend per protocol. A batch keeps the chain per
//! entry unchanged (each entry has its content hash, previous hash and entry hash) and
//! signs the list of its entries' hashes once (`docs/ledger.md`, "Batches"):
//!
//! `saylau-ledger-batch-v1 ‖ first seq ‖ last seq ‖ entry hash of each entry, in order`,
//!
//! with the sequence numbers as 8-byte big-endian integers and each entry hash the SHA-256
//! of the entry's `saylau-ledger-b1` encoding ([`crate::entry::Entry::batched_bytes`]). A batch of one
//! entry is a batch like any other.

use crate::digest::Digest;
use crate::entry::{BATCHED_ENCODING, Checkpoint, Fields, Seq, Version, now_rfc3339};
use crate::id::{ElectionId, Kind, Subject};
use crate::key::{CommissionKey, KeyId};

/// The first bytes of a batch's signed message: the name and version of the encoding.
pub const BATCH_ENCODING: &[u8; 22] = b"saylau-ledger-batch-v1";

/// The id of a stored batch: 1, 2, 3, ... in the order batches were appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BatchId(pub u64);

/// A signed batch as stored in the `batches` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Its id.
    pub id: BatchId,
    /// The position of its first entry.
    pub first: Seq,
    /// The position of its last entry.
    pub last: Seq,
    /// The key that signed it; every entry of the batch names this key.
    pub key_id: KeyId,
    /// The ed25519 signature of [`batch_message`].
    pub signature: [u8; 64],
}

/// The message a batch's key signs: [`BATCH_ENCODING`], the first and last positions,
/// and the entry hash of every entry from the first to the last.
pub fn batch_message(first: Seq, last: Seq, entry_hashes: &[Digest]) -> Vec<u8> {
    let mut out = Vec::with_capacity(BATCH_ENCODING.len() + 16 + 32 * entry_hashes.len());
    out.extend_from_slice(BATCH_ENCODING);
    out.extend_from_slice(&first.0.to_be_bytes());
    out.extend_from_slice(&last.0.to_be_bytes());
    for hash in entry_hashes {
        out.extend_from_slice(hash.as_bytes());
    }
    out
}

/// One entry of a batch: the fields its submission does not hold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BatchedEntry {
    /// Its position.
    pub(crate) seq: Seq,
    /// The subject's version it records.
    pub(crate) version: Version,
    /// The entry hash of the entry before it.
    pub(crate) prev_hash: Digest,
    /// Its entry hash (of its `saylau-ledger-b1` encoding).
    pub(crate) entry_hash: Digest,
}

/// Builds the entries of one batch after the current head of the log, chaining each to
/// the one before, then signs them all at once.
pub(crate) struct BatchBuilder {
    first: Seq,
    prev_hash: Digest,
    key_id: KeyId,
    recorded_at: String,
    entries: Vec<BatchedEntry>,
    scratch: Vec<u8>,
}

/// The fields of an entry that its submission decides.
pub(crate) struct NewEntry<'a> {
    pub(crate) election: &'a ElectionId,
    pub(crate) kind: &'a Kind,
    pub(crate) subject: &'a Subject,
    pub(crate) version: Version,
    pub(crate) content_hash: Digest,
    pub(crate) author: &'a str,
    pub(crate) reason: Option<&'a str>,
}

impl BatchBuilder {
    /// A batch whose first entry follows `head`, signed by `key_id`; every entry records
    /// the same time, the time the batch was begun.
    pub(crate) fn new(head: Checkpoint, key_id: KeyId, capacity: usize) -> BatchBuilder {
        BatchBuilder {
            first: Seq(head.seq.0 + 1),
            prev_hash: head.hash,
            key_id,
            recorded_at: now_rfc3339(),
            entries: Vec::with_capacity(capacity),
            scratch: Vec::with_capacity(512),
        }
    }

    /// Adds the next entry and returns its position and entry hash.
    pub(crate) fn push(&mut self, new: &NewEntry<'_>) -> (Seq, Digest) {
        let seq = Seq(self.first.0 + count(self.entries.len()));
        let fields = Fields {
            seq,
            election: new.election.as_str(),
            kind: new.kind.as_str(),
            subject: new.subject.as_str(),
            version: new.version,
            content_hash: &new.content_hash,
            prev_hash: &self.prev_hash,
            author: new.author,
            key_id: &self.key_id,
            reason: new.reason,
            recorded_at: &self.recorded_at,
        };
        self.scratch.clear();
        fields.encode(BATCHED_ENCODING, &mut self.scratch);
        let entry_hash = Digest::of(&self.scratch);
        let prev_hash = self.prev_hash;
        self.entries.push(BatchedEntry { seq, version: new.version, prev_hash, entry_hash });
        self.prev_hash = entry_hash;
        (seq, entry_hash)
    }

    /// The entries, and the batch signed with `key` (none when no entry was added).
    pub(crate) fn seal(self, key: &CommissionKey) -> Option<(Vec<BatchedEntry>, SealedBatch)> {
        let last = Seq(self.first.0 + count(self.entries.len().checked_sub(1)?));
        let hashes: Vec<Digest> = self.entries.iter().map(|it| it.entry_hash).collect();
        let signature = key.sign(&batch_message(self.first, last, &hashes));
        let sealed = SealedBatch {
            first: self.first,
            last,
            key_id: self.key_id,
            signature,
            recorded_at: self.recorded_at,
        };
        Some((self.entries, sealed))
    }
}

/// A number of entries as a distance between positions.
fn count(entries: usize) -> u64 {
    u64::try_from(entries).expect("a batch holds fewer than 2^64 entries")
}

/// A signed batch before it has an id.
#[derive(Debug, Clone)]
pub(crate) struct SealedBatch {
    pub(crate) first: Seq,
    pub(crate) last: Seq,
    pub(crate) key_id: KeyId,
    pub(crate) signature: [u8; 64],
    /// The time every entry records.
    pub(crate) recorded_at: String,
}

#[cfg(test)]
mod tests {
    use super::{BatchBuilder, NewEntry, batch_message};
    use crate::digest::Digest;
    use crate::entry::{Checkpoint, Seq, Version};
    use crate::id::{ElectionId, Kind, Subject};
    use crate::key::CommissionKey;

    fn check(first: u64, hashes: &[&[u8]], expect: &str) {
        let hashes: Vec<Digest> = hashes.iter().map(|it| Digest::of(it)).collect();
        let last = Seq(first + super::count(hashes.len()) - 1);
        let message = batch_message(Seq(first), last, &hashes);
        assert_eq!(&message[..22], b"saylau-ledger-batch-v1");
        assert_eq!(message.len(), 22 + 16 + 32 * hashes.len());
        let key = CommissionKey::from_secret(&[1; 32]);
        assert_eq!(hex::encode(key.sign(&message)), expect);
    }

    /// Known answers pin the batch message: the signatures were computed independently
    /// by the Python verifier of `docs/ledger.md` (ed25519 signatures are deterministic).
    #[test]
    fn batch_message_known_answers() {
        check(
            1,
            &[b"a"],
            "2b1fd64c823b02b0861c5ac42a07792caaf31b4e0d81465984c3652d4a4bc64ab8202c9a6e07f9cd8f4afca5871def94925557042dbef6baac4a27198d01aa03",
        );
        check(
            7,
            &[b"a", b"b", b"c"],
            "fcf2e7e838e597b6f029386cbddfd70ec9ca4b2afcc0bba53ec8c32acd69ab2e0d2cbd464ce0eb1c24765004c6cbc02e0acd88d5236b8fa121caef0019c32f04",
        );
    }

    #[test]
    fn a_batch_chains_its_entries_and_verifies() {
        let key = CommissionKey::from_secret(&[3; 32]);
        let head = Checkpoint { seq: Seq(4), hash: Digest::of(b"head") };
        let mut builder = BatchBuilder::new(head, key.public_key().key_id(), 2);
        let (election, kind): (ElectionId, Kind) = ("e".parse().unwrap(), "k".parse().unwrap());
        let subjects: [Subject; 2] = ["s1".parse().unwrap(), "s2".parse().unwrap()];
        for subject in &subjects {
            builder.push(&NewEntry {
                election: &election,
                kind: &kind,
                subject,
                version: Version(1),
                content_hash: Digest::of(subject.as_str().as_bytes()),
                author: "importer",
                reason: None,
            });
        }
        let (entries, sealed) = builder.seal(&key).expect("two entries");
        assert_eq!((sealed.first, sealed.last), (Seq(5), Seq(6)));
        assert_eq!(entries[0].prev_hash, head.hash);
        assert_eq!(entries[1].prev_hash, entries[0].entry_hash);
        let second = crate::entry::Entry {
            seq: Seq(6),
            election,
            kind,
            subject: subjects[1].clone(),
            version: Version(1),
            content_hash: Digest::of(b"s2"),
            prev_hash: entries[0].entry_hash,
            author: "importer".to_owned(),
            key_id: key.public_key().key_id(),
            reason: None,
            recorded_at: sealed.recorded_at.clone(),
        };
        assert_eq!(entries[1].entry_hash, second.batched_hash());
        let hashes: Vec<Digest> = entries.iter().map(|it| it.entry_hash).collect();
        let message = batch_message(sealed.first, sealed.last, &hashes);
        assert!(key.public_key().verifies(&message, &sealed.signature));
        let empty = BatchBuilder::new(head, key.public_key().key_id(), 0);
        assert!(empty.seal(&key).is_none());
    }
}
