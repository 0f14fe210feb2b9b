//! The protocol store of saylau: every accepted version of a protocol is an entry of an
//! append-only, hash-chained log signed by the commission that submitted it.
//!
//! The store is the only crate that knows SQL. It keeps its data in a SQLite file (the
//! default, one user) or in PostgreSQL (a multi-user deployment), with one migration set
//! per backend and the same behaviour on both, checked by one conformance test suite.
//!
//! The log is generic over an opaque payload: canonical bytes, a [`id::Kind`] (such as
//! `protocol`) and a [`id::Subject`] (such as a polling station's id). The protocol model
//! of `saylau-core` plugs in by producing those bytes.
//!
//! - [`store`] opens a [`store::Store`] at a [`location::Location`] and migrates it.
//! - [`registry`] records elections, commissions, stations, party lists and commission keys.
//! - [`ledger`] appends versions: corrections, conflicts, idempotent re-submission.
//! - [`bulk`] appends many versions as one signed [`batch`], for imports.
//! - [`entry`] is the canonical encoding that is hashed and signed (`docs/ledger.md`).
//! - [`verify`] recomputes the chain and every signature, against a published checkpoint.
//! - [`checked`] is the read API of every reader that shows results: it verifies the log,
//!   against the [`known`] checkpoint kept outside the database, in the snapshot it reads.
//! - [`roles`] migrates PostgreSQL as an owner role and grants the application's role
//!   SELECT and INSERT only.
//! - [`backup`] writes a consistent, verified copy of a SQLite store.
//! - [`error`] is the error of a failed database call or an unreadable stored value.
//! - [`key`] generates and reads the commissions' ed25519 keys; [`keyfile`] keeps a new
//!   key's files in step with its registration, whatever kills the process.
//! - [`observe`] names the observers' kinds of entries and reads their current versions.
//! - [`incident`] names the kinds of incident reports and keeps their evidence files.
//! - [`images`] keeps the images of protocols by SHA-256, named by signed entries.
//! - [`payload`] is the canonical encoding of a protocol, [`import`] brings protocol files'
//!   protocols into the log, and [`tabulation`] reads the current ones back.
//! - [`stations`] lists the registered polling stations, whose protocols are expected.
//! - [`users`] keeps the working interface's users, sessions and failed logins.
//! - [`watch`] tells a reader that caches the log's head when another process appended.

mod authority;
pub mod backup;
pub mod batch;
mod blobs;
pub mod bulk;
pub mod checked;
pub mod current;
pub mod digest;
pub mod enrol;
mod enrol_pg;
pub mod entry;
pub mod error;
pub mod id;
pub mod images;
pub mod import;
pub mod incident;
pub mod key;
pub mod keyfile;
pub mod known;
pub mod ledger;
pub mod location;
pub mod observe;
pub mod payload;
mod pgcopy;
pub mod registry;
mod registry_pg;
pub mod roles;
mod rows;
mod sqlite;
pub mod stations;
pub mod store;
pub mod tabulation;
pub mod users;
pub mod verify;
mod walk;
pub mod watch;
