//! A synthetic Kazakhstan: about 10,000 polling-station protocols of the 2021 Mazhilis
//! party-list election whose national totals are exactly the official ones.
//!
//! SYNTHETIC DATA, NOT REAL RESULTS. The regions, their populations and the national
//! totals are real ([`crate::country`]); districts, stations, rolls, turnout and votes per
//! station are drawn from a model (`docs/synthetic.md`), then corrected in whole numbers
//! so that every protocol satisfies the control relations of
//! `saylau_core::count::protocol` and the sums are the official 2021 figures. Optionally some
//! stations are manipulated (turnout inflated by stuffed ballots for the ruling list),
//! and observers' copies of a random sample of stations record the true figures.
//!
//! Everything is a function of the seed: one ChaCha8 stream per purpose (country,
//! anomalies, observer sample, the v2 lines and times of `record`), so the same seed and
//! options give the same bytes.
//!
//! The options and errors are in `options`; `generation` makes the country from the
//! station model of `model` and the whole-number counts of `count`; `summary` sums up a
//! generated country and writes its ground truth.

mod count;
mod frame;
mod generation;
mod model;
mod options;
mod record;
mod summary;

pub use frame::SETTLEMENT;
pub use generation::{GroundTruth, Manipulation, Settlement, SyntheticCountry, synthetic_country};
pub use options::{
    MAX_ANOMALY_SHARE, MAX_STATIONS, MIN_MANIPULATED_ROLL, MIN_STATIONS, Seed, SyntheticError,
    SyntheticOptions,
};
pub use summary::{ListVotes, Summary};
