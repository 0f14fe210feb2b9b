//! The part of the registry that the check of one registration reads.
//!
//! A writer checks a registration against the registry before it signs its entry
//! ([`super::entry_for`], which applies it to a [`Replay`](super::Replay) of the tables as
//! [`verify`](crate::verify) applies it to the log's). That check consults only a few rows:
//! the signer's key and its revocation, the keys registered or revoked and their
//! commissions, the lists of the elections it adds lists to, the members of the
//! commissions it adds members to, every election, and the chain of parents above each
//! commission it names. Reading those rows instead of the whole
//! registry gives the same answer: `Replay::apply` looks nothing else up. An import's chunk
//! of 25,000 stations under 1,000,000 registered ones then reads a few hundred rows, not
//! a million (issues 9 and 10).
//!
//! The backends read the slice after inserting the registration's rows, in the same
//! transaction, and [`Tables::without`] takes those rows out again: what is left is the
//! registry as it was before them. A row the registration adds was not there before (its
//! insert would have failed, or, with `ON CONFLICT DO NOTHING`, not been logged).

use std::collections::{BTreeSet, HashSet};

use super::{Registrations, Tables};

/// What the check of a registration reads, besides every election and the root.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Wanted {
    /// Key ids: the signer's, the keys registered and the keys revoked.
    pub(crate) keys: BTreeSet<String>,
    /// Elections whose party lists are read: those the registration adds lists to.
    pub(crate) lists_of: BTreeSet<String>,
    /// Commissions, by `(election, id)`, read with their chain of parents: the parents of
    /// the registered commissions that the registration does not register before them.
    pub(crate) commissions: BTreeSet<(String, String)>,
    /// Commission ids read in every election, with their chains: the commissions of the
    /// keys registered (and, once the keys are read, of the keys revoked).
    pub(crate) in_any_election: BTreeSet<String>,
    /// Commissions, by `(election, id)`, whose members are read: those of the members
    /// registered (each such commission is also read with its chain).
    pub(crate) members_of: BTreeSet<(String, String)>,
}

/// What the check of `reg`, signed by the key `signer`, reads.
pub(crate) fn wanted(reg: &Registrations, signer: &str) -> Wanted {
    let mut res = Wanted::default();
    res.keys.insert(signer.to_owned());
    for key in &reg.keys {
        res.keys.insert(key.id.clone());
        res.in_any_election.insert(key.commission.clone());
    }
    for revocation in &reg.revocations {
        res.keys.insert(revocation.key.clone());
    }
    for list in &reg.lists {
        res.lists_of.insert(list.election.clone());
    }
    for member in &reg.members {
        let commission = (member.election.clone(), member.commission.clone());
        res.commissions.insert(commission.clone());
        res.members_of.insert(commission);
    }
    let mut before: HashSet<(&str, &str)> = HashSet::with_capacity(reg.commissions.len());
    for commission in &reg.commissions {
        if let Some(parent) = &commission.parent
            && !before.contains(&(commission.election.as_str(), parent.as_str()))
        {
            res.commissions.insert((commission.election.clone(), parent.clone()));
        }
        before.insert((commission.election.as_str(), commission.id.as_str()));
    }
    res
}

impl Tables {
    /// The commissions of the keys in `revocations` that these tables hold, to read in
    /// every election with their chains.
    pub(crate) fn revoked_commissions(&self, reg: &Registrations) -> BTreeSet<String> {
        reg.revocations
            .iter()
            .filter_map(|revocation| {
                self.keys.iter().find(|(id, ..)| *id == revocation.key).map(|key| key.1.clone())
            })
            .collect()
    }

    /// The parents of the commissions read so far that are not read yet and not in
    /// `tried`, each once; they are added to `tried`, so that a parent missing from the
    /// tables is asked for once.
    pub(crate) fn missing_parents(
        &self,
        tried: &mut BTreeSet<(String, String)>,
    ) -> Vec<(String, String)> {
        let read: BTreeSet<(&str, &str)> =
            self.commissions.iter().map(|it| (it.0.as_str(), it.1.as_str())).collect();
        let mut res = Vec::new();
        for (election, _, parent, ..) in &self.commissions {
            let Some(parent) = parent else { continue };
            if read.contains(&(election.as_str(), parent.as_str())) {
                continue;
            }
            let wanted = (election.clone(), parent.clone());
            if tried.insert(wanted.clone()) {
                res.push(wanted);
            }
        }
        res
    }

    /// Takes out the rows that `reg` registers (read after they were inserted), leaving
    /// the registry as it was before them.
    pub(crate) fn without(mut self, reg: &Registrations) -> Tables {
        let elections: BTreeSet<&str> = reg.elections.iter().map(|it| it.id.as_str()).collect();
        self.elections.retain(|(id, _)| !elections.contains(id.as_str()));
        // The rows read are few, the registration's commissions many (a chunk's).
        let read: HashSet<(&str, &str)> =
            self.commissions.iter().map(|it| (it.0.as_str(), it.1.as_str())).collect();
        let registered: HashSet<(String, String)> = reg
            .commissions
            .iter()
            .filter(|it| read.contains(&(it.election.as_str(), it.id.as_str())))
            .map(|it| (it.election.clone(), it.id.clone()))
            .collect();
        self.commissions.retain(|it| !registered.contains(&(it.0.clone(), it.1.clone())));
        let lists: BTreeSet<(&str, &str)> =
            reg.lists.iter().map(|it| (it.election.as_str(), it.id.as_str())).collect();
        self.lists.retain(|it| !lists.contains(&(it.0.as_str(), it.1.as_str())));
        let keys: BTreeSet<&str> = reg.keys.iter().map(|it| it.id.as_str()).collect();
        self.keys.retain(|it| !keys.contains(it.0.as_str()));
        let members: BTreeSet<_> = reg.members.iter().map(super::MemberRecord::key).collect();
        self.members.retain(|it| !members.contains(&it.key()));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::super::{CommissionRecord, KeyRecord, ListRecord, Registrations, Tables};
    use super::wanted;

    fn commission(election: &str, id: &str, parent: Option<&str>) -> CommissionRecord {
        CommissionRecord {
            election: election.to_owned(),
            id: id.to_owned(),
            level: "pec".to_owned(),
            name: id.to_owned(),
            parent: parent.map(str::to_owned),
        }
    }

    #[test]
    fn a_chunk_wants_the_parents_outside_it_and_the_signer() {
        let mut reg = Registrations::new();
        reg.commissions.push(commission("e", "01-01", Some("01")));
        reg.commissions.push(commission("e", "01-01-0001", Some("01-01")));
        reg.commissions.push(commission("e", "01-02-0001", Some("01-02")));
        reg.commissions.push(commission("f", "01-03", Some("01-01")));
        let wanted = wanted(&reg, "k");
        let pairs: Vec<(&str, &str)> =
            wanted.commissions.iter().map(|(e, id)| (e.as_str(), id.as_str())).collect();
        // 01-01 of election e comes before its station, but not in election f.
        assert_eq!(pairs, [("e", "01"), ("e", "01-02"), ("f", "01-01")]);
        assert_eq!(wanted.keys.iter().collect::<Vec<_>>(), ["k"]);
        assert!(wanted.lists_of.is_empty() && wanted.in_any_election.is_empty());
    }

    #[test]
    fn keys_lists_and_revocations_are_wanted() {
        let mut reg = Registrations::new();
        reg.keys.push(KeyRecord {
            commission: "01-01".to_owned(),
            id: "new".to_owned(),
            public_key: String::new(),
            registered_at: String::new(),
        });
        reg.lists.push(ListRecord {
            election: "e".to_owned(),
            id: "a".to_owned(),
            name: "A".to_owned(),
            registration: 1,
        });
        reg.revocations.push(super::super::RevocationRecord {
            key: "old".to_owned(),
            revoked_at: String::new(),
        });
        let wanted = wanted(&reg, "k");
        assert_eq!(wanted.keys.iter().collect::<Vec<_>>(), ["k", "new", "old"]);
        assert_eq!(wanted.lists_of.iter().collect::<Vec<_>>(), ["e"]);
        assert_eq!(wanted.in_any_election.iter().collect::<Vec<_>>(), ["01-01"]);
        let tables = Tables {
            keys: vec![("old".to_owned(), "01-02".to_owned(), Vec::new(), String::new())],
            ..Tables::default()
        };
        assert_eq!(tables.revoked_commissions(&reg).into_iter().collect::<Vec<_>>(), ["01-02"]);
    }

    #[test]
    fn parents_are_asked_for_once_and_registered_rows_taken_out() {
        let row = |e: &str, id: &str, parent: Option<&str>| {
            (e.to_owned(), id.to_owned(), parent.map(str::to_owned), "x".to_owned(), id.to_owned())
        };
        let mut tables = Tables::default();
        tables.commissions.push(row("e", "01-01", Some("01")));
        tables.commissions.push(row("e", "01-02", Some("01")));
        tables.commissions.push(row("e", "CEC", None));
        let mut tried = Default::default();
        assert_eq!(tables.missing_parents(&mut tried), [("e".to_owned(), "01".to_owned())]);
        assert!(tables.missing_parents(&mut tried).is_empty(), "asked for twice");
        let mut reg = Registrations::new();
        reg.commissions.push(commission("e", "01-02", Some("01")));
        let before = tables.without(&reg);
        let ids: Vec<&str> = before.commissions.iter().map(|it| it.1.as_str()).collect();
        assert_eq!(ids, ["01-01", "CEC"]);
    }
}
