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

pub mod forensics;
pub mod observe;
pub mod pvt;
pub mod reconcile;
pub mod survey;
