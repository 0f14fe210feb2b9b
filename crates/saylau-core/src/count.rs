//! Counting the votes: the commission hierarchy, a polling station's results protocol
//! with its control relations and totals up the hierarchy, and published tables whose
//! parts must add up.

pub mod commission;
pub mod consistency;
pub mod protocol;
