//! saylau-core: electoral law as pure functions.
//!
//! This crate is the bottom of the saylau workspace: it does no IO, no async and no
//! floating-point arithmetic. Votes are integers, quotas, remainders and quotients are
//! exact fractions, and every allocation returns a [`seats::trace::Trace`] that explains
//! it. Readers of files (`saylau-formats`), the store, the web portal and the CLI all
//! depend on it; it depends on none of them.
//!
//! The modules are grouped by family (the map is in ARCHITECTURE.md):
//! - [`seats`]: one contest's seat maths: votes, methods, quotas, divisors, thresholds,
//!   ties and lots, exact fractions, traces, reports and indices;
//! - [`systems`]: electoral systems built on it: districts and tiers, mixed systems,
//!   biproportional apportionment, apportionment among districts, and `System`;
//! - [`law`]: the rest of the law: plurality races, eligibility, nomination, candidate
//!   lists, list seats, funding, party registration, sortition and dates;
//! - [`count`]: counting the votes: the commission hierarchy, protocols and their control
//!   relations, and published tables that must add up.
#![deny(clippy::float_arithmetic)]

pub mod count;
pub mod law;
pub mod seats;
pub mod systems;
