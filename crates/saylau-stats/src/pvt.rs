//! Quick count (parallel vote tabulation): a published, stratified sample of polling
//! stations, drawn by a verifiable lot, and a combined ratio estimator of turnout and
//! every list's share with its linearisation variance (`docs/pvt.md`).
//!
//! The unit of analysis is the polling station (NDI, *The Quick Count and Election
//! Observation*, 2002): sample sizes come from the between-station variance of a past or
//! synthetic election ([`design`]), not from the voter-level `p(1-p)/n` formula, which
//! ignores that voters come in stations. [`sample`] draws the stations with saylau-lot-v1
//! from a public seed, so that anyone can recompute the sample; [`estimate`] turns the
//! sampled stations' protocols into estimates, intervals and a three-way verdict per
//! decisive question. Floats live here and never reach a seat: seat projections are made
//! by the core's exact allocation on the estimates (`saylau-app`).
//!
//! The estimator and its variance are those of R's `survey` package (`svydesign` with
//! strata and a finite-population correction, then `svyratio`); a test checks that they
//! agree to 1e-9.

pub mod design;
pub mod estimate;
pub mod frame;
pub mod sample;
pub mod verdict;
