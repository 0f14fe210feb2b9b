//! Seat maths for one contest: votes and lists, methods, quotas, divisors, thresholds,
//! ties and lots, exact fractions, the trace of every step, reports and indices.
//!
//! [`allocation::allocate`] is the entry point; every system in [`crate::systems`] is
//! built from its calls.

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
