//! saylau-core: electoral law as pure functions.
//!
//! This crate is the bottom of the saylau workspace: it does no IO, no async and no
//! floating-point arithmetic. Votes are integers, quotas, remainders and quotients are
//! exact fractions, and every allocation returns a [`trace::Trace`] that explains it.
//! Readers of files (`saylau-formats`), the store, the web portal and the CLI all depend
//! on it; it depends on none of them.
#![deny(clippy::float_arithmetic)]

pub mod allocation;
pub mod contest;
pub mod divisor;
pub mod fraction;
pub mod index;
pub mod lot;
pub mod method;
pub mod quota;
pub mod rational;
pub mod report;
pub mod threshold;
pub mod tie;
pub mod trace;
pub mod votes;
