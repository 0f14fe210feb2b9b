//! The conformance suite of the store: every case runs on SQLite, and on PostgreSQL when
//! `SAYLAU_TEST_POSTGRES_URL` is set (see `backend`).

mod authority;
mod backend;
mod backup;
mod checked;
mod concurrency;
mod crash;
mod fixture;
mod images;
mod import;
mod incidents;
mod ledger;
mod members;
mod protocols;
mod registry;
mod registry_chunks;
mod registry_log;
mod roles;
mod stations;
mod tamper;
mod users;
mod watch;
