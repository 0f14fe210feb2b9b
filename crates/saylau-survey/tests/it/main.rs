//! Integration tests of saylau-survey (one binary, STYLE.md).

mod data;
mod r_survey;
mod reading;
mod seed_letters;
mod seed_study;
mod weighted;
