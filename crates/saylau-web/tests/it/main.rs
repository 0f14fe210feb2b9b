//! saylau-web's integration tests: the portal in process (`tower::ServiceExt::oneshot`)
//! over a real SQLite store holding a small synthetic country (and, for `fresh`, the same on
//! PostgreSQL when `SAYLAU_TEST_POSTGRES_URL` is set: `fresh`, `double`, `observe_work`).

mod api;
mod cache;
mod commissions;
mod deployments;
mod double;
mod fixture;
mod forensics;
mod fresh;
mod i18n;
mod images;
mod observation;
mod observe_work;
mod pages;
mod pg;
mod reform;
mod rule_messages;
mod work;
