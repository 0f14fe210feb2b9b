//! Resolving a disputed double entry: both entries line by line, the supervisor's choice
//! signed with the key of the supervisor's commission.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use saylau_app::double::{self, DoubleError};
use saylau_app::entry::{Broken, EntryError, EntryRequest};
use saylau_app::users::{self, Session};
use saylau_core::count::commission::StationId;

use super::{
    fields, forbidden, form_session, hierarchy, lines_of, message, page, parse_lines, private,
    scoped,
};
use crate::results::Snapshot;
use crate::state::AppState;

/// A line of the resolution form: both entries' values.
struct Choice {
    key: String,
    number: String,
    label: String,
    first: String,
    second: String,
    differs: bool,
}

#[derive(Template)]
#[template(path = "work_resolve.html")]
struct ResolvePage {
    tr: crate::i18n::Lang,
    here: String,
    csrf: String,
    station: String,
    first: String,
    second: String,
    choices: Vec<Choice>,
    broken: Vec<Broken>,
}

/// The session, snapshot, station and the two differing drafts of a resolution, checked:
/// 403 unless the user may resolve the station, 409 when nothing is disputed.
async fn disputed(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Session, Arc<Snapshot>, StationId, Vec<saylau_store::users::Draft>), Response> {
    let (session, snapshot, station) = scoped(state, headers, id).await?;
    if !users::may_resolve_station(&session.user, id) {
        return Err(forbidden("only a TEC operator above the station or the CEC resolves"));
    }
    let drafts = saylau_store::users::drafts(state.store(), snapshot.election.as_str(), id)
        .await
        .map_err(|err| crate::http::unavailable(&err.to_string()))?;
    if drafts.len() < 2 {
        return Err(message(StatusCode::CONFLICT, &station, "nothing to resolve"));
    }
    Ok((session, snapshot, station, drafts))
}

fn resolve_page(
    session: &Session,
    snapshot: &Snapshot,
    station: StationId,
    drafts: &[saylau_store::users::Draft],
    broken: Vec<Broken>,
) -> ResolvePage {
    let n = snapshot.ballot.len();
    let first = double::decode(&drafts[0].lines, n).unwrap_or_default();
    let second = double::decode(&drafts[1].lines, n).unwrap_or_default();
    let choices = fields(snapshot, &HashMap::new())
        .into_iter()
        .zip(lines_of(snapshot))
        .map(|(field, (line, _))| Choice {
            key: field.key,
            number: field.number,
            label: field.label,
            first: first.get(line).to_string(),
            second: second.get(line).to_string(),
            differs: first.get(line) != second.get(line),
        })
        .collect();
    ResolvePage {
        tr: super::lang::lang(),
        here: super::lang::here(),
        csrf: session.csrf.clone(),
        station: station.to_string(),
        first: drafts[0].entered_by.clone(),
        second: drafts[1].entered_by.clone(),
        choices,
        broken,
    }
}

/// `GET /work/s/{id}/resolve`: both entries line by line, the differing ones to choose.
pub async fn resolve_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Response {
    match disputed(&state, &headers, &id).await {
        Ok((session, snapshot, station, drafts)) => {
            page(StatusCode::OK, &resolve_page(&session, &snapshot, station, &drafts, Vec::new()))
        }
        Err(res) => res,
    }
}

/// `POST /work/s/{id}/resolve`: the chosen value of every line; the version is signed
/// with the supervisor's commission's key and names all three users.
pub async fn resolve(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let csrf = form.get("csrf").map(String::as_str).unwrap_or_default();
    if let Err(res) = form_session(&state, &headers, csrf).await {
        return res;
    }
    let (session, snapshot, station, drafts) = match disputed(&state, &headers, &id).await {
        Ok(it) => it,
        Err(res) => return res,
    };
    let refuse = |broken| {
        let broken = super::rules::localized(super::lang::lang(), broken);
        let page_ = resolve_page(&session, &snapshot, station, &drafts, broken);
        page(StatusCode::UNPROCESSABLE_ENTITY, &page_)
    };
    let lines = match parse_lines(&snapshot, &form) {
        Ok(lines) => lines,
        Err(broken) => return refuse(broken),
    };
    let Some(key) = state.work().key(&session.user.territory) else {
        return message(StatusCode::SERVICE_UNAVAILABLE, &station, "no key of this commission");
    };
    let hierarchy = hierarchy(&snapshot);
    let request = EntryRequest {
        election: &snapshot.election,
        ballot: &snapshot.ballot,
        hierarchy: &hierarchy,
        station,
        lines: &lines,
        base: None,
        reason: form.get("reason").map(String::as_str),
    };
    match double::resolve(state.store(), &request, &session.user, key).await {
        Ok(_) => {
            state.forget_head();
            private(Redirect::to(&format!("/en/s/{station}")).into_response())
        }
        Err(err @ (DoubleError::Entry(EntryError::Refused(_)) | DoubleError::SameUser(_))) => {
            refuse(double::broken(&err))
        }
        Err(err) => message(StatusCode::CONFLICT, &station, &err.to_string()),
    }
}
