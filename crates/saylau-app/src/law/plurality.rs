//! A round of plurality races (`saylau plurality`, `docs/plurality-format.md`): rural
//! akims or single-member districts, most votes wins, ties by a runoff or a lot, and
//! "against all" under the law or the seed's proposal.

use std::path::Path;

use saylau_core::law::plurality::round_result;
use saylau_formats::read_plurality;
use serde::Serialize;

use super::LawError;

use crate::allocate::parse_overrides;
pub use saylau_core::law::plurality::{
    AgainstAllRule, CandidateResult, RaceResult, RaceStatus, RaceTie, RoundResult,
};
pub use saylau_formats::{PluralityFile, PluralityMeta};

/// A round decided.
#[derive(Debug, Clone)]
pub struct Decided {
    /// The round as read, with its overrides.
    pub file: PluralityFile,
    /// Every race's outcome and the summary.
    pub result: RoundResult,
}

/// The JSON of `saylau plurality --json`.
#[derive(Debug, Serialize)]
pub struct PluralityJson<'a> {
    name: &'a str,
    meta: &'a PluralityMeta,
    ties: RaceTie,
    against_all: AgainstAllRule,
    #[serde(flatten)]
    result: &'a RoundResult,
}

impl Decided {
    /// As a serialisable value.
    pub fn json(&self) -> PluralityJson<'_> {
        PluralityJson {
            name: &self.file.meta.name,
            meta: &self.file.meta,
            ties: self.file.rules.ties,
            against_all: self.file.rules.against_all,
            result: &self.result,
        }
    }
}

/// Decides the round of the file at `path` with the `--set` overrides `sets`.
pub fn plurality(path: &Path, sets: &[String]) -> Result<Decided, LawError> {
    let overrides = parse_overrides(sets).map_err(LawError::Rejected)?;
    let file = read_plurality(path, &overrides).map_err(LawError::Rejected)?;
    let result = round_result(&file.rules, &file.round);
    Ok(Decided { file, result })
}
