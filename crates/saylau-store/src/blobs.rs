//! Files kept under their SHA-256: protocol images (`protocol_images`, migration 0065)
//! and incident evidence (`incident_evidence`, migration 0021). Both tables are
//! content-addressed and insert-only; every read hashes the bytes again, so a file changed
//! in the database is reported ([`Evidence::Mismatch`]), never served.

use crate::digest::Digest;
use crate::error::{DatabaseError, OrDb as _};
use crate::store::{Db, Store, pg_begin_snapshot, pg_begin_write};

/// What reading one stored file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// The file, whose SHA-256 is the one asked for.
    Found(Vec<u8>),
    /// No file with that hash is stored.
    Missing,
    /// A file is stored under the hash, but its bytes hash to another value: it was
    /// changed in the database.
    Mismatch {
        /// The SHA-256 of the stored bytes.
        computed: Digest,
    },
}

/// A table of files kept by hash. Each has its statements written out per backend (no SQL
/// is built from strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Blobs {
    /// `protocol_images`.
    Images,
    /// `incident_evidence`.
    Evidence,
}

impl Blobs {
    fn insert_sqlite(self) -> &'static str {
        match self {
            Blobs::Images => {
                "INSERT INTO protocol_images (sha256, bytes, stored_at) \
                 VALUES (?1, ?2, ?3) ON CONFLICT (sha256) DO NOTHING"
            }
            Blobs::Evidence => {
                "INSERT INTO incident_evidence (sha256, bytes, stored_at) \
                 VALUES (?1, ?2, ?3) ON CONFLICT (sha256) DO NOTHING"
            }
        }
    }

    fn insert_pg(self) -> &'static str {
        match self {
            Blobs::Images => {
                "INSERT INTO protocol_images (sha256, bytes, stored_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING"
            }
            Blobs::Evidence => {
                "INSERT INTO incident_evidence (sha256, bytes, stored_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING"
            }
        }
    }

    fn select_sqlite(self) -> &'static str {
        match self {
            Blobs::Images => "SELECT bytes FROM protocol_images WHERE sha256 = ?1",
            Blobs::Evidence => "SELECT bytes FROM incident_evidence WHERE sha256 = ?1",
        }
    }

    fn select_pg(self) -> &'static str {
        match self {
            Blobs::Images => "SELECT bytes FROM protocol_images WHERE sha256 = $1",
            Blobs::Evidence => "SELECT bytes FROM incident_evidence WHERE sha256 = $1",
        }
    }
}

/// Stores `files` in one transaction, each under its SHA-256 (a file stored already is
/// left as it is), and returns the hashes in order.
pub(crate) async fn put(
    store: &Store,
    blobs: Blobs,
    files: Vec<Vec<u8>>,
) -> Result<Vec<Digest>, DatabaseError> {
    let hashes: Vec<Digest> = files.iter().map(|it| Digest::of(it)).collect();
    let at = crate::entry::now_rfc3339();
    match store.db() {
        Db::Sqlite(sqlite) => {
            let rows: Vec<(Digest, Vec<u8>)> = hashes.iter().copied().zip(files).collect();
            sqlite
                .write(move |conn| -> Result<(), DatabaseError> {
                    let tx = conn.transaction().db()?;
                    {
                        let mut insert = tx.prepare_cached(blobs.insert_sqlite()).db()?;
                        for (hash, bytes) in &rows {
                            let params =
                                rusqlite::params![hash.as_bytes().as_slice(), bytes, at.as_str()];
                            insert.execute(params).db()?;
                        }
                    }
                    tx.commit().db()
                })
                .await?;
        }
        Db::Postgres(pool) => {
            let mut tx = pg_begin_write(pool).await?;
            for (hash, bytes) in hashes.iter().zip(&files) {
                sqlx::query(blobs.insert_pg())
                    .bind(hash.as_bytes().to_vec())
                    .bind(bytes)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
    }
    Ok(hashes)
}

/// Reads the files of `hashes` in one snapshot, checking each file's SHA-256.
pub(crate) async fn get(
    store: &Store,
    blobs: Blobs,
    hashes: &[Digest],
) -> Result<Vec<Evidence>, DatabaseError> {
    let stored: Vec<Option<Vec<u8>>> = match store.db() {
        Db::Sqlite(sqlite) => {
            let hashes = hashes.to_vec();
            sqlite
                .read(move |tx| -> Result<Vec<Option<Vec<u8>>>, DatabaseError> {
                    hashes.iter().map(|hash| Ok(read_sqlite(tx, blobs, hash)?)).collect()
                })
                .await?
        }
        Db::Postgres(pool) => {
            let mut tx = pg_begin_snapshot(pool).await?;
            let mut out = Vec::with_capacity(hashes.len());
            for hash in hashes {
                out.push(read_pg(&mut tx, blobs, hash).await?);
            }
            tx.rollback().await?;
            out
        }
    };
    Ok(hashes.iter().zip(stored).map(|(hash, bytes)| checked(hash, bytes)).collect())
}

/// The file stored under `hash`, its SHA-256 checked: one statement, so no snapshot (and,
/// on PostgreSQL, one round trip for each image a page shows).
pub(crate) async fn get_one(
    store: &Store,
    blobs: Blobs,
    hash: &Digest,
) -> Result<Evidence, DatabaseError> {
    let hash = *hash;
    let bytes = match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite
                .read(move |tx| -> Result<Option<Vec<u8>>, DatabaseError> {
                    Ok(read_sqlite(tx, blobs, &hash)?)
                })
                .await?
        }
        Db::Postgres(pool) => read_pg(&mut *pool.acquire().await?, blobs, &hash).await?,
    };
    Ok(checked(&hash, bytes))
}

/// The bytes stored under `hash`, unchecked, read in the SQLite transaction `tx`.
pub(crate) fn read_sqlite(
    tx: &rusqlite::Connection,
    blobs: Blobs,
    hash: &Digest,
) -> rusqlite::Result<Option<Vec<u8>>> {
    let mut select = tx.prepare_cached(blobs.select_sqlite())?;
    let mut rows = select.query([hash.as_bytes().as_slice()])?;
    match rows.next()? {
        Some(row) => Ok(Some(row.get(0)?)),
        None => Ok(None),
    }
}

/// The bytes stored under `hash`, unchecked, read in the PostgreSQL transaction `tx`.
pub(crate) async fn read_pg(
    tx: &mut sqlx::PgConnection,
    blobs: Blobs,
    hash: &Digest,
) -> Result<Option<Vec<u8>>, DatabaseError> {
    Ok(sqlx::query_scalar(blobs.select_pg())
        .bind(hash.as_bytes().to_vec())
        .fetch_optional(&mut *tx)
        .await?)
}

/// What the bytes stored under `hash` are: the file, none, or a changed file.
pub(crate) fn checked(hash: &Digest, bytes: Option<Vec<u8>>) -> Evidence {
    match bytes {
        None => Evidence::Missing,
        Some(bytes) => {
            let computed = Digest::of(&bytes);
            if computed == *hash { Evidence::Found(bytes) } else { Evidence::Mismatch { computed } }
        }
    }
}
