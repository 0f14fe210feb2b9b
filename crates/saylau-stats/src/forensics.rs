//! Election forensics on polling-station results: the standard tests that suggest, and never
//! prove, manipulation (`docs/forensics.md`).
//!
//! The input is a [`station::StationSet`]: one row per polling station with its roll, ballots
//! issued, valid and invalid ballots and the votes per list or candidate, read by
//! `saylau-formats` from a station CSV or made from protocols. Each test is one module and
//! returns a serialisable result that carries its definition, assumptions, the stations it
//! kept and dropped (with why) and the known artifacts ([`explain::Explanation`]):
//!
//! - [`distribution`]: turnout and leader-share histograms, and the turnout × share
//!   fingerprint;
//! - [`klimek`]: the first-stage parameters of Klimek et al. (PNAS 2012);
//! - [`integer`]: integer percentages of Kobak, Shpilkin and Pshenichnikov (AOAS 2016), with
//!   the exact binomial expectation and a seeded Monte Carlo;
//! - [`shpilkin`]: Shpilkin's excess votes over its documented variants;
//! - [`digits`]: last-digit and second-digit tests (descriptive);
//! - [`identical`]: identical protocols within a commission;
//! - [`outlier`]: robust z-scores within a commission, and the AUC against a known truth;
//! - [`versions`]: corrected protocols that moved turnout or the leader's votes the most.

pub mod digits;
pub mod distribution;
pub mod explain;
pub mod identical;
pub mod integer;
pub mod klimek;
pub mod outlier;
pub mod shpilkin;
pub mod station;
pub mod versions;
