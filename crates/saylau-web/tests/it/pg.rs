//! A throwaway PostgreSQL database for a test of the portal, on the server of
//! `SAYLAU_TEST_POSTGRES_URL` (`.ci/postgres.sh` starts one and exports it).
//!
//! With `SAYLAU_TEST_POSTGRES_OWNER_URL` set, as in CI, the owner role creates the database
//! and migrates it (`saylau_store::roles::init_with_owner`), and the portal runs as the
//! application role, which may only read and append (docs/ledger.md, "PostgreSQL roles").
//! The database is created and dropped with `psql`: this crate knows no SQL of its own.

use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use saylau_store::location::Location;
use saylau_store::store::Store;

/// A database made for one test and dropped (with its connections) when it is dropped.
pub(crate) struct Database {
    /// The application role's URL of the database.
    pub(crate) url: String,
    /// The owner role's URL of the database (the application's when there is no owner).
    owner: Option<String>,
    /// The URL the database was created with, to drop it.
    server_admin: String,
    name: String,
}

impl Database {
    /// A new database named after `prefix`; `None` (printing SKIPPED, refused under
    /// `CI=true`) without a server.
    pub(crate) fn new(prefix: &str) -> Option<Database> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let Some(server) =
            std::env::var("SAYLAU_TEST_POSTGRES_URL").ok().filter(|it| !it.is_empty())
        else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI needs SAYLAU_TEST_POSTGRES_URL"
            );
            eprintln!("{prefix}: SKIPPED (no SAYLAU_TEST_POSTGRES_URL)");
            return None;
        };
        let owner =
            std::env::var("SAYLAU_TEST_POSTGRES_OWNER_URL").ok().filter(|it| !it.is_empty());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("saylau_web_{prefix}_{}_{n}", std::process::id());
        let server_admin = owner.clone().unwrap_or_else(|| server.clone());
        psql(&server_admin, &format!("CREATE DATABASE {name}"));
        Some(Database {
            url: on_database(&server, &name),
            owner: owner.map(|it| on_database(&it, &name)),
            server_admin,
            name,
        })
    }

    /// The store, migrated (by the owner role when there is one) and opened as the
    /// application role.
    pub(crate) async fn open(&self) -> Store {
        let app = Location::Postgres(self.url.clone());
        match &self.owner {
            Some(owner) => {
                let owner = Location::Postgres(owner.clone());
                saylau_store::roles::init_with_owner(&app, &owner).await.expect("migrated").0
            }
            None => Store::init(&app).await.expect("migrated").0,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        psql(&self.server_admin, &format!("DROP DATABASE {} WITH (FORCE)", self.name));
    }
}

/// Runs `sql` with psql on `url`, failing the test if it fails.
fn psql(url: &str, sql: &str) {
    let status = Command::new("psql").args([url, "-qc", sql]).status();
    assert!(status.is_ok_and(|it| it.success()), "psql {sql}");
}

/// `server`'s URL with the database `name` in place of its own.
fn on_database(server: &str, name: &str) -> String {
    let (scheme, rest) = server.split_once("://").expect("a postgres:// URL");
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let query = rest[end..].find('?').map_or("", |at| &rest[end + at..]);
    format!("{scheme}://{}/{name}{query}", &rest[..end])
}
