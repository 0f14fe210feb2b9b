//! The integration tests of saylau-app.

mod forensics_real;
mod forensics_synthetic;
mod import_files;
mod results;
mod survey;
