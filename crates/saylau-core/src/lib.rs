//! saylau-core: electoral law as pure functions.
//!
//! This crate is the bottom of the saylau workspace: it does no IO, no async and no
//! floating-point arithmetic. Votes are integers, quotas, remainders and quotients are
//! exact fractions, and every allocation returns a [`trace::Trace`] that explains it.
//! Readers of files (`saylau-formats`), the store, the web portal and the CLI all depend
//! on it; it depends on none of them.
#![deny(clippy::float_arithmetic)]

pub mod allocation;
pub mod apportionment;
pub mod biproportional;
pub mod biproportional_lower;
mod biproportional_ties;
pub mod candidate_list;
pub mod commission;
pub mod consistency;
pub mod contest;
pub mod date;
pub mod district;
pub mod district_spread;
pub mod district_tier;
pub mod divisor;
pub mod eligibility;
pub mod fraction;
pub mod funding;
pub mod index;
pub mod list_seats;
pub mod lot;
pub mod method;
pub mod mixed;
mod mixed_compensation;
pub mod mixed_federal;
pub mod mixed_levelling;
pub mod nomination;
pub mod party_registration;
pub mod plurality;
pub mod protocol;
pub mod quota;
pub mod rational;
pub mod report;
pub mod sortition;
pub mod system;
pub mod threshold;
pub mod tie;
pub mod trace;
pub mod votes;
