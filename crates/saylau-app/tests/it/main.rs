//! The integration tests of saylau-app.

mod forensics_real;
mod forensics_synthetic;
mod results;
mod survey;
