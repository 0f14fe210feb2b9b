//! Least privilege on PostgreSQL: the migrations run as an owner role, and the application
//! connects as a role that owns nothing (`docs/ledger.md`, "PostgreSQL roles").
//!
//! The append-only triggers of the log stop the application only when it cannot switch
//! them off, and PostgreSQL lets a table's owner disable its triggers. So a deployment
//! gives saylau two roles: the owner, which creates and migrates the tables, and the
//! application, which [`init_with_owner`] grants SELECT and INSERT on every table, UPDATE of
//! the current-version pointer's `version` column, the sequences and `saylau_analyze()`
//! (migration 0050), and nothing else: no UPDATE or DELETE of the log, no TRUNCATE, no
//! `ALTER TABLE ... DISABLE TRIGGER`.

use std::str::FromStr as _;

use sqlx::postgres::PgConnectOptions;

use crate::error::DatabaseError;
use crate::location::Location;
use crate::store::{Initialised, Store, StoreError};

/// Grants the application's role its privileges; run as the owner after every migration.
const GRANT_APP: &str = "SELECT saylau_grant_app($1)";

/// Migrates the PostgreSQL store at `owner` (a URL of the owner role) and grants the role of
/// `app` (a URL of the same database) the application's privileges; returns the store opened
/// as the application. Safe to run again: every run grants the tables of every migration.
pub async fn init_with_owner(
    app: &Location,
    owner: &Location,
) -> Result<(Store, Initialised), StoreError> {
    let (Location::Postgres(app_url), Location::Postgres(owner_url)) = (app, owner) else {
        return Err(roles(
            "an owner role is a PostgreSQL role: both --db and --owner-url must be postgres:// URLs (a SQLite store has no roles)",
        ));
    };
    let role = same_database(app_url, owner_url)?;
    let (store, done) = Store::init(owner).await?;
    let granted = grant(&store, &role).await;
    store.close().await;
    granted?;
    Ok((Store::open(app).await?, done))
}

/// The application's role name, when both URLs name the same database on the same server.
fn same_database(app: &str, owner: &str) -> Result<String, StoreError> {
    let parse = |url: &str| {
        PgConnectOptions::from_str(url)
            .map_err(|err| roles(&format!("not a PostgreSQL URL: {err}")))
    };
    let (app, owner) = (parse(app)?, parse(owner)?);
    let place = |it: &PgConnectOptions| {
        (it.get_host().to_owned(), it.get_port(), it.get_database().map(str::to_owned))
    };
    if place(&app) != place(&owner) {
        return Err(roles("--db and --owner-url must name the same database on the same server"));
    }
    Ok(app.get_username().to_owned())
}

async fn grant(store: &Store, role: &str) -> Result<(), StoreError> {
    let crate::store::Db::Postgres(pool) = store.db() else {
        return Err(roles("an owner role is a PostgreSQL role"));
    };
    sqlx::query(GRANT_APP).bind(role).execute(pool).await.map_err(DatabaseError::from)?;
    Ok(())
}

fn roles(message: &str) -> StoreError {
    StoreError::Roles(message.to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_urls_name_one_database() {
        let role = super::same_database("postgres://app:x@h:5432/db", "postgres://own:y@h:5432/db");
        assert_eq!(role.expect("the same database"), "app");
        let other = super::same_database("postgres://app@h/db", "postgres://own@h/other");
        assert!(other.expect_err("two databases").to_string().contains("same database"));
    }
}
