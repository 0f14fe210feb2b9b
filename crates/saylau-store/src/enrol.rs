//! The registry in the log (`docs/integrity.md`): every registration (elections, party
//! lists and their order and names, commissions with their parents and names, keys with
//! their commissions, observer organisations' keys, revocations) is also a signed,
//! hash-chained log entry of kind `registry`, written in the same transaction as the
//! table rows. `Replay` recomputes the registry from those entries, checking as of each
//! entry that its signer was entitled to register what it did, and names every row of the
//! tables that differs from it.
//!
//! A registration entry belongs to the reserved election [`STORE_ELECTION`] (a row added by
//! migration 0010), its subject is the first 32 hex digits of its content hash, and its
//! payload is the canonical JSON of [`Registrations`]. The first entry of every log is the
//! genesis: a self-signed registration of the first key, whose commission is the root of
//! trust (the CEC).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::authority::Authority;

mod compare;
mod members;
mod slice;
mod sql;

pub use members::MemberRecord;
pub(crate) use slice::wanted;
pub(crate) use sql::*;

/// The election of every registration entry (reserved; no real election has it).
pub const STORE_ELECTION: &str = "saylau:store";
/// The kind of a registration entry.
pub const REGISTRY_KIND: &str = "registry";
/// The format of a registration payload.
pub const FORMAT: &str = "saylau-registry-v1";
/// The national id of the CEC, above every commission.
pub const CEC: &str = "CEC";

/// The payload of a registration entry; fields in the order of their names, so that
/// `serde_json` writes canonical JSON (sorted keys, no whitespace).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registrations {
    /// Commissions, parents before their children.
    pub commissions: Vec<CommissionRecord>,
    /// Elections.
    pub elections: Vec<ElectionRecord>,
    /// Always [`FORMAT`].
    pub format: String,
    /// Public keys and their commissions.
    pub keys: Vec<KeyRecord>,
    /// Party lists with their place in the order of registration.
    pub lists: Vec<ListRecord>,
    /// Members of commissions, each for one term (`docs/commissions.md`); left out of the
    /// payload when there are none, so that the registrations written before the register
    /// existed keep their bytes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberRecord>,
    /// Keys revoked.
    pub revocations: Vec<RevocationRecord>,
}

/// A registered commission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommissionRecord {
    /// Its election.
    pub election: String,
    /// Its id.
    pub id: String,
    /// `cec`, `region`, `district` or `pec`.
    pub level: String,
    /// Its name.
    pub name: String,
    /// The commission above it.
    pub parent: Option<String>,
}

/// A registered election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectionRecord {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// A registered key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRecord {
    /// Its commission (or `observer:ORG`).
    pub commission: String,
    /// Its key id (64 hex digits).
    pub id: String,
    /// The public key's 32 bytes, in hex.
    pub public_key: String,
    /// When it was registered.
    pub registered_at: String,
}

/// A registered party list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRecord {
    /// Its election.
    pub election: String,
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its place in the order of registration, from 1.
    pub registration: i64,
}

/// A revoked key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationRecord {
    /// The key id.
    pub key: String,
    /// When it was revoked.
    pub revoked_at: String,
}

impl Registrations {
    /// An empty registration of [`FORMAT`].
    pub fn new() -> Registrations {
        Registrations { format: FORMAT.to_owned(), ..Registrations::default() }
    }

    /// Whether it registers nothing.
    pub fn is_empty(&self) -> bool {
        self.commissions.is_empty()
            && self.elections.is_empty()
            && self.keys.is_empty()
            && self.lists.is_empty()
            && self.members.is_empty()
            && self.revocations.is_empty()
    }

    /// The canonical JSON bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a registration always encodes")
    }

    /// Decodes a payload; `None` when it is not a registration of [`FORMAT`].
    pub fn from_bytes(bytes: &[u8]) -> Option<Registrations> {
        let res: Registrations = serde_json::from_slice(bytes).ok()?;
        (res.format == FORMAT).then_some(res)
    }
}

/// The registry as the tables hold it, to compare with the log's ([`Replay::compare`]).
#[derive(Debug, Default)]
pub(crate) struct Tables {
    /// `(id, name)`.
    pub(crate) elections: Vec<(String, String)>,
    /// `(election, id, parent, level, name)`.
    pub(crate) commissions: Vec<(String, String, Option<String>, String, String)>,
    /// `(election, id, name, registration)`.
    pub(crate) lists: Vec<(String, String, String, i64)>,
    /// `(id, commission, public key, registered at)`.
    pub(crate) keys: Vec<(String, String, Vec<u8>, String)>,
    /// `(key id, seq of the revoking entry)`.
    pub(crate) revocations: Vec<(String, i64)>,
    /// The members of commissions.
    pub(crate) members: Vec<MemberRecord>,
}

/// A difference between the log's registry and the tables, or a registration the signer
/// was not entitled to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The signer may not register this.
    NotAuthorised { commission: String, detail: String },
    /// The registration cannot apply (a duplicate, an unknown parent, a bad payload).
    Invalid { detail: String },
}

/// A row of the tables that differs from the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mismatch {
    /// The table.
    pub(crate) table: &'static str,
    /// The row's id.
    pub(crate) id: String,
    /// The field (or `row` for a row missing on one side).
    pub(crate) field: &'static str,
    /// What differs.
    pub(crate) detail: String,
    /// The entry that registered it, if any.
    pub(crate) seq: u64,
}

type CommissionValue = (Option<String>, String, String, u64);

/// The registry recomputed from the log, entry by entry.
#[derive(Debug, Default)]
pub(crate) struct Replay {
    /// The commission of the genesis key.
    root: Option<String>,
    elections: BTreeMap<String, (String, u64)>,
    /// `(parent, level, name, seq)` by `(election, id)`.
    commissions: BTreeMap<(String, String), CommissionValue>,
    /// `(name, registration, seq)` by `(election, id)`.
    lists: BTreeMap<(String, String), (String, i64, u64)>,
    /// `(commission, public key hex, registered at, seq)` by key id.
    keys: BTreeMap<String, (String, String, String, u64)>,
    /// The entry that revoked a key, by key id.
    revoked: BTreeMap<String, u64>,
    /// The members of commissions and the entry of each.
    members: members::Members,
    /// Who may sign which station, as of the last entry applied.
    pub(crate) authority: Authority,
    /// Whether `authority` is left empty: a writer's check of one registration
    /// ([`entry_for`]) signs no station's entry with it, and skips its 25,000 rows a chunk.
    no_authority: bool,
}

impl Replay {
    /// Whether the log has its genesis yet.
    pub(crate) fn has_genesis(&self) -> bool {
        self.root.is_some()
    }

    /// The commission of a key registered so far and not revoked.
    pub(crate) fn signer(&self, key: &str) -> Result<&str, Refusal> {
        let Some((commission, ..)) = self.keys.get(key) else {
            let detail = format!("key {key} is not registered by an earlier entry of the log");
            return Err(Refusal::NotAuthorised { commission: String::new(), detail });
        };
        if let Some(seq) = self.revoked.get(key) {
            let detail = format!("key {key} was revoked by entry {seq}");
            return Err(Refusal::NotAuthorised { commission: commission.clone(), detail });
        }
        Ok(commission)
    }

    /// Whether `commission` is the CEC (the national id or the genesis key's).
    fn is_cec(&self, commission: &str) -> bool {
        commission == CEC || self.root.as_deref() == Some(commission)
    }

    /// Whether `signer` is `target` or above it in `election`.
    fn above(&self, signer: &str, election: &str, target: &str) -> bool {
        let mut at = target.to_owned();
        for _ in 0..16 {
            if at == signer {
                return true;
            }
            match self.commissions.get(&(election.to_owned(), at)) {
                Some((Some(parent), ..)) => at = parent.clone(),
                _ => return false,
            }
        }
        false
    }

    /// Whether `signer` may register a key for, or revoke a key of, `commission`.
    fn over_commission(&self, signer: &str, commission: &str) -> bool {
        if self.is_cec(signer) {
            return true;
        }
        if self.is_cec(commission) || commission.starts_with("observer:") {
            return false;
        }
        let elections: BTreeSet<&String> = self
            .commissions
            .keys()
            .filter(|(_, id)| id == commission)
            .map(|(election, _)| election)
            .collect();
        elections.into_iter().any(|election| self.above(signer, election, commission))
    }

    /// Checks that the entry at `seq` signed by `signer` may register `reg`, and applies it.
    pub(crate) fn apply(
        &mut self,
        seq: u64,
        signer: &str,
        reg: &Registrations,
    ) -> Result<(), Refusal> {
        let commission = self.commission_of(seq, signer, reg)?;
        self.apply_elections(seq, &commission, reg)?;
        self.apply_commissions(seq, &commission, reg)?;
        self.apply_keys(seq, signer, &commission, reg)?;
        self.apply_revocations(seq, &commission, reg)?;
        self.apply_members(seq, &commission, reg)
    }

    /// The commission of the entry's signer; for the genesis (the first key, registered by
    /// itself), the root of trust it sets.
    fn commission_of(
        &mut self,
        seq: u64,
        signer: &str,
        reg: &Registrations,
    ) -> Result<String, Refusal> {
        if self.root.is_some() {
            return Ok(self.signer(signer)?.to_owned());
        }
        let genesis = reg.keys.iter().find(|key| key.id == signer);
        let Some(genesis) = genesis.filter(|_| reg.keys.len() == 1 && seq == 1) else {
            let detail = "the log's first entry must register its own signing key alone \
                          (the genesis)"
                .to_owned();
            return Err(refuse("", detail));
        };
        self.root = Some(genesis.commission.clone());
        Ok(genesis.commission.clone())
    }

    /// Applies the elections and party lists of `reg` (the CEC's alone).
    fn apply_elections(
        &mut self,
        seq: u64,
        commission: &str,
        reg: &Registrations,
    ) -> Result<(), Refusal> {
        let cec = self.is_cec(commission);
        for election in &reg.elections {
            if !cec {
                return Err(refuse(
                    commission,
                    format!("only the CEC registers election {}", election.id),
                ));
            }
            if self.elections.contains_key(&election.id) || election.id == STORE_ELECTION {
                return Err(invalid(format!("election {} is registered twice", election.id)));
            }
            self.elections.insert(election.id.clone(), (election.name.clone(), seq));
        }
        for list in &reg.lists {
            if !cec {
                return Err(refuse(commission, format!("only the CEC registers list {}", list.id)));
            }
            if !self.elections.contains_key(&list.election) {
                return Err(invalid(format!("list {} of an unregistered election", list.id)));
            }
            let key = (list.election.clone(), list.id.clone());
            let taken = self.lists.iter().any(|((election, _), (_, registration, _))| {
                *election == list.election && *registration == list.registration
            });
            if self.lists.contains_key(&key) || taken || list.registration < 1 {
                return Err(invalid(format!("list {} is registered twice", list.id)));
            }
            self.lists.insert(key, (list.name.clone(), list.registration, seq));
        }
        Ok(())
    }

    /// Applies the commissions of `reg`, each under the signer's commission.
    fn apply_commissions(
        &mut self,
        seq: u64,
        commission: &str,
        reg: &Registrations,
    ) -> Result<(), Refusal> {
        let cec = self.is_cec(commission);
        // One key for the lookups of the parents: a chunk registers 25,000 stations.
        let mut parent_key = (String::new(), String::new());
        for it in &reg.commissions {
            let allowed = cec
                || it
                    .parent
                    .as_deref()
                    .is_some_and(|parent| self.above(commission, &it.election, parent));
            if !allowed {
                let detail = format!("commission {} is not under the signer's", it.id);
                return Err(refuse(commission, detail));
            }
            if !self.elections.contains_key(&it.election) {
                return Err(invalid(format!("commission {} of an unregistered election", it.id)));
            }
            let key = (it.election.clone(), it.id.clone());
            let parent_known = it.parent.as_ref().is_none_or(|parent| {
                parent_key.0.clone_from(&it.election);
                parent_key.1.clone_from(parent);
                self.commissions.contains_key(&parent_key)
            });
            if self.commissions.contains_key(&key) || !parent_known {
                let detail =
                    format!("commission {} is registered twice or before its parent", it.id);
                return Err(invalid(detail));
            }
            if !self.no_authority {
                let parent = it.parent.clone();
                self.authority.insert_commission(&it.election, &it.id, parent, &it.level);
            }
            let value = (it.parent.clone(), it.level.clone(), it.name.clone(), seq);
            self.commissions.insert(key, value);
        }
        Ok(())
    }

    /// Applies the keys of `reg`, each for a commission at or under the signer's.
    fn apply_keys(
        &mut self,
        seq: u64,
        signer: &str,
        commission: &str,
        reg: &Registrations,
    ) -> Result<(), Refusal> {
        for key in &reg.keys {
            let genesis = seq == 1 && key.id == signer;
            if !genesis && !self.over_commission(commission, &key.commission) {
                let detail =
                    format!("a key for commission {} needs a key at or above it", key.commission);
                return Err(refuse(commission, detail));
            }
            let known = key.commission.starts_with("observer:")
                || self.is_cec(&key.commission)
                || self.commissions.keys().any(|(_, id)| *id == key.commission);
            if !known || self.keys.contains_key(&key.id) {
                let detail =
                    format!("key {} is registered twice or for an unregistered commission", key.id);
                return Err(invalid(detail));
            }
            self.authority.insert_key(&key.id, &key.commission);
            let value =
                (key.commission.clone(), key.public_key.clone(), key.registered_at.clone(), seq);
            self.keys.insert(key.id.clone(), value);
        }
        Ok(())
    }

    /// Applies the revocations of `reg`, each of a key of the signer's commission or under it.
    fn apply_revocations(
        &mut self,
        seq: u64,
        commission: &str,
        reg: &Registrations,
    ) -> Result<(), Refusal> {
        for revocation in &reg.revocations {
            let Some((of, ..)) = self.keys.get(&revocation.key) else {
                return Err(invalid(format!("key {} is not registered", revocation.key)));
            };
            if !self.over_commission(commission, of) && commission != of {
                let detail =
                    format!("revoking a key of commission {of} needs a key at or above it");
                return Err(refuse(commission, detail));
            }
            if self.revoked.contains_key(&revocation.key) {
                return Err(invalid(format!("key {} is revoked twice", revocation.key)));
            }
            self.revoked.insert(revocation.key.clone(), seq);
        }
        Ok(())
    }

    /// The registry of `tables` taken as logged (for the writers' checks), with `root` the
    /// commission of the genesis key; it keeps no authority over stations.
    pub(crate) fn from_tables(tables: &Tables, root: Option<String>) -> Replay {
        let mut replay = Replay { root, no_authority: true, ..Replay::default() };
        for (id, name) in &tables.elections {
            replay.elections.insert(id.clone(), (name.clone(), 0));
        }
        for (election, id, parent, level, name) in &tables.commissions {
            let value = (parent.clone(), level.clone(), name.clone(), 0);
            replay.commissions.insert((election.clone(), id.clone()), value);
        }
        for (election, id, name, registration) in &tables.lists {
            replay.lists.insert((election.clone(), id.clone()), (name.clone(), *registration, 0));
        }
        for (id, commission, public_key, at) in &tables.keys {
            let value = (commission.clone(), hex::encode(public_key), at.clone(), 0);
            replay.keys.insert(id.clone(), value);
        }
        for (key, seq) in &tables.revocations {
            replay.revoked.insert(key.clone(), u64::try_from(*seq).unwrap_or(0));
        }
        for member in &tables.members {
            replay.members.insert(member.key(), (member.clone(), 0));
        }
        replay
    }
}

fn refuse(commission: &str, detail: String) -> Refusal {
    Refusal::NotAuthorised { commission: commission.to_owned(), detail }
}

fn invalid(detail: String) -> Refusal {
    Refusal::Invalid { detail }
}

/// The author recorded on a registration entry.
pub const AUTHOR: &str = "saylau registry";

/// The registration entry that records `reg` after `head`, signed with `key`, when the
/// registry of `tables` (whose genesis key's commission is `root`) lets the key register
/// it: the entry, its hash and its payload.
pub(crate) fn entry_for(
    tables: &Tables,
    root: Option<String>,
    head: crate::entry::Checkpoint,
    key: &crate::key::CommissionKey,
    reg: &Registrations,
) -> Result<
    (crate::entry::SignedEntry, crate::digest::Digest, Vec<u8>),
    crate::registry::RegistryError,
> {
    use crate::registry::RegistryError;
    let mut replay = Replay::from_tables(tables, root);
    let key_id = key.public_key().key_id().to_string();
    replay.apply(head.seq.0 + 1, &key_id, reg).map_err(|refusal| match refusal {
        Refusal::NotAuthorised { commission, detail } => {
            RegistryError::NotAuthorised { commission, detail }
        }
        Refusal::Invalid { detail } => RegistryError::Invalid { what: "registration", detail },
    })?;
    let payload = reg.to_bytes();
    let hash = crate::digest::Digest::of(&payload).to_hex();
    let election = STORE_ELECTION.parse().expect("the store's election is an id");
    let kind = REGISTRY_KIND.parse().expect("the registry kind is an id");
    let subject = hash[..32].parse().expect("hex digits are an id");
    let submission = crate::ledger::Submission {
        election: &election,
        kind: &kind,
        subject: &subject,
        payload: &payload,
        base: None,
        reason: None,
        author: AUTHOR,
    };
    let version = crate::entry::Version(1);
    let (signed, entry_hash) = crate::ledger::next_entry(&submission, head, version, key);
    Ok((signed, entry_hash, payload))
}

#[cfg(test)]
mod tests {
    use super::{FORMAT, Registrations};

    #[test]
    fn payloads_are_canonical_json_with_sorted_keys() {
        let mut reg = Registrations::new();
        reg.elections.push(super::ElectionRecord { id: "e".to_owned(), name: "É".to_owned() });
        let text = String::from_utf8(reg.to_bytes()).expect("UTF-8");
        assert_eq!(
            text,
            format!(
                "{{\"commissions\":[],\"elections\":[{{\"id\":\"e\",\"name\":\"É\"}}],\
                 \"format\":\"{FORMAT}\",\"keys\":[],\"lists\":[],\"revocations\":[]}}"
            )
        );
        assert_eq!(Registrations::from_bytes(text.as_bytes()), Some(reg.clone()));
        assert_eq!(Registrations::from_bytes(b"{\"format\":\"x\"}"), None);
        // A member is written between the lists and the revocations, in key order.
        reg.members.push(super::MemberRecord {
            commission: "01".to_owned(),
            election: "e".to_owned(),
            from: "2019-06-01".to_owned(),
            name: "N".to_owned(),
            nominated_by: "self".to_owned(),
            party_member: None,
            person: "p".to_owned(),
            role: "member".to_owned(),
            to: "2024-05-31".to_owned(),
        });
        let text = String::from_utf8(reg.to_bytes()).expect("UTF-8");
        assert!(
            text.contains(
                "\"lists\":[],\"members\":[{\"commission\":\"01\",\"election\":\"e\",\
                 \"from\":\"2019-06-01\",\"name\":\"N\",\"nominated_by\":\"self\",\
                 \"party_member\":null,\"person\":\"p\",\"role\":\"member\",\
                 \"to\":\"2024-05-31\"}],\"revocations\":[]"
            ),
            "{text}"
        );
        assert_eq!(Registrations::from_bytes(text.as_bytes()), Some(reg));
    }
}
