//! One module per subcommand, each with an `Args` struct and a `run` function.

pub(crate) mod allocate;
pub(crate) mod calendar;
pub(crate) mod check_table;
pub(crate) mod compare;
pub(crate) mod db;
pub(crate) mod demo;
pub(crate) mod eligibility;
pub(crate) mod export;
pub(crate) mod forensics;
pub(crate) mod funding;
pub(crate) mod generate;
pub(crate) mod import;
pub(crate) mod keys;
pub(crate) mod legitimacy;
pub(crate) mod lists;
pub(crate) mod log;
pub(crate) mod lot;
pub(crate) mod observe;
pub(crate) mod observe_report;
pub(crate) mod party_check;
pub(crate) mod plurality;
pub(crate) mod pvt;
pub(crate) mod results;
pub(crate) mod serve;
pub(crate) mod survey;
