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

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migrate as _, Migration, MigrationSource, MigrationType, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Executor as _, Postgres, Transaction};

use crate::error::DatabaseError;
use crate::location::Location;
use crate::sqlite::Sqlite;

/// The database behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

/// An open, migrated store. Cloning it shares its connections.
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
    location: Location,
}

/// The driver of a store's backend: rusqlite's connections to a SQLite file
/// ([`crate::sqlite`]), or sqlx's PostgreSQL pool. Every operation of the store matches on
/// it once and runs that backend's copy of its queries.
#[derive(Debug, Clone)]
pub(crate) enum Db {
    Sqlite(Sqlite),
    Postgres(PgPool),
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
        /// What went wrong.
        source: DatabaseError,
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
    /// A migration numbered below the store's newest one was never applied to it.
    #[error(
        "the store lacks migration {version} (older than its newest one): run `saylau db init` to migrate it"
    )]
    Missing {
        /// The first migration missing.
        version: i64,
    },
    /// A migration failed; it changed nothing.
    #[error("migrating the store: migration {version} failed: {source}")]
    Migrate {
        /// The migration.
        version: i64,
        /// What the database said.
        source: DatabaseError,
    },
    /// A migration failed half-way in an earlier run.
    #[error("migrating the store: migration {version} was left partly applied; restore a backup")]
    Dirty {
        /// The migration.
        version: i64,
    },
    /// An applied migration is not the one this program has.
    #[error("migrating the store: migration {version} was changed after it was applied")]
    Changed {
        /// The migration.
        version: i64,
    },
    /// The owner's and the application's roles cannot be set up as given
    /// ([`crate::roles`]).
    #[error("PostgreSQL roles: {0}")]
    Roles(String),
    /// Any other database error.
    #[error("store: {0}")]
    Database(#[from] DatabaseError),
}

/// `(version, description, SQL)` of every migration, oldest first, per backend.
pub(crate) type Migrations = &'static [(i64, &'static str, &'static str)];

const SQLITE_MIGRATIONS: Migrations = &[
    (1, "ledger", include_str!("../migrations/sqlite/0001_ledger.sql")),
    (2, "batches", include_str!("../migrations/sqlite/0002_batches.sql")),
    (3, "registry checks", include_str!("../migrations/sqlite/0003_registry_checks.sql")),
    (4, "stations are PECs", include_str!("../migrations/sqlite/0004_stations_are_pecs.sql")),
    (10, "registry in the log", include_str!("../migrations/sqlite/0010_registry_log.sql")),
    (20, "observer keys", include_str!("../migrations/sqlite/0020_observe_keys.sql")),
    (21, "incidents", include_str!("../migrations/sqlite/0021_incidents.sql")),
    (30, "users", include_str!("../migrations/sqlite/0030_users.sql")),
    (31, "double entry", include_str!("../migrations/sqlite/0031_double_entry.sql")),
    (32, "log notify", include_str!("../migrations/sqlite/0032_log_notify.sql")),
    (50, "least privilege", include_str!("../migrations/sqlite/0050_least_privilege.sql")),
    (51, "set checks", include_str!("../migrations/sqlite/0051_set_checks.sql")),
    (52, "row triggers", include_str!("../migrations/sqlite/0052_row_triggers.sql")),
    (60, "commission members", include_str!("../migrations/sqlite/0060_commission_members.sql")),
    (65, "protocol images", include_str!("../migrations/sqlite/0065_images.sql")),
    (66, "observer deployments", include_str!("../migrations/sqlite/0066_deployments.sql")),
    (70, "set references", include_str!("../migrations/sqlite/0070_set_references.sql")),
];
const POSTGRES_MIGRATIONS: Migrations = &[
    (1, "ledger", include_str!("../migrations/postgres/0001_ledger.sql")),
    (2, "batches", include_str!("../migrations/postgres/0002_batches.sql")),
    (3, "registry checks", include_str!("../migrations/postgres/0003_registry_checks.sql")),
    (4, "stations are PECs", include_str!("../migrations/postgres/0004_stations_are_pecs.sql")),
    (10, "registry in the log", include_str!("../migrations/postgres/0010_registry_log.sql")),
    (20, "observer keys", include_str!("../migrations/postgres/0020_observe_keys.sql")),
    (21, "incidents", include_str!("../migrations/postgres/0021_incidents.sql")),
    (30, "users", include_str!("../migrations/postgres/0030_users.sql")),
    (31, "double entry", include_str!("../migrations/postgres/0031_double_entry.sql")),
    (32, "log notify", include_str!("../migrations/postgres/0032_log_notify.sql")),
    (50, "least privilege", include_str!("../migrations/postgres/0050_least_privilege.sql")),
    (51, "set checks", include_str!("../migrations/postgres/0051_set_checks.sql")),
    (52, "row triggers", include_str!("../migrations/postgres/0052_row_triggers.sql")),
    (60, "commission members", include_str!("../migrations/postgres/0060_commission_members.sql")),
    (65, "protocol images", include_str!("../migrations/postgres/0065_images.sql")),
    (66, "observer deployments", include_str!("../migrations/postgres/0066_deployments.sql")),
    (70, "set references", include_str!("../migrations/postgres/0070_set_references.sql")),
];

/// Serialises PostgreSQL writers for the rest of the transaction; readers are not blocked.
const POSTGRES_LOCK_LOG: &str = "SELECT 1 FROM pg_advisory_xact_lock($1)";
/// Makes a PostgreSQL transaction see one snapshot (a SQLite read transaction always does).
const POSTGRES_SNAPSHOT: &str = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
/// The tables a bulk import writes to, analysed by a function that runs as their owner
/// (migration 0050): the application role may not `ANALYZE` them itself.
const POSTGRES_ANALYZE: &str = "SELECT saylau_analyze()";
/// Whether sqlx's table of applied migrations exists: the application role may not create
/// it (`CREATE TABLE IF NOT EXISTS` needs the schema's CREATE privilege even when the table
/// exists), so a store is opened without asking for it.
const POSTGRES_MIGRATIONS_TABLE: &str = "SELECT to_regclass('_sqlx_migrations') IS NOT NULL";
/// The advisory lock's key: the ASCII of `saylaulg`.
const POSTGRES_LOG_LOCK_KEY: i64 = 0x7361_796c_6175_6c67;
/// Connections of the PostgreSQL pool: the writer and readers of one server process.
const POSTGRES_CONNECTIONS: u32 = 10;

impl Store {
    /// Creates the store if it does not exist and applies every pending migration.
    pub async fn init(location: &Location) -> Result<(Store, Initialised), StoreError> {
        let store = Store::connect(location, true).await?;
        let applied = match &store.db {
            Db::Sqlite(sqlite) => sqlite.migrate(SQLITE_MIGRATIONS).await?,
            Db::Postgres(pool) => {
                let before = store.applied().await?;
                // Up to date: nothing to run, which the application role (that may not
                // create sqlx's table of migrations) may also be told.
                if POSTGRES_MIGRATIONS.iter().all(|(version, ..)| before.contains(version)) {
                    let schema_version = before.iter().copied().max().unwrap_or(0);
                    return Ok((store, Initialised { schema_version, applied: Vec::new() }));
                }
                let migrator = Migrator::new(Embedded(POSTGRES_MIGRATIONS))
                    .await
                    .map_err(|err| DatabaseError::from(sqlx::Error::from(err)))?;
                migrator.run(pool).await.map_err(|err| migrate_error(err, &before))?;
                let after = store.applied().await?;
                after.into_iter().filter(|version| !before.contains(version)).collect()
            }
        };
        let schema_version = store.applied().await?.into_iter().max().unwrap_or(0);
        Ok((store, Initialised { schema_version, applied }))
    }

    /// Opens an existing store whose schema is exactly this program's.
    pub async fn open(location: &Location) -> Result<Store, StoreError> {
        let store = Store::connect(location, false).await?;
        let applied = store.applied().await?;
        let found = applied.iter().copied().max().unwrap_or(0);
        let expected = store.migrations().iter().map(|(version, ..)| *version).max().unwrap_or(0);
        if found != expected {
            let advice = if found < expected {
                "run `saylau db init` to migrate it"
            } else {
                "use a newer saylau"
            };
            return Err(StoreError::Schema { found, expected, advice });
        }
        // A store migrated by a saylau that lacked a migration numbered below its newest
        // (each branch of the project has its own range of numbers) is at the newest
        // version and still needs that one.
        let mut versions = store.migrations().iter().map(|(version, ..)| *version);
        if let Some(version) = versions.find(|version| !applied.contains(version)) {
            return Err(StoreError::Missing { version });
        }
        Ok(store)
    }

    /// Which database the store is in.
    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Where the store is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Closes every connection, waiting for them to finish; on SQLite the write-ahead log
    /// is first copied into the file, so that the file alone holds the store.
    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite(sqlite) => sqlite.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }

    /// The backend's driver, for the modules that run queries.
    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    /// Brings the query planner's statistics up to date after a bulk write. PostgreSQL
    /// plans from statistics that its autovacuum refreshes only a while after a write: until
    /// then it takes freshly imported tables for nearly empty ones, and joined the current
    /// versions of 10,000 stations to their log entries by a nested loop over both tables
    /// (5 s instead of 0.03 s). SQLite's plans for the store's queries come from its
    /// indexes alone, so there is nothing to do there.
    ///
    /// On PostgreSQL the statistics are refreshed by `saylau_analyze()`, which runs as the
    /// tables' owner: the application role owns nothing (`docs/ledger.md`, "PostgreSQL roles").
    pub(crate) async fn refresh_statistics(&self) -> Result<(), DatabaseError> {
        if let Db::Postgres(pool) = &self.db {
            sqlx::query(POSTGRES_ANALYZE).execute(pool).await?;
        }
        Ok(())
    }

    async fn connect(location: &Location, create: bool) -> Result<Store, StoreError> {
        let connect_error =
            |source: DatabaseError| StoreError::Connect { location: location.to_string(), source };
        let io_error = |err: std::io::Error| connect_error(DatabaseError::other(err.to_string()));
        let db = match location {
            Location::Sqlite(path) => {
                if !create && !path.exists() {
                    return Err(StoreError::NotFound { path: path.clone() });
                }
                let path = std::path::absolute(path).map_err(io_error)?;
                if let Some(parent) = path.parent().filter(|_| create) {
                    std::fs::create_dir_all(parent).map_err(io_error)?;
                }
                let open = crate::sqlite::blocking(move || Sqlite::open(&path, create)).await;
                Db::Sqlite(open.and_then(|it| it).map_err(connect_error)?)
            }
            Location::Postgres(url) => {
                let pool = PgPoolOptions::new()
                    .max_connections(POSTGRES_CONNECTIONS)
                    .acquire_timeout(Duration::from_secs(60))
                    .connect(url)
                    .await
                    .map_err(|err| connect_error(err.into()))?;
                Db::Postgres(pool)
            }
        };
        Ok(Store { db, location: location.clone() })
    }

    fn migrations(&self) -> Migrations {
        match self.db {
            Db::Sqlite(_) => SQLITE_MIGRATIONS,
            Db::Postgres(_) => POSTGRES_MIGRATIONS,
        }
    }

    /// Versions of the migrations applied to the database.
    async fn applied(&self) -> Result<Vec<i64>, StoreError> {
        let pool = match &self.db {
            Db::Sqlite(sqlite) => return sqlite.applied().await,
            Db::Postgres(pool) => pool,
        };
        let db = |err: sqlx::migrate::MigrateError| DatabaseError::from(sqlx::Error::from(err));
        let mut conn = pool.acquire().await.map_err(DatabaseError::from)?;
        let exists: bool = sqlx::query_scalar(POSTGRES_MIGRATIONS_TABLE)
            .fetch_one(&mut *conn)
            .await
            .map_err(DatabaseError::from)?;
        if !exists {
            return Ok(Vec::new());
        }
        if let Some(version) = conn.dirty_version().await.map_err(db)? {
            return Err(StoreError::Dirty { version });
        }
        let applied = conn.list_applied_migrations().await.map_err(db)?;
        Ok(applied.into_iter().map(|migration| migration.version).collect())
    }
}

/// A failed PostgreSQL migration: the first one of `POSTGRES_MIGRATIONS` not in `before`
/// (sqlx applies them in order and stops at the first that fails).
fn migrate_error(err: sqlx::migrate::MigrateError, before: &[i64]) -> StoreError {
    use sqlx::migrate::MigrateError;
    match err {
        MigrateError::VersionMismatch(version) => StoreError::Changed { version },
        MigrateError::Dirty(version) => StoreError::Dirty { version },
        err => {
            let version = POSTGRES_MIGRATIONS
                .iter()
                .map(|(version, ..)| *version)
                .find(|version| !before.contains(version))
                .unwrap_or(0);
            StoreError::Migrate { version, source: sqlx::Error::from(err).into() }
        }
    }
}

/// A PostgreSQL transaction that holds the store's write lock until it ends.
pub(crate) async fn pg_begin_write(
    pool: &PgPool,
) -> Result<Transaction<'static, Postgres>, DatabaseError> {
    let mut tx = pool.begin().await?;
    sqlx::query(POSTGRES_LOCK_LOG).bind(POSTGRES_LOG_LOCK_KEY).execute(&mut *tx).await?;
    Ok(tx)
}

/// A read-only PostgreSQL transaction that sees one snapshot of the store until it ends.
pub(crate) async fn pg_begin_snapshot(
    pool: &PgPool,
) -> Result<Transaction<'static, Postgres>, DatabaseError> {
    let mut tx = pool.begin().await?;
    tx.execute(POSTGRES_SNAPSHOT).await?;
    Ok(tx)
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

    fn sqlite(store: &super::Store) -> &crate::sqlite::Sqlite {
        match store.db() {
            super::Db::Sqlite(sqlite) => sqlite,
            super::Db::Postgres(_) => panic!("a SQLite store"),
        }
    }

    /// Rows `(id, commission_id, ...)` of a query on the SQLite store.
    async fn pairs(store: &super::Store, sql: &'static str) -> Vec<(String, String)> {
        let read = sqlite(store).read(move |tx| {
            let mut query = tx.prepare(sql)?;
            let rows = query.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok::<_, crate::error::DatabaseError>(rows.collect::<Result<Vec<_>, _>>()?)
        });
        read.await.expect("rows")
    }

    /// A SQLite store migrated to schema version 3 with one station, `station`, under the
    /// PEC `01-01-0001`; returns the store's location.
    async fn store_at_version_3(dir: &std::path::Path, station: &'static str) -> super::Location {
        let location = super::Location::Sqlite(dir.join("old.sqlite"));
        let store = super::Store::connect(&location, true).await.expect("a new file");
        let applied = sqlite(&store).migrate(&SQLITE_MIGRATIONS[..3]).await;
        assert_eq!(applied.expect("version 3"), vec![1, 2, 3]);
        let rows = "INSERT INTO elections (id, name) VALUES ('e', 'E'); \
            INSERT INTO commissions VALUES ('e', 'CEC', NULL, 'cec', 'CEC'); \
            INSERT INTO commissions VALUES ('e', '01', 'CEC', 'region', 'Akmola'); \
            INSERT INTO commissions VALUES ('e', '01-01', '01', 'district', 'Town 1'); \
            INSERT INTO commissions VALUES ('e', '01-01-0001', '01-01', 'pec', 'School 1');";
        crate::sqlite::execute(sqlite(&store), rows).await.expect("version 3 rows");
        let station = sqlite(&store)
            .write(move |conn| {
                conn.execute(
                    "INSERT INTO stations VALUES ('e', ?1, '01-01-0001', 'School 1')",
                    [station],
                )
                .map_err(crate::error::DatabaseError::from)
            })
            .await;
        assert_eq!(station.expect("a version 3 station"), 1);
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
        // 4 and every later migration.
        let latest = SQLITE_MIGRATIONS.last().map(|(version, ..)| *version);
        assert_eq!((init.applied.first(), Some(init.schema_version)), (Some(&4), latest));
        let stations = pairs(&store, "SELECT id, commission_id FROM stations").await;
        let pec = "01-01-0001".to_owned();
        assert_eq!(stations, vec![(pec.clone(), pec)]);
        store.close().await;

        let dir = tempfile::tempdir().expect("a directory");
        let location = store_at_version_3(dir.path(), "station-1").await;
        let Err(err) = super::Store::init(&location).await else { panic!("migrated") };
        assert!(err.to_string().contains("CHECK constraint failed"), "{err}");
        let store = super::Store::connect(&location, false).await.expect("the old store");
        assert_eq!(store.applied().await.expect("versions"), vec![1, 2, 3]);
        let kept = pairs(&store, "SELECT id, commission_id FROM stations").await;
        assert_eq!(kept, vec![("station-1".to_owned(), "01-01-0001".to_owned())]);
        store.close().await;
    }

    /// The migrations of `all` but `skipped`, as a store made by a saylau that lacked it has.
    fn without(all: Migrations, skipped: i64) -> Migrations {
        let kept: Vec<_> =
            all.iter().copied().filter(|(version, ..)| *version != skipped).collect();
        Box::leak(kept.into_boxed_slice())
    }

    /// A store at `location` with every migration but 10 is refused by `open` until `init`
    /// applies 10 alone; then its first key is the genesis and the log verifies.
    async fn upgrade_applies_migration_10(location: &super::Location) {
        let Err(err) = super::Store::open(location).await else { panic!("opened without 10") };
        assert!(matches!(err, super::StoreError::Missing { version: 10 }), "{err}");
        assert!(err.to_string().contains("run `saylau db init`"), "{err}");
        let (store, init) = super::Store::init(location).await.expect("migrated");
        let latest = SQLITE_MIGRATIONS.last().map(|(version, ..)| *version);
        assert_eq!((init.applied, Some(init.schema_version)), (vec![10], latest));
        store.close().await;
        let store = super::Store::open(location).await.expect("opens at every migration");
        let key = crate::key::CommissionKey::generate().expect("randomness");
        let cec: crate::id::CommissionId = crate::enrol::CEC.parse().expect("an id");
        crate::registry::bootstrap(&store, &cec, &key).await.expect("the genesis");
        let verified = crate::verify::verify(&store, None).await.expect("verify runs");
        assert!(
            matches!(verified, crate::verify::Verification::Intact { entries: 1, .. }),
            "{verified:?}"
        );
        store.close().await;
    }

    /// A store migrated to 51 by a saylau without migration 10 (numbers are ranges per
    /// branch, so 10 can arrive after 51) gets it from `db init`.
    #[tokio::test]
    async fn a_store_at_51_without_10_is_migrated() {
        let dir = tempfile::tempdir().expect("a directory");
        let location = super::Location::Sqlite(dir.path().join("old.sqlite"));
        let store = super::Store::connect(&location, true).await.expect("a new file");
        let applied = sqlite(&store).migrate(without(SQLITE_MIGRATIONS, 10)).await;
        assert!(!applied.expect("all but 10").contains(&10));
        store.close().await;
        upgrade_applies_migration_10(&location).await;

        let Some(url) = std::env::var("SAYLAU_TEST_POSTGRES_OWNER_URL")
            .ok()
            .or_else(|| std::env::var("SAYLAU_TEST_POSTGRES_URL").ok())
            .filter(|url| !url.is_empty())
        else {
            eprintln!("a_store_at_51_without_10_is_migrated: PostgreSQL SKIPPED (no URL)");
            return;
        };
        use sqlx::migrate::MigrateDatabase as _;
        let mut random = [0u8; 4];
        getrandom::fill(&mut random).expect("randomness");
        let name = format!("saylau_unit_{}_{}", std::process::id(), hex::encode(random));
        let (server, _) = url.rsplit_once('/').expect("a URL with a database");
        let url = format!("{server}/{name}");
        sqlx::Postgres::create_database(&url).await.expect("CREATE DATABASE");
        let pool = sqlx::PgPool::connect(&url).await.expect("the new database");
        let migrator = super::Migrator::new(super::Embedded(without(POSTGRES_MIGRATIONS, 10)));
        migrator.await.expect("migrations").run(&pool).await.expect("all but 10");
        pool.close().await;
        upgrade_applies_migration_10(&super::Location::Postgres(url.clone())).await;
        sqlx::Postgres::force_drop_database(&url).await.expect("DROP DATABASE");
    }

    #[test]
    fn migrations_are_compiled_in_for_both_backends() {
        check("sqlite", SQLITE_MIGRATIONS);
        check("postgres", POSTGRES_MIGRATIONS);
        assert_eq!(SQLITE_MIGRATIONS.len(), POSTGRES_MIGRATIONS.len());
    }
}
