//! saylau-app: the use cases that every front end shares, and their view models.
//!
//! The CLI (`saylau-cli`) and the web portal and API (`saylau-web`) are thin: they parse
//! their input (clap arguments, HTTP requests), call one function of this crate per use
//! case, and render what it returns (terminal tables, JSON, HTML). Each use case lives
//! here once: allocate an election file, compare variants, results from the store, a
//! station's history, import, export, observe, estimate, analyse. Its result is a typed,
//! `Serialize` view model whose JSON is exactly what `--json` prints and what the API
//! serves, so that scripts and pages read the same shape.
//!
//! This crate knows no clap, no HTTP and no terminal (ARCHITECTURE.md); it sits on
//! `saylau-core` (the law), `saylau-formats` (files), `saylau-stats` (statistics),
//! `saylau-store` (the signed protocol log) and `saylau-charts` (SVG and PNG charts), in
//! the spirit of rust-analyzer's `ide` crate.

pub mod allocate;
pub mod calendar;
pub mod commissions;
pub mod compare;
pub mod demo;
pub mod double;
pub mod entry;
pub mod export;
pub mod forensics;
pub mod generate;
pub mod images;
pub mod import;
pub mod incidents;
pub mod keys;
pub mod law;
pub mod legitimacy;
pub mod log;
pub mod lot;
pub mod observe;
pub mod pvt;
pub mod reconcile;
pub mod reform;
pub mod results;
pub mod store;
pub mod survey;
pub mod users;

pub use saylau_formats::Diagnostics;
pub use saylau_formats::limit::MAX_TOML_BYTES;

/// The text of the TOML file at `path` (an election, rules, a plan, a codebook, weighting
/// targets, a column mapping), refused unread when it is longer than [`MAX_TOML_BYTES`]
/// (`saylau_formats::limit::read_capped`: the error gives the size and the cap).
pub fn read_toml(path: &std::path::Path) -> std::io::Result<String> {
    saylau_formats::limit::read_capped(path, MAX_TOML_BYTES)
}

/// An error of a use case that may be rejected input: a file, a row or an argument that
/// breaks a rule, with every reason. Front ends tell it from a failure (the CLI exits 1
/// instead of 2, an API answers 422 instead of 500).
pub trait Rejection: Sized {
    /// The diagnostics when the input was rejected, or else the error itself.
    fn into_rejected(self) -> Result<Diagnostics, Self>;
}
