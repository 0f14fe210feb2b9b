//! A throwaway PostgreSQL database for a test of the binary, on the server of
//! `SAYLAU_TEST_POSTGRES_URL` (`.ci/postgres.sh` starts one and exports it).
//!
//! With `SAYLAU_TEST_POSTGRES_OWNER_URL` set, as in CI, the owner role creates the database
//! and applies the migrations (`saylau db init --owner-url`), and the test runs as the
//! application role, which may only read and append (docs/ledger.md, "PostgreSQL roles").

use std::process::Command;

/// A database made for one test and dropped after it.
pub(crate) struct Database {
    /// The application role's URL of the database: what the test passes to `--db`.
    pub(crate) url: String,
    /// A URL of the database with the rights to tamper with it (the owner's, or the
    /// application's when no owner is configured).
    pub(crate) admin: String,
}

/// Runs `test` on a new database named after `prefix`, then drops it; `None` (and a
/// printed SKIPPED, refused under `CI=true`) without a server.
pub(crate) fn with_database(prefix: &str, test: impl FnOnce(&Database)) -> Option<()> {
    let Some(server) = std::env::var("SAYLAU_TEST_POSTGRES_URL").ok().filter(|it| !it.is_empty())
    else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI needs SAYLAU_TEST_POSTGRES_URL");
        eprintln!("{prefix}: SKIPPED (no SAYLAU_TEST_POSTGRES_URL)");
        return None;
    };
    let owner = std::env::var("SAYLAU_TEST_POSTGRES_OWNER_URL").ok().filter(|it| !it.is_empty());
    let name = format!("saylau_{prefix}_{}", std::process::id());
    let server_admin = owner.clone().unwrap_or_else(|| server.clone());
    psql(&server_admin, &format!("CREATE DATABASE {name}"));
    let database =
        Database { url: on_database(&server, &name), admin: on_database(&server_admin, &name) };
    if owner.is_some() {
        let out = Command::new(env!("CARGO_BIN_EXE_saylau"))
            .args(["--db", &database.url, "db", "init", "--owner-url", &database.admin])
            .output()
            .expect("running saylau db init");
        assert!(out.status.success(), "db init: {}", String::from_utf8_lossy(&out.stderr));
    }
    let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| test(&database)));
    psql(&server_admin, &format!("DROP DATABASE {name} WITH (FORCE)"));
    if let Err(panic) = res {
        std::panic::resume_unwind(panic);
    }
    Some(())
}

/// Runs `sql` with psql on `url`, failing the test if it fails.
pub(crate) fn psql(url: &str, sql: &str) {
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
