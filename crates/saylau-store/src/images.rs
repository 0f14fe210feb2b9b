//! Images of protocols in the store (`docs/portal.md`, "Protocol images"): a photo or scan
//! of the paper protocol, uploaded by the station's commission.
//!
//! Each upload is a log entry of kind [`IMAGE_KIND`] whose subject is the station, signed
//! by a key of the station's PEC or a commission above it (the ledger's authority rule, as
//! for a protocol), each further upload a new version with a reason. Its payload
//! ([`ImagePayload`]) names the station, the operator, the file's SHA-256, media type and
//! size. The bytes are kept in the table `protocol_images` under their SHA-256,
//! content-addressed and insert-only (migration 0065): [`image`] recomputes the hash on
//! every read, and [`crate::verify`] hashes every image the log names again, so that a
//! file changed in the database is found and named.
//!
//! The bytes are written ([`put_image`]) before the entry that names them: a crash in
//! between leaves a file that no signed entry names, which nothing shows.

use serde::{Deserialize, Serialize};

pub use crate::blobs::Evidence as StoredImage;
use crate::blobs::{self, Blobs};
use crate::digest::Digest;
use crate::entry::Seq;
use crate::error::{At, DatabaseError};
use crate::id::ElectionId;
use crate::store::{Db, Store};
use crate::verify::{Break, Problem, StoredSubject};

/// The kind of a protocol image's entry.
pub const IMAGE_KIND: &str = "protocol-image";
/// The `format` of its payload.
pub const IMAGE_FORMAT: &str = "saylau-protocol-image-v1";

/// The payload of an image's entry: canonical JSON, keys sorted (the fields are declared
/// in that order), no whitespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImagePayload {
    /// [`IMAGE_FORMAT`].
    pub format: String,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub media_type: String,
    /// Who uploaded it (a user of the working interface, or the CLI's `--author`).
    pub operator: String,
    /// The file's SHA-256, lowercase hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// The station (`RR-DD-SSSS`).
    pub station: String,
}

impl ImagePayload {
    /// The canonical bytes.
    pub fn bytes(&self) -> Vec<u8> {
        // A struct of strings and an integer always serialises.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads a payload; an error says what is wrong.
    pub fn read(bytes: &[u8]) -> Result<ImagePayload, String> {
        let payload: ImagePayload = serde_json::from_slice(bytes)
            .map_err(|err| format!("not a {IMAGE_FORMAT} payload: {err}"))?;
        if payload.format != IMAGE_FORMAT {
            return Err(format!("format {:?}, not {IMAGE_FORMAT}", payload.format));
        }
        Ok(payload)
    }

    /// The SHA-256 it names.
    pub fn digest(&self) -> Result<Digest, String> {
        self.sha256.parse().map_err(|err: crate::digest::DigestError| err.to_string())
    }
}

/// Stores `bytes` under their SHA-256 (a file stored already is left as it is) and returns
/// the hash.
pub async fn put_image(store: &Store, bytes: Vec<u8>) -> Result<Digest, DatabaseError> {
    let hashes = blobs::put(store, Blobs::Images, vec![bytes]).await?;
    Ok(hashes[0])
}

/// The image stored under `hash`, its SHA-256 checked.
pub async fn image(store: &Store, hash: &Digest) -> Result<StoredImage, DatabaseError> {
    blobs::get_one(store, Blobs::Images, hash).await
}

const NAMED_PG: &str = "SELECT COUNT(*) FROM log_entries \
     WHERE election_id = $1 AND kind = 'protocol-image' AND position($2 in payload) > 0";
const NAMED_SQLITE: &str = "SELECT COUNT(*) FROM log_entries \
     WHERE election_id = ?1 AND kind = 'protocol-image' AND instr(payload, ?2) > 0";

/// Whether an image entry of `election` names `hash` (its payload holds
/// `"sha256":"HEX"`): a file stored by an upload that the log then refused is never shown.
pub async fn named(
    store: &Store,
    election: &ElectionId,
    hash: &Digest,
) -> Result<bool, DatabaseError> {
    let needle = format!("\"sha256\":\"{}\"", hash.to_hex()).into_bytes();
    let count: i64 = match store.db() {
        Db::Sqlite(sqlite) => {
            let election = election.to_string();
            sqlite
                .read(move |tx| -> Result<i64, DatabaseError> {
                    let mut query = tx.prepare_cached(NAMED_SQLITE)?;
                    Ok(query.query_row(rusqlite::params![election, needle], |row| row.get(0))?)
                })
                .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_scalar(NAMED_PG)
                .bind(election.as_str())
                .bind(needle)
                .fetch_one(pool)
                .await?
        }
    };
    Ok(count > 0)
}

/// One recorded upload of a station's image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageVersion {
    /// The version of the station's image (1 for the first upload).
    pub version: u64,
    /// The log entry.
    pub seq: u64,
    /// The entry's author.
    pub author: String,
    /// Why it replaced the version before (none for the first).
    pub reason: Option<String>,
    /// When it was recorded (UTC, RFC 3339).
    pub recorded_at: String,
    /// The payload.
    pub payload: ImagePayload,
}

const VERSIONS_PG: &str = "SELECT version, seq, author, reason, recorded_at, payload \
     FROM log_entries WHERE election_id = $1 AND kind = 'protocol-image' AND subject = $2 \
     ORDER BY version";
const VERSIONS_SQLITE: &str = "SELECT version, seq, author, reason, recorded_at, payload \
     FROM log_entries WHERE election_id = ?1 AND kind = 'protocol-image' AND subject = ?2 \
     ORDER BY version";

type VersionRow = (i64, i64, String, Option<String>, String, Vec<u8>);

/// Every image version of `station` in `election`, oldest first.
pub async fn versions(
    store: &Store,
    election: &ElectionId,
    station: &str,
) -> Result<Vec<ImageVersion>, DatabaseError> {
    let query = crate::rows::Query { sqlite: VERSIONS_SQLITE, pg: VERSIONS_PG };
    let params = [election.as_str(), station];
    let rows: Vec<VersionRow> =
        crate::rows::rows(store, query, &params, crate::rows::PgRead::Pool).await?;
    rows.into_iter()
        .map(|(version, seq, author, reason, recorded_at, payload)| {
            let at = At { table: "log_entries", row: &seq };
            let payload = ImagePayload::read(&payload).map_err(|detail| {
                DatabaseError::from(crate::error::DecodeError {
                    table: "log_entries",
                    row: seq.to_string(),
                    column: "payload",
                    problem: detail,
                })
            })?;
            Ok(ImageVersion {
                version: at.count("version", version)?,
                seq: at.count("seq", seq)?,
                author,
                reason,
                recorded_at,
                payload,
            })
        })
        .collect()
}

/// The image entries of the log, for [`crate::verify`]: `(seq, election, subject,
/// payload)`.
const LOGGED_PG: &str = "SELECT seq, election_id, subject, payload FROM log_entries \
     WHERE kind = 'protocol-image' ORDER BY seq";
const LOGGED_SQLITE: &str = "SELECT seq, election_id, subject, payload FROM log_entries \
     WHERE kind = 'protocol-image' ORDER BY seq";

type LoggedRow = (i64, String, String, Vec<u8>);

/// The break of an image entry `row` with `detail`.
fn broken(row: &LoggedRow, detail: String) -> Break {
    Break {
        seq: Seq(u64::try_from(row.0).unwrap_or(0)),
        subject: Some(StoredSubject {
            election: row.1.clone(),
            kind: IMAGE_KIND.to_owned(),
            subject: row.2.clone(),
        }),
        problem: Problem::Image { detail },
    }
}

/// The SHA-256 an image entry names, or why its payload names none (the walk checked the
/// payloads against their entries already).
fn named_by(row: &LoggedRow) -> Result<Digest, String> {
    ImagePayload::read(&row.3).and_then(|it| it.digest())
}

/// The break of an image entry `row` whose file, as stored, is `bytes`, if it is missing
/// or changed.
fn file_break(row: &LoggedRow, hash: &Digest, bytes: Option<Vec<u8>>) -> Option<Break> {
    match blobs::checked(hash, bytes) {
        StoredImage::Found(_) => None,
        StoredImage::Missing => Some(broken(row, format!("the image {hash} is not stored"))),
        StoredImage::Mismatch { computed } => Some(broken(
            row,
            format!("the stored image {hash} was changed: its bytes hash to {computed}"),
        )),
    }
}

/// The first broken image of the log, read in the SQLite transaction `tx`.
pub(crate) fn verify_sqlite(tx: &rusqlite::Connection) -> Result<Option<Break>, DatabaseError> {
    let rows: Vec<LoggedRow> = {
        let mut query = tx.prepare(LOGGED_SQLITE)?;
        let rows =
            query.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for row in &rows {
        let hash = match named_by(row) {
            Ok(hash) => hash,
            Err(detail) => return Ok(Some(broken(row, detail))),
        };
        let bytes = blobs::read_sqlite(tx, Blobs::Images, &hash)?;
        if let Some(broken) = file_break(row, &hash, bytes) {
            return Ok(Some(broken));
        }
    }
    Ok(None)
}

/// The first broken image of the log, read in the PostgreSQL transaction `tx`.
pub(crate) async fn verify_images_pg(
    tx: &mut sqlx::PgConnection,
) -> Result<Option<Break>, DatabaseError> {
    let rows: Vec<LoggedRow> = sqlx::query_as(LOGGED_PG).fetch_all(&mut *tx).await?;
    for row in &rows {
        let hash = match named_by(row) {
            Ok(hash) => hash,
            Err(detail) => return Ok(Some(broken(row, detail))),
        };
        let bytes = blobs::read_pg(&mut *tx, Blobs::Images, &hash).await?;
        if let Some(broken) = file_break(row, &hash, bytes) {
            return Ok(Some(broken));
        }
    }
    Ok(None)
}
