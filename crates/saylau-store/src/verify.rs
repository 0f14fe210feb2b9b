//! Verification of the whole log: every sequence number, content hash, chain link,
//! signature and entry hash, the version order of every subject, the current-version
//! index, and optionally a published checkpoint.
//!
//! Verification reads one snapshot of the store and stops at the first broken entry,
//! naming its sequence number, its subject and the reason.

use std::collections::HashMap;
use std::fmt;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};

use crate::digest::Digest;
use crate::entry::{Checkpoint, Entry, Seq, SignedEntry, Version};
use crate::key::{KeyId, PublicKey};
use crate::ledger::{from_sql, to_sql};
use crate::store::Store;

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every entry checked out.
    Intact {
        /// The number of entries.
        entries: u64,
        /// The recomputed checkpoint of the last entry.
        head: Checkpoint,
    },
    /// The first broken entry.
    Broken(Break),
}

/// Where and why the log is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The entry's position (for a truncated log, the published position that is missing).
    pub seq: Seq,
    /// The entry's election, kind and subject as stored, when there is an entry.
    pub subject: Option<StoredSubject>,
    /// What is wrong.
    pub problem: Problem,
}

/// The election, kind and subject of a stored entry, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSubject {
    /// The election.
    pub election: String,
    /// The kind.
    pub kind: String,
    /// The subject (station).
    pub subject: String,
}

/// Why an entry is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The entry is not the next position: one is missing or out of place.
    Sequence {
        /// The position that should come next.
        expected: Seq,
    },
    /// A stored field is not valid at all.
    Malformed {
        /// The field.
        field: &'static str,
    },
    /// The payload's SHA-256 is not the stored content hash.
    ContentHash {
        /// Stored in the entry.
        stored: Digest,
        /// Of the stored payload.
        computed: Digest,
    },
    /// The previous hash is not the previous entry's hash.
    Chain {
        /// Stored in the entry.
        stored: Digest,
        /// The previous entry's recomputed hash.
        expected: Digest,
    },
    /// The subject's versions do not go 1, 2, 3, ...
    VersionOrder {
        /// The version that should come next.
        expected: Version,
        /// The version stored.
        found: Version,
    },
    /// No registered key has the entry's key id.
    UnknownKey {
        /// The key id as stored.
        key_id: String,
    },
    /// The signature does not verify with the key.
    Signature,
    /// The stored entry hash is not the hash of the entry and signature.
    EntryHash {
        /// Stored.
        stored: Digest,
        /// Recomputed.
        computed: Digest,
    },
    /// The entry at the published checkpoint's position has another hash.
    Checkpoint {
        /// Published.
        published: Digest,
        /// Recomputed.
        computed: Digest,
    },
    /// The log ends before the published checkpoint's position: entries were removed.
    Truncated {
        /// The number of entries in the log.
        entries: u64,
    },
    /// The current-version index does not point at the subject's last entry.
    Index {
        /// The version in the index.
        indexed: Option<Version>,
        /// The last version in the log.
        logged: Version,
    },
}

/// A store that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("verifying the log: {0}")]
pub struct VerifyError(#[from] sqlx::Error);

/// The number of entries read per query.
const PAGE_SIZE: i64 = 512;

const PAGE: &str = "SELECT seq, election_id, kind, subject, version, content_hash, prev_hash, \
     entry_hash, author, key_id, signature, reason, recorded_at, payload FROM log_entries \
     WHERE seq > $1 ORDER BY seq LIMIT $2";

/// Recomputes the log; with `published`, also checks that the log contains that entry
/// unchanged.
pub async fn verify(
    store: &Store,
    published: Option<&Checkpoint>,
) -> Result<Verification, VerifyError> {
    let mut tx = store.begin_snapshot().await?;
    let mut walk = Walk::new(keys(&mut tx).await?, published.copied());
    loop {
        let rows = sqlx::query(PAGE)
            .bind(to_sql(walk.next.0 - 1))
            .bind(PAGE_SIZE)
            .fetch_all(&mut *tx)
            .await?;
        let Some(last) = rows.last() else { break };
        let last_seq: i64 = last.try_get("seq")?;
        for row in &rows {
            let stored = StoredSubject {
                election: row.try_get("election_id")?,
                kind: row.try_get("kind")?,
                subject: row.try_get("subject")?,
            };
            let seq = Seq(from_sql(row.try_get("seq")?));
            if let Err(problem) = walk.check(row) {
                return Ok(Verification::Broken(Break { seq, subject: Some(stored), problem }));
            }
        }
        if from_sql(last_seq) + 1 != walk.next.0 {
            break;
        }
    }
    let res = walk.finish(&mut tx).await?;
    tx.rollback().await?;
    Ok(res)
}

const KEYS: &str = "SELECT id, public_key FROM commission_keys";

/// Registered keys whose stored id is the hash of their bytes.
async fn keys(conn: &mut AnyConnection) -> Result<HashMap<KeyId, PublicKey>, sqlx::Error> {
    let rows = sqlx::query(KEYS).fetch_all(conn).await?;
    let mut keys = HashMap::with_capacity(rows.len());
    for row in rows {
        let id: String = row.try_get("id")?;
        let bytes: Vec<u8> = row.try_get("public_key")?;
        if let Ok(key) = PublicKey::from_bytes(&bytes)
            && key.key_id().to_string() == id
        {
            keys.insert(key.key_id(), key);
        }
    }
    Ok(keys)
}

/// The state of a walk along the log.
struct Walk {
    keys: HashMap<KeyId, PublicKey>,
    published: Option<Checkpoint>,
    /// The position the next entry must have.
    next: Seq,
    /// The recomputed hash of the last entry checked.
    prev_hash: Digest,
    /// The last version and its entry, per (election, kind, subject).
    versions: HashMap<(String, String, String), (Version, Seq)>,
}

impl Walk {
    fn new(keys: HashMap<KeyId, PublicKey>, published: Option<Checkpoint>) -> Walk {
        let versions = HashMap::new();
        Walk { keys, published, next: Seq(1), prev_hash: Digest::ZERO, versions }
    }

    /// Checks one stored entry and moves past it.
    fn check(&mut self, row: &AnyRow) -> Result<(), Problem> {
        let (signed, stored_hash, payload) = parse(row)?;
        let entry = &signed.entry;
        if entry.seq != self.next {
            return Err(Problem::Sequence { expected: self.next });
        }
        let computed = Digest::of(&payload);
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
        if !public_key.verifies(&entry.signed_bytes(), &signed.signature) {
            return Err(Problem::Signature);
        }
        let computed = signed.entry_hash();
        if computed != stored_hash {
            return Err(Problem::EntryHash { stored: stored_hash, computed });
        }
        if let Some(published) = self.published.filter(|it| it.seq == entry.seq)
            && published.hash != computed
        {
            return Err(Problem::Checkpoint { published: published.hash, computed });
        }
        self.versions.insert(key, (entry.version, entry.seq));
        self.prev_hash = computed;
        self.next = Seq(entry.seq.0 + 1);
        Ok(())
    }

    /// Checks the published checkpoint's position and the current-version index.
    async fn finish(self, conn: &mut AnyConnection) -> Result<Verification, sqlx::Error> {
        let entries = self.next.0 - 1;
        let head = Checkpoint { seq: Seq(entries), hash: self.prev_hash };
        if let Some(published) = self.published {
            if published.seq.0 > entries {
                let problem = Problem::Truncated { entries };
                return Ok(Verification::Broken(Break {
                    seq: published.seq,
                    subject: None,
                    problem,
                }));
            }
            if published.seq.0 == 0 && published.hash != Digest::ZERO {
                let problem =
                    Problem::Checkpoint { published: published.hash, computed: Digest::ZERO };
                return Ok(Verification::Broken(Break { seq: Seq(0), subject: None, problem }));
            }
        }
        if let Some(broken) = index_break(conn, &self.versions).await? {
            return Ok(Verification::Broken(broken));
        }
        Ok(Verification::Intact { entries, head })
    }
}

const INDEX: &str = "SELECT election_id, kind, subject, version FROM current_versions";

/// The first subject whose index entry is not its last logged version.
async fn index_break(
    conn: &mut AnyConnection,
    versions: &HashMap<(String, String, String), (Version, Seq)>,
) -> Result<Option<Break>, sqlx::Error> {
    let mut indexed = HashMap::with_capacity(versions.len());
    for row in sqlx::query(INDEX).fetch_all(conn).await? {
        let key: (String, String, String) =
            (row.try_get("election_id")?, row.try_get("kind")?, row.try_get("subject")?);
        indexed.insert(key, Version(from_sql(row.try_get("version")?)));
    }
    let mut wrong: Vec<_> =
        versions.iter().filter(|(key, (version, _))| indexed.get(*key) != Some(version)).collect();
    wrong.sort_by_key(|(_, (_, seq))| *seq);
    Ok(wrong.first().map(|((election, kind, subject), (logged, seq))| Break {
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
    }))
}

/// A stored row as a signed entry, its stored entry hash and its payload.
fn parse(row: &AnyRow) -> Result<(SignedEntry, Digest, Vec<u8>), Problem> {
    fn get<T>(row: &AnyRow, field: &'static str) -> Result<T, Problem>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        row.try_get(field).map_err(|_| Problem::Malformed { field })
    }
    fn digest(row: &AnyRow, field: &'static str) -> Result<Digest, Problem> {
        Digest::from_slice(&get::<Vec<u8>>(row, field)?).ok_or(Problem::Malformed { field })
    }
    fn id<T: std::str::FromStr>(row: &AnyRow, field: &'static str) -> Result<T, Problem> {
        get::<String>(row, field)?.parse().map_err(|_| Problem::Malformed { field })
    }
    let signature: Vec<u8> = get(row, "signature")?;
    let entry = Entry {
        seq: Seq(from_sql(get(row, "seq")?)),
        election: id(row, "election_id")?,
        kind: id(row, "kind")?,
        subject: id(row, "subject")?,
        version: Version(from_sql(get(row, "version")?)),
        content_hash: digest(row, "content_hash")?,
        prev_hash: digest(row, "prev_hash")?,
        author: get(row, "author")?,
        key_id: id(row, "key_id")?,
        reason: get(row, "reason")?,
        recorded_at: get(row, "recorded_at")?,
    };
    let signature =
        <[u8; 64]>::try_from(signature).map_err(|_| Problem::Malformed { field: "signature" })?;
    let stored_hash = digest(row, "entry_hash")?;
    Ok((SignedEntry { entry, signature }, stored_hash, get(row, "payload")?))
}

impl Problem {
    /// A stable code for scripts: `sequence`, `malformed`, `content_hash`, `chain`,
    /// `version_order`, `unknown_key`, `signature`, `entry_hash`, `checkpoint`,
    /// `truncated` or `index`.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Sequence { .. } => "sequence",
            Problem::Malformed { .. } => "malformed",
            Problem::ContentHash { .. } => "content_hash",
            Problem::Chain { .. } => "chain",
            Problem::VersionOrder { .. } => "version_order",
            Problem::UnknownKey { .. } => "unknown_key",
            Problem::Signature => "signature",
            Problem::EntryHash { .. } => "entry_hash",
            Problem::Checkpoint { .. } => "checkpoint",
            Problem::Truncated { .. } => "truncated",
            Problem::Index { .. } => "index",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Sequence { expected } => write!(f, "sequence gap: expected entry {expected}"),
            Problem::Malformed { field } => write!(f, "malformed {field}"),
            Problem::ContentHash { stored, computed } => {
                write!(f, "content hash mismatch: stored {stored}, payload hashes to {computed}")
            }
            Problem::Chain { stored, expected } => write!(
                f,
                "chain mismatch: previous hash {stored}, but the previous entry hashes to {expected}"
            ),
            Problem::VersionOrder { expected, found } => {
                write!(f, "version {found} where version {expected} comes next")
            }
            Problem::UnknownKey { key_id } => write!(f, "unknown key {key_id}"),
            Problem::Signature => f.write_str("bad signature"),
            Problem::EntryHash { stored, computed } => {
                write!(f, "entry hash mismatch: stored {stored}, entry hashes to {computed}")
            }
            Problem::Checkpoint { published, computed } => {
                write!(f, "checkpoint mismatch: published {published}, the log has {computed}")
            }
            Problem::Truncated { entries } => {
                write!(f, "missing: the log ends at entry {entries}, before the checkpoint")
            }
            Problem::Index { indexed, logged } => {
                let indexed = indexed.map_or_else(|| "none".to_owned(), |it| it.to_string());
                write!(
                    f,
                    "current-version index says {indexed}, the log's last version is {logged}"
                )
            }
        }
    }
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "entry {}", self.seq)?;
        if let Some(at) = &self.subject {
            write!(f, " ({} {} of election {})", at.kind, at.subject, at.election)?;
        }
        write!(f, ": {}", self.problem)
    }
}
