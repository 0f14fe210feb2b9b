//! The observers' half of the working interface (`docs/portal.md`, "Observers"): an
//! observer or observer-group coordinator files, for a station, an observer copy of its
//! protocol, its status (a copy refused, observers not admitted) and incident reports with
//! evidence files; a coordinator moves the organisation's incidents along their workflow.
//!
//! Every record goes through `saylau_app::observe::form`, the same path as `saylau observe
//! import` and `saylau incidents import`, signed by the organisation's observer key, and
//! lands under the observer kinds, never in the official totals. Forms work without
//! JavaScript on a phone; every POST carries the session's CSRF token.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Response};
use saylau_app::entry::Broken;
use saylau_app::observe::ObserveError;
use saylau_app::observe::form::{self, IncidentForm, may_move_incidents, organisation};
use saylau_app::observe::import::{ImportView, RejectedRow};
use saylau_app::users::Session;
use saylau_core::count::commission::StationId;
use saylau_core::count::incident::{INCIDENT_TYPES, IncidentState};

use super::{
    Field, fields, forbidden, form_session, no_key, page, parse_lines, private, session, to_login,
};
use crate::results::Snapshot;
use crate::state::AppState;

/// The largest evidence upload of one report, in bytes.
pub const MAX_EVIDENCE: usize = 8 * 1024 * 1024;

/// A choice of a select.
struct Choice {
    code: String,
    label: String,
}

#[derive(Template)]
#[template(path = "work_observe.html")]
struct ObservePage {
    tr: crate::i18n::Lang,
    here: String,
    csrf: String,
    name: String,
    organisation: String,
    station: String,
    fields: Vec<Field>,
    statuses: Vec<Choice>,
    types: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "work_observed.html")]
struct ObservedPage {
    tr: crate::i18n::Lang,
    here: String,
    station: String,
    title: String,
    recorded: bool,
    lines: Vec<String>,
    notes: Vec<String>,
}

/// A checked observer request: the session, the snapshot, the organisation and the
/// station. 303 to the login without a session, 403 for a user who is not an observer of
/// an organisation, 404 for a station the election does not have.
async fn observer(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Session, Arc<Snapshot>, String, StationId), Response> {
    let Some(session) = session(state, headers).await? else { return Err(to_login()) };
    let Some(org) = organisation(&session.user).map(str::to_owned) else {
        return Err(forbidden(&format!(
            "{} ({} {}) is not an observer of an organisation",
            session.user.name,
            session.user.role.as_str(),
            session.user.territory
        )));
    };
    let election = state.config().election.clone();
    match saylau_app::observe::deploy::may_file(state.store(), &election, &session.user, id).await {
        Ok(true) => {}
        Ok(false) => {
            return Err(forbidden(&format!(
                "{} is not deployed to station {id} (rule O-14): the organisation's \
                 coordinator deploys its observers",
                session.user.name
            )));
        }
        Err(err) => return Err(crate::http::unavailable(&err.to_string())),
    }
    let snapshot =
        state.snapshot().await.map_err(|err| crate::http::unavailable(&err.to_string()))?;
    let station =
        StationId::parse(id).ok().filter(|it| snapshot.stations.contains_key(it)).ok_or_else(
            || private((StatusCode::NOT_FOUND, "404: no such station\n").into_response()),
        )?;
    Ok((session, snapshot, org, station))
}

/// The same checks for a form POST, and its CSRF token.
async fn observer_post(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    csrf: &str,
) -> Result<(Session, Arc<Snapshot>, String, StationId), Response> {
    form_session(state, headers, csrf).await?;
    observer(state, headers, id).await
}

/// `GET /work/o/{id}`: the observer's forms for a station.
pub async fn observe_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Response {
    let (session, snapshot, org, station) = match observer(&state, &headers, &id).await {
        Ok(it) => it,
        Err(res) => return res,
    };
    let tr = super::lang::lang();
    let statuses = saylau_app::observe::payload::STATUSES
        .iter()
        .map(|code| Choice {
            code: (*code).to_owned(),
            label: tr.t(&format!("work-status-{code}")),
        })
        .collect();
    let types = INCIDENT_TYPES
        .iter()
        .map(|it| Choice { code: it.code().to_owned(), label: label(tr, it.labels()) })
        .collect();
    page(
        StatusCode::OK,
        &ObservePage {
            tr: super::lang::lang(),
            here: super::lang::here(),
            csrf: session.csrf,
            name: session.user.name,
            organisation: org,
            station: station.to_string(),
            fields: fields(&snapshot, &HashMap::new()),
            statuses,
            types,
        },
    )
}

/// The page of what a record came to: 201 recorded, 200 unchanged, 422 rejected.
fn outcome(
    station: &StationId,
    what: &str,
    accepted: usize,
    rejected: &[RejectedRow],
    notes: Vec<String>,
) -> Response {
    let lines: Vec<String> = rejected
        .iter()
        .flat_map(|row| row.reasons.iter().map(|it| format!("{}: {}", it.rule, it.message)))
        .collect();
    let tr = super::lang::lang();
    let what = || vec![("what", tr.t(what))];
    let (status, title, recorded) = if accepted > 0 {
        (StatusCode::CREATED, tr.t_args("work-recorded", &what()), true)
    } else if lines.is_empty() {
        (StatusCode::OK, tr.t_args("work-unchanged", &what()), false)
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, tr.t_args("work-refused", &what()), false)
    };
    page(
        status,
        &ObservedPage {
            tr: super::lang::lang(),
            here: super::lang::here(),
            station: station.to_string(),
            title,
            recorded,
            lines,
            notes,
        },
    )
}

fn refused(station: &StationId, what: &str, err: &ObserveError) -> Response {
    match err {
        ObserveError::Refused { .. } | ObserveError::File(_) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ObservedPage {
                tr: super::lang::lang(),
                here: super::lang::here(),
                station: station.to_string(),
                title: not_accepted(what),
                recorded: false,
                lines: err.to_string().lines().map(str::to_owned).collect(),
                notes: Vec::new(),
            },
        ),
        err => crate::http::unavailable(&err.to_string()),
    }
}

fn copy_view(station: &StationId, view: &ImportView) -> Response {
    // A copy that breaks control relations is evidence, not an error: the page says so.
    let notes = view
        .flagged
        .iter()
        .map(|it| super::lang::lang().t_args("work-breaks", &[("rules", it.rules.join(", "))]))
        .collect();
    outcome(station, "work-what-copy", view.counts.accepted, &view.rejected, notes)
}

/// `POST /work/o/{id}/copy`: the observer's copy of the station's protocol, signed by the
/// organisation's key; a copy that breaks control relations is kept as evidence.
pub async fn copy(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let csrf = form.get("csrf").map(String::as_str).unwrap_or_default();
    let (session, snapshot, _, station) = match observer_post(&state, &headers, &id, csrf).await {
        Ok(it) => it,
        Err(res) => return res,
    };
    let lines = match parse_lines(&snapshot, &form) {
        Ok(lines) => lines,
        Err(broken) => return broken_page(&station, "work-what-copy", &broken),
    };
    let Some(key) = state.work().key(&session.user.territory) else {
        return no_key(&session.user.territory);
    };
    let author = saylau_app::entry::author(&session.user, &session.user.name);
    let filed = form::file_copy(
        state.store(),
        &snapshot.election,
        &snapshot.ballot,
        station,
        &lines,
        key,
        &author,
    )
    .await;
    state.forget_head();
    match filed {
        Ok(view) => copy_view(&station, &view),
        Err(err) => refused(&station, "work-what-copy", &err),
    }
}

fn broken_page(station: &StationId, what: &str, broken: &[Broken]) -> Response {
    page(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ObservedPage {
            tr: super::lang::lang(),
            here: super::lang::here(),
            station: station.to_string(),
            title: not_accepted(what),
            recorded: false,
            lines: broken
                .iter()
                .map(|it| format!("{}: {}", it.rule, super::rules::say(super::lang::lang(), it)))
                .collect(),
            notes: Vec::new(),
        },
    )
}

/// The status form.
#[derive(Debug, serde::Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    note: String,
}

/// `POST /work/o/{id}/status`: the station's status as the observer found it (a copy
/// obtained or refused, observers not admitted or removed).
pub async fn status(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    Form(form): Form<StatusForm>,
) -> Response {
    let (session, snapshot, _, station) =
        match observer_post(&state, &headers, &id, &form.csrf).await {
            Ok(it) => it,
            Err(res) => return res,
        };
    let Some(key) = state.work().key(&session.user.territory) else {
        return no_key(&session.user.territory);
    };
    let author = saylau_app::entry::author(&session.user, &session.user.name);
    let filed = form::file_status(
        state.store(),
        &snapshot.election,
        &station.to_string(),
        &form.status,
        &form.time,
        &form.note,
        key,
        &author,
    )
    .await;
    state.forget_head();
    match filed {
        Ok(view) => {
            outcome(&station, "work-what-status", view.counts.accepted, &view.rejected, Vec::new())
        }
        Err(err) => refused(&station, "work-what-status", &err),
    }
}

/// An uploaded file's name as the report names it: its letters, digits, `.`, `-` and `_`
/// (anything else `_`), without a path.
fn evidence_name(name: &str, index: usize) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let clean = clean.trim_start_matches('.');
    if clean.is_empty() { format!("evidence-{index}") } else { clean.to_owned() }
}

/// The text fields and the evidence files (at most [`MAX_EVIDENCE`] bytes in all) of a
/// multipart form.
async fn read_multipart(
    multipart: &mut Multipart,
) -> Result<(HashMap<String, String>, Vec<(String, Vec<u8>)>), Response> {
    let mut text: HashMap<String, String> = HashMap::new();
    let mut evidence: Vec<(String, Vec<u8>)> = Vec::new();
    let mut size = 0usize;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => {
                let text = format!("{}: {err}\n", err.status());
                return Err(private((err.status(), text).into_response()));
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file = field.file_name().map(str::to_owned);
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(err) => {
                let text = format!("{}: {err}\n", err.status());
                return Err(private((err.status(), text).into_response()));
            }
        };
        match (name.as_str(), file) {
            ("evidence", Some(file)) => {
                // A file input left empty sends a part without a name or bytes.
                if file.is_empty() && bytes.is_empty() {
                    continue;
                }
                size += bytes.len();
                if size > MAX_EVIDENCE {
                    return Err(private(
                        (StatusCode::PAYLOAD_TOO_LARGE, "413: evidence over 8 MiB\n")
                            .into_response(),
                    ));
                }
                let mut named = evidence_name(&file, evidence.len() + 1);
                if evidence.iter().any(|(it, _)| *it == named) {
                    named = format!("{}-{named}", evidence.len() + 1);
                }
                evidence.push((named, bytes.to_vec()));
            }
            (_, _) => {
                text.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    Ok((text, evidence))
}

/// `POST /work/o/{id}/incident` (`multipart/form-data`): an incident report of the
/// station, with its evidence files, kept by SHA-256.
pub async fn incident(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    mut multipart: Multipart,
) -> Response {
    let (text, evidence) = match read_multipart(&mut multipart).await {
        Ok(it) => it,
        Err(res) => return res,
    };
    let get = |key: &str| text.get(key).map(String::as_str).unwrap_or_default();
    let (session, snapshot, _, station) =
        match observer_post(&state, &headers, &id, get("csrf")).await {
            Ok(it) => it,
            Err(res) => return res,
        };
    let Some(key) = state.work().key(&session.user.territory) else {
        return no_key(&session.user.territory);
    };
    let author = saylau_app::entry::author(&session.user, &session.user.name);
    let station_text = station.to_string();
    let report = IncidentForm {
        id: get("id").trim(),
        station: &station_text,
        time: get("time").trim(),
        kind: get("type").trim(),
        note: get("note"),
        evidence,
    };
    let filed = form::file_incident(state.store(), &snapshot.election, &report, key, &author).await;
    state.forget_head();
    match filed {
        Ok(view) => {
            outcome(&station, "work-what-incident", view.accepted, &view.rejected, Vec::new())
        }
        Err(err) => refused(&station, "work-what-incident", &err),
    }
}

/// An incident of the organisation, with the states it may move to.
struct Row {
    id: String,
    station: String,
    time: String,
    kind: String,
    note: String,
    state: String,
    evidence: Vec<(String, String)>,
    next: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "work_incidents.html")]
struct IncidentsPage {
    tr: crate::i18n::Lang,
    here: String,
    csrf: String,
    organisation: String,
    coordinator: bool,
    rows: Vec<Row>,
}

/// `GET /work/incidents`: the organisation's incident reports and their states; a
/// coordinator gets a form to move each along its workflow.
pub async fn incidents(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(session) = (match session(&state, &headers).await {
        Ok(it) => it,
        Err(res) => return res,
    }) else {
        return to_login();
    };
    let Some(org) = organisation(&session.user).map(str::to_owned) else {
        return forbidden("only an organisation's observers see its incidents");
    };
    let election = state.config().election.clone();
    let all = match saylau_app::incidents::incidents(state.store(), &election).await {
        Ok(all) => all,
        Err(err) => return crate::http::unavailable(&err.to_string()),
    };
    let tr = super::lang::lang();
    let rows = all
        .into_iter()
        .filter(|it| it.observer == org)
        .map(|it| Row {
            next: it
                .state
                .next_states()
                .into_iter()
                .map(|next| Choice {
                    code: next.code().to_owned(),
                    label: next.labels().en.to_owned(),
                })
                .collect(),
            id: it.id,
            station: it.station,
            time: it.time,
            kind: label(tr, it.labels),
            note: it.note,
            state: label(tr, it.state.labels()),
            evidence: it.evidence.into_iter().map(|e| (e.file, e.sha256)).collect(),
        })
        .collect();
    page(
        StatusCode::OK,
        &IncidentsPage {
            tr: super::lang::lang(),
            here: super::lang::here(),
            csrf: session.csrf,
            coordinator: may_move_incidents(&session.user),
            organisation: org,
            rows,
        },
    )
}

/// The workflow form of an incident.
#[derive(Debug, serde::Deserialize)]
pub struct StateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    note: String,
}

/// `POST /work/incidents/{id}/state`: a coordinator moves one of the organisation's
/// incidents to its next state, with a note, signed by the organisation's key.
pub async fn move_incident(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    Form(form): Form<StateForm>,
) -> Response {
    let session = match form_session(&state, &headers, &form.csrf).await {
        Ok(session) => session,
        Err(res) => return res,
    };
    if !may_move_incidents(&session.user) {
        return forbidden("only an observer-group coordinator moves incidents");
    }
    let Ok(to) = form.to.parse::<IncidentState>() else {
        return message(StatusCode::UNPROCESSABLE_ENTITY, &format!("no state {:?}", form.to));
    };
    let Some(key) = state.work().key(&session.user.territory) else {
        return no_key(&session.user.territory);
    };
    let author = saylau_app::entry::author(&session.user, &session.user.name);
    let election = state.config().election.clone();
    let moved = saylau_app::incidents::record::change_state(
        state.store(),
        &election,
        &id,
        to,
        &form.note,
        key,
        &author,
    )
    .await;
    state.forget_head();
    match moved {
        Ok(view) => private(
            axum::response::Redirect::to(&format!("/work/incidents#i-{}", view.id)).into_response(),
        ),
        Err(err @ ObserveError::Refused { .. }) => {
            message(StatusCode::UNPROCESSABLE_ENTITY, &err.to_string())
        }
        Err(err) => crate::http::unavailable(&err.to_string()),
    }
}

#[derive(Template)]
#[template(path = "work_note.html")]
struct NotePage {
    tr: crate::i18n::Lang,
    here: String,
    message: String,
}

fn message(status: StatusCode, text: &str) -> Response {
    page(
        status,
        &NotePage { tr: super::lang::lang(), here: super::lang::here(), message: text.to_owned() },
    )
}

/// `labels` in `tr`.
fn label(tr: crate::i18n::Lang, labels: saylau_core::count::incident::Labels) -> String {
    match tr {
        crate::i18n::Lang::Kk => labels.kk,
        crate::i18n::Lang::Ru => labels.ru,
        crate::i18n::Lang::En => labels.en,
    }
    .to_owned()
}

/// "`what` not accepted" in the page's language; `what` is a message id.
fn not_accepted(what: &str) -> String {
    let tr = super::lang::lang();
    tr.t_args("work-refused", &[("what", tr.t(what))])
}
