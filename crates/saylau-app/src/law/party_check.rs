//! Which registration regimes a party's membership satisfies (`saylau party-check`): Law
//! «On Political Parties», arts. 6 and 10, by period, and the seed's proposals, with
//! every failed condition and its numbers.

use std::path::Path;

use saylau_core::law::party_registration::registration_check;
use saylau_formats::{parse_regimes, read_membership, read_regimes};
use serde::Serialize;

use super::LawError;

pub use saylau_core::law::party_registration::{RegimeCheck, RegimeStatus, RegistrationOutcome};
pub use saylau_formats::{MembershipFile, RegimesFile};

/// The bundled regimes, so the command runs anywhere with no `--regimes`.
const BUNDLED: (&str, &str) = (
    "data/kz/party-registration.toml",
    include_str!("../../../../data/kz/party-registration.toml"),
);

/// A party checked against every regime.
#[derive(Debug, Clone)]
pub struct PartyCheck {
    /// The regimes as read.
    pub regimes: RegimesFile,
    /// The membership as read.
    pub file: MembershipFile,
    /// Its members in all.
    pub members: u64,
    /// The check under each regime, in the regimes' order.
    pub checks: Vec<RegimeCheck>,
}

/// The JSON of `saylau party-check --json`.
#[derive(Debug, Serialize)]
pub struct PartyCheckJson<'a> {
    party: &'a str,
    synthetic: bool,
    region_set: &'a str,
    members: u64,
    regimes: &'a [RegimeCheck],
}

impl PartyCheck {
    /// As a serialisable value.
    pub fn json(&self) -> PartyCheckJson<'_> {
        PartyCheckJson {
            party: &self.file.membership.party,
            synthetic: self.file.synthetic,
            region_set: &self.file.membership.region_set.id,
            members: self.members,
            regimes: &self.checks,
        }
    }
}

/// Checks the membership file at `path` against the regimes of `regimes` (by default the
/// bundled ones).
pub fn party_check(path: &Path, regimes: Option<&Path>) -> Result<PartyCheck, LawError> {
    let regimes = match regimes {
        Some(path) => read_regimes(path),
        None => parse_regimes(BUNDLED.0, BUNDLED.1),
    }
    .map_err(LawError::Rejected)?;
    let file = read_membership(path, &regimes.region_sets).map_err(LawError::Rejected)?;
    let checks =
        regimes.regimes.iter().map(|regime| registration_check(regime, &file.membership)).collect();
    let members = file.membership.members.iter().map(|people| people.0).sum();
    Ok(PartyCheck { regimes, file, members, checks })
}
