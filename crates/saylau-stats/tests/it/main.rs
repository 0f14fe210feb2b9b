//! The integration tests of saylau-stats: the synthetic country.

mod pvt;
mod reach;
mod synthetic;
