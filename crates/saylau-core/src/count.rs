//! Counting the votes: the commission hierarchy, a polling station's results protocol
//! with its control relations and totals up the hierarchy, published tables whose parts
//! must add up, and the incidents observers report at a station.

pub mod commission;
pub mod consistency;
pub mod incident;
pub mod protocol;
