//! Quick count (parallel vote tabulation) as a published design: `saylau pvt plan`,
//! `draw`, `estimate` and `published` (`docs/pvt.md`).
//!
//! An observer group publishes its design before election day: the frame of stations,
//! the strata and the sample size per stratum from the between-station variance of a past
//! election ([`plan`]); then the sample drawn with the verifiable lot from a public seed
//! ([`draw`]), which `saylau lot verify` recomputes. On election night the sampled
//! stations' reports give the estimates, intervals and verdicts against the official
//! figures, and seat projections by the core's exact allocation ([`estimate`]).
//! [`published`] shows the seats implied by the 505 observer copies of 2021, the
//! aggregate published in the seed.
//!
//! The statistics (floats) are in `saylau_stats::pvt`; this module reads the files,
//! checks that they belong together, and builds the view models that `--json` prints.

pub mod draw;
pub mod estimate;
pub mod files;
pub mod frame_file;
pub mod plan;
pub mod plan_file;
pub mod published;
pub mod rule;
pub(crate) mod seats;

use saylau_formats::{Diagnostic, Diagnostics};

/// A problem with the inputs of a quick count: the diagnostics of one file, or of the way
/// files fit together.
pub(crate) fn diagnostic(
    source: &str,
    line: Option<u32>,
    field: &str,
    rule: rule::QuickCountRule,
    message: String,
) -> Diagnostic {
    Diagnostic::error(source, line, field, rule, message)
}

/// One diagnostic as [`Diagnostics`].
pub(crate) fn rejected(
    source: &str,
    line: Option<u32>,
    field: &str,
    rule: rule::QuickCountRule,
    message: String,
) -> Diagnostics {
    Diagnostics(vec![diagnostic(source, line, field, rule, message)])
}

/// A proportion as a percentage with two decimals, such as `"63.25"`.
pub fn percent(value: f64) -> String {
    format!("{:.2}", value * 100.0)
}
