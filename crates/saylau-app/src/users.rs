//! The users of the working interface (`saylau users add|list|disable`, the portal's
//! login): roles scoped to a territory, argon2id password hashes, server-side sessions and
//! the login rate limit (`docs/portal.md`).
//!
//! Creating or disabling a user is authorised by the CEC's private key: whoever holds a key
//! registered in the store under `CEC` administers the users, with no password of its own
//! to leak. A session's token is 32 random bytes shown once to its holder; the store keeps
//! only its SHA-256. A login of an unknown name verifies the password against a dummy hash
//! made with the same parameters, so it takes as long as a wrong password.

use std::path::Path;
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use saylau_core::count::commission::{CommissionId as Commission, Level, StationId};
use saylau_store::id::CommissionId;
use saylau_store::key::CommissionKey;
use saylau_store::observe::organisation_of;
use saylau_store::registry::{self, RegistryError};
use saylau_store::store::Store;
use saylau_store::users::{self, NewUser, SessionKind, UserError};
use serde::Serialize;
use sha2::Digest as _;

pub use saylau_store::users::{Role, Session, User};

/// Failed logins of one name within [`FAILURE_WINDOW`] after which logins are refused.
pub const MAX_FAILURES: u64 = 5;
/// The window, in seconds, over which failed logins are counted.
pub const FAILURE_WINDOW: i64 = 15 * 60;
/// How long a session lives, in seconds.
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// A user as `saylau users list --json` shows it (never its hash).
#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    /// The login name.
    pub name: String,
    /// The role (`cec-admin`, `tec-operator`, `pec-operator`, `observer-coordinator`,
    /// `observer`).
    pub role: Role,
    /// A commission id or `observer:ORG`.
    pub territory: String,
    /// Whether it is disabled.
    pub disabled: bool,
    /// When it was created.
    pub created_at: String,
    /// The CEC key that authorised it.
    pub created_by: String,
}

impl From<User> for UserView {
    fn from(user: User) -> UserView {
        UserView {
            name: user.name,
            role: user.role,
            territory: user.territory,
            disabled: user.disabled,
            created_at: user.created_at,
            created_by: user.created_by,
        }
    }
}

/// A user administration that was refused or failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UsersError {
    /// The key is not a CEC key registered in the store.
    #[error("--key: key {0} is not a registered key of the CEC: only the CEC administers users")]
    NotCec(String),
    /// The territory does not fit the role.
    #[error("--territory {territory}: {problem}")]
    Territory {
        /// The territory given.
        territory: String,
        /// What is wrong.
        problem: String,
    },
    /// The name or password is unusable.
    #[error("{0}")]
    Input(String),
    /// There is no such user.
    #[error("no user {0}")]
    NoSuchUser(String),
    /// The store refused the user.
    #[error(transparent)]
    User(#[from] UserError),
    /// The registry could not be read.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// Any other store error.
    #[error("store: {0}")]
    Store(#[from] saylau_store::error::DatabaseError),
    /// The password could not be hashed.
    #[error("hashing the password: {0}")]
    Hash(String),
}

impl UsersError {
    /// Whether it is refused input (exit code 1) rather than a failure.
    pub fn refused(&self) -> bool {
        !matches!(self, UsersError::Store(_) | UsersError::Hash(_) | UsersError::Registry(_))
    }
}

/// The id of the key in the PEM file `key` if it is a registered CEC key.
async fn cec_key(store: &Store, key: &Path) -> Result<String, UsersError> {
    let key =
        CommissionKey::read_pem(key).map_err(|err| UsersError::Input(format!("--key: {err}")))?;
    let id = key.public_key().key_id();
    let keys = registry::registered_keys(store).await?;
    let ok = keys.iter().any(|it| it.id == id && it.commission.as_str() == "CEC");
    if ok { Ok(id.to_string()) } else { Err(UsersError::NotCec(id.to_string())) }
}

/// Checks that `territory` fits `role`: the CEC for its administrator, a region or
/// district for a TEC operator, a station for a PEC operator (each registered), and
/// `observer:ORG` for an observer group's roles.
async fn check_territory(store: &Store, role: Role, territory: &str) -> Result<(), UsersError> {
    let bad = |problem: &str| UsersError::Territory {
        territory: territory.to_owned(),
        problem: problem.to_owned(),
    };
    if role.is_observer() {
        return match organisation_of(territory) {
            Some(org) if !org.is_empty() => Ok(()),
            _ => Err(bad("an observer's territory is observer:ORG")),
        };
    }
    let commission = Commission::parse(territory).map_err(|err| bad(&err.to_string()))?;
    let fits = match role {
        Role::CecAdmin => commission.level() == Level::Central,
        Role::TecOperator => matches!(commission.level(), Level::Region | Level::District),
        Role::PecOperator => commission.level() == Level::Precinct,
        Role::ObserverCoordinator | Role::Observer => false,
    };
    if !fits {
        return Err(bad(&format!("not a territory of a {}", role.as_str())));
    }
    let id = CommissionId::new(territory).map_err(|err| bad(&err.to_string()))?;
    if commission.level() != Level::Central && !registry::commission_registered(store, &id).await? {
        return Err(bad("no such commission is registered in the store"));
    }
    Ok(())
}

/// The argon2id hash (PHC string) of `password` with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, UsersError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|err| UsersError::Hash(err.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|err| UsersError::Hash(err.to_string()))?;
    let hash = argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|err| UsersError::Hash(err.to_string()))?;
    Ok(hash.to_string())
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    })
}

/// A hash of a random password with the same parameters as every user's: an unknown name's
/// login is verified against it, so that it costs what a wrong password costs.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_hex()).unwrap_or_default())
}

/// 32 random bytes in hex.
pub fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    // The operating system's generator; without it no session could be made at all.
    getrandom::fill(&mut bytes).expect("the operating system's random number generator");
    hex::encode(bytes)
}

/// The SHA-256 (hex) under which the store keeps a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

/// Adds a user, authorised by a registered CEC key (its private key's PEM file).
pub async fn add(
    store: &Store,
    key: &Path,
    name: &str,
    password: &str,
    role: Role,
    territory: &str,
) -> Result<UserView, UsersError> {
    let created_by = cec_key(store, key).await?;
    let name_ok = (1..=64).contains(&name.len())
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    if !name_ok {
        return Err(UsersError::Input(format!(
            "--name {name:?}: 1 to 64 letters, digits, '-', '_', '.' or '@'"
        )));
    }
    if password.chars().count() < 10 {
        return Err(UsersError::Input("the password must have at least 10 characters".into()));
    }
    check_territory(store, role, territory).await?;
    let password_hash = hash_password(password)?;
    let user =
        NewUser { name, password_hash: &password_hash, role, territory, created_by: &created_by };
    users::add_user(store, &user).await?;
    let added =
        users::user(store, name).await?.ok_or_else(|| UsersError::NoSuchUser(name.into()))?;
    Ok(added.into())
}

/// Every user.
pub async fn list(store: &Store) -> Result<Vec<UserView>, UsersError> {
    Ok(users::users(store).await?.into_iter().map(UserView::from).collect())
}

/// Disables a user and ends its sessions, authorised by a registered CEC key.
pub async fn disable(store: &Store, key: &Path, name: &str) -> Result<UserView, UsersError> {
    cec_key(store, key).await?;
    if !users::disable(store, name).await? {
        return Err(UsersError::NoSuchUser(name.to_owned()));
    }
    let user =
        users::user(store, name).await?.ok_or_else(|| UsersError::NoSuchUser(name.into()))?;
    Ok(user.into())
}

/// A login that did not open a session.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoginError {
    /// Wrong name or password (which one is not said).
    #[error("wrong name or password")]
    Invalid,
    /// Too many failed logins of this name lately.
    #[error("too many failed logins: try again in a quarter of an hour")]
    TooMany,
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] saylau_store::error::DatabaseError),
}

/// A new session: its token (shown once) and its CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The token for the cookie or the bearer header.
    pub token: String,
    /// The synchronizer token the session's forms carry.
    pub csrf: String,
    /// The user.
    pub user: User,
    /// When it ends (Unix seconds).
    pub expires_at: i64,
}

/// Logs `name` in at `now` (Unix seconds): a new session of `kind`, or why not.
pub async fn login(
    store: &Store,
    name: &str,
    password: &str,
    kind: SessionKind,
    now: i64,
) -> Result<NewSession, LoginError> {
    if users::failures_since(store, name, now - FAILURE_WINDOW).await? >= MAX_FAILURES {
        return Err(LoginError::TooMany);
    }
    let user = users::user(store, name).await?;
    let matches = match &user {
        Some(user) => verify_password(password, &user.password_hash),
        None => verify_password(password, dummy_hash()),
    };
    let user = match user {
        Some(user) if matches && !user.disabled => user,
        _ => {
            users::record_failure(store, name, now).await?;
            return Err(LoginError::Invalid);
        }
    };
    users::clear_failures(store, name).await?;
    let (token, csrf) = (random_hex(), random_hex());
    let expires_at = now + SESSION_SECONDS;
    users::new_session(store, &token_hash(&token), &user.name, kind, &csrf, expires_at).await?;
    Ok(NewSession { token, csrf, user, expires_at })
}

/// The live session of `token` at `now`, if any.
pub async fn session(
    store: &Store,
    token: &str,
    now: i64,
) -> Result<Option<Session>, saylau_store::error::DatabaseError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    users::session(store, &token_hash(token), now).await
}

/// Ends the session of `token`.
pub async fn logout(
    store: &Store,
    token: &str,
    now: i64,
) -> Result<(), saylau_store::error::DatabaseError> {
    users::end_session(store, &token_hash(token), now).await
}

/// Whether `user` may write the official protocol of `station`: a commission role whose
/// territory is the station's PEC or a commission above it.
pub fn may_write_station(user: &User, station: &str) -> bool {
    if user.role.is_observer() || user.disabled {
        return false;
    }
    let (Ok(territory), Ok(station)) =
        (Commission::parse(&user.territory), StationId::parse(station))
    else {
        return false;
    };
    station.commission(territory.level()) == territory
}

/// Whether `user` may resolve a double entry of `station` that two operators disagree on:
/// a TEC operator above the station or the CEC's administrator.
pub fn may_resolve_station(user: &User, station: &str) -> bool {
    matches!(user.role, Role::CecAdmin | Role::TecOperator) && may_write_station(user, station)
}
