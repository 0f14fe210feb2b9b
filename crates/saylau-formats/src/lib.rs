//! saylau-formats: versioned election files read into validated saylau-core types.
//!
//! The crate sits just above `saylau-core`: it reads TOML election files (format v1,
//! specified in `docs/election-format.md`), applies `--set` overrides, and hands back a
//! core `Contest` and `Rules`, or every problem it found as [`Diagnostics`] with file,
//! line, field and a stable rule code (see [`rule`]). Start at [`parse_election`] and
//! [`read_election`].
//!
//! The modules are private and their public items are exported here, once each, so that
//! every item has one path.

mod contest;
mod diagnostic;
mod document;
mod election;
mod field;
mod r#override;
pub mod rule;
mod rules;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use election::{
    DataSource, ElectionFile, ElectionMeta, FORMAT, Scenario, parse_election, read_election,
};
pub use r#override::Override;
