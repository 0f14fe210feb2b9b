//! The integration tests of the `saylau` binary and the workspace's tidy checks.

mod calendar;
mod check_table;
mod cli;
mod command;
mod eligibility;
mod forensics;
mod funding;
mod generate;
mod golden;
mod hostile;
mod legitimacy;
mod lists;
mod lot;
mod observe;
mod observe_report;
mod party_check;
mod plurality;
mod protocol_store;
mod pvt;
mod store;
mod survey;
mod systems;
mod tampered_store;
mod tidy;
mod whole_mazhilis;
