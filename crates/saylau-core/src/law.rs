//! The rest of the electoral law beside seat allocation: the election calendar, plurality
//! races, candidate eligibility and dates, nomination, candidate lists and list seats,
//! funding, campaign and party finance, party registration, the composition of commissions
//! and sortition of commission members.

pub mod calendar;
pub mod candidate_list;
pub mod composition;
pub mod council;
pub mod date;
pub mod eligibility;
pub mod finance;
pub mod funding;
pub mod legitimacy;
pub mod list_seats;
pub mod nomination;
pub mod open_list;
pub mod party_registration;
pub mod plurality;
pub mod sortition;
