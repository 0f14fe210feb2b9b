//! The protocol log: verify it whole, against a published checkpoint when one is given,
//! and read the checkpoint to publish (`saylau log`, `docs/ledger.md`).
//!
//! Verification recomputes every entry's content hash, chain link, signature and entry
//! hash; a broken log names its first broken entry. A checkpoint is given only for an
//! intact log, so that a broken log is never published.

use saylau_store::entry::Checkpoint;
use saylau_store::store::Store;
use saylau_store::verify::{Verification, VerifyError};
use serde::Serialize;

/// The result of a verification: the JSON of `saylau log verify --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    /// Whether every entry checked out.
    pub intact: bool,
    /// The number of entries, when intact.
    pub entries: Option<u64>,
    /// The checkpoint of the last entry, when intact.
    pub checkpoint: Option<CheckpointView>,
    /// The published checkpoint checked against, when one was given.
    pub published: Option<String>,
    /// The first broken entry, when broken.
    pub broken: Option<Broken>,
}

/// A checkpoint: the last entry's position and hash.
#[derive(Debug, Clone, Serialize)]
pub struct CheckpointView {
    /// The entry's position.
    pub seq: u64,
    /// Its entry hash.
    pub hash: String,
    /// Both as `HASH@SEQ`.
    pub checkpoint: String,
}

/// Where and why the log is broken.
#[derive(Debug, Clone, Serialize)]
pub struct Broken {
    /// The entry's position.
    pub seq: u64,
    /// The entry's election, as stored.
    pub election: Option<String>,
    /// The entry's kind, as stored.
    pub kind: Option<String>,
    /// The entry's subject (station), as stored.
    pub subject: Option<String>,
    /// The problem's code (`docs/ledger.md`).
    pub problem: &'static str,
    /// The whole story for people.
    pub message: String,
}

/// A published checkpoint, `HASH@SEQ`, as a front end reads it.
pub use saylau_store::entry::Checkpoint as PublishedCheckpoint;

/// Verifies the whole log of `store`, and that it contains `published` unchanged.
pub async fn verify(store: &Store, published: Option<Checkpoint>) -> Result<Verified, VerifyError> {
    // The known checkpoint kept beside the store is required too (`docs/ledger.md`).
    let known = crate::store::trust(store).known.map(|it| it.read());
    let known = known.transpose().map_err(VerifyError::Known)?;
    let checkpoints = published.into_iter().chain(known.flatten()).collect();
    let verification = saylau_store::verify::verify_against(store, checkpoints).await?;
    let published = published.map(|it| it.to_string());
    Ok(match verification {
        Verification::Intact { entries, head } => Verified {
            intact: true,
            entries: Some(entries),
            checkpoint: Some(checkpoint_view(head)),
            published,
            broken: None,
        },
        Verification::Broken(broken) => Verified {
            intact: false,
            entries: None,
            checkpoint: None,
            published,
            broken: Some(Broken {
                seq: broken.seq.0,
                election: broken.subject.as_ref().map(|it| it.election.clone()),
                kind: broken.subject.as_ref().map(|it| it.kind.clone()),
                subject: broken.subject.as_ref().map(|it| it.subject.clone()),
                problem: broken.problem.code(),
                message: broken.to_string(),
            }),
        },
    })
}

/// A checkpoint as a view.
pub fn checkpoint_view(checkpoint: Checkpoint) -> CheckpointView {
    CheckpointView {
        seq: checkpoint.seq.0,
        hash: checkpoint.hash.to_string(),
        checkpoint: checkpoint.to_string(),
    }
}
