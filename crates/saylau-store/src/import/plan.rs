//! Planning an import's protocols: each one encoded and hashed (ahead, or beside the
//! registration), decided against its station's current version, and on SQLite its
//! batches chained and signed ahead of their transactions.

use std::collections::BTreeMap;

use saylau_core::count::commission::StationId;
use saylau_core::count::protocol::{BallotLists, Protocol};

use super::Refusal;
use crate::bulk::{self, BatchItem, BatchSubmission};
use crate::current::Currents;
use crate::digest::Digest;
use crate::entry::Version;
use crate::id::{ElectionId, Kind, Subject};
use crate::key::CommissionKey;
use crate::payload::ProtocolEncoder;
use crate::sqlite::write as sqlite_write;

/// One protocol, ready for its batch.
pub(super) struct Planned {
    pub(super) subject: Subject,
    pub(super) payload: Vec<u8>,
    pub(super) content_hash: Digest,
    pub(super) base: Option<Version>,
}

/// A protocol encoded for the log: its station, subject, canonical payload and its hash.
pub(super) struct Encoded {
    pub(super) station: StationId,
    pub(super) subject: Subject,
    pub(super) payload: Vec<u8>,
    pub(super) content_hash: Digest,
}

/// A chunk's encoded protocols: made ahead, or being made on the blocking pool.
pub(super) enum Encoding {
    Done(Vec<Encoded>),
    Running(tokio::task::JoinHandle<Vec<Encoded>>),
}

/// Encodes and hashes `protocols` (ahead, or on the blocking pool beside the registration).
pub(super) fn encode(ballot: &BallotLists, protocols: &[Protocol]) -> Vec<Encoded> {
    let encoder = ProtocolEncoder::new(ballot);
    let encode = |protocol: &Protocol| {
        let station = protocol.station();
        let payload = encoder.payload(protocol);
        let content_hash = Digest::of(&payload);
        Encoded { station, subject: station_subject(station), payload, content_hash }
    };
    protocols.iter().map(encode).collect()
}

/// What planning an import needs besides its encoded protocols, owned, so that it runs on
/// the blocking pool.
pub(super) struct Job {
    pub(super) base_versions: BTreeMap<StationId, u64>,
    pub(super) reason: Option<String>,
    pub(super) base_current: bool,
    pub(super) batch_size: usize,
    pub(super) author: String,
    pub(super) election: ElectionId,
    pub(super) kind: Kind,
}

impl Job {
    /// The items of `planned`'s batches of [`ImportOptions::batch_size`].
    pub(super) fn items<'a>(&'a self, planned: &'a [Planned]) -> Vec<Vec<BatchItem<'a>>> {
        planned
            .chunks(self.batch_size)
            .map(|chunk| {
                chunk
                    .iter()
                    .map(|it| BatchItem {
                        subject: &it.subject,
                        payload: &it.payload,
                        content_hash: it.content_hash,
                        base: it.base,
                        reason: self.reason.as_deref(),
                    })
                    .collect()
            })
            .collect()
    }

    /// The batches of `items`.
    pub(super) fn submissions<'a>(
        &'a self,
        items: &'a [Vec<BatchItem<'a>>],
    ) -> Vec<BatchSubmission<'a>> {
        let (election, kind, author) = (&self.election, &self.kind, self.author.as_str());
        items.iter().map(|items| BatchSubmission { election, kind, author, items }).collect()
    }
}

/// An import's protocols, encoded and decided, with their batches planned ahead on SQLite.
pub(super) struct Planning {
    pub(super) job: Job,
    pub(super) planned: Vec<Planned>,
    pub(super) currents: Currents,
    pub(super) ahead: Option<sqlite_write::Ahead>,
}

impl Planning {
    /// The planning of `job` from `currents`, to run on the blocking pool; returns it with
    /// the protocols refused before their batch.
    pub(super) fn make(
        job: Job,
        encoded: Vec<Encoded>,
        mut currents: Currents,
        key: CommissionKey,
        ahead: bool,
    ) -> impl FnOnce() -> (Planning, Vec<Refusal>) + Send + 'static {
        move || {
            let (planned, refused) = plan(&job, encoded, &currents);
            let ahead = if ahead {
                let items = job.items(&planned);
                bulk::plan_ahead(&job.submissions(&items), &key, &mut currents)
            } else {
                None
            };
            (Planning { job, planned, currents, ahead }, refused)
        }
    }
}

/// Decides the base of every encoded protocol against `currents`, the versions seen when
/// the import began; corrections without a reason or a base are refused here.
pub(super) fn plan(
    job: &Job,
    encoded: Vec<Encoded>,
    currents: &Currents,
) -> (Vec<Planned>, Vec<Refusal>) {
    let mut res = Vec::with_capacity(encoded.len());
    let mut refused = Vec::new();
    for Encoded { station, subject, payload, content_hash } in encoded {
        let file_base = job.base_versions.get(&station).copied().map(Version);
        let current = currents.get(&subject);
        let base = match current {
            Some(current) if current.content_hash == content_hash => Some(current.version),
            Some(current) => {
                let refusal = |code, message: String| Refusal {
                    station: station.to_string(),
                    current: Some(current.version.0),
                    base: file_base.map(|it| it.0),
                    code,
                    message,
                };
                let version = current.version;
                if job.reason.as_deref().is_none_or(|reason| reason.trim().is_empty()) {
                    refused.push(refusal(
                        "reason_required",
                        format!(
                            "station {station}: version {version} is current and this protocol \
                             differs from it: a correction needs --reason"
                        ),
                    ));
                    continue;
                }
                match file_base {
                    Some(base) => Some(base),
                    None if job.base_current => Some(version),
                    None => {
                        refused.push(refusal(
                            "base_required",
                            format!(
                                "station {station}: version {version} is current and this \
                                 protocol differs from it: a correction names the version it \
                                 corrects (a base_version column, or --base-current)"
                            ),
                        ));
                        continue;
                    }
                }
            }
            None => file_base,
        };
        res.push(Planned { subject, payload, content_hash, base });
    }
    (res, refused)
}

/// The log's subject of a station's protocol: its id.
fn station_subject(station: StationId) -> Subject {
    station.to_string().parse().expect("a station id is an id")
}
