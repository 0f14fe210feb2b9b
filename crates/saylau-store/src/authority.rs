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
///
/// `check` runs for each of a log's entries (100,000 for a country's protocols): its lookups
/// borrow the entry's strings and the chain is walked in place, without an allocation.
#[derive(Debug, Default)]
pub(crate) struct Authority {
    /// The commission of every registered key.
    keys: HashMap<KeyId, String>,
    /// The parent of every registered commission, and whether it is a PEC, by election and
    /// then id.
    commissions: HashMap<String, Commissions>,
}

/// One election's commissions: the parent of each and whether it is a PEC, by id.
type Commissions = HashMap<String, (Option<String>, bool)>;

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
        let commissions = match self.commissions.get_mut(election) {
            Some(commissions) => commissions,
            None => self.commissions.entry(election.to_owned()).or_default(),
        };
        commissions.insert(id.to_owned(), (parent, level == "pec"));
    }

    /// Checks that the entry's key was entitled to sign its subject.
    pub(crate) fn check(&self, entry: &Entry) -> Result<(), Problem> {
        let station = entry.subject.as_str();
        let Some(commissions) = self.commissions.get(entry.election.as_str()) else {
            return Ok(());
        };
        match commissions.get(station) {
            Some((_, true)) => {}
            // Not a registered station: not checked, as the writers do not check it.
            _ => return Ok(()),
        }
        let commission = self.keys.get(&entry.key_id).map_or("", String::as_str);
        if chain_holds(commissions, station, commission)? {
            return Ok(());
        }
        Err(Problem::NotAuthorised { commission: commission.to_owned(), pec: station.to_owned() })
    }
}

/// Whether `signer` is `station` or a commission above it, checking on the way up that each
/// commission whose id has the national form is registered under the commission its id
/// names, and that the parents make no cycle.
fn chain_holds(commissions: &Commissions, station: &str, signer: &str) -> Result<bool, Problem> {
    let mut chain = [""; MAX_CHAIN + 1];
    chain[0] = station;
    let mut len = 1;
    let mut at = station;
    while let Some((parent, _)) = commissions.get(at) {
        if let Ok(id) = CoreCommissionId::parse(at) {
            let expected = id.parent();
            let placed = match (parent.as_deref(), expected) {
                (None, None) => true,
                (Some(parent), Some(expected)) => displays_as(&expected, parent),
                _ => false,
            };
            if !placed {
                let name = |it: Option<String>| it.unwrap_or_else(|| "no commission".to_owned());
                let detail = format!(
                    "registered under {}, but its id places it under {}",
                    name(parent.clone()),
                    name(expected.map(|it| it.to_string()))
                );
                return Err(Problem::Hierarchy { commission: at.to_owned(), detail });
            }
        }
        let Some(parent) = parent else { break };
        if len > MAX_CHAIN || chain[..len].contains(&parent.as_str()) {
            let detail = "in a cycle of parent commissions".to_owned();
            return Err(Problem::Hierarchy { commission: at.to_owned(), detail });
        }
        chain[len] = parent;
        len += 1;
        at = parent;
    }
    Ok(chain[..len].contains(&signer))
}

/// Whether `value` displays as `text`, compared as it is written, without a `String`.
pub(crate) fn displays_as(value: &impl std::fmt::Display, text: &str) -> bool {
    /// What is left of the text to match, or `None` once a piece differed.
    struct Rest<'a>(Option<&'a str>);
    impl std::fmt::Write for Rest<'_> {
        fn write_str(&mut self, piece: &str) -> std::fmt::Result {
            self.0 = self.0.and_then(|rest| rest.strip_prefix(piece));
            Ok(())
        }
    }
    let mut rest = Rest(Some(text));
    std::fmt::Write::write_fmt(&mut rest, format_args!("{value}")).is_ok() && rest.0 == Some("")
}

#[cfg(test)]
mod tests {
    use super::displays_as;

    #[test]
    fn displays_as_compares_the_whole_text() {
        assert!(displays_as(&"15-02", "15-02"));
        assert!(!displays_as(&"15-02", "15-0"));
        assert!(!displays_as(&"15-02", "15-021"));
        assert!(!displays_as(&"15-02", "15-03"));
        assert!(displays_as(&"", ""));
    }
}
