//! The integration tests of saylau-app.

mod forensics_real;
mod forensics_synthetic;
mod import_files;
mod open_list;
mod results;
mod survey;
mod toml_cap;
