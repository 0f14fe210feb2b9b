//! The SQLite driver (rusqlite): one writer connection and a small pool of read-only
//! connections to the store's file, every call run on tokio's blocking pool
//! (`spawn_blocking`), and the SQLite migrations.
//!
//! WAL mode lets the readers see a consistent snapshot each (a read transaction) while the
//! writer appends. The writer takes the file's write lock with `BEGIN IMMEDIATE` before it
//! reads the head of the log, so that writers of other processes queue too. Each of this
//! driver's queries is written once, in the module that runs it ([`write`], [`read`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension as _, TransactionBehavior};
use sha2::Digest as _;

use crate::error::DatabaseError;
use crate::store::{Migrations, StoreError};

pub(crate) mod enrol;
mod key_kind;
pub(crate) mod read;
pub(crate) mod write;

/// Idle read-only connections kept for the next reader; more readers at once open more.
const IDLE_READERS: usize = 4;

/// Settings of every connection. The page size takes effect only in a new, empty file,
/// before WAL mode writes its header: 32 KiB pages make a bulk import of protocols about a
/// fifth faster than 4 KiB pages (fewer pages, frames and checkpoints;
/// `bench/import/README.md`), and an existing store keeps its own.
const PRAGMAS: &str = "PRAGMA page_size = 32768; PRAGMA foreign_keys = ON; \
     PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;";
const WAL: &str = "PRAGMA journal_mode = WAL";
/// Copies the write-ahead log into the database file and empties it, so that the file
/// alone holds the store (after `db init`, a key, an import).
const CHECKPOINT: &str = "PRAGMA wal_checkpoint(TRUNCATE)";
/// A consistent copy of the database in a new file.
const VACUUM_INTO: &str = "VACUUM INTO ?1";
/// How long a connection waits for another process's lock.
const BUSY: Duration = Duration::from_secs(60);

/// The connections to one SQLite file.
#[derive(Debug, Clone)]
pub(crate) struct Sqlite {
    path: PathBuf,
    writer: Arc<Mutex<Connection>>,
    readers: Arc<Mutex<Vec<Connection>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while the lock was held rolled its transaction back when the connection's
    // `Transaction` dropped; the connection itself is still good.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `work` on tokio's blocking pool; a panic in it is resumed here.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, DatabaseError> {
    joined(tokio::task::spawn_blocking(work)).await
}

/// The result of a blocking task; a panic in it is resumed here.
pub(crate) async fn joined<T>(handle: tokio::task::JoinHandle<T>) -> Result<T, DatabaseError> {
    match handle.await {
        Ok(res) => Ok(res),
        Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        Err(err) => Err(DatabaseError::other(format!("a database task was cancelled: {err}"))),
    }
}

impl Sqlite {
    /// Opens (or, with `create`, creates) the file at `path` and its writer connection.
    pub(crate) fn open(path: &Path, create: bool) -> Result<Sqlite, DatabaseError> {
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let writer = Connection::open_with_flags(path, flags)?;
        writer.busy_timeout(BUSY)?;
        writer.execute_batch(PRAGMAS)?;
        writer.query_row(WAL, [], |_| Ok(()))?;
        let writer = Arc::new(Mutex::new(writer));
        Ok(Sqlite { path: path.to_owned(), writer, readers: Arc::default() })
    }

    /// Runs `work` with the writer connection, on the blocking pool.
    pub(crate) async fn write<T, E>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DatabaseError> + Send + 'static,
    {
        let writer = Arc::clone(&self.writer);
        blocking(move || work(&mut lock(&writer))).await.unwrap_or_else(|err| Err(E::from(err)))
    }

    /// Starts `work` with the writer connection on the blocking pool at once; its result is
    /// the handle's ([`joined`]).
    pub(crate) fn spawn_write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> T + Send + 'static,
    ) -> tokio::task::JoinHandle<T> {
        let writer = Arc::clone(&self.writer);
        tokio::task::spawn_blocking(move || work(&mut lock(&writer)))
    }

    /// Runs `work` in a read transaction (one snapshot) of a pooled read-only connection,
    /// on the blocking pool.
    pub(crate) async fn read<T, E>(
        &self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DatabaseError> + Send + 'static,
    {
        let (path, readers) = (self.path.clone(), Arc::clone(&self.readers));
        let task = move || -> Result<T, E> {
            let pooled = lock(&readers).pop();
            let mut conn = match pooled {
                Some(conn) => conn,
                None => open_reader(&path)?,
            };
            let res = {
                let tx = conn.transaction().map_err(DatabaseError::from)?;
                work(&tx)
            };
            let mut idle = lock(&readers);
            if idle.len() < IDLE_READERS {
                idle.push(conn);
            }
            res
        };
        blocking(task).await.unwrap_or_else(|err| Err(E::from(err)))
    }

    /// Writes the snapshot of one read transaction into the new file `out` (`VACUUM INTO`,
    /// on a reader, so that writers go on) and returns the checkpoint of the copy's last
    /// entry, read from the copy.
    pub(crate) async fn vacuum_into(
        &self,
        out: &Path,
    ) -> Result<crate::entry::Checkpoint, DatabaseError> {
        let (path, out) = (self.path.clone(), out.to_owned());
        let task = move || -> Result<crate::entry::Checkpoint, DatabaseError> {
            let conn = open_reader(&path)?;
            let target = out.to_str().ok_or_else(|| {
                DatabaseError::other(format!("{}: not a UTF-8 path", out.display()))
            })?;
            conn.execute(VACUUM_INTO, [target])?;
            drop(conn);
            read::head(&open_reader(&out)?)
        };
        blocking(task).await?
    }

    /// Empties the write-ahead log into the file and closes the idle readers.
    pub(crate) async fn close(&self) {
        lock(&self.readers).clear();
        // A checkpoint that another process's reader blocks leaves the log to the next one.
        let checkpoint = |conn: &mut Connection| conn.query_row(CHECKPOINT, [], |_| Ok(()));
        let _ = self.write(move |conn| checkpoint(conn).map_err(DatabaseError::from)).await;
    }

    /// The migrations applied to the file (see [`migrate`]).
    pub(crate) async fn applied(&self) -> Result<Vec<i64>, StoreError> {
        self.write(|conn| applied(conn)).await
    }

    /// Applies the pending ones of `migrations`; returns the versions applied.
    pub(crate) async fn migrate(&self, migrations: Migrations) -> Result<Vec<i64>, StoreError> {
        self.write(move |conn| migrate(conn, migrations)).await
    }
}

fn open_reader(path: &Path) -> Result<Connection, DatabaseError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY)?;
    conn.execute_batch("PRAGMA cache_size = -16384;")?;
    Ok(conn)
}

/// The table of applied migrations, as sqlx's migrator keeps it, so that stores made by
/// earlier versions of saylau (which migrated SQLite with sqlx) open unchanged.
const MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS _sqlx_migrations ( \
     version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
     installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, \
     checksum BLOB NOT NULL, execution_time BIGINT NOT NULL)";
const DIRTY: &str = "SELECT version FROM _sqlx_migrations WHERE success = false \
     ORDER BY version LIMIT 1";
const APPLIED: &str = "SELECT version, checksum FROM _sqlx_migrations ORDER BY version";
const RECORD_MIGRATION: &str = "INSERT INTO _sqlx_migrations \
     (version, description, success, checksum, execution_time) VALUES (?1, ?2, TRUE, ?3, ?4)";

/// The versions of the applied migrations with their checksums; refuses a store whose
/// last migration failed half-way.
fn applied_rows(conn: &Connection) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
    conn.execute_batch(MIGRATIONS_TABLE).map_err(DatabaseError::from)?;
    let dirty: Option<i64> =
        conn.query_row(DIRTY, [], |row| row.get(0)).optional().map_err(DatabaseError::from)?;
    if let Some(version) = dirty {
        return Err(StoreError::Dirty { version });
    }
    let mut query = conn.prepare(APPLIED).map_err(DatabaseError::from)?;
    let rows = query.query_map([], |row| Ok((row.get(0)?, row.get(1)?)));
    let rows = rows.and_then(Iterator::collect).map_err(DatabaseError::from)?;
    Ok(rows)
}

fn applied(conn: &Connection) -> Result<Vec<i64>, StoreError> {
    Ok(applied_rows(conn)?.into_iter().map(|(version, _)| version).collect())
}

/// Applies each migration of `migrations` that is not applied yet in a transaction of its
/// own, and checks that the applied ones are the ones compiled in (SHA-384, as sqlx did).
fn migrate(conn: &mut Connection, migrations: Migrations) -> Result<Vec<i64>, StoreError> {
    let done = applied_rows(conn)?;
    for (version, checksum) in &done {
        let compiled = migrations.iter().find(|(compiled, ..)| compiled == version);
        if let Some((_, _, sql)) = compiled
            && sha2::Sha384::digest(sql.as_bytes()).as_slice() != checksum.as_slice()
        {
            return Err(StoreError::Changed { version: *version });
        }
    }
    let mut res = Vec::new();
    for (version, description, sql) in migrations {
        if done.iter().any(|(applied, _)| applied == version) {
            continue;
        }
        let started = std::time::Instant::now();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(DatabaseError::from)?;
        tx.execute_batch(sql)
            .map_err(|err| StoreError::Migrate { version: *version, source: err.into() })?;
        let checksum = sha2::Sha384::digest(sql.as_bytes()).to_vec();
        let nanos = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
        tx.execute(RECORD_MIGRATION, rusqlite::params![version, description, checksum, nanos])
            .map_err(DatabaseError::from)?;
        tx.commit().map_err(DatabaseError::from)?;
        res.push(*version);
    }
    conn.query_row(CHECKPOINT, [], |_| Ok(())).map_err(DatabaseError::from)?;
    Ok(res)
}

/// Runs raw statements on a writer connection (the migration tests).
#[cfg(test)]
pub(crate) async fn execute(sqlite: &Sqlite, sql: &'static str) -> Result<(), DatabaseError> {
    sqlite.write(move |conn| Ok(conn.execute_batch(sql)?)).await
}
