//! The law's own commands, one module each: plurality races, candidates' eligibility,
//! party lists and their quotas, party registration, state funding, campaign and party
//! finance, and the consistency of a published table. Each reads its file (and the
//! bundled rules where the command has them), applies the core's rule with the article
//! it cites, and returns a view model whose JSON is what the command's `--json` prints.

pub mod check_table;
pub mod council;
pub mod eligibility;
pub mod finance;
pub mod funding;
pub mod lists;
pub mod open_list;
pub mod party_check;
pub mod plurality;

use crate::{Diagnostics, Rejection};

/// A law command that could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LawError {
    /// A file or an argument was rejected; the diagnostics say why.
    #[error("{0}")]
    Rejected(Diagnostics),
    /// The rule could not be applied.
    #[error("{context}")]
    Failed {
        /// What was being done: `funding FILE`, `reading --election-day`.
        context: String,
        /// Why.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl Rejection for LawError {
    fn into_rejected(self) -> Result<Diagnostics, Self> {
        match self {
            LawError::Rejected(diagnostics) => Ok(diagnostics),
            other => Err(other),
        }
    }
}
