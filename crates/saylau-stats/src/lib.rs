//! saylau-stats: statistics on election results, where floating point and randomness live.
//!
//! It sits above `saylau-core` and below the CLI. Today it makes a synthetic Kazakhstan
//! ([`synthetic::synthetic_country`]): reproducible polling-station protocols of the 2021
//! Mazhilis party-list election whose national totals are exactly the official ones, with
//! optional injected anomalies and observers' copies, for testing imports, tabulation and
//! forensics. [`forensics`] holds the tests on station-level results (`docs/forensics.md`).
//! Synthetic data is labelled as such wherever it is written
//! (`docs/synthetic.md`).

pub mod country;
pub mod forensics;
pub mod pvt;
pub mod rounding;
pub mod synthetic;
