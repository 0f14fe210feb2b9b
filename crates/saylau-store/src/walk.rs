//! The walk along the log that [`crate::verify`] makes: each stored row checked in order
//! of position, the signed batches followed from their first entry to their last, and the
//! batches, a published checkpoint and the current-version index checked at the end.
//!
//! The walk knows no driver: the SQLite reader (`crate::sqlite_bulk`) and the sqlx reader
//! (`crate::verify`) hand it the same [`StoredRow`]s.

use std::collections::{HashMap, HashSet};

use crate::batch::batch_message;
use crate::digest::Digest;
use crate::enrol::{REGISTRY_KIND, Refusal, Registrations, Replay, STORE_ELECTION, Tables};
use crate::entry::{Checkpoint, Entry, Seq, SignedEntry, Version};
use crate::key::{KeyId, PublicKey};
use crate::verify::{Break, Problem, StoredSubject, Verification};

/// A stored batch, as read.
pub(crate) struct StoredBatch {
    pub(crate) first: Seq,
    pub(crate) last: Seq,
    pub(crate) key_id: String,
    pub(crate) signature: Vec<u8>,
}

/// Registered keys whose stored id is the hash of their bytes, from `(id, bytes)` rows.
pub(crate) fn keys(rows: Vec<(String, Vec<u8>)>) -> HashMap<KeyId, PublicKey> {
    let mut keys = HashMap::with_capacity(rows.len());
    for (id, bytes) in rows {
        if let Ok(key) = PublicKey::from_bytes(&bytes)
            && key.key_id().to_string() == id
        {
            keys.insert(key.key_id(), key);
        }
    }
    keys
}

/// The batch whose entries are being read.
pub(crate) struct OpenBatch {
    id: u64,
    /// The subject of its first entry, for a report.
    first_subject: StoredSubject,
    hashes: Vec<Digest>,
}

/// How a stored entry is signed.
enum Signing {
    /// By its own signature.
    Alone([u8; 64]),
    /// By the batch with this id.
    Batched(u64),
}

/// The state of a walk along the log.
pub(crate) struct Walk {
    keys: HashMap<KeyId, PublicKey>,
    /// The registry recomputed from the log so far: who may sign what.
    registry: Replay,
    batches: HashMap<u64, StoredBatch>,
    /// The batch being read, if the last entry was batched and not its batch's last.
    open: Option<OpenBatch>,
    /// The batches whose entries were all read.
    closed: HashSet<u64>,
    /// Checkpoints the log must contain unchanged (published, or known outside the store).
    published: Vec<Checkpoint>,
    /// The position the next entry must have.
    pub(crate) next: Seq,
    /// The recomputed hash of the last entry checked.
    prev_hash: Digest,
    /// The last version and its entry, per (election, kind, subject).
    versions: HashMap<(String, String, String), (Version, Seq)>,
    /// The key id of the last entry authorised, and its text.
    key_text: (Option<KeyId>, String),
}

impl Walk {
    pub(crate) fn new(
        keys: HashMap<KeyId, PublicKey>,
        batches: HashMap<u64, StoredBatch>,
        published: Vec<Checkpoint>,
    ) -> Walk {
        Walk {
            keys,
            registry: Replay::default(),
            batches,
            open: None,
            closed: HashSet::new(),
            published,
            next: Seq(1),
            prev_hash: Digest::ZERO,
            versions: HashMap::new(),
            key_text: (None, String::new()),
        }
    }

    /// Checks one stored row and moves past it, or says where and why the log is broken.
    pub(crate) fn step(&mut self, row: &StoredRow) -> Result<(), Box<Break>> {
        let stored = StoredSubject {
            election: row.election.clone().unwrap_or_default(),
            kind: row.kind.clone().unwrap_or_default(),
            subject: row.subject.clone().unwrap_or_default(),
        };
        // Where the break is reported; a seq that is not a position is itself the break.
        let seq = Seq(row.seq.and_then(|seq| u64::try_from(seq).ok()).unwrap_or(0));
        self.check(row, &stored).map_err(|problem| {
            let (seq, subject) = self.blame(seq, stored, &problem);
            Box::new(Break { seq, subject: Some(subject), problem })
        })
    }

    /// Where a problem found at entry `seq` is reported: a bad batch signature at the
    /// batch's first entry, anything else at the entry itself.
    fn blame(
        &mut self,
        seq: Seq,
        stored: StoredSubject,
        problem: &Problem,
    ) -> (Seq, StoredSubject) {
        match (problem, self.open.take()) {
            (Problem::BatchSignature { first, .. }, Some(open)) => (*first, open.first_subject),
            _ => (seq, stored),
        }
    }

    /// Checks one stored entry and moves past it.
    fn check(&mut self, row: &StoredRow, stored: &StoredSubject) -> Result<(), Problem> {
        let (entry, signing, stored_hash, payload) = parse(row)?;
        if entry.seq != self.next {
            return Err(Problem::Sequence { expected: self.next });
        }
        let computed = Digest::of(payload);
        if computed != entry.content_hash {
            return Err(Problem::ContentHash { stored: entry.content_hash, computed });
        }
        if entry.prev_hash != self.prev_hash {
            return Err(Problem::Chain { stored: entry.prev_hash, expected: self.prev_hash });
        }
        let key = (entry.election.to_string(), entry.kind.to_string(), entry.subject.to_string());
        let expected = Version(self.versions.get(&key).map_or(1, |(version, _)| version.0 + 1));
        if entry.version != expected {
            return Err(Problem::VersionOrder { expected, found: entry.version });
        }
        let Some(public_key) = self.keys.get(&entry.key_id) else {
            return Err(Problem::UnknownKey { key_id: entry.key_id.to_string() });
        };
        let computed = match signing {
            Signing::Alone(signature) => {
                if let Some(open) = &self.open {
                    return Err(self.batch_problem(open.id, "its entries stop before its last"));
                }
                if !public_key.verifies(&entry.signed_bytes(), &signature) {
                    return Err(Problem::Signature);
                }
                SignedEntry { entry: entry.clone(), signature }.entry_hash()
            }
            Signing::Batched(batch) => self.batched(&entry, batch, stored)?,
        };
        if computed != stored_hash {
            return Err(Problem::EntryHash { stored: stored_hash, computed });
        }
        self.authorise(&entry, payload)?;
        self.close_batch(&entry)?;
        if let Some(published) =
            self.published.iter().find(|it| it.seq == entry.seq && it.hash != computed)
        {
            return Err(Problem::Checkpoint { published: published.hash, computed });
        }
        self.versions.insert(key, (entry.version, entry.seq));
        self.prev_hash = computed;
        self.next = Seq(entry.seq.0 + 1);
        Ok(())
    }

    /// Checks, as of this entry, that its key was registered by an earlier entry (or is the
    /// genesis's own), not revoked, and entitled to write what it wrote; a registration
    /// entry is applied to the registry recomputed from the log.
    fn authorise(&mut self, entry: &Entry, payload: &[u8]) -> Result<(), Problem> {
        // Consecutive entries share their key (a batch has one): its text is made once.
        if self.key_text.0 != Some(entry.key_id) {
            self.key_text = (Some(entry.key_id), entry.key_id.to_string());
        }
        let key = self.key_text.1.as_str();
        if entry.kind.as_str() == REGISTRY_KIND && entry.election.as_str() == STORE_ELECTION {
            let Some(registration) = Registrations::from_bytes(payload) else {
                let detail = "the payload is not a saylau-registry-v1 registration".to_owned();
                return Err(Problem::Registration { detail });
            };
            return self.registry.apply(entry.seq.0, key, &registration).map_err(refusal);
        }
        if !self.registry.has_genesis() {
            let detail = "the log's first entry must register its own signing key alone \
                          (the genesis)"
                .to_owned();
            return Err(refusal(Refusal::NotAuthorised { commission: String::new(), detail }));
        }
        self.registry.signer(key).map_err(refusal)?;
        self.registry.authority.check(entry)
    }

    /// A [`Problem::Batch`] of batch `id`.
    fn batch_problem(&self, id: u64, detail: &'static str) -> Problem {
        let (first, last) =
            self.batches.get(&id).map_or((Seq(0), Seq(0)), |it| (it.first, it.last));
        Problem::Batch { batch: id, first, last, detail }
    }

    /// Checks a batched entry's place in its batch and returns its entry hash.
    fn batched(
        &mut self,
        entry: &Entry,
        id: u64,
        stored: &StoredSubject,
    ) -> Result<Digest, Problem> {
        let Some(batch) = self.batches.get(&id) else {
            return Err(self.batch_problem(id, "the batch is not stored"));
        };
        match &self.open {
            Some(open) if open.id != id => {
                return Err(self.batch_problem(open.id, "its entries stop before its last"));
            }
            Some(_) => {}
            None if entry.seq != batch.first || self.closed.contains(&id) => {
                return Err(self.batch_problem(id, "the entry is outside the batch's range"));
            }
            None => {
                let first_subject = stored.clone();
                self.open = Some(OpenBatch { id, first_subject, hashes: Vec::new() });
            }
        }
        if entry.seq > batch.last {
            return Err(self.batch_problem(id, "the entry is outside the batch's range"));
        }
        if !crate::authority::displays_as(&entry.key_id, &batch.key_id) {
            return Err(self.batch_problem(id, "the entry names another key than its batch"));
        }
        let computed = entry.batched_hash();
        if let Some(open) = &mut self.open {
            open.hashes.push(computed);
        }
        Ok(computed)
    }

    /// After a batch's last entry: checks the batch's signature.
    fn close_batch(&mut self, entry: &Entry) -> Result<(), Problem> {
        let Some(open) = &self.open else { return Ok(()) };
        let Some(batch) = self.batches.get(&open.id) else { return Ok(()) };
        if entry.seq != batch.last {
            return Ok(());
        }
        let message = batch_message(batch.first, batch.last, &open.hashes);
        let verifies = self
            .keys
            .get(&entry.key_id)
            .is_some_and(|key| key.verifies(&message, &batch.signature));
        if !verifies {
            let (first, last) = (batch.first, batch.last);
            return Err(Problem::BatchSignature { batch: open.id, first, last });
        }
        self.closed.insert(open.id);
        self.open = None;
        Ok(())
    }

    /// Checks the batches, the published checkpoint's position and the current-version
    /// index (`index`: every indexed subject and its version).
    pub(crate) fn finish(self, index: &[IndexRow], tables: &Tables) -> Verification {
        if let Some(open) = &self.open {
            let problem = self.batch_problem(open.id, "its entries stop before its last");
            let seq = self.batches.get(&open.id).map_or(Seq(0), |it| it.first);
            let subject = Some(open.first_subject.clone());
            return Verification::Broken(Break { seq, subject, problem });
        }
        let mut unread: Vec<(&u64, &StoredBatch)> =
            self.batches.iter().filter(|(id, _)| !self.closed.contains(*id)).collect();
        unread.sort_by_key(|(_, batch)| batch.first);
        if let Some((id, batch)) = unread.first() {
            let problem = self.batch_problem(**id, "the batch has no entries in the log");
            return Verification::Broken(Break { seq: batch.first, subject: None, problem });
        }
        let entries = self.next.0 - 1;
        let head = Checkpoint { seq: Seq(entries), hash: self.prev_hash };
        if let Some(published) = self.published.iter().max_by_key(|it| it.seq)
            && published.seq.0 > entries
        {
            let problem = Problem::Truncated { entries };
            return Verification::Broken(Break { seq: published.seq, subject: None, problem });
        }
        for published in &self.published {
            if published.seq.0 == 0 && published.hash != Digest::ZERO {
                let problem =
                    Problem::Checkpoint { published: published.hash, computed: Digest::ZERO };
                return Verification::Broken(Break { seq: Seq(0), subject: None, problem });
            }
        }
        if let Some(broken) = index_break(index, &self.versions) {
            return Verification::Broken(broken);
        }
        let mismatches = self.registry.compare(tables);
        if let Some(first) = mismatches.first() {
            let problem = Problem::RegistryMismatch {
                table: first.table,
                id: first.id.clone(),
                field: first.field,
                detail: first.detail.clone(),
                more: mismatches.len() - 1,
            };
            return Verification::Broken(Break { seq: Seq(first.seq), subject: None, problem });
        }
        Verification::Intact { entries, head }
    }
}

/// The problem of a refused registration or signer.
fn refusal(refusal: Refusal) -> Problem {
    match refusal {
        Refusal::NotAuthorised { commission, detail } => {
            Problem::NotAuthorisedSigner { commission, detail }
        }
        Refusal::Invalid { detail } => Problem::Registration { detail },
    }
}

/// One row of the current-version index: election, kind, subject and version.
pub(crate) type IndexRow = ((String, String, String), i64);

/// The first subject whose index entry is not its last logged version.
fn index_break(
    index: &[IndexRow],
    versions: &HashMap<(String, String, String), (Version, Seq)>,
) -> Option<Break> {
    // A negative stored version is no version: it matches no logged one.
    let indexed: HashMap<&(String, String, String), Version> = index
        .iter()
        .filter_map(|(key, version)| Some((key, Version(u64::try_from(*version).ok()?))))
        .collect();
    let mut wrong: Vec<_> =
        versions.iter().filter(|(key, (version, _))| indexed.get(*key) != Some(version)).collect();
    wrong.sort_by_key(|(_, (_, seq))| *seq);
    wrong.first().map(|((election, kind, subject), (logged, seq))| Break {
        seq: *seq,
        subject: Some(StoredSubject {
            election: election.clone(),
            kind: kind.clone(),
            subject: subject.clone(),
        }),
        problem: Problem::Index {
            indexed: indexed.get(&(election.clone(), kind.clone(), subject.clone())).copied(),
            logged: *logged,
        },
    })
}

/// A log row as stored, read by either driver: each field is `None` when the stored value
/// is not of its type (and, for a nullable column, `Some(None)` when it is NULL).
#[derive(Debug, Default)]
pub(crate) struct StoredRow {
    pub(crate) seq: Option<i64>,
    pub(crate) election: Option<String>,
    pub(crate) kind: Option<String>,
    pub(crate) subject: Option<String>,
    pub(crate) version: Option<i64>,
    pub(crate) content_hash: Option<Vec<u8>>,
    pub(crate) prev_hash: Option<Vec<u8>>,
    pub(crate) entry_hash: Option<Vec<u8>>,
    pub(crate) author: Option<String>,
    pub(crate) key_id: Option<String>,
    pub(crate) signature: Option<Option<Vec<u8>>>,
    pub(crate) batch_id: Option<Option<i64>>,
    pub(crate) reason: Option<Option<String>>,
    pub(crate) recorded_at: Option<String>,
    pub(crate) payload: Option<Vec<u8>>,
}

/// A stored row as an entry, how it is signed, its stored entry hash and its payload.
fn parse(row: &StoredRow) -> Result<(Entry, Signing, Digest, &[u8]), Problem> {
    fn get<T: Clone>(value: Option<&T>, field: &'static str) -> Result<T, Problem> {
        value.cloned().ok_or(Problem::Malformed { field })
    }
    fn count(value: Option<&i64>, field: &'static str) -> Result<u64, Problem> {
        value.and_then(|it| u64::try_from(*it).ok()).ok_or(Problem::Malformed { field })
    }
    fn digest(value: Option<&Vec<u8>>, field: &'static str) -> Result<Digest, Problem> {
        value.and_then(|it| Digest::from_slice(it)).ok_or(Problem::Malformed { field })
    }
    fn id<T: std::str::FromStr>(value: Option<&String>, field: &'static str) -> Result<T, Problem> {
        value.and_then(|it| it.parse().ok()).ok_or(Problem::Malformed { field })
    }
    let signing = match (
        get(row.signature.as_ref(), "signature")?,
        get(row.batch_id.as_ref(), "batch_id")?,
    ) {
        (Some(signature), None) => Signing::Alone(
            <[u8; 64]>::try_from(signature)
                .map_err(|_| Problem::Malformed { field: "signature" })?,
        ),
        (None, Some(batch)) => Signing::Batched(count(Some(&batch), "batch_id")?),
        _ => return Err(Problem::Malformed { field: "signature" }),
    };
    let entry = Entry {
        seq: Seq(count(row.seq.as_ref(), "seq")?),
        election: id(row.election.as_ref(), "election_id")?,
        kind: id(row.kind.as_ref(), "kind")?,
        subject: id(row.subject.as_ref(), "subject")?,
        version: Version(count(row.version.as_ref(), "version")?),
        content_hash: digest(row.content_hash.as_ref(), "content_hash")?,
        prev_hash: digest(row.prev_hash.as_ref(), "prev_hash")?,
        author: get(row.author.as_ref(), "author")?,
        key_id: id(row.key_id.as_ref(), "key_id")?,
        reason: get(row.reason.as_ref(), "reason")?,
        recorded_at: get(row.recorded_at.as_ref(), "recorded_at")?,
    };
    let stored_hash = digest(row.entry_hash.as_ref(), "entry_hash")?;
    let payload = row.payload.as_deref().ok_or(Problem::Malformed { field: "payload" })?;
    Ok((entry, signing, stored_hash, payload))
}
