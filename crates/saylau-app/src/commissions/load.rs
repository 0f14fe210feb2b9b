//! `saylau commissions load FILE`: a register file checked against the law (the core's
//! `check_register`), the members already registered and the signing key's authority, then
//! signed into the log as one registration entry, whole or not at all.

use std::path::Path;

use saylau_core::law::composition::{CompositionLaw, check_register};
use saylau_formats::rule::CommissionRule;
use saylau_formats::{Diagnostic, Diagnostics, breach_diagnostic, read_register};
use saylau_store::id::ElectionId;
use saylau_store::key::CommissionKey;
use saylau_store::registry::{self, RegistryError};
use saylau_store::store::Store;
use serde::Serialize;

use super::{CommissionsError, Register, read, record_of};

/// What `saylau commissions load` registered: its JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Loaded {
    /// The election.
    pub election: String,
    /// The file.
    pub file: String,
    /// The signing key's commission.
    pub signed_by: String,
    /// The members registered.
    pub members: usize,
    /// The commissions they sit on.
    pub commissions: usize,
    /// The law whose rules were checked.
    pub law: &'static str,
}

/// Loads the register file at `path` into `election`, signed with `key`: every row, or
/// none and every problem (`docs/commissions.md`, rules `C-1` to `C-10`).
pub async fn load(
    store: &Store,
    election: &ElectionId,
    path: &Path,
    key: &CommissionKey,
) -> Result<Loaded, CommissionsError> {
    let file = read_register(path).map_err(CommissionsError::Rejected)?;
    let register = read(store, election).await?;
    let law = CompositionLaw::law_2021();
    let members: Vec<_> = file.rows.iter().map(|(_, member)| member.clone()).collect();
    let mut problems: Vec<Diagnostic> = file.problems.clone();
    problems.extend(
        check_register(&law, &register.levels(), &register.members, &members)
            .iter()
            .map(|(idx, breach)| breach_diagnostic(&file.source, file.rows[*idx].0, breach)),
    );
    let signer = signer(store, key).await?;
    for (line, member) in &file.rows {
        if register.commissions.contains_key(&member.commission)
            && !may_register(&register, &signer, &member.commission)
        {
            let message = format!(
                "the key of commission {signer} may not register the members of commission {}: \
                 only the CEC or a commission above it",
                member.commission
            );
            let at = Some(*line);
            problems.push(Diagnostic::error(
                &file.source,
                at,
                "commission",
                CommissionRule::NotAuthorised,
                message,
            ));
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|it| it.line);
        return Err(CommissionsError::Rejected(Diagnostics(problems)));
    }
    let records: Vec<_> = members.iter().map(|member| record_of(election, member)).collect();
    registry::add_members(store, &records, key).await.map_err(|err| match err {
        RegistryError::NotAuthorised { detail, .. } => {
            let rule = CommissionRule::NotAuthorised;
            let problem = Diagnostic::error(&file.source, None, "", rule, detail);
            CommissionsError::Rejected(Diagnostics(vec![problem]))
        }
        other => CommissionsError::Registry(other),
    })?;
    let commissions: std::collections::BTreeSet<&str> =
        members.iter().map(|member| member.commission.as_str()).collect();
    Ok(Loaded {
        election: election.to_string(),
        file: file.source.clone(),
        signed_by: signer,
        members: members.len(),
        commissions: commissions.len(),
        law: law.name,
    })
}

/// The commission of a registered key, or a refusal.
async fn signer(store: &Store, key: &CommissionKey) -> Result<String, CommissionsError> {
    let id = key.public_key().key_id();
    let keys = registry::registered_keys(store).await?;
    match keys.into_iter().find(|it| it.id == id) {
        Some(found) => Ok(found.commission.to_string()),
        None => {
            let message = format!("key {id} is not registered in the store");
            let problem =
                Diagnostic::error("--key", None, "", CommissionRule::NotAuthorised, message);
            Err(CommissionsError::Rejected(Diagnostics(vec![problem])))
        }
    }
}

/// Whether `signer` (a commission) may register members of `commission`: the CEC, or a
/// commission above it (`docs/commissions.md`, "In the log").
fn may_register(register: &Register, signer: &str, commission: &str) -> bool {
    if signer == saylau_store::enrol::CEC {
        return true;
    }
    let mut at = register.commissions.get(commission).and_then(|(_, parent)| parent.clone());
    for _ in 0..16 {
        match at {
            Some(id) if id == signer => return true,
            Some(id) => at = register.commissions.get(&id).and_then(|(_, parent)| parent.clone()),
            None => return false,
        }
    }
    false
}
