//! saylau-web's integration tests: the portal in process (`tower::ServiceExt::oneshot`)
//! over a real SQLite store holding a small synthetic country.

mod api;
mod cache;
mod double;
mod fixture;
mod i18n;
mod observation;
mod pages;
mod work;
