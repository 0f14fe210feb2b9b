//! The integration tests of saylau-app.

mod forensics_real;
mod forensics_synthetic;
mod survey;
