//! The integration tests of saylau-core, in one binary: golden tests on the bundled real
//! elections, and property tests of the axioms each method claims.

mod admission;
mod apportionment;
mod biproportional;
mod district;
mod golden;
mod mixed;
mod properties;
mod protocol;
mod reach;
mod strategy;
