//! saylau-survey: analysis of opinion surveys, reproducible and checkable.
//!
//! A [`codebook::Codebook`] (TOML) describes the questions; [`respondents::Respondents`]
//! holds the answers read from CSV with file/line/field/rule diagnostics. [`weights`]
//! makes design weights, rakes to known margins (as R's `survey::rake`), trims, and gives
//! the effective sample size and design effects; [`crosstab`] builds column-percentage
//! tables by a banner with the SPSS Custom Tables column-proportions test ([`colprop`])
//! and margins of error ([`moe`]); [`kmeans`] segments respondents; [`seed_study`] is
//! the seed's 2021 opinion study with its synthetic respondent file.
//!
//! Floats live here. The logic does no IO: readers take text, writers return values.

pub mod claims;
pub mod codebook;
pub mod colprop;
pub mod crosstab;
pub mod diagnostic;
pub mod kmeans;
pub mod moe;
pub mod poll;
pub mod published;
pub mod respondents;
pub mod seed_study;
pub mod weights;
