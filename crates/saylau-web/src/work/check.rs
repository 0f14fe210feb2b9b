//! Live control-relation checks for the protocol forms (progressive enhancement): the
//! self-hosted script `/static/work.js` posts a form's numbers to `POST /work/check` as they
//! are typed and shows the rules they break. The check is `saylau_app::entry::check`, the
//! one a submission runs; nothing is recorded, and the submission is checked again.

use std::collections::HashMap;

use axum::Form;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saylau_app::entry::Broken;
use saylau_app::users;
use saylau_core::count::commission::StationId;

use super::{forbidden, form_session, parse_lines, private};
use crate::state::AppState;

/// The script, the working interface's only one.
pub const WORK_JS: &str = include_str!("../../static/work.js");

/// `GET /static/work.js`, with a strong ETag of its bytes.
pub async fn script(headers: HeaderMap) -> Response {
    use sha2::Digest as _;
    let etag = format!("\"js-{}\"", &hex::encode(sha2::Sha256::digest(WORK_JS))[..16]);
    let mut res = if crate::http::matches(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], WORK_JS).into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&etag) {
        res.headers_mut().insert(header::ETAG, value);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    res
}

/// The rules a form's numbers break.
#[derive(Debug, serde::Serialize)]
struct Checked {
    broken: Vec<BrokenJson>,
}

#[derive(Debug, serde::Serialize)]
struct BrokenJson {
    rule: String,
    message: String,
}

/// `POST /work/check`: the form's lines (and `station`, `csrf`) checked against the control
/// relations of the station's ballot, as JSON `{"broken": [{"rule", "message"}]}`, each
/// message in the session's language ([`super::rules`]) (a line
/// that is not a whole number is rule `form`). Only for a session that may enter or
/// observe the station; records nothing.
pub async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let csrf = form.get("csrf").map(String::as_str).unwrap_or_default();
    let session = match form_session(&state, &headers, csrf).await {
        Ok(session) => session,
        Err(res) => return res,
    };
    let id = form.get("station").map(String::as_str).unwrap_or_default();
    let observes = match saylau_app::observe::deploy::may_file(
        state.store(),
        &state.config().election,
        &session.user,
        id,
    )
    .await
    {
        Ok(observes) => observes,
        Err(err) => return crate::http::unavailable(&err.to_string()),
    };
    if !users::may_write_station(&session.user, id) && !observes {
        return forbidden("neither an operator nor an observer deployed to this station");
    }
    let snapshot = match state.snapshot().await {
        Ok(snapshot) => snapshot,
        Err(err) => return crate::http::unavailable(&err.to_string()),
    };
    let Some(station) = StationId::parse(id).ok().filter(|it| snapshot.stations.contains_key(it))
    else {
        return private((StatusCode::NOT_FOUND, "404: no such station\n").into_response());
    };
    let broken: Vec<Broken> = match parse_lines(&snapshot, &form) {
        Ok(lines) => saylau_app::entry::check(station, &lines, &snapshot.ballot),
        Err(broken) => broken,
    };
    let lang = super::lang::lang();
    let broken = broken
        .into_iter()
        .map(|it| BrokenJson { message: super::rules::say(lang, &it), rule: it.rule });
    private(Json(Checked { broken: broken.collect() }).into_response())
}
