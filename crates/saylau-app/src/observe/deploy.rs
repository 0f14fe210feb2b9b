//! The deployment plan of an observer organisation (`docs/observation.md`, "Deployment"):
//! its coordinator sends each observer to stations of the election, and an observer files
//! copies, statuses and incidents only for the stations they are deployed to (the
//! coordinator for any station of the election).
//!
//! An observer's stations are one log entry of kind `observer-deployment` whose subject is
//! `ORG/USER`, signed by the organisation's observer key (migration 0066 lets only such a
//! key sign it); each change is a new version whose reason says who added or withdrew
//! which station, so the plan's history is in the log like every other write.

use std::collections::BTreeSet;

use saylau_formats::rule::ObservationRule;
use saylau_store::id::{ElectionId, Subject};
use saylau_store::key::CommissionKey;
use saylau_store::ledger::{self, Appended, Submission};
use saylau_store::observe::{DEPLOYMENT_KIND, current_entries, station_subject};
use saylau_store::store::Store;
use saylau_store::users::{Role, User};
use serde::{Deserialize, Serialize};

use super::{ObserveError, kind, observer_of_key, refused};

/// The `format` of a deployment's payload.
pub const DEPLOYMENT_FORMAT: &str = "saylau-observer-deployment-v1";

/// A deployment's payload: canonical JSON, keys sorted (the fields are declared in that
/// order), the stations sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Payload {
    format: String,
    observer: String,
    stations: Vec<String>,
    user: String,
}

impl Payload {
    fn read(bytes: &[u8], subject: &str) -> Result<Payload, ObserveError> {
        let stored = |detail: String| ObserveError::Stored { subject: subject.to_owned(), detail };
        let payload: Payload =
            serde_json::from_slice(bytes).map_err(|err| stored(err.to_string()))?;
        if payload.format != DEPLOYMENT_FORMAT {
            return Err(stored(format!("format {:?}, not {DEPLOYMENT_FORMAT}", payload.format)));
        }
        Ok(payload)
    }
}

/// One observer's deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deployment {
    /// The organisation.
    pub observer: String,
    /// The observer's user name.
    pub user: String,
    /// The stations, sorted.
    pub stations: Vec<String>,
    /// The version of the deployment (every change is one).
    pub version: u64,
    /// The log entry of the current version.
    pub seq: u64,
    /// When it was recorded (UTC, RFC 3339).
    pub recorded_at: String,
}

/// What a change of a deployment did.
#[derive(Debug, Clone, Serialize)]
pub struct Deployed {
    /// Whether a new version was recorded (`false`: the plan says so already).
    pub recorded: bool,
    /// The observer's deployment after the change.
    pub deployment: Deployment,
}

/// A change of a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Deploy the observer to the station.
    Add,
    /// Withdraw the observer from the station.
    Remove,
}

/// Every observer deployment of `organisation` in `election`, by user.
pub async fn deployments(
    store: &Store,
    election: &ElectionId,
    organisation: &str,
) -> Result<Vec<Deployment>, ObserveError> {
    let prefix = format!("{organisation}/");
    let mut out = Vec::new();
    for entry in current_entries(store, election, DEPLOYMENT_KIND).await? {
        if !entry.subject.starts_with(&prefix) {
            continue;
        }
        let payload = Payload::read(&entry.payload, &entry.subject)?;
        if entry.commission != format!("observer:{organisation}")
            || payload.observer != organisation
        {
            return Err(ObserveError::Stored {
                subject: entry.subject,
                detail: format!("signed by {}, not by {organisation}'s key", entry.commission),
            });
        }
        out.push(Deployment {
            observer: payload.observer,
            user: payload.user,
            stations: payload.stations,
            version: entry.version,
            seq: entry.seq,
            recorded_at: entry.recorded_at,
        });
    }
    Ok(out)
}

/// The stations `user` of `organisation` is deployed to (empty when none).
pub async fn stations_of(
    store: &Store,
    election: &ElectionId,
    organisation: &str,
    user: &str,
) -> Result<Vec<String>, ObserveError> {
    let Ok(subject) = station_subject(organisation, user) else { return Ok(Vec::new()) };
    let kind = kind(DEPLOYMENT_KIND);
    let Some(current) = ledger::current(store, election, &kind, &subject).await? else {
        return Ok(Vec::new());
    };
    let bytes = ledger::payload(store, election, &kind, &subject, current.version)
        .await?
        .unwrap_or_default();
    Ok(Payload::read(&bytes, subject.as_str())?.stations)
}

/// Whether `user` may file copies, statuses and incidents for `station`: a coordinator of
/// an organisation for any station, an observer only for a station they are deployed to.
pub async fn may_file(
    store: &Store,
    election: &ElectionId,
    user: &User,
    station: &str,
) -> Result<bool, ObserveError> {
    if !super::form::may_observe(user, station) {
        return Ok(false);
    }
    if user.role == Role::ObserverCoordinator {
        return Ok(true);
    }
    let Some(organisation) = super::form::organisation(user) else { return Ok(false) };
    let stations = stations_of(store, election, organisation, &user.name).await?;
    Ok(stations.iter().any(|it| it == station))
}

/// Checks that `user_name` is an active observer of `organisation` (`O-14`) and `station`
/// a registered station of `election` (`O-1`).
async fn check_request(
    store: &Store,
    election: &ElectionId,
    organisation: &str,
    user_name: &str,
    station: &str,
) -> Result<(), ObserveError> {
    let user = saylau_store::users::user(store, user_name).await?;
    let fits = user.as_ref().is_some_and(|user| {
        user.role == Role::Observer
            && !user.disabled
            && user.territory == format!("observer:{organisation}")
    });
    if !fits {
        return Err(refused(
            ObservationRule::Deployment,
            format!("{user_name} is not an active observer of organisation {organisation}"),
        ));
    }
    let registered = saylau_store::observe::stations(store, election).await?;
    if registered.binary_search_by(|it| it.as_str().cmp(station)).is_err() {
        return Err(refused(
            ObservationRule::UnknownStation,
            format!("station {station} is not registered in election {election}"),
        ));
    }
    Ok(())
}

/// Deploys (or withdraws) the observer `user_name` to `station`, signed by the
/// organisation's `key` on behalf of `author`: `user_name` must be an active observer of
/// the key's organisation (`O-14`), `station` a registered station of the election (`O-1`).
pub async fn deploy(
    store: &Store,
    election: &ElectionId,
    user_name: &str,
    station: &str,
    change: Change,
    key: &CommissionKey,
    author: &str,
) -> Result<Deployed, ObserveError> {
    let organisation = observer_of_key(store, election, &key.public_key().key_id()).await?;
    check_request(store, election, &organisation, user_name, station).await?;
    let subject: Subject = station_subject(&organisation, user_name)
        .map_err(|err| refused(ObservationRule::Deployment, format!("{user_name}: {err}")))?;
    let kind = kind(DEPLOYMENT_KIND);
    let current = ledger::current(store, election, &kind, &subject).await?;
    let mut stations: BTreeSet<String> =
        stations_of(store, election, &organisation, user_name).await?.into_iter().collect();
    let (changed, reason) = match change {
        Change::Add => (stations.insert(station.to_owned()), format!("deployed to {station}")),
        Change::Remove => {
            if !stations.remove(station) {
                return Err(refused(
                    ObservationRule::Deployment,
                    format!("{user_name} of {organisation} is not deployed to station {station}"),
                ));
            }
            (true, format!("withdrawn from {station}"))
        }
    };
    let payload = Payload {
        format: DEPLOYMENT_FORMAT.to_owned(),
        observer: organisation.clone(),
        stations: stations.into_iter().collect(),
        user: user_name.to_owned(),
    };
    let bytes = serde_json::to_vec(&payload).unwrap_or_default();
    let submission = Submission {
        election,
        kind: &kind,
        subject: &subject,
        payload: &bytes,
        base: current.map(|it| it.version),
        reason: current.map(|_| reason.as_str()),
        author,
    };
    let recorded = changed
        && matches!(ledger::append(store, &submission, key).await?, Appended::Recorded { .. });
    let deployment = deployments(store, election, &organisation)
        .await?
        .into_iter()
        .find(|it| it.user == user_name)
        .unwrap_or(Deployment {
            observer: organisation,
            user: user_name.to_owned(),
            stations: payload.stations,
            version: 0,
            seq: 0,
            recorded_at: String::new(),
        });
    Ok(Deployed { recorded, deployment })
}
