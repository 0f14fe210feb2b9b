//! Comparing the registry recomputed from the log with the tables' rows.

use std::collections::{BTreeSet, HashSet};

use super::{Mismatch, Replay, STORE_ELECTION, Tables};

/// The mismatches found so far.
pub(super) struct Found(Vec<Mismatch>);

impl Found {
    pub(super) fn push(
        &mut self,
        table: &'static str,
        id: String,
        field: &'static str,
        detail: String,
        seq: u64,
    ) {
        self.0.push(Mismatch { table, id, field, detail, seq });
    }
}

impl Replay {
    /// Every row of `tables` that differs from the registry recomputed from the log, the
    /// reserved election of the registrations aside.
    pub(crate) fn compare(&self, tables: &Tables) -> Vec<Mismatch> {
        let mut out = Found(Vec::new());
        let steps: [fn(&Self, &Tables, &mut Found); 6] = [
            Self::compare_elections,
            Self::compare_commissions,
            Self::compare_lists,
            Self::compare_keys,
            Self::compare_revocations,
            Self::compare_members,
        ];
        for step in steps {
            let start = out.0.len();
            step(self, tables, &mut out);
            // The tables' rows come in the backend's order: each table's differences are
            // named by row and field, the same on both backends.
            out.0[start..].sort_by(|a, b| (&a.id, a.field).cmp(&(&b.id, b.field)));
        }
        out.0
    }

    fn compare_elections(&self, tables: &Tables, out: &mut Found) {
        let mut seen = BTreeSet::new();
        for (id, name) in &tables.elections {
            if id == STORE_ELECTION {
                continue;
            }
            seen.insert(id.clone());
            match self.elections.get(id) {
                None => out.push("elections", id.clone(), "row", unlogged(), 0),
                Some((logged, seq)) if logged != name => {
                    out.push("elections", id.clone(), "name", changed(logged, name), *seq);
                }
                Some(_) => {}
            }
        }
        for (id, (_, seq)) in &self.elections {
            if !seen.contains(id) {
                out.push("elections", id.clone(), "row", missing(*seq), *seq);
            }
        }
    }

    fn compare_commissions(&self, tables: &Tables, out: &mut Found) {
        // A country's registry has a row per station: the lookups reuse one key and the rows
        // seen are borrowed, so that comparing 100,000 rows allocates nothing per row.
        let mut seen: HashSet<(&str, &str)> = HashSet::with_capacity(tables.commissions.len());
        let mut key = (String::new(), String::new());
        for (election, id, parent, level, name) in &tables.commissions {
            key.0.clone_from(election);
            key.1.clone_from(id);
            let row = || format!("{election}/{id}");
            seen.insert((election, id));
            let Some((logged_parent, logged_level, logged_name, seq)) = self.commissions.get(&key)
            else {
                out.push("commissions", row(), "row", unlogged(), 0);
                continue;
            };
            let show = |it: &Option<String>| it.clone().unwrap_or_else(|| "none".to_owned());
            if logged_parent != parent {
                let detail = changed(&show(logged_parent), &show(parent));
                out.push("commissions", row(), "parent_id", detail, *seq);
            }
            if logged_level != level {
                out.push("commissions", row(), "level", changed(logged_level, level), *seq);
            }
            if logged_name != name {
                out.push("commissions", row(), "name", changed(logged_name, name), *seq);
            }
        }
        for (key, (.., seq)) in &self.commissions {
            if !seen.contains(&(key.0.as_str(), key.1.as_str())) {
                let row = format!("{}/{}", key.0, key.1);
                out.push("commissions", row, "row", missing(*seq), *seq);
            }
        }
    }

    fn compare_lists(&self, tables: &Tables, out: &mut Found) {
        let mut seen = BTreeSet::new();
        for (election, id, name, registration) in &tables.lists {
            let key = (election.clone(), id.clone());
            let row = format!("{election}/{id}");
            seen.insert(key.clone());
            let Some((logged_name, logged_registration, seq)) = self.lists.get(&key) else {
                out.push("lists", row, "row", unlogged(), 0);
                continue;
            };
            if logged_name != name {
                out.push("lists", row.clone(), "name", changed(logged_name, name), *seq);
            }
            if logged_registration != registration {
                let detail = changed(&logged_registration.to_string(), &registration.to_string());
                out.push("lists", row, "registration", detail, *seq);
            }
        }
        for (key, (.., seq)) in &self.lists {
            if !seen.contains(key) {
                out.push("lists", format!("{}/{}", key.0, key.1), "row", missing(*seq), *seq);
            }
        }
    }

    fn compare_keys(&self, tables: &Tables, out: &mut Found) {
        let mut seen = BTreeSet::new();
        for (id, commission, public_key, registered_at) in &tables.keys {
            seen.insert(id.clone());
            let Some((logged, logged_key, logged_at, seq)) = self.keys.get(id) else {
                out.push("commission_keys", id.clone(), "row", unlogged(), 0);
                continue;
            };
            if logged != commission {
                let detail = changed(logged, commission);
                out.push("commission_keys", id.clone(), "commission_id", detail, *seq);
            }
            if *logged_key != hex::encode(public_key) {
                let detail = "the public key differs from the logged one".to_owned();
                out.push("commission_keys", id.clone(), "public_key", detail, *seq);
            }
            if logged_at != registered_at {
                let detail = changed(logged_at, registered_at);
                out.push("commission_keys", id.clone(), "registered_at", detail, *seq);
            }
        }
        for (id, (.., seq)) in &self.keys {
            if !seen.contains(id) {
                out.push("commission_keys", id.clone(), "row", missing(*seq), *seq);
            }
        }
    }

    fn compare_revocations(&self, tables: &Tables, out: &mut Found) {
        let mut seen = BTreeSet::new();
        for (key, seq) in &tables.revocations {
            seen.insert(key.clone());
            let stored = u64::try_from(*seq).unwrap_or(0);
            match self.revoked.get(key) {
                None => out.push("key_revocations", key.clone(), "row", unlogged(), 0),
                Some(logged) if *logged != stored => {
                    let detail = changed(&logged.to_string(), &seq.to_string());
                    out.push("key_revocations", key.clone(), "seq", detail, *logged);
                }
                Some(_) => {}
            }
        }
        for (key, seq) in &self.revoked {
            if !seen.contains(key) {
                out.push("key_revocations", key.clone(), "row", missing(*seq), *seq);
            }
        }
    }
}

pub(super) fn unlogged() -> String {
    "in the table, but registered by no log entry".to_owned()
}

pub(super) fn missing(seq: u64) -> String {
    format!("registered by entry {seq}, but missing from the table")
}

pub(super) fn changed(logged: &str, stored: &str) -> String {
    format!("the log registered `{logged}`, the table has `{stored}`")
}
