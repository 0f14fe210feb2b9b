//! What to generate: the seed, the options and their limits, and why a synthetic country
//! cannot be made.

use serde::Serialize;

use crate::rounding::RoundingError;

/// The seed of a synthetic country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Seed(pub u64);

/// What to generate. There is no default: [`SyntheticOptions::new`] takes the number of
/// stations and sets no anomalies and no observer copies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyntheticOptions {
    /// Polling stations in the country, [`MIN_STATIONS`] to [`MAX_STATIONS`] (the real
    /// 2021 count was about 10,000).
    pub stations: u32,
    /// The share of stations to manipulate, from 0 to [`MAX_ANOMALY_SHARE`]:
    /// `round(share × stations)` stations, chosen among those with at least
    /// [`MIN_MANIPULATED_ROLL`] voters.
    pub anomaly_share: f64,
    /// How many stations' observer copies to write, at most all of them.
    pub observer_sample: u32,
}

/// The fewest stations: one per region.
pub const MIN_STATIONS: u32 = 17;
/// The most stations.
pub const MAX_STATIONS: u32 = 200_000;
/// The largest share of manipulated stations.
pub const MAX_ANOMALY_SHARE: f64 = 0.5;
/// Only stations with at least this many voters on the roll are manipulated.
pub const MIN_MANIPULATED_ROLL: u64 = 100;

impl SyntheticOptions {
    /// `stations` stations, no anomalies, no observer copies.
    pub fn new(stations: u32) -> SyntheticOptions {
        SyntheticOptions { stations, anomaly_share: 0.0, observer_sample: 0 }
    }
}

/// Why a synthetic country cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SyntheticError {
    /// Too few or too many stations.
    #[error("the number of stations must be between {MIN_STATIONS} and {MAX_STATIONS}, not {0}")]
    Stations(u32),
    /// An anomaly share outside 0..=0.5.
    #[error("the anomaly share must be between 0 and {MAX_ANOMALY_SHARE}, not {0}")]
    AnomalyShare(f64),
    /// More observer copies than stations.
    #[error("the observer sample ({sample}) is larger than the number of stations ({stations})")]
    ObserverSample {
        /// The sample asked for.
        sample: u32,
        /// The stations.
        stations: u32,
    },
    /// Not enough stations large enough to manipulate.
    #[error(
        "{wanted} stations to manipulate, but only {eligible} have at least {MIN_MANIPULATED_ROLL} voters"
    )]
    TooFewEligible {
        /// Stations to manipulate.
        wanted: usize,
        /// Stations with enough voters.
        eligible: usize,
    },
    /// The totals cannot be met in whole numbers (a model bug).
    #[error("cannot meet the official totals: {0}")]
    Rounding(#[from] RoundingError),
    /// A generated protocol breaks a rule (a model bug).
    #[error("a generated protocol is inconsistent: {0}")]
    Inconsistent(String),
}

pub(super) fn check_options(options: &SyntheticOptions) -> Result<(), SyntheticError> {
    if !(MIN_STATIONS..=MAX_STATIONS).contains(&options.stations) {
        return Err(SyntheticError::Stations(options.stations));
    }
    if !(0.0..=MAX_ANOMALY_SHARE).contains(&options.anomaly_share) {
        return Err(SyntheticError::AnomalyShare(options.anomaly_share));
    }
    if options.observer_sample > options.stations {
        return Err(SyntheticError::ObserverSample {
            sample: options.observer_sample,
            stations: options.stations,
        });
    }
    Ok(())
}
