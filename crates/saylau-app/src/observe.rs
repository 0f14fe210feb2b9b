//! Independent observation (`docs/observation.md`): observer organisations and their keys,
//! their signed copies of protocols and the status of each station they observe.
//!
//! Everything an observer records is a signed version in the store's one log, under
//! kinds of its own (`saylau_store::observe`), never read by the official tabulation.
//! [`reconcile`](crate::reconcile) sets the copies against the official protocols.
//!
//! - [`add_organisation`] registers an organisation, signed by the CEC's key;
//! - [`check_organisation`] is what `saylau keys new --observer ORG` asks first;
//! - [`revoke_key`] revokes an observer key, signed by the CEC's key;
//! - [`import::import_file`] reads copies (protocol files) or statuses (a CSV);
//! - [`form`] files one copy, status or incident from the working interface's forms;
//! - [`deploy`] is the deployment plan: which stations each observer files for.

pub mod deploy;
pub mod form;
pub mod import;
pub mod payload;
pub mod report;

use saylau_formats::rule::ObservationRule;
use saylau_store::error::DatabaseError;
use saylau_store::id::{ElectionId, Kind, Subject};
pub use saylau_store::key::{CommissionKey, KeyId};
use saylau_store::ledger::{self, AppendError, Appended, Submission};
use saylau_store::observe::{OBSERVER_KEY_KIND, OBSERVER_KIND, organisation_of};
use saylau_store::registry::{self, RegistryError};
use saylau_store::store::Store;
use saylau_store::tabulation::TabulationError;
use serde::Serialize;

use payload::{OrganisationPayload, RevocationPayload};

/// An observation use case that could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ObserveError {
    /// Refused input, with the rule it breaks (`O-`).
    #[error("{message} (rule {rule})")]
    Refused {
        /// The rule.
        rule: ObservationRule,
        /// What is wrong, naming the thing.
        message: String,
    },
    /// The file cannot be read at all (its diagnostics).
    #[error("{0}")]
    File(saylau_formats::Diagnostics),
    /// The log refused an entry.
    #[error("{0}")]
    Append(#[from] AppendError),
    /// The registry cannot be read or written.
    #[error("{0}")]
    Registry(#[from] RegistryError),
    /// The official protocols cannot be read.
    #[error("{0}")]
    Tabulation(#[from] TabulationError),
    /// A database error.
    #[error("store: {0}")]
    Database(#[from] DatabaseError),
    /// A key could not be made, or its files written.
    #[error("{0}")]
    Key(#[from] saylau_store::key::KeyError),
    /// A stored observer entry cannot be read (run `saylau log verify`).
    #[error("stored entry {subject}: {detail}")]
    Stored {
        /// Its subject.
        subject: String,
        /// What is wrong.
        detail: String,
    },
}

pub(crate) fn refused(rule: ObservationRule, message: String) -> ObserveError {
    ObserveError::Refused { rule, message }
}

fn kind(text: &str) -> Kind {
    text.parse().expect("the observer kinds are ids")
}

/// What `saylau observers add` did.
#[derive(Debug, Clone, Serialize)]
pub struct AddedView {
    /// The election.
    pub election: String,
    /// The organisation's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The log entry that registered it.
    pub seq: u64,
}

/// The commission of a registered key, or a refusal naming `what` the key is for.
async fn key_commission(store: &Store, key_id: &KeyId) -> Result<Option<String>, ObserveError> {
    let keys = registry::registered_keys(store).await?;
    Ok(keys.into_iter().find(|key| key.id == *key_id).map(|key| key.commission.to_string()))
}

/// Refuses a key that is not the CEC's.
async fn require_cec(store: &Store, key: &CommissionKey) -> Result<(), ObserveError> {
    let key_id = key.public_key().key_id();
    match key_commission(store, &key_id).await?.as_deref() {
        Some("CEC") => Ok(()),
        Some(commission) => Err(refused(
            ObservationRule::NotCecKey,
            format!("--key: key {key_id} is commission {commission}'s, not the CEC's"),
        )),
        None => Err(refused(
            ObservationRule::NotCecKey,
            format!("--key: key {key_id} is not registered in this store"),
        )),
    }
}

/// Registers an observer organisation in `election`, signed by the CEC's `key`.
pub async fn add_organisation(
    store: &Store,
    election: &ElectionId,
    id: &str,
    name: &str,
    key: &CommissionKey,
) -> Result<AddedView, ObserveError> {
    let subject =
        Subject::new(id).map_err(|err| refused(ObservationRule::Organisation, err.to_string()))?;
    if id.contains('/') || name.trim().is_empty() {
        let message = format!("organisation {id:?} needs an id without `/` and a name");
        return Err(refused(ObservationRule::Organisation, message));
    }
    require_cec(store, key).await?;
    let payload = OrganisationPayload::new(id, name).bytes();
    let kind = kind(OBSERVER_KIND);
    let submission = Submission {
        election,
        kind: &kind,
        subject: &subject,
        payload: &payload,
        base: None,
        reason: None,
        author: "saylau observers add",
    };
    match ledger::append(store, &submission, key).await {
        Ok(Appended::Recorded { seq, .. }) => Ok(AddedView {
            election: election.to_string(),
            id: id.to_owned(),
            name: name.to_owned(),
            seq: seq.0,
        }),
        Ok(Appended::Unchanged { .. }) | Err(AppendError::Conflict { .. }) => Err(refused(
            ObservationRule::Organisation,
            format!("observer organisation {id} is already registered in election {election}"),
        )),
        Err(err) => Err(err.into()),
    }
}

/// Refuses an organisation that is not registered in `election`.
pub async fn check_organisation(
    store: &Store,
    election: &ElectionId,
    id: &str,
) -> Result<(), ObserveError> {
    let unknown = || {
        refused(
            ObservationRule::Organisation,
            format!(
                "observer organisation {id} is not registered in election {election}: \
                 run `saylau observers add` first"
            ),
        )
    };
    let subject = Subject::new(id).map_err(|_| unknown())?;
    match ledger::current(store, election, &kind(OBSERVER_KIND), &subject).await? {
        Some(_) => Ok(()),
        None => Err(unknown()),
    }
}

/// The organisation of an observer key that may sign now: registered, an observer's,
/// not revoked in `election`.
pub async fn observer_of_key(
    store: &Store,
    election: &ElectionId,
    key_id: &KeyId,
) -> Result<String, ObserveError> {
    let Some(commission) = key_commission(store, key_id).await? else {
        return Err(refused(
            ObservationRule::NotObserverKey,
            format!("--key: key {key_id} is not registered in this store"),
        ));
    };
    let Some(organisation) = organisation_of(&commission) else {
        return Err(refused(
            ObservationRule::NotObserverKey,
            format!(
                "--key: key {key_id} is commission {commission}'s; observer copies need an \
                 observer organisation's key (`saylau keys new --observer ORG`)"
            ),
        ));
    };
    let subject = Subject::new(&key_id.to_string()).expect("a key id is an id");
    if ledger::current(store, election, &kind(OBSERVER_KEY_KIND), &subject).await?.is_some() {
        return Err(refused(
            ObservationRule::RevokedKey,
            format!("--key: key {key_id} of observer {organisation} was revoked"),
        ));
    }
    Ok(organisation.to_owned())
}

/// What `saylau observers revoke` did.
#[derive(Debug, Clone, Serialize)]
pub struct RevokedView {
    /// The key.
    pub key_id: String,
    /// Its organisation.
    pub observer: String,
    /// The log entry that revoked it.
    pub seq: u64,
}

/// Revokes an observer key in `election`, signed by the CEC's `key`, with a note.
pub async fn revoke_key(
    store: &Store,
    election: &ElectionId,
    key_id: &KeyId,
    note: &str,
    key: &CommissionKey,
) -> Result<RevokedView, ObserveError> {
    require_cec(store, key).await?;
    let observer = observer_of_key(store, election, key_id).await?;
    let subject = Subject::new(&key_id.to_string()).expect("a key id is an id");
    let payload = RevocationPayload::new(&key_id.to_string(), &observer, note).bytes();
    let kind = kind(OBSERVER_KEY_KIND);
    let submission = Submission {
        election,
        kind: &kind,
        subject: &subject,
        payload: &payload,
        base: None,
        reason: None,
        author: "saylau observers revoke",
    };
    match ledger::append(store, &submission, key).await? {
        Appended::Recorded { seq, .. } => {
            Ok(RevokedView { key_id: key_id.to_string(), observer, seq: seq.0 })
        }
        Appended::Unchanged { .. } => {
            Err(refused(ObservationRule::RevokedKey, format!("key {key_id} was revoked already")))
        }
    }
}

/// `saylau keys new --observer ORG --key CEC_KEY`: a key pair for a registered
/// organisation, its public key registered under `observer:ORG` (it signs only copies and
/// statuses, migration 0020) by an entry signed with the CEC's key `by`, written into
/// `dir` (created if missing) around its registration (`crate::keys`, staged and published).
pub async fn new_observer_key(
    store: &Store,
    election: &ElectionId,
    organisation: &str,
    dir: &std::path::Path,
    by: &CommissionKey,
) -> Result<crate::keys::NewKey, ObserveError> {
    let commission = saylau_store::observe::observer_commission(organisation)
        .map_err(|err| refused(ObservationRule::Organisation, err.to_string()))?;
    check_organisation(store, election, organisation).await?;
    require_cec(store, by).await?;
    let key = CommissionKey::generate()?;
    let key_id = key.public_key().key_id();
    let safe: String = organisation
        .chars()
        .map(|it| if it.is_ascii_alphanumeric() || it == '-' || it == '_' { it } else { '_' })
        .collect();
    let stem = format!("observer-{safe}-{}", &key_id.to_string()[..16]);
    let register = async {
        registry::register_key(store, &commission, &key.public_key(), by)
            .await
            .map_err(ObserveError::from)
    };
    let (_, files) = crate::keys::registered_with_files(store, dir, &stem, &key, register).await?;
    Ok(crate::keys::NewKey {
        commission: commission.to_string(),
        key_id: key_id.to_string(),
        private_key: files.private_key,
        public_key: files.public_key,
    })
}
