//! Opening a store: connecting to SQLite or PostgreSQL, applying the backend's migrations,
//! and the write transaction that serialises appends.
//!
//! SQLite runs in WAL mode with foreign keys on; a write starts with `BEGIN IMMEDIATE`, so
//! writers queue for the file lock before they read the head of the log. PostgreSQL writes
//! take a transaction-scoped advisory lock for the same effect, so the chain never forks
//! and readers are never blocked.

use std::borrow::Cow;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::error::BoxDynError;
use sqlx::migrate::{
    Migrate as _, MigrateError, Migration, MigrationSource, MigrationType, Migrator,
};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, AnyPool, ConnectOptions as _, Executor as _, Transaction};

use crate::location::Location;

/// The database behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

/// An open, migrated store.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    location: Location,
}

/// What [`Store::init`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Initialised {
    /// The schema version now in force.
    pub schema_version: i64,
    /// The migrations this call applied, oldest first (empty when it was up to date).
    pub applied: Vec<i64>,
}

/// A store that cannot be opened or migrated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// There is no SQLite file at the location.
    #[error("no store at {}: run `saylau db init` first", path.display())]
    NotFound {
        /// The missing file.
        path: PathBuf,
    },
    /// The database could not be reached.
    #[error("cannot open the store at {location}: {source}")]
    Connect {
        /// Where (without password).
        location: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// The store's schema is older or newer than this program's.
    #[error("the store's schema is at version {found} but this saylau needs {expected}: {advice}")]
    Schema {
        /// The newest migration applied to the database.
        found: i64,
        /// The newest migration this program knows.
        expected: i64,
        /// What to do.
        advice: &'static str,
    },
    /// A migration failed or an applied one was changed.
    #[error("migrating the store: {0}")]
    Migrate(#[from] MigrateError),
    /// Any other database error.
    #[error("store: {0}")]
    Database(#[from] sqlx::Error),
}

/// `(version, description, SQL)` of every migration, oldest first, per backend.
type Migrations = &'static [(i64, &'static str, &'static str)];

const SQLITE_MIGRATIONS: Migrations = &[
    (1, "ledger", include_str!("../migrations/sqlite/0001_ledger.sql")),
    (2, "batches", include_str!("../migrations/sqlite/0002_batches.sql")),
    (3, "registry checks", include_str!("../migrations/sqlite/0003_registry_checks.sql")),
    (4, "stations are PECs", include_str!("../migrations/sqlite/0004_stations_are_pecs.sql")),
];
const POSTGRES_MIGRATIONS: Migrations = &[
    (1, "ledger", include_str!("../migrations/postgres/0001_ledger.sql")),
    (2, "batches", include_str!("../migrations/postgres/0002_batches.sql")),
    (3, "registry checks", include_str!("../migrations/postgres/0003_registry_checks.sql")),
    (4, "stations are PECs", include_str!("../migrations/postgres/0004_stations_are_pecs.sql")),
];

/// Statements run on every new SQLite connection; WAL persists in the file. The page size
/// takes effect only in a new, empty file, before WAL mode writes its header: 32 KiB pages
/// make a bulk import of protocols about a fifth faster than 4 KiB pages (fewer pages,
/// frames and checkpoints; `bench/import/README.md`), and an existing store keeps its own.
const SQLITE_PRAGMAS: &str = "PRAGMA page_size = 32768; PRAGMA busy_timeout = 60000; \
     PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
/// Starts a SQLite write: take the write lock before reading anything.
const SQLITE_BEGIN_WRITE: &str = "BEGIN IMMEDIATE";
/// Serialises PostgreSQL writers for the rest of the transaction; readers are not blocked.
const POSTGRES_LOCK_LOG: &str = "SELECT 1 FROM pg_advisory_xact_lock($1)";
/// Makes a PostgreSQL transaction see one snapshot (a SQLite read transaction always does).
const POSTGRES_SNAPSHOT: &str = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
/// The tables a bulk import writes to.
const POSTGRES_ANALYZE: &str = "ANALYZE commissions, log_entries, current_versions, batches";
/// The advisory lock's key: the ASCII of `saylaulg`.
const POSTGRES_LOG_LOCK_KEY: i64 = 0x7361_796c_6175_6c67;

impl Store {
    /// Creates the store if it does not exist and applies every pending migration.
    pub async fn init(location: &Location) -> Result<(Store, Initialised), StoreError> {
        let store = Store::connect(location, true).await?;
        let migrator = store.migrator().await?;
        let before = store.applied().await?;
        migrator.run(&store.pool).await?;
        let after = store.applied().await?;
        let applied = after.iter().copied().filter(|version| !before.contains(version)).collect();
        let schema_version = after.iter().copied().max().unwrap_or(0);
        Ok((store, Initialised { schema_version, applied }))
    }

    /// Opens an existing store whose schema is exactly this program's.
    pub async fn open(location: &Location) -> Result<Store, StoreError> {
        let store = Store::connect(location, false).await?;
        let found = store.applied().await?.into_iter().max().unwrap_or(0);
        let expected = store.migrations().iter().map(|(version, ..)| *version).max().unwrap_or(0);
        if found != expected {
            let advice = if found < expected {
                "run `saylau db init` to migrate it"
            } else {
                "use a newer saylau"
            };
            return Err(StoreError::Schema { found, expected, advice });
        }
        Ok(store)
    }

    /// Which database the store is in.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Where the store is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Closes every connection, waiting for them to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The connection pool, for the modules that run queries.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that holds the store's write lock until it ends.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with(SQLITE_BEGIN_WRITE).await,
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query(POSTGRES_LOCK_LOG)
                    .bind(POSTGRES_LOG_LOCK_KEY)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }

    /// Brings the query planner's statistics up to date after a bulk write. PostgreSQL
    /// plans from statistics that its autovacuum refreshes only a while after a write: until
    /// then it takes freshly imported tables for nearly empty ones, and joined the current
    /// versions of 10,000 stations to their log entries by a nested loop over both tables
    /// (5 s instead of 0.03 s). SQLite's plans for the store's queries come from its
    /// indexes alone, so there is nothing to do there.
    pub(crate) async fn refresh_statistics(&self) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            sqlx::query(POSTGRES_ANALYZE).execute(&self.pool).await?;
        }
        Ok(())
    }

    /// A read-only transaction that sees one snapshot of the store until it ends.
    pub(crate) async fn begin_snapshot(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            tx.execute(POSTGRES_SNAPSHOT).await?;
        }
        Ok(tx)
    }

    async fn connect(location: &Location, create: bool) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let connect_error = |source| StoreError::Connect { location: location.to_string(), source };
        let (url, backend) = match location {
            Location::Sqlite(path) => {
                if !create && !path.exists() {
                    return Err(StoreError::NotFound { path: path.clone() });
                }
                let path =
                    std::path::absolute(path).map_err(|err| connect_error(sqlx::Error::Io(err)))?;
                if let Some(parent) = path.parent().filter(|_| create) {
                    std::fs::create_dir_all(parent)
                        .map_err(|err| connect_error(sqlx::Error::Io(err)))?;
                }
                let options = SqliteConnectOptions::new().filename(path).create_if_missing(create);
                (options.to_url_lossy(), Backend::Sqlite)
            }
            Location::Postgres(url) => {
                let url = url.parse().map_err(|err| connect_error(sqlx::Error::config(err)))?;
                (url, Backend::Postgres)
            }
        };
        let options = AnyConnectOptions::from_url(&url).map_err(connect_error)?;
        let mut pool = AnyPoolOptions::new().max_connections(4);
        if backend == Backend::Sqlite {
            pool = pool.after_connect(|conn, _meta| {
                Box::pin(async move { conn.execute(SQLITE_PRAGMAS).await.map(|_| ()) })
            });
        }
        let pool = pool
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(options)
            .await
            .map_err(connect_error)?;
        Ok(Store { pool, backend, location: location.clone() })
    }

    fn migrations(&self) -> Migrations {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS,
            Backend::Postgres => POSTGRES_MIGRATIONS,
        }
    }

    async fn migrator(&self) -> Result<Migrator, StoreError> {
        Ok(Migrator::new(Embedded(self.migrations())).await?)
    }

    /// Versions of the migrations applied to the database.
    async fn applied(&self) -> Result<Vec<i64>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        conn.ensure_migrations_table().await?;
        if let Some(version) = conn.dirty_version().await? {
            return Err(StoreError::Migrate(MigrateError::Dirty(version)));
        }
        let applied = conn.list_applied_migrations().await?;
        Ok(applied.into_iter().map(|migration| migration.version).collect())
    }
}

/// Migrations compiled into the program, so that the binary needs no files beside it.
#[derive(Debug)]
struct Embedded(Migrations);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 's>> {
        let migrations = self
            .0
            .iter()
            .map(|(version, description, sql)| {
                let description = Cow::Borrowed(*description);
                Migration::new(
                    *version,
                    description,
                    MigrationType::Simple,
                    Cow::Borrowed(sql),
                    false,
                )
            })
            .collect();
        Box::pin(std::future::ready(Ok(migrations)))
    }
}

#[cfg(test)]
mod tests {
    use super::{Migrations, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

    /// Every file in `migrations/<backend>/` is compiled in, under the version its name
    /// starts with, and both backends have the same versions.
    fn check(backend: &str, migrations: Migrations) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
        let mut files: Vec<(i64, String)> = std::fs::read_dir(&dir)
            .expect("the migrations directory")
            .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
            .map(|name| {
                let version = name.split('_').next().and_then(|it| it.parse().ok());
                (version.expect("a migration file starts with its version"), name)
            })
            .collect();
        files.sort();
        let compiled: Vec<i64> = migrations.iter().map(|(version, ..)| *version).collect();
        let on_disk: Vec<i64> = files.iter().map(|(version, _)| *version).collect();
        assert_eq!(compiled, on_disk, "{backend}: register every migration file in store.rs");
        for ((_, name), (_, _, sql)) in files.iter().zip(migrations) {
            let text = std::fs::read_to_string(dir.join(name)).expect("a migration file");
            assert_eq!(&text, sql, "{backend}/{name} is compiled in as it is on disk");
        }
    }

    /// A SQLite store migrated to schema version 3 with one station, `station`, under the
    /// PEC `01-01-0001`; returns the store's location.
    async fn store_at_version_3(dir: &std::path::Path, station: &str) -> super::Location {
        use sqlx::migrate::Migrator;
        let location = super::Location::Sqlite(dir.join("old.sqlite"));
        let store = super::Store::connect(&location, true).await.expect("a new file");
        let migrator = Migrator::new(super::Embedded(&SQLITE_MIGRATIONS[..3])).await;
        migrator.expect("migrations 1 to 3").run(store.pool()).await.expect("version 3");
        let rows = [
            "INSERT INTO elections (id, name) VALUES ('e', 'E')",
            "INSERT INTO commissions VALUES ('e', 'CEC', NULL, 'cec', 'CEC')",
            "INSERT INTO commissions VALUES ('e', '01', 'CEC', 'region', 'Akmola')",
            "INSERT INTO commissions VALUES ('e', '01-01', '01', 'district', 'Town 1')",
            "INSERT INTO commissions VALUES ('e', '01-01-0001', '01-01', 'pec', 'School 1')",
        ];
        for row in rows {
            sqlx::query(row).execute(store.pool()).await.expect("a version 3 row");
        }
        sqlx::query("INSERT INTO stations VALUES ('e', $1, '01-01-0001', 'School 1')")
            .bind(station)
            .execute(store.pool())
            .await
            .expect("a version 3 station");
        store.close().await;
        location
    }

    /// Migration 0004 keeps a station that has its PEC's id as that PEC, and refuses,
    /// changing nothing, a store with a station that has another id.
    #[tokio::test]
    async fn migration_4_turns_stations_into_their_pecs() {
        let dir = tempfile::tempdir().expect("a directory");
        let location = store_at_version_3(dir.path(), "01-01-0001").await;
        let (store, init) = super::Store::init(&location).await.expect("migrated");
        assert_eq!((init.applied, init.schema_version), (vec![4], 4));
        let stations: Vec<(String, String, String)> =
            sqlx::query_as("SELECT id, commission_id, name FROM stations")
                .fetch_all(store.pool())
                .await
                .expect("the stations view");
        let pec = "01-01-0001".to_owned();
        assert_eq!(stations, vec![(pec.clone(), pec, "School 1".to_owned())]);
        store.close().await;

        let dir = tempfile::tempdir().expect("a directory");
        let location = store_at_version_3(dir.path(), "station-1").await;
        let Err(err) = super::Store::init(&location).await else { panic!("migrated") };
        assert!(err.to_string().contains("CHECK constraint failed"), "{err}");
        let store = super::Store::connect(&location, false).await.expect("the old store");
        assert_eq!(store.applied().await.expect("versions"), vec![1, 2, 3]);
        let kept: (String, String) = sqlx::query_as("SELECT id, commission_id FROM stations")
            .fetch_one(store.pool())
            .await
            .expect("the stations table is still there");
        assert_eq!(kept, ("station-1".to_owned(), "01-01-0001".to_owned()));
        store.close().await;
    }

    #[test]
    fn migrations_are_compiled_in_for_both_backends() {
        check("sqlite", SQLITE_MIGRATIONS);
        check("postgres", POSTGRES_MIGRATIONS);
        assert_eq!(SQLITE_MIGRATIONS.len(), POSTGRES_MIGRATIONS.len());
    }
}
