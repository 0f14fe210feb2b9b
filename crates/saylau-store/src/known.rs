//! The known checkpoint: the last checkpoint of the log that this machine saw, kept in a
//! file outside the database, so that a log whose last entries were removed, or whose
//! history was rewritten and signed again, is found even when no one published a
//! checkpoint.
//!
//! A log that is consistent in itself proves nothing about what it lost: deleting the last
//! batches and rolling the current versions back leaves a chain whose every hash and
//! signature still holds. The known checkpoint is the answer of an observer that was
//! there: every import records the head of the log it leaves behind (after checking that
//! the log still contains the checkpoint recorded before), and every checked reader
//! ([`crate::checked`], `saylau log verify`) requires the log to contain it unchanged.
//!
//! For a SQLite store the file is beside the store, `<store file>.checkpoint`; for
//! PostgreSQL it is named after the server and the database in the user's state directory
//! ([`KnownCheckpoint::beside`]); the user may name any file instead. The file is one line
//! `HASH@SEQ` after a comment; it is replaced by writing a temporary file beside it and
//! renaming it, so that a killed run leaves the old checkpoint or the new one, whole.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use rusqlite::OptionalExtension as _;

use crate::digest::Digest;
use crate::entry::{Checkpoint, Seq};
use crate::error::{At, DatabaseError, to_sql};
use crate::location::Location;
use crate::store::{Db, Store, pg_begin_snapshot};

/// The file that holds a store's known checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownCheckpoint {
    path: PathBuf,
}

/// A known checkpoint that cannot be read, written or found in the log.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KnownError {
    /// The file cannot be read or written.
    #[error("known checkpoint {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file does not hold a checkpoint.
    #[error("known checkpoint {}: {text:?} is not a checkpoint HASH@SEQ", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Its text.
        text: String,
    },
    /// The log ends before the known checkpoint: entries were removed.
    #[error(
        "the log ends at entry {entries}, before the known checkpoint {known} of {}: \
         entries were removed",
        path.display()
    )]
    Truncated {
        /// The file.
        path: PathBuf,
        /// The checkpoint it holds.
        known: Checkpoint,
        /// The number of entries in the log.
        entries: u64,
    },
    /// The log's entry at the known checkpoint's position has another hash.
    #[error(
        "the log's entry {} has the hash {stored}, not that of the known checkpoint {known} of \
         {}: its history was rewritten",
        known.seq,
        path.display()
    )]
    Diverged {
        /// The file.
        path: PathBuf,
        /// The checkpoint it holds.
        known: Checkpoint,
        /// The hash stored in the log at its position.
        stored: Digest,
    },
    /// A database error.
    #[error("reading the log for the known checkpoint: {0}")]
    Database(#[from] DatabaseError),
}

/// The first line of the file.
const COMMENT: &str = "# saylau: the last known checkpoint of the log; \
     the log must contain this entry unchanged";

impl KnownCheckpoint {
    /// The known checkpoint kept in `path`.
    pub fn at(path: &Path) -> KnownCheckpoint {
        KnownCheckpoint { path: path.to_owned() }
    }

    /// The default file of a store: `<file>.checkpoint` beside a SQLite store; for a
    /// PostgreSQL store, a file named after its server and database in this user's state
    /// directory ([`KnownCheckpoint::for_postgres`] under `$XDG_STATE_HOME/saylau`, or
    /// `$HOME/.local/state/saylau`), or none when neither variable is set.
    pub fn beside(location: &Location) -> Option<KnownCheckpoint> {
        match location {
            Location::Sqlite(path) => {
                let mut name = path.file_name()?.to_owned();
                name.push(".checkpoint");
                Some(KnownCheckpoint { path: path.with_file_name(name) })
            }
            Location::Postgres(url) => {
                let state = std::env::var_os("XDG_STATE_HOME")
                    .filter(|dir| !dir.is_empty())
                    .map(PathBuf::from)
                    .or_else(|| {
                        let home = std::env::var_os("HOME").filter(|dir| !dir.is_empty())?;
                        Some(Path::new(&home).join(".local").join("state"))
                    })?;
                KnownCheckpoint::for_postgres(&state.join("saylau"), url)
            }
        }
    }

    /// The known checkpoint of the PostgreSQL database of `url` kept in `dir`:
    /// `postgres-<host>-<port>-<database>.checkpoint`, the same file whichever role or
    /// password the URL names; `None` when `url` is not a PostgreSQL URL.
    pub fn for_postgres(dir: &Path, url: &str) -> Option<KnownCheckpoint> {
        use std::str::FromStr as _;
        let options = sqlx::postgres::PgConnectOptions::from_str(url).ok()?;
        let database = options.get_database().unwrap_or(options.get_username());
        let safe = |text: &str| -> String {
            let keep = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '_';
            text.chars().map(|c| if keep(c) { c } else { '_' }).collect()
        };
        let name = format!(
            "postgres-{}-{}-{}.checkpoint",
            safe(options.get_host()),
            options.get_port(),
            safe(database)
        );
        Some(KnownCheckpoint { path: dir.join(name) })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The checkpoint in the file, or `None` when there is no file yet.
    pub fn read(&self) -> Result<Option<Checkpoint>, KnownError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(KnownError::Io { path: self.path.clone(), source }),
        };
        let line =
            text.lines().map(str::trim).find(|line| !line.is_empty() && !line.starts_with('#'));
        let invalid = || KnownError::Invalid { path: self.path.clone(), text: text.clone() };
        line.ok_or_else(invalid)?.parse().map(Some).map_err(|_| invalid())
    }

    /// Replaces the file with `checkpoint`, atomically (a temporary file and a rename).
    pub fn write(&self, checkpoint: Checkpoint) -> Result<(), KnownError> {
        let io = |source| KnownError::Io { path: self.path.clone(), source };
        let dir = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        writeln!(tmp, "{COMMENT}\n{checkpoint}").map_err(io)?;
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(&self.path).map_err(|err| io(err.error))?;
        Ok(())
    }

    /// Checks that the log's stored entry at the known checkpoint's position has its hash
    /// (the cheap check before a write; [`crate::verify`] recomputes the hash), and
    /// returns the known checkpoint, if there is one.
    pub async fn check(&self, store: &Store) -> Result<Option<Checkpoint>, KnownError> {
        let Some(known) = self.read()? else { return Ok(None) };
        let (stored, head) = stored_at(store, known.seq).await?;
        match stored {
            _ if known.seq.0 == 0 && known.hash == Digest::ZERO => Ok(Some(known)),
            None => {
                let path = self.path.clone();
                Err(KnownError::Truncated { path, known, entries: head.seq.0 })
            }
            Some(stored) if stored != known.hash => {
                Err(KnownError::Diverged { path: self.path.clone(), known, stored })
            }
            Some(_) => Ok(Some(known)),
        }
    }

    /// After a write: checks that the log still contains the known checkpoint, then
    /// records the head of the log in its place, and returns it.
    pub async fn advance(&self, store: &Store) -> Result<Checkpoint, KnownError> {
        self.check(store).await?;
        let (_, head) = stored_at(store, Seq(0)).await?;
        self.write(head)?;
        Ok(head)
    }
}

const ENTRY_HASH: &str = "SELECT entry_hash FROM log_entries WHERE seq = $1";
const ENTRY_HASH_SQLITE: &str = "SELECT entry_hash FROM log_entries WHERE seq = ?1";

/// The stored entry hash at `seq` (if there is such an entry) and the head of the log,
/// from one snapshot.
async fn stored_at(store: &Store, seq: Seq) -> Result<(Option<Digest>, Checkpoint), DatabaseError> {
    let at = move |hash: Option<Vec<u8>>| -> Result<Option<Digest>, DatabaseError> {
        let row = seq.0;
        hash.map(|hash| At { table: "log_entries", row: &row }.digest("entry_hash", &hash))
            .transpose()
            .map_err(DatabaseError::from)
    };
    match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite
                .read(move |tx| {
                    let hash: Option<Vec<u8>> = tx
                        .query_row(ENTRY_HASH_SQLITE, [to_sql(seq.0)], |row| row.get(0))
                        .optional()?;
                    Ok((at(hash)?, crate::sqlite::read::head(tx)?))
                })
                .await
        }
        Db::Postgres(pool) => {
            let mut tx = pg_begin_snapshot(pool).await?;
            let hash: Option<Vec<u8>> =
                sqlx::query_scalar(ENTRY_HASH).bind(to_sql(seq.0)).fetch_optional(&mut *tx).await?;
            let head = crate::ledger::head_in(&mut tx).await?;
            tx.rollback().await?;
            Ok((at(hash)?, head))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::KnownCheckpoint;
    use crate::digest::Digest;
    use crate::entry::{Checkpoint, Seq};
    use crate::location::Location;

    #[test]
    fn the_file_is_beside_a_sqlite_store_and_round_trips() {
        let dir = tempfile::tempdir().expect("a directory");
        let store = Location::sqlite(&dir.path().join("s.sqlite"));
        let known = KnownCheckpoint::beside(&store).expect("a SQLite store has one");
        assert_eq!(known.path(), dir.path().join("s.sqlite.checkpoint"));
        let pg = KnownCheckpoint::for_postgres(
            dir.path(),
            "postgres://app:secret@db.example:5433/votes",
        );
        let owner =
            KnownCheckpoint::for_postgres(dir.path(), "postgres://owner@db.example:5433/votes");
        let pg = pg.expect("a PostgreSQL URL");
        assert_eq!(pg.path(), dir.path().join("postgres-db.example-5433-votes.checkpoint"));
        assert_eq!(Some(&pg), owner.as_ref(), "one file whichever role connects");
        let other =
            KnownCheckpoint::for_postgres(dir.path(), "postgres://app@db.example:5433/x/../y");
        assert!(other.is_some_and(|it| it.path().parent() == Some(dir.path())), "no path escapes");
        assert_eq!(known.read().expect("no file"), None);
        let checkpoint = Checkpoint { seq: Seq(12), hash: Digest::of(b"x") };
        known.write(checkpoint).expect("written");
        assert_eq!(known.read().expect("read"), Some(checkpoint));
        std::fs::write(known.path(), "not a checkpoint\n").expect("overwritten");
        let err = known.read().expect_err("refused").to_string();
        assert!(err.contains("is not a checkpoint HASH@SEQ"), "{err}");
    }
}
