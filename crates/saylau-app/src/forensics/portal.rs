//! The forensic charts of the public portal: the turnout histogram, the turnout ×
//! leader-share fingerprint, the integer-percentage test and Shpilkin's excess-vote
//! estimate, computed from an election's current protocols (the same tests and the same
//! numbers as `saylau forensics all` on the store, with fixed, stated settings).

use saylau_stats::forensics::distribution::Histogram;
use saylau_stats::forensics::explain::Explanation;
use saylau_stats::forensics::integer::{Boundary, IntegerTest};
use saylau_stats::forensics::shpilkin::{MAX_STATION_VOTERS, Shpilkin};
use saylau_stats::forensics::station::Official;
use saylau_store::tabulation::CurrentProtocols;
use serde::Serialize;

use super::input::{InputSummary, from_protocols};
use super::report::{ForensicsError, ForensicsOptions, Test, forensics_report};

/// Monte Carlo draws of the portal's integer test.
pub const PORTAL_DRAWS: u32 = 1_000;

/// The seed of the portal's integer test, printed on the page.
pub const PORTAL_SEED: u64 = 42;

/// The forensic view of an election, as the portal shows it and `/api/v1/forensics` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalForensics {
    /// The election.
    pub election: String,
    /// What these tests can and cannot say.
    pub caveat: &'static str,
    /// The stations read (the current protocol of every station that has one).
    pub input: InputSummary,
    /// The leading list (the one with the most votes).
    pub leader: String,
    /// Official sums over the stations.
    pub official: Official,
    /// Turnout (ballots issued / voters) in 1 % bins: stations and voters per bin, and the
    /// test's definition and selection.
    pub turnout: TurnoutView,
    /// Stations by 1 % turnout (rows, 0 to 100) × 1 % leader share (columns, 0 to 100).
    pub fingerprint: Vec<Vec<u64>>,
    /// Kobak, Shpilkin and Pshenichnikov's integer-percentage test: exact expectation, a
    /// Monte Carlo of [`PORTAL_DRAWS`] draws seeded with [`PORTAL_SEED`], the exact boundary
    /// rule.
    pub integer: IntegerTest,
    /// Shpilkin's excess-vote estimate, its variants and the within-commission estimate.
    pub shpilkin: Shpilkin,
    /// What the tests flag, in words; empty when nothing stands out.
    pub flags: Vec<String>,
}

/// The turnout histogram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TurnoutView {
    /// Definition, assumptions and artifacts.
    pub explanation: Explanation,
    /// Stations kept.
    pub stations_kept: usize,
    /// The 1 % bins.
    pub histogram: Histogram,
}

/// The portal's forensic view of `current`, the current protocols of `election`.
pub fn portal_forensics(
    current: &CurrentProtocols,
    election: &str,
) -> Result<PortalForensics, ForensicsError> {
    let protocols: Vec<_> = current.protocols.iter().map(|it| it.protocol.clone()).collect();
    let source = format!("the current protocols of election {election}");
    let (set, input) =
        from_protocols(&source, &current.ballot, &current.hierarchy, &protocols, &[]);
    let options = ForensicsOptions {
        tests: vec![Test::Distributions, Test::Integer, Test::Shpilkin],
        leader: None,
        draws: PORTAL_DRAWS,
        seed: PORTAL_SEED,
        bin_width: 1.0,
        noise: false,
        boundary: Boundary::Exact,
        max_station_voters: Some(MAX_STATION_VOTERS),
        truth: None,
        corrections: None,
    };
    let report = forensics_report(&set, input, &options)?;
    let (Some(distributions), Some(integer), Some(shpilkin)) =
        (report.distributions, report.integer, report.shpilkin)
    else {
        return Err(ForensicsError::Empty);
    };
    Ok(PortalForensics {
        election: election.to_owned(),
        caveat: report.caveat,
        input: report.input,
        leader: report.leader,
        official: report.official,
        turnout: TurnoutView {
            explanation: distributions.explanation,
            stations_kept: distributions.selection.kept,
            histogram: distributions.turnout,
        },
        fingerprint: distributions.fingerprint,
        integer,
        shpilkin,
        flags: report.flags,
    })
}
