//! The commissions register in the log (`docs/commissions.md`): the members of commissions
//! registered by signed entries, each by a key of the CEC or of a commission above the
//! member's commission, and compared with the rows of `commission_members`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Replay, Tables, compare::Found, invalid, refuse};
use crate::enrol::{Refusal, Registrations};

/// A member of a commission for one term, as a registration records it; fields in the
/// order of their names (canonical JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberRecord {
    /// The commission's id.
    pub commission: String,
    /// Its election.
    pub election: String,
    /// The first day of the term (`YYYY-MM-DD`).
    pub from: String,
    /// The member's name.
    pub name: String,
    /// Who nominated the member (`party:NAME`, `ngo:NAME`, `akimat:NAME`, ..., `self`).
    pub nominated_by: String,
    /// The party the member belongs to, where known.
    pub party_member: Option<String>,
    /// The person's id in the register.
    pub person: String,
    /// `chair`, `deputy`, `secretary` or `member`.
    pub role: String,
    /// The last day of the term (`YYYY-MM-DD`).
    pub to: String,
}

/// The key of a member's row: election, commission, person and the term's first day.
pub(crate) type MemberKey = (String, String, String, String);

/// The members registered so far, with the entry of each.
pub(crate) type Members = BTreeMap<MemberKey, (MemberRecord, u64)>;

impl MemberRecord {
    /// The key of its row.
    pub(crate) fn key(&self) -> MemberKey {
        (self.election.clone(), self.commission.clone(), self.person.clone(), self.from.clone())
    }

    fn row(&self) -> String {
        format!("{}/{}/{}/{}", self.election, self.commission, self.person, self.from)
    }
}

impl Replay {
    /// Applies the members of `reg`: each of a registered commission, registered by the
    /// CEC or by a commission above it (its superior, or one above that), once.
    pub(crate) fn apply_members(
        &mut self,
        seq: u64,
        commission: &str,
        reg: &Registrations,
    ) -> Result<(), Refusal> {
        let cec = self.is_cec(commission);
        for member in &reg.members {
            let key = (member.election.clone(), member.commission.clone());
            let Some((parent, ..)) = self.commissions.get(&key) else {
                let detail = format!(
                    "member {} of commission {}, which is not registered",
                    member.person, member.commission
                );
                return Err(invalid(detail));
            };
            let superior = parent
                .as_deref()
                .is_some_and(|parent| self.above(commission, &member.election, parent));
            if !cec && !superior {
                let detail = format!(
                    "only the CEC or a commission above {} registers its members",
                    member.commission
                );
                return Err(refuse(commission, detail));
            }
            if self.members.contains_key(&member.key()) {
                let detail = format!("member {} is registered twice", member.row());
                return Err(invalid(detail));
            }
            self.members.insert(member.key(), (member.clone(), seq));
        }
        Ok(())
    }

    /// Every row of `commission_members` that differs from the members of the log.
    pub(super) fn compare_members(&self, tables: &Tables, out: &mut Found) {
        let mut seen = BTreeSet::new();
        for stored in &tables.members {
            let key = stored.key();
            seen.insert(key.clone());
            let Some((logged, seq)) = self.members.get(&key) else {
                out.push("commission_members", stored.row(), "row", super::compare::unlogged(), 0);
                continue;
            };
            let show = |it: &Option<String>| it.clone().unwrap_or_else(|| "none".to_owned());
            let fields: [(&'static str, String, String); 5] = [
                ("name", logged.name.clone(), stored.name.clone()),
                ("role", logged.role.clone(), stored.role.clone()),
                ("nominated_by", logged.nominated_by.clone(), stored.nominated_by.clone()),
                ("party_member", show(&logged.party_member), show(&stored.party_member)),
                ("term_to", logged.to.clone(), stored.to.clone()),
            ];
            for (field, logged, stored_value) in fields {
                if logged != stored_value {
                    let detail = super::compare::changed(&logged, &stored_value);
                    out.push("commission_members", stored.row(), field, detail, *seq);
                }
            }
        }
        for (key, (logged, seq)) in &self.members {
            if !seen.contains(key) {
                let detail = super::compare::missing(*seq);
                out.push("commission_members", logged.row(), "row", detail, *seq);
            }
        }
    }
}
