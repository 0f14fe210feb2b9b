//! The integration tests of saylau-stats: the synthetic country.

mod reach;
mod synthetic;
