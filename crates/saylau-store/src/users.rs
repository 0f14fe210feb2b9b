//! The users of the working interface, their server-side sessions and their failed logins
//! (migration 0030, `docs/portal.md`).
//!
//! The store keeps what it is given: a password's argon2 hash (made by `saylau-app`), a
//! SHA-256 of a session's token (the token itself only ever lives in the user's cookie or
//! bearer header), and one row per failed login, so that several portal instances on one
//! store count a name's failures together. Times are Unix seconds given by the caller.

use sqlx::Row as _;

use crate::error::{Constraint, DatabaseError};
use crate::rows::{Columns as _, PgRead, Query, rows};
use crate::store::{Db, Store};

mod drafts;
pub use drafts::{Draft, clear_drafts, drafts, put_draft};

/// What a user may do, and over which territory ([`User::territory`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The CEC's administrator: every station.
    CecAdmin,
    /// A territorial commission's operator: the stations of its subtree.
    TecOperator,
    /// A precinct commission's operator: its station.
    PecOperator,
    /// An observer group's coordinator: the group's stations, never official protocols.
    ObserverCoordinator,
    /// An observer of a group.
    Observer,
}

impl Role {
    /// Every role, from the widest.
    pub const ALL: [Role; 5] = [
        Role::CecAdmin,
        Role::TecOperator,
        Role::PecOperator,
        Role::ObserverCoordinator,
        Role::Observer,
    ];

    /// The stored name (`cec-admin`, `tec-operator`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::CecAdmin => "cec-admin",
            Role::TecOperator => "tec-operator",
            Role::PecOperator => "pec-operator",
            Role::ObserverCoordinator => "observer-coordinator",
            Role::Observer => "observer",
        }
    }

    /// The role of a stored name.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == name)
    }

    /// Whether the role belongs to an observer group (territory `observer:ORG`).
    pub fn is_observer(self) -> bool {
        matches!(self, Role::ObserverCoordinator | Role::Observer)
    }
}

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    /// The login name.
    pub name: String,
    /// The argon2 hash of the password (PHC string).
    #[serde(skip)]
    pub password_hash: String,
    /// The role.
    pub role: Role,
    /// A commission id, or `observer:ORG`.
    pub territory: String,
    /// A disabled user cannot log in, and its sessions end.
    pub disabled: bool,
    /// When it was created (UTC, RFC 3339).
    pub created_at: String,
    /// The key id of the CEC key that authorised it.
    pub created_by: String,
}

/// The kind of a session: a browser's cookie (forms need its CSRF token) or an API client's
/// bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// `Cookie: saylau_session=...`.
    Cookie,
    /// `Authorization: Bearer ...`.
    Bearer,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            SessionKind::Cookie => "cookie",
            SessionKind::Bearer => "bearer",
        }
    }
}

/// A live session with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The user (not disabled).
    pub user: User,
    /// Cookie or bearer.
    pub kind: SessionKind,
    /// The synchronizer token every form of this session must carry.
    pub csrf: String,
    /// When it ends (Unix seconds).
    pub expires_at: i64,
}

/// A user that was not added.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UserError {
    /// The name is taken.
    #[error("user {0} exists already")]
    Exists(String),
    /// The store refused the row (a role, territory or hash its checks refuse).
    #[error("user {name}: refused by the store: {source}")]
    Refused {
        /// The user.
        name: String,
        /// What the store said.
        source: DatabaseError,
    },
    /// Any other database error.
    #[error("store: {0}")]
    Database(#[from] DatabaseError),
}

const ADD_SQLITE: &str = "INSERT INTO users (name, password_hash, role, territory, disabled, \
     created_at, created_by) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)";
const ADD_PG: &str = "INSERT INTO users (name, password_hash, role, territory, disabled, \
     created_at, created_by) VALUES ($1, $2, $3, $4, FALSE, $5, $6)";
const USERS_SQLITE: &str = "SELECT name, password_hash, role, territory, disabled <> 0, \
     created_at, created_by FROM users ORDER BY name";
const USERS_PG: &str = "SELECT name, password_hash, role, territory, disabled, created_at, \
     created_by FROM users ORDER BY name";
const DISABLE_SQLITE: &str = "UPDATE users SET disabled = 1 WHERE name = ?1";
const DISABLE_PG: &str = "UPDATE users SET disabled = TRUE WHERE name = $1";
const END_USER_SESSIONS_SQLITE: &str = "DELETE FROM sessions WHERE user_name = ?1";
const END_USER_SESSIONS_PG: &str = "DELETE FROM sessions WHERE user_name = $1";
const NEW_SESSION_SQLITE: &str = "INSERT INTO sessions (token_hash, user_name, kind, csrf, \
     expires_at) VALUES (?1, ?2, ?3, ?4, ?5)";
const NEW_SESSION_PG: &str = "INSERT INTO sessions (token_hash, user_name, kind, csrf, \
     expires_at) VALUES ($1, $2, $3, $4, $5)";
const SESSION_SQLITE: &str = "SELECT u.name, u.password_hash, u.role, u.territory, \
     u.disabled <> 0, u.created_at, u.created_by, s.kind, s.csrf, s.expires_at \
     FROM sessions s JOIN users u ON u.name = s.user_name \
     WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0";
const SESSION_PG: &str = "SELECT u.name, u.password_hash, u.role, u.territory, u.disabled, \
     u.created_at, u.created_by, s.kind, s.csrf, s.expires_at \
     FROM sessions s JOIN users u ON u.name = s.user_name \
     WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled";
const END_SESSION_SQLITE: &str = "DELETE FROM sessions WHERE token_hash = ?1 OR expires_at <= ?2";
const END_SESSION_PG: &str = "DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= $2";
const FAIL_SQLITE: &str = "INSERT INTO login_failures (name, at) VALUES (?1, ?2)";
const FAIL_PG: &str = "INSERT INTO login_failures (name, at) VALUES ($1, $2)";
const FAILURES_SQLITE: &str = "SELECT count(*) FROM login_failures WHERE name = ?1 AND at > ?2";
const FAILURES_PG: &str = "SELECT count(*) FROM login_failures WHERE name = $1 AND at > $2";
const CLEAR_SQLITE: &str = "DELETE FROM login_failures WHERE name = ?1";
const CLEAR_PG: &str = "DELETE FROM login_failures WHERE name = $1";

/// A user to add.
#[derive(Debug, Clone, Copy)]
pub struct NewUser<'a> {
    /// The login name.
    pub name: &'a str,
    /// The argon2id hash of the password (PHC string).
    pub password_hash: &'a str,
    /// The role.
    pub role: Role,
    /// A commission id, or `observer:ORG`.
    pub territory: &'a str,
    /// The key id of the authorising CEC key.
    pub created_by: &'a str,
}

/// Adds a user, created now.
pub async fn add_user(store: &Store, user: &NewUser<'_>) -> Result<(), UserError> {
    let row = [
        user.name.to_owned(),
        user.password_hash.to_owned(),
        user.role.as_str().to_owned(),
        user.territory.to_owned(),
        crate::entry::now_rfc3339(),
        user.created_by.to_owned(),
    ];
    let done = match store.db() {
        Db::Sqlite(sqlite) => {
            let row = row.clone();
            sqlite
                .write(move |conn| {
                    conn.execute(ADD_SQLITE, rusqlite::params_from_iter(row.iter()))
                        .map_err(DatabaseError::from)
                })
                .await
        }
        Db::Postgres(pool) => {
            let mut query = sqlx::query(ADD_PG);
            for value in &row {
                query = query.bind(value.as_str());
            }
            query.execute(pool).await.map(|_| 1).map_err(DatabaseError::from)
        }
    };
    match done {
        Ok(_) => Ok(()),
        Err(err) if err.constraint() == Some(Constraint::Unique) => {
            Err(UserError::Exists(user.name.to_owned()))
        }
        Err(err) if err.constraint() == Some(Constraint::Check) => {
            Err(UserError::Refused { name: user.name.to_owned(), source: err })
        }
        Err(err) => Err(err.into()),
    }
}

type RawUser = (String, String, String, String, bool, String, String);

fn user_of(raw: RawUser) -> Result<User, DatabaseError> {
    let (name, password_hash, role, territory, disabled, created_at, created_by) = raw;
    let role = Role::parse(&role).ok_or_else(|| {
        DatabaseError::from(crate::error::DecodeError {
            table: "users",
            row: name.clone(),
            column: "role",
            problem: format!("unknown role {role:?}"),
        })
    })?;
    Ok(User { name, password_hash, role, territory, disabled, created_at, created_by })
}

/// Every user, by name.
pub async fn users(store: &Store) -> Result<Vec<User>, DatabaseError> {
    let query = Query { sqlite: USERS_SQLITE, pg: USERS_PG };
    let raw: Vec<RawUser> = rows(store, query, &[], PgRead::Pool).await?;
    raw.into_iter().map(user_of).collect()
}

/// The user called `name`, if any.
pub async fn user(store: &Store, name: &str) -> Result<Option<User>, DatabaseError> {
    // A handful of users per commission: reading them all keeps one query per backend.
    Ok(users(store).await?.into_iter().find(|user| user.name == name))
}

/// Disables `name` and ends its sessions; `false` when there is no such user.
pub async fn disable(store: &Store, name: &str) -> Result<bool, DatabaseError> {
    let name = name.to_owned();
    match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite
                .write(move |conn| -> Result<bool, DatabaseError> {
                    let tx = conn.transaction()?;
                    let changed = tx.execute(DISABLE_SQLITE, [name.as_str()])?;
                    tx.execute(END_USER_SESSIONS_SQLITE, [name.as_str()])?;
                    tx.commit()?;
                    Ok(changed == 1)
                })
                .await
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(DISABLE_PG).bind(&name).execute(&mut *tx).await?;
            sqlx::query(END_USER_SESSIONS_PG).bind(&name).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(changed.rows_affected() == 1)
        }
    }
}

/// Records a new session of `user` under the SHA-256 (hex) of its token.
pub async fn new_session(
    store: &Store,
    token_hash: &str,
    user: &str,
    kind: SessionKind,
    csrf: &str,
    expires_at: i64,
) -> Result<(), DatabaseError> {
    let text = [token_hash.to_owned(), user.to_owned(), kind.as_str().to_owned(), csrf.to_owned()];
    match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite
                .write(move |conn| -> Result<(), DatabaseError> {
                    let [hash, user, kind, csrf] = &text;
                    conn.execute(
                        NEW_SESSION_SQLITE,
                        rusqlite::params![hash, user, kind, csrf, expires_at],
                    )?;
                    Ok(())
                })
                .await
        }
        Db::Postgres(pool) => {
            let [hash, user, kind, csrf] = &text;
            sqlx::query(NEW_SESSION_PG)
                .bind(hash)
                .bind(user)
                .bind(kind)
                .bind(csrf)
                .bind(expires_at)
                .execute(pool)
                .await?;
            Ok(())
        }
    }
}

type RawSession = (RawUser, String, String, i64);

/// The live session whose token hashes to `token_hash` at time `now`, with its (enabled)
/// user; `None` for an unknown, expired or disabled one.
pub async fn session(
    store: &Store,
    token_hash: &str,
    now: i64,
) -> Result<Option<Session>, DatabaseError> {
    let hash = token_hash.to_owned();
    let raw: Option<RawSession> = match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite
                .read(move |tx| -> Result<Option<RawSession>, DatabaseError> {
                    use rusqlite::OptionalExtension as _;
                    let row = tx
                        .query_row(SESSION_SQLITE, rusqlite::params![hash, now], |row| {
                            Ok((RawUser::sqlite(row)?, row.get(7)?, row.get(8)?, row.get(9)?))
                        })
                        .optional()?;
                    Ok(row)
                })
                .await?
        }
        Db::Postgres(pool) => {
            let row = sqlx::query(SESSION_PG).bind(&hash).bind(now).fetch_optional(pool).await?;
            match row {
                None => None,
                Some(row) => {
                    Some((RawUser::pg(&row)?, row.try_get(7)?, row.try_get(8)?, row.try_get(9)?))
                }
            }
        }
    };
    let Some((user, kind, csrf, expires_at)) = raw else { return Ok(None) };
    let kind = if kind == "bearer" { SessionKind::Bearer } else { SessionKind::Cookie };
    Ok(Some(Session { user: user_of(user)?, kind, csrf, expires_at }))
}

/// Ends the session of `token_hash`, and every session expired at `now`.
pub async fn end_session(store: &Store, token_hash: &str, now: i64) -> Result<(), DatabaseError> {
    let hash = token_hash.to_owned();
    match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite
                .write(move |conn| -> Result<(), DatabaseError> {
                    conn.execute(END_SESSION_SQLITE, rusqlite::params![hash, now])?;
                    Ok(())
                })
                .await
        }
        Db::Postgres(pool) => {
            sqlx::query(END_SESSION_PG).bind(&hash).bind(now).execute(pool).await?;
            Ok(())
        }
    }
}

/// Records a failed login of `name` at `now`.
pub async fn record_failure(store: &Store, name: &str, now: i64) -> Result<(), DatabaseError> {
    let name = name.to_owned();
    match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite
                .write(move |conn| -> Result<(), DatabaseError> {
                    conn.execute(FAIL_SQLITE, rusqlite::params![name, now])?;
                    Ok(())
                })
                .await
        }
        Db::Postgres(pool) => {
            sqlx::query(FAIL_PG).bind(&name).bind(now).execute(pool).await?;
            Ok(())
        }
    }
}

/// How many failed logins of `name` were recorded after `since`.
pub async fn failures_since(store: &Store, name: &str, since: i64) -> Result<u64, DatabaseError> {
    let name = name.to_owned();
    let count: i64 = match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite
                .read(move |tx| -> Result<i64, DatabaseError> {
                    Ok(tx.query_row(FAILURES_SQLITE, rusqlite::params![name, since], |row| {
                        row.get(0)
                    })?)
                })
                .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_scalar(FAILURES_PG).bind(&name).bind(since).fetch_one(pool).await?
        }
    };
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Forgets the failed logins of `name` (after a successful one).
pub async fn clear_failures(store: &Store, name: &str) -> Result<(), DatabaseError> {
    let name = name.to_owned();
    match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite
                .write(move |conn| -> Result<(), DatabaseError> {
                    conn.execute(CLEAR_SQLITE, [name.as_str()])?;
                    Ok(())
                })
                .await
        }
        Db::Postgres(pool) => {
            sqlx::query(CLEAR_PG).bind(&name).execute(pool).await?;
            Ok(())
        }
    }
}
