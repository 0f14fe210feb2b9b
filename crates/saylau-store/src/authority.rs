//! Who may sign what, as [`crate::verify`] checks it for every entry: the same rule the
//! writers apply ([`crate::ledger`], [`crate::bulk`]), recomputed from the registry.
//!
//! An entry about a registered polling station must be signed by a key of the station's
//! PEC or of a commission above it: its district TEC, its region TEC or the CEC (a PEC's
//! key cannot sign another station, a TEC's key no station outside its territory). The
//! chain above a station is read from the registered parents, and a commission whose id
//! has the national form (`RR`, `RR-DD`, `RR-DD-SSSS`) must be registered under the
//! commission its id names: a station moved under another district in the tables would
//! otherwise give that district's keys its protocols. An entry about a subject that is not
//! a registered station is not checked, as the writers do not check it (`docs/ledger.md`).

use std::collections::HashMap;

use saylau_core::count::commission::CommissionId as CoreCommissionId;

use crate::entry::Entry;
use crate::key::KeyId;
use crate::verify::Problem;

/// The longest chain from a station to the CEC (station, district, region, CEC), with room
/// to spare; a longer one is a cycle made by hand in the tables.
const MAX_CHAIN: usize = 8;

/// The registry as verification needs it.
#[derive(Debug, Default)]
pub(crate) struct Authority {
    /// The commission of every registered key.
    keys: HashMap<KeyId, String>,
    /// The parent of every registered commission, and whether it is a PEC, by election and
    /// id.
    commissions: HashMap<(String, String), (Option<String>, bool)>,
}

impl Authority {
    /// Adds a key registered by the log.
    pub(crate) fn insert_key(&mut self, id: &str, commission: &str) {
        if let Ok(id) = id.parse() {
            self.keys.insert(id, commission.to_owned());
        }
    }

    /// Adds a commission registered by the log.
    pub(crate) fn insert_commission(
        &mut self,
        election: &str,
        id: &str,
        parent: Option<String>,
        level: &str,
    ) {
        let key = (election.to_owned(), id.to_owned());
        self.commissions.insert(key, (parent, level == "pec"));
    }

    /// Checks that the entry's key was entitled to sign its subject.
    pub(crate) fn check(&self, entry: &Entry) -> Result<(), Problem> {
        let election = entry.election.as_str();
        let station = entry.subject.as_str();
        match self.commissions.get(&(election.to_owned(), station.to_owned())) {
            Some((_, true)) => {}
            // Not a registered station: not checked, as the writers do not check it.
            _ => return Ok(()),
        }
        let chain = self.chain(election, station)?;
        let commission = self.keys.get(&entry.key_id).map_or("", String::as_str);
        if chain.iter().any(|it| it == commission) {
            return Ok(());
        }
        Err(Problem::NotAuthorised { commission: commission.to_owned(), pec: station.to_owned() })
    }

    /// The station and the commissions above it, checking that each commission whose id
    /// has the national form is registered under the commission its id names.
    fn chain(&self, election: &str, station: &str) -> Result<Vec<String>, Problem> {
        let mut chain = vec![station.to_owned()];
        let mut at = station.to_owned();
        while let Some((parent, _)) = self.commissions.get(&(election.to_owned(), at.clone())) {
            let expected = CoreCommissionId::parse(&at).ok().map(|id| id.parent());
            if let Some(expected) = expected {
                let expected = expected.map(|it| it.to_string());
                if *parent != expected {
                    let name =
                        |it: &Option<String>| it.as_deref().unwrap_or("no commission").to_owned();
                    let detail = format!(
                        "registered under {}, but its id places it under {}",
                        name(parent),
                        name(&expected)
                    );
                    return Err(Problem::Hierarchy { commission: at, detail });
                }
            }
            let Some(parent) = parent else { break };
            if chain.len() > MAX_CHAIN || chain.contains(parent) {
                let detail = "in a cycle of parent commissions".to_owned();
                return Err(Problem::Hierarchy { commission: at, detail });
            }
            chain.push(parent.clone());
            at = parent.clone();
        }
        Ok(chain)
    }
}
