//! The working interface under `/work/` (`docs/portal.md`): login with server-side
//! sessions, and protocol entry by the operators of a commission, each scoped to its
//! territory. Every page works without JavaScript on a phone-sized screen and is sent with
//! `Cache-Control: no-store`.
//!
//! - The session cookie is `HttpOnly`, `SameSite=Strict`, and `Secure` unless the portal
//!   serves plain HTTP on loopback ([`Work::secure_cookies`]); only its token's hash is
//!   in the store.
//! - Every form POST carries the session's synchronizer token (`csrf`), compared in
//!   constant time; a form without it, or with another session's, is refused with 403.
//! - A write is checked against the user's territory (403 outside it), then against the
//!   control relations (422 naming each rule), then appended as a new version signed with
//!   the key of the user's commission, which the server holds ([`Work::load_keys`]).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

pub mod check;
pub mod deploy;
pub mod image;
pub mod lang;
pub mod observe;
mod resolve;
pub mod rules;
mod submit;
pub use resolve::{resolve, resolve_form};
pub(crate) use submit::{Submitted, submit_protocol};

use saylau_app::entry::Broken;
use saylau_app::users::{self, LoginError, Session, User};
use saylau_core::count::commission::{CommissionId, Hierarchy, StationId};
use saylau_core::count::protocol::{Line, ProtocolLines};
use saylau_store::key::CommissionKey;
use saylau_store::users::SessionKind;

use crate::results::Snapshot;
use crate::state::AppState;

/// The session cookie's name.
pub const COOKIE: &str = "saylau_session";

/// The working interface's configuration: the commissions' keys the server signs with,
/// and whether cookies are `Secure`.
#[derive(Clone, Default)]
pub struct Work {
    keys: BTreeMap<String, Arc<CommissionKey>>,
    /// Whether the session cookie is marked `Secure` (every deployment but plain HTTP on
    /// loopback).
    pub secure_cookies: bool,
    /// Whether protocols are entered twice, blind, by two users ([`saylau_app::double`]);
    /// otherwise one entry makes a version.
    pub double_entry: bool,
}

impl std::fmt::Debug for Work {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Work")
            .field("commissions", &self.keys.keys().collect::<Vec<_>>())
            .field("secure_cookies", &self.secure_cookies)
            .field("double_entry", &self.double_entry)
            .finish()
    }
}

impl Work {
    /// A working interface that signs with `key` for `commission` (and the keys before).
    pub fn with_key(mut self, commission: &str, key: CommissionKey) -> Work {
        self.keys.insert(commission.to_owned(), Arc::new(key));
        self
    }

    /// Loads every private key (`*.pem`, not `*.pub.pem`) of `dir` whose public key is
    /// registered in the store, under its commission; a key the store does not know is
    /// an error, so that a server never signs with a key `log verify` would refuse.
    pub async fn load_keys(
        mut self,
        store: &saylau_store::store::Store,
        dir: &Path,
    ) -> Result<Work, String> {
        let registered = saylau_store::registry::registered_keys(store)
            .await
            .map_err(|err| format!("reading the registered keys: {err}"))?;
        let entries = std::fs::read_dir(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|err| format!("{}: {err}", dir.display()))?.path();
            let name = path.file_name().and_then(|it| it.to_str()).unwrap_or_default();
            if !name.ends_with(".pem") || name.ends_with(".pub.pem") {
                continue;
            }
            let key = saylau_app::import::read_key(&path)
                .map_err(|err| format!("{}: {err}", path.display()))?;
            let id = key.public_key().key_id();
            let Some(found) = registered.iter().find(|it| it.id == id) else {
                return Err(format!("{}: key {id} is not registered in the store", path.display()));
            };
            self.keys.insert(found.commission.to_string(), Arc::new(key));
        }
        Ok(self)
    }

    /// The key the server signs with for `commission`.
    fn key(&self, commission: &str) -> Option<&Arc<CommissionKey>> {
        self.keys.get(commission)
    }

    /// The key the server signs with for `commission`, shared.
    pub(crate) fn signing_key(&self, commission: &str) -> Option<Arc<CommissionKey>> {
        self.keys.get(commission).cloned()
    }
}

fn now() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |it| i64::try_from(it.as_secs()).unwrap_or(i64::MAX))
}

/// The session token of a request: the bearer token, else the session cookie.
fn token(headers: &HeaderMap) -> Option<(String, SessionKind)> {
    if let Some(bearer) = headers
        .get(header::AUTHORIZATION)
        .and_then(|it| it.to_str().ok())
        .and_then(|it| it.strip_prefix("Bearer "))
    {
        return Some((bearer.trim().to_owned(), SessionKind::Bearer));
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|it| it.to_str().ok())
        .flat_map(|it| it.split(';'))
        .find_map(|it| it.trim().strip_prefix(&format!("{COOKIE}=")).map(str::to_owned))
        .map(|token| (token, SessionKind::Cookie))
}

/// The live session of a request, if it has one of the kind its credential claims (a
/// bearer token is never accepted as a cookie, nor the reverse).
pub async fn session(state: &AppState, headers: &HeaderMap) -> Result<Option<Session>, Response> {
    let Some((token, kind)) = token(headers) else { return Ok(None) };
    match users::session(state.store(), &token, now()).await {
        Ok(found) => Ok(found.filter(|it| it.kind == kind)),
        Err(err) => Err(crate::http::unavailable(&err.to_string())),
    }
}

/// Equal strings, compared in time that depends only on their lengths.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `no-store` on every response of the working interface.
fn private(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn page(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => private((status, Html(html)).into_response()),
        Err(err) => crate::http::unavailable(&format!("template: {err}")),
    }
}

#[derive(Template)]
#[template(path = "work_login.html")]
struct LoginPage {
    tr: crate::i18n::Lang,
    here: String,
    message: String,
}

#[derive(Template)]
#[template(path = "work_home.html")]
struct HomePage {
    tr: crate::i18n::Lang,
    here: String,
    user: User,
    csrf: String,
    /// The stations an observer is deployed to.
    deployed: Vec<String>,
}

/// A line of the entry form.
struct Field {
    key: String,
    number: String,
    label: String,
    value: String,
}

#[derive(Template)]
#[template(path = "work_entry.html")]
struct EntryPage {
    tr: crate::i18n::Lang,
    here: String,
    user: User,
    csrf: String,
    station: String,
    current: Option<u64>,
    fields: Vec<Field>,
    reason: String,
    broken: Vec<Broken>,
    message: String,
}

/// `GET /work/login`.
pub async fn login_form() -> Response {
    page(
        StatusCode::OK,
        &LoginPage { tr: lang::lang(), here: lang::here(), message: String::new() },
    )
}

/// The login form.
#[derive(Debug, serde::Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
}

/// `POST /work/login`: a session cookie and 303 to `/work/`; 401 for a wrong name or
/// password (the same page and the same time for both), 429 after too many failures.
pub async fn login(State(state): State<AppState>, Form(form): Form<LoginForm>) -> Response {
    let work = state.work();
    match users::login(state.store(), &form.name, &form.password, SessionKind::Cookie, now()).await
    {
        Ok(session) => {
            let secure = if work.secure_cookies { "; Secure" } else { "" };
            let cookie = format!(
                "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
                session.token,
                users::SESSION_SECONDS
            );
            let mut res = Redirect::to("/work/").into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                res.headers_mut().insert(header::SET_COOKIE, value);
            }
            private(res)
        }
        Err(LoginError::Invalid) => page(
            StatusCode::UNAUTHORIZED,
            &LoginPage {
                tr: lang::lang(),
                here: lang::here(),
                message: LoginError::Invalid.to_string(),
            },
        ),
        Err(LoginError::TooMany) => page(
            StatusCode::TOO_MANY_REQUESTS,
            &LoginPage {
                tr: lang::lang(),
                here: lang::here(),
                message: LoginError::TooMany.to_string(),
            },
        ),
        Err(err) => crate::http::unavailable(&err.to_string()),
    }
}

/// The CSRF field of a form.
#[derive(Debug, serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// The session of a form POST: logged in with a cookie (a bearer token posts no form), and
/// the form carries this session's CSRF token; else 403.
pub(crate) async fn form_session(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<Session, Response> {
    let Some(session) = session(state, headers).await? else {
        return Err(forbidden("log in first"));
    };
    if session.kind != SessionKind::Cookie || !same(csrf, &session.csrf) {
        return Err(forbidden("the form's CSRF token is missing or not this session's"));
    }
    Ok(session)
}

/// `POST /work/logout`.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let session = match session(&state, &headers).await {
        Ok(Some(session)) => session,
        Ok(None) => return to_login(),
        Err(res) => return res,
    };
    if !same(&form.csrf, &session.csrf) {
        return forbidden("the form's CSRF token is missing or not this session's");
    }
    if let Some((token, _)) = token(&headers)
        && let Err(err) = users::logout(state.store(), &token, now()).await
    {
        return crate::http::unavailable(&err.to_string());
    }
    let mut res = to_login();
    let clear = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&clear) {
        res.headers_mut().insert(header::SET_COOKIE, value);
    }
    res
}

fn to_login() -> Response {
    private(Redirect::to("/work/login").into_response())
}

fn forbidden(why: &str) -> Response {
    private((StatusCode::FORBIDDEN, format!("403 Forbidden: {why}\n")).into_response())
}

/// `GET /work/`: who is logged in, and where they may enter protocols.
pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let session = match session(&state, &headers).await {
        Ok(Some(session)) => session,
        Ok(None) => return to_login(),
        Err(res) => return res,
    };
    let deployed = match saylau_app::observe::form::organisation(&session.user) {
        Some(org) => {
            let election = state.config().election.clone();
            let stations = saylau_app::observe::deploy::stations_of(
                state.store(),
                &election,
                org,
                &session.user.name,
            )
            .await;
            match stations {
                Ok(stations) => stations,
                Err(err) => return crate::http::unavailable(&err.to_string()),
            }
        }
        None => Vec::new(),
    };
    page(
        StatusCode::OK,
        &HomePage {
            tr: lang::lang(),
            here: lang::here(),
            user: session.user,
            csrf: session.csrf,
            deployed,
        },
    )
}

/// The station field of the home page's form, and which form it goes to (`o`: the
/// observer's).
#[derive(Debug, serde::Deserialize)]
pub struct GoForm {
    station: String,
    #[serde(default)]
    to: String,
}

/// `GET /work/go?station=ID`: to the station's entry form (`&to=o`: its observer forms).
pub async fn go(axum::extract::Query(form): axum::extract::Query<GoForm>) -> Response {
    let section = if form.to == "o" { "o" } else { "s" };
    match StationId::parse(form.station.trim()) {
        Ok(id) => private(Redirect::to(&format!("/work/{section}/{id}")).into_response()),
        Err(err) => private((StatusCode::NOT_FOUND, format!("404: {err}\n")).into_response()),
    }
}

/// The session and station of an entry request, checked: 303 to the login without a
/// session, 404 for an unknown station, 403 outside the user's territory.
async fn scoped(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Session, Arc<Snapshot>, StationId), Response> {
    let Some(session) = session(state, headers).await? else { return Err(to_login()) };
    let snapshot =
        state.snapshot().await.map_err(|err| crate::http::unavailable(&err.to_string()))?;
    let station =
        StationId::parse(id).ok().filter(|it| snapshot.stations.contains_key(it)).ok_or_else(
            || private((StatusCode::NOT_FOUND, "404: no such station\n").into_response()),
        )?;
    if !users::may_write_station(&session.user, id) {
        return Err(forbidden(&format!(
            "{} ({} {}) may not enter protocols of station {id}",
            session.user.name,
            session.user.role.as_str(),
            session.user.territory
        )));
    }
    Ok((session, snapshot, station))
}

/// Every line of a protocol of `snapshot`'s ballot, with its form key (`found_in_boxes`,
/// `list_1` for line 10.1).
fn lines_of(snapshot: &Snapshot) -> Vec<(Line, String)> {
    let fixed = Line::FIXED.iter().map(|line| (*line, line.key().to_owned()));
    let lists =
        (0..snapshot.ballot.len()).map(|idx| (Line::List(idx), format!("list_{}", idx + 1)));
    fixed.chain(lists).collect()
}

fn fields(snapshot: &Snapshot, values: &HashMap<String, String>) -> Vec<Field> {
    let tr = lang::lang();
    lines_of(snapshot)
        .into_iter()
        .map(|(line, key)| Field {
            number: line.number(),
            label: crate::views::line_label(snapshot, tr, line),
            value: values.get(&key).cloned().unwrap_or_default(),
            key,
        })
        .collect()
}

/// `GET /work/s/{id}`: the entry form of a station (blank: the operator copies the paper
/// protocol, not the last version).
pub async fn entry_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Response {
    let (session, snapshot, station) = match scoped(&state, &headers, &id).await {
        Ok(it) => it,
        Err(res) => return res,
    };
    let current = snapshot.stations.get(&station).and_then(|it| it.current.as_ref()).map(|it| it.1);
    page(
        StatusCode::OK,
        &EntryPage {
            tr: lang::lang(),
            here: lang::here(),
            user: session.user,
            csrf: session.csrf,
            station: station.to_string(),
            current,
            fields: fields(&snapshot, &HashMap::new()),
            reason: String::new(),
            broken: Vec::new(),
            message: String::new(),
        },
    )
}

/// The numbers of a submitted form, or the fields that are not whole numbers.
fn parse_lines(
    snapshot: &Snapshot,
    form: &HashMap<String, String>,
) -> Result<ProtocolLines, Vec<Broken>> {
    let mut values = BTreeMap::new();
    let mut bad = Vec::new();
    for (line, key) in lines_of(snapshot) {
        let text = form.get(&key).map(|it| it.trim()).unwrap_or_default();
        match text.parse::<u64>() {
            Ok(value) if value <= saylau_core::count::protocol::MAX_LINE => {
                values.insert(line, value);
            }
            _ => bad.push(Broken {
                rule: "form".to_owned(),
                message: format!("line {} ({key}): {text:?} is not a whole number", line.number()),
                args: vec![
                    ("line", line.number()),
                    ("key", key.clone()),
                    ("text", text.to_owned()),
                ],
            }),
        }
    }
    if !bad.is_empty() {
        return Err(bad);
    }
    let get = |line: Line| values.get(&line).copied().unwrap_or(0);
    Ok(saylau_app::observe::payload::protocol_lines(snapshot.ballot.len(), get))
}

/// The names of the regions and districts, for the import path.
fn hierarchy(snapshot: &Snapshot) -> Hierarchy {
    let mut hierarchy = Hierarchy::new();
    for (id, territory) in &snapshot.territories {
        if *id != CommissionId::Central {
            // A name the hierarchy refuses (empty) is left for the store's default.
            let _ = hierarchy.name_commission(*id, &territory.name);
        }
    }
    hierarchy
}

/// `POST /work/s/{id}`: checks the form's CSRF token, the territory and the control
/// relations, then appends the protocol signed by the commission's key; 303 to the public
/// station page when recorded, 422 with every broken rule when not.
pub async fn enter(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let csrf = form.get("csrf").map(String::as_str).unwrap_or_default();
    if let Err(res) = form_session(&state, &headers, csrf).await {
        return res;
    }
    let (session, snapshot, station) = match scoped(&state, &headers, &id).await {
        Ok(it) => it,
        Err(res) => return res,
    };
    let reason = form.get("reason").cloned().unwrap_or_default();
    let current = snapshot.stations.get(&station).and_then(|it| it.current.as_ref()).map(|it| it.1);
    let refuse = |broken: Vec<Broken>, message: String| {
        page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &EntryPage {
                tr: lang::lang(),
                here: lang::here(),
                user: session.user.clone(),
                csrf: session.csrf.clone(),
                station: station.to_string(),
                current,
                fields: fields(&snapshot, &form),
                reason: reason.clone(),
                broken,
                message,
            },
        )
    };
    match submit_protocol(&state, &session.user, &snapshot, station, &form).await {
        Submitted::Recorded => private(Redirect::to(&format!("/en/s/{station}")).into_response()),
        Submitted::Pending => {
            message(StatusCode::ACCEPTED, &station, &lang::lang().t("work-pending"))
        }
        Submitted::Disputed(lines) => message(
            StatusCode::ACCEPTED,
            &station,
            &lang::lang().t_args(
                "work-disputed",
                &[("lines", lines.join(", ")), ("station", station.to_string())],
            ),
        ),
        Submitted::Refused(broken) => refuse(rules::localized(lang::lang(), broken), String::new()),
        Submitted::Conflict(why) => message(StatusCode::CONFLICT, &station, &why),
        Submitted::NoKey(commission) => no_key(&commission),
        Submitted::Failed(why) => crate::http::unavailable(&why),
    }
}

fn no_key(commission: &str) -> Response {
    let text = format!(
        "503: this server holds no key of commission {commission} (saylau serve --keys DIR)\n"
    );
    private((StatusCode::SERVICE_UNAVAILABLE, text).into_response())
}

#[derive(Template)]
#[template(path = "work_message.html")]
struct MessagePage {
    tr: crate::i18n::Lang,
    here: String,
    station: String,
    message: String,
}

fn message(status: StatusCode, station: &StationId, text: &str) -> Response {
    page(
        status,
        &MessagePage {
            tr: lang::lang(),
            here: lang::here(),
            station: station.to_string(),
            message: text.to_owned(),
        },
    )
}
