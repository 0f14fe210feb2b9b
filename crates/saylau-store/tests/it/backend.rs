//! The conformance harness: a fresh store per case on each backend.
//!
//! SQLite: a new file in a temporary directory. PostgreSQL: a new database on the server
//! of `SAYLAU_TEST_POSTGRES_URL`, created and migrated by the owner role of
//! `SAYLAU_TEST_POSTGRES_OWNER_URL` (a role that may create databases), which grants the
//! role of `SAYLAU_TEST_POSTGRES_URL` the application's privileges; the store of every case
//! runs as that application role (`.ci/postgres.sh` sets up both). Without an owner's URL
//! the one role of `SAYLAU_TEST_POSTGRES_URL` creates, owns and runs everything. The
//! database is dropped when the case passes and left for inspection when it fails. Without
//! `SAYLAU_TEST_POSTGRES_URL` the PostgreSQL cases return at once, unless `CI=true`, where
//! they fail.

use std::sync::atomic::{AtomicU64, Ordering};

use saylau_store::location::Location;
use saylau_store::store::Store;
use sqlx::migrate::MigrateDatabase as _;
use sqlx::{Executor as _, PgPool, Postgres};
use tempfile::TempDir;

/// A fresh store and what is needed to reach it directly.
pub(crate) struct TestDb {
    pub(crate) store: Store,
    pub(crate) location: Location,
    /// The PostgreSQL URL of the owner role, for raw SQL (the tamper tests) and for
    /// dropping the database.
    url: String,
    /// The PostgreSQL URL of the application role, when it is not the owner.
    pub(crate) app_url: Option<String>,
    /// Keeps the SQLite file's directory alive.
    _dir: Option<TempDir>,
}

/// The server URL of the PostgreSQL cases, or `None` to skip them, saying so on stderr
/// (`SKIPPED (no SAYLAU_TEST_POSTGRES_URL)`); fails under `CI=true` when it is missing, so
/// that CI cannot pass without PostgreSQL.
pub(crate) fn postgres_url() -> Option<String> {
    match std::env::var("SAYLAU_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but SAYLAU_TEST_POSTGRES_URL is not set: \
                 the store's PostgreSQL conformance suite must run in CI (.ci/run starts it)"
            );
            let case = std::thread::current().name().unwrap_or("a PostgreSQL case").to_owned();
            // Written to the stream itself: the test harness captures `eprintln!`.
            let line = format!("{case}: SKIPPED (no SAYLAU_TEST_POSTGRES_URL)\n");
            let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
            None
        }
    }
}

/// The URL of the owner role of the PostgreSQL cases: `SAYLAU_TEST_POSTGRES_OWNER_URL`, or
/// `None` when only one role is given.
pub(crate) fn postgres_owner_url() -> Option<String> {
    std::env::var("SAYLAU_TEST_POSTGRES_OWNER_URL").ok().filter(|url| !url.is_empty())
}

/// `url` with its database (the path) replaced by `database`.
fn with_database(url: &str, database: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a postgres:// URL");
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let query = tail.find('?').map_or("", |at| &tail[at..]);
    format!("{scheme}://{authority}/{database}{query}")
}

fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut random = [0u8; 4];
    getrandom::fill(&mut random).expect("randomness");
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("saylau_test_{}_{n}_{}", std::process::id(), hex::encode(random))
}

impl TestDb {
    /// A new SQLite store in a temporary directory.
    pub(crate) async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("store.sqlite");
        let url = String::new();
        let location = Location::sqlite(&path);
        let (store, _) = Store::init(&location).await.expect("a new SQLite store");
        TestDb { store, location, url, app_url: None, _dir: Some(dir) }
    }

    /// A new PostgreSQL database, or `None` when the suite runs without PostgreSQL.
    pub(crate) async fn postgres() -> Option<TestDb> {
        let name = unique_name();
        let app_url = with_database(&postgres_url()?, &name);
        let Some(owner) = postgres_owner_url() else {
            Postgres::create_database(&app_url).await.expect("CREATE DATABASE for the test");
            let location = Location::Postgres(app_url.clone());
            let (store, _) = Store::init(&location).await.expect("a new PostgreSQL store");
            return Some(TestDb { store, location, url: app_url, app_url: None, _dir: None });
        };
        let url = with_database(&owner, &name);
        Postgres::create_database(&url).await.expect("CREATE DATABASE for the test");
        let location = Location::Postgres(app_url.clone());
        let owner_location = Location::Postgres(url.clone());
        let (store, _) = saylau_store::roles::init_with_owner(&location, &owner_location)
            .await
            .expect("a new PostgreSQL store, migrated by its owner");
        Some(TestDb { store, location, url, app_url: Some(app_url), _dir: None })
    }

    /// The location of the store's database as its owner reaches it.
    pub(crate) fn owner_location(&self) -> Location {
        match &self.location {
            Location::Sqlite(_) => self.location.clone(),
            Location::Postgres(_) => Location::Postgres(self.url.clone()),
        }
    }

    /// A fresh store on the same backend.
    pub(crate) async fn sibling(&self) -> TestDb {
        match self.location {
            Location::Sqlite(_) => TestDb::sqlite().await,
            Location::Postgres(_) => TestDb::postgres().await.expect("the backend is reachable"),
        }
    }

    /// Closes the store and drops a PostgreSQL database.
    pub(crate) async fn finish(self) {
        self.store.close().await;
        if matches!(self.location, Location::Postgres(_)) {
            drop_database(&self.url).await;
        }
    }

    /// A connection that talks SQL to the store's database directly.
    pub(crate) async fn raw(&self) -> Raw {
        match &self.location {
            Location::Sqlite(path) => {
                Raw::Sqlite(rusqlite::Connection::open(path).expect("a raw connection"))
            }
            Location::Postgres(_) => {
                Raw::Postgres(PgPool::connect(&self.url).await.expect("a raw connection"))
            }
        }
    }

    /// Runs `statement` with `binds` on `table` as its owner would, past the append-only
    /// triggers: on SQLite it drops the table's triggers and recreates them from their
    /// stored SQL, on PostgreSQL it disables them; either way inside one transaction.
    pub(crate) async fn tamper(&self, table: Table, statement: &str, binds: &[Bind]) -> u64 {
        match self.raw().await {
            Raw::Sqlite(mut conn) => {
                // The owner may also switch the CHECK and foreign key constraints off,
                // which PostgreSQL's owner can only do by dropping them.
                conn.execute_batch(
                    "PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF;",
                )
                .expect("the pragmas");
                let tx = conn.transaction().expect("a raw transaction");
                let mut recreate = Vec::new();
                for (name, drop) in table.sqlite_triggers() {
                    let sql: String = tx
                        .query_row(SQLITE_TRIGGER_SQL, [name], |row| row.get(0))
                        .expect("the trigger exists");
                    tx.execute_batch(drop).expect("DROP TRIGGER");
                    recreate.push(sql);
                }
                let params: Vec<&dyn rusqlite::ToSql> = binds
                    .iter()
                    .map(|bind| match bind {
                        Bind::Int(value) => value as &dyn rusqlite::ToSql,
                        Bind::Text(value) => value as &dyn rusqlite::ToSql,
                        Bind::Bytes(value) => value as &dyn rusqlite::ToSql,
                    })
                    .collect();
                let changed = tx.execute(statement, &params[..]).expect("the tampering statement");
                for sql in recreate {
                    tx.execute_batch(&sql).expect("restore the triggers");
                }
                tx.commit().expect("commit the tampering");
                u64::try_from(changed).expect("a row count")
            }
            Raw::Postgres(pool) => {
                let mut tx = pool.begin().await.expect("a raw transaction");
                let (disable, enable) = table.postgres_triggers();
                sqlx::raw_sql(disable).execute(&mut *tx).await.expect("DISABLE TRIGGER");
                let mut query = sqlx::query(statement);
                for bind in binds {
                    query = match bind {
                        Bind::Int(value) => query.bind(*value),
                        Bind::Text(value) => query.bind(value.clone()),
                        Bind::Bytes(value) => query.bind(value.clone()),
                    };
                }
                let changed =
                    query.execute(&mut *tx).await.expect("the tampering statement").rows_affected();
                sqlx::raw_sql(enable).execute(&mut *tx).await.expect("restore the triggers");
                tx.commit().await.expect("commit the tampering");
                pool.close().await;
                changed
            }
        }
    }
}

/// A direct connection to a store's database, past the store.
pub(crate) enum Raw {
    Sqlite(rusqlite::Connection),
    Postgres(PgPool),
}

impl Raw {
    /// Runs `statement`; the database's error message when it fails.
    pub(crate) async fn execute(&self, statement: &str) -> Result<u64, String> {
        match self {
            Raw::Sqlite(conn) => conn
                .execute(statement, [])
                .map(|rows| u64::try_from(rows).expect("a row count"))
                .map_err(|err| err.to_string()),
            Raw::Postgres(pool) => pool
                .execute(statement)
                .await
                .map(|done| done.rows_affected())
                .map_err(|err| err.to_string()),
        }
    }

    /// The rows of `query` (three text columns) with `$1` bound to `param`.
    pub(crate) async fn texts(&self, query: &str, param: &str) -> Vec<(String, String, String)> {
        match self {
            Raw::Sqlite(conn) => {
                let mut query = conn.prepare(query).expect("a query");
                let rows = query
                    .query_map([param], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                    .expect("rows");
                rows.collect::<Result<_, _>>().expect("text rows")
            }
            Raw::Postgres(pool) => {
                sqlx::query_as(query).bind(param).fetch_all(pool).await.expect("text rows")
            }
        }
    }
}

/// A value bound into a tampering statement.
pub(crate) enum Bind {
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A table guarded by triggers.
#[derive(Clone, Copy)]
pub(crate) enum Table {
    Log,
    Keys,
    Current,
    Batches,
    Members,
    Images,
}

impl Table {
    /// `(disable, enable)` statements of the table's triggers on PostgreSQL.
    fn postgres_triggers(self) -> (&'static str, &'static str) {
        match self {
            Table::Log => (
                "ALTER TABLE log_entries DISABLE TRIGGER USER",
                "ALTER TABLE log_entries ENABLE TRIGGER USER",
            ),
            Table::Keys => (
                "ALTER TABLE commission_keys DISABLE TRIGGER USER",
                "ALTER TABLE commission_keys ENABLE TRIGGER USER",
            ),
            Table::Current => (
                "ALTER TABLE current_versions DISABLE TRIGGER USER",
                "ALTER TABLE current_versions ENABLE TRIGGER USER",
            ),
            Table::Batches => (
                "ALTER TABLE batches DISABLE TRIGGER USER",
                "ALTER TABLE batches ENABLE TRIGGER USER",
            ),
            Table::Members => (
                "ALTER TABLE commission_members DISABLE TRIGGER USER",
                "ALTER TABLE commission_members ENABLE TRIGGER USER",
            ),
            Table::Images => (
                "ALTER TABLE protocol_images DISABLE TRIGGER USER",
                "ALTER TABLE protocol_images ENABLE TRIGGER USER",
            ),
        }
    }

    /// `(name, DROP statement)` of the table's triggers on SQLite.
    fn sqlite_triggers(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Table::Log => &[
                ("log_entries_no_update", "DROP TRIGGER log_entries_no_update"),
                ("log_entries_no_delete", "DROP TRIGGER log_entries_no_delete"),
            ],
            Table::Keys => &[
                ("commission_keys_no_update", "DROP TRIGGER commission_keys_no_update"),
                ("commission_keys_no_delete", "DROP TRIGGER commission_keys_no_delete"),
            ],
            Table::Current => &[
                ("current_versions_forward", "DROP TRIGGER current_versions_forward"),
                ("current_versions_no_delete", "DROP TRIGGER current_versions_no_delete"),
            ],
            Table::Batches => &[
                ("batches_no_update", "DROP TRIGGER batches_no_update"),
                ("batches_no_delete", "DROP TRIGGER batches_no_delete"),
            ],
            Table::Members => &[
                ("commission_members_no_update", "DROP TRIGGER commission_members_no_update"),
                ("commission_members_no_delete", "DROP TRIGGER commission_members_no_delete"),
            ],
            Table::Images => &[
                ("protocol_images_no_update", "DROP TRIGGER protocol_images_no_update"),
                ("protocol_images_no_delete", "DROP TRIGGER protocol_images_no_delete"),
            ],
        }
    }
}

const SQLITE_TRIGGER_SQL: &str =
    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1";

/// Declares each `async fn case(db: &TestDb)` as a test on SQLite and one on PostgreSQL:
/// `<module>::sqlite::<case>` and `<module>::postgres::<case>`.
macro_rules! conformance {
    ($($case:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let db = crate::backend::TestDb::sqlite().await;
                    super::$case(&db).await;
                    db.finish().await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let Some(db) = crate::backend::TestDb::postgres().await else { return };
                    super::$case(&db).await;
                    db.finish().await;
                }
            )+
        }
    };
}
pub(crate) use conformance;

#[test]
fn postgres_urls_get_a_database_per_test() {
    let check = |url: &str, expect: &str| assert_eq!(with_database(url, "t1"), expect);
    check("postgres://u:p@h:5432/postgres", "postgres://u:p@h:5432/t1");
    check("postgres://u@h/postgres?sslmode=disable", "postgres://u@h/t1?sslmode=disable");
    check("postgresql://h", "postgresql://h/t1");
}

/// Drops the test database at `url`, connections and all. The owner is not a superuser,
/// and `DROP DATABASE ... WITH (FORCE)` cannot end a superuser's backend: an autovacuum
/// worker that happens to be at work on the database after a large test (42501, "must be
/// a superuser to terminate superuser process"). Such a worker finishes or is cancelled
/// within moments, so the drop is tried again for up to ten seconds.
async fn drop_database(url: &str) {
    let mut tries = 0;
    loop {
        match Postgres::force_drop_database(url).await {
            Ok(()) => return,
            Err(err) if tries < 40 => {
                tries += 1;
                eprintln!("DROP DATABASE after the test, try {tries} failed: {err}");
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
            Err(err) => panic!("DROP DATABASE after the test: {err}"),
        }
    }
}
