//! Election forensics as a use case: station data from a station table, a protocol file or
//! the synthetic country become a `saylau_stats::forensics::station::StationSet`; the chosen
//! tests run on it and return one serialisable report whose JSON is what
//! `saylau forensics ... --json` prints (`docs/forensics.md`).
//!
//! `input` makes the station set and names what was rejected; `report` runs the tests and
//! builds the view model; `html` writes the self-contained HTML report with its charts.

pub mod html;
pub mod input;
pub mod report;
