//! Election forensics as a use case: station data from a station table, a protocol file or
//! the synthetic country become a `saylau_stats::forensics::station::StationSet`; the chosen
//! tests run on it and return one serialisable report whose JSON is what
//! `saylau forensics ... --json` prints (`docs/forensics.md`).
//!
//! `input` makes the station set and names what was rejected; `report` runs the tests and
//! builds the view model; `source` reads the stations of a file or the store; `html` writes the self-contained HTML report with its charts;
//! `portal` is the view the public portal shows.

pub mod html;
pub mod input;
pub mod portal;
pub mod report;
pub mod source;

// The domain types of the forensic views and options, for front ends.
pub use saylau_stats::forensics::digits::Digits;
pub use saylau_stats::forensics::distribution::Distributions;
pub use saylau_stats::forensics::explain::{CAVEAT, Explanation, Selection};
pub use saylau_stats::forensics::identical::Identical;
pub use saylau_stats::forensics::integer::{Boundary, IntegerTest};
pub use saylau_stats::forensics::klimek::Klimek;
pub use saylau_stats::forensics::shpilkin::{CleanRatio, MAX_STATION_VOTERS, PeakBy, Shpilkin};
pub use saylau_stats::forensics::station::StationSet;
pub use saylau_stats::forensics::versions::{Correction, Versions};
