//! The write half of `/api/v1` (`docs/portal.md`): a bearer token for a user of the
//! working interface, and protocol entry with it, under the same roles, territories,
//! control relations and double entry as the forms of [`crate::work`]. A bearer token
//! needs no CSRF token (a browser never sends it by itself); a cookie is not accepted
//! here, and a bearer token is not accepted by the forms.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saylau_app::entry::Broken;
use saylau_app::users::{self, LoginError};
use saylau_core::count::commission::StationId;
use saylau_store::users::SessionKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::work::{Submitted, session, submit_protocol};

/// A login for a bearer token.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// The user's name.
    pub name: String,
    /// The password.
    pub password: String,
}

/// A bearer token, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenJson {
    /// `Authorization: Bearer <token>`.
    pub token: String,
    /// When it expires (Unix seconds).
    pub expires_at: i64,
    /// The user's role.
    pub role: String,
    /// The user's territory.
    pub territory: String,
}

/// A protocol submitted by an operator.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProtocolRequest {
    /// Every line by its key: `voters_on_roll`, ..., `against_all`, `list_1`, `list_2`...
    pub lines: HashMap<String, u64>,
    /// The version it corrects, if any.
    pub base: Option<u64>,
    /// Why, for a correction.
    pub reason: Option<String>,
}

/// What a submission came to.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmittedJson {
    /// `recorded`, `pending`, `disputed`, `refused`, `conflict`.
    pub outcome: String,
    /// The lines two entries differ on (`disputed`).
    pub lines: Vec<String>,
    /// The broken rules (`refused`), or why not (`conflict`).
    pub broken: Vec<BrokenJson>,
}

/// A broken rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrokenJson {
    /// Its code (`P-1`, ..., `reason_required`, `form`, `double-entry`).
    pub rule: String,
    /// What is wrong.
    pub message: String,
}

fn no_store(status: StatusCode, body: impl Serialize) -> Response {
    let mut res = (status, Json(body)).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn error(status: StatusCode, message: &str) -> Response {
    no_store(status, crate::api::ErrorJson { error: message.to_owned() })
}

fn now() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |it| i64::try_from(it.as_secs()).unwrap_or(i64::MAX))
}

/// A bearer token for a user (the same login rules as the form: equal timing, 429).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "work", request_body = TokenRequest,
    responses((status = 201, description = "A bearer token", body = TokenJson),
              (status = 401, description = "Wrong name or password", body = crate::api::ErrorJson),
              (status = 429, description = "Too many failed logins", body = crate::api::ErrorJson)))]
pub async fn token(State(state): State<AppState>, Json(login): Json<TokenRequest>) -> Response {
    match users::login(state.store(), &login.name, &login.password, SessionKind::Bearer, now())
        .await
    {
        Ok(session) => no_store(
            StatusCode::CREATED,
            TokenJson {
                token: session.token,
                expires_at: session.expires_at,
                role: session.user.role.as_str().to_owned(),
                territory: session.user.territory,
            },
        ),
        Err(LoginError::Invalid) => error(StatusCode::UNAUTHORIZED, "wrong name or password"),
        Err(LoginError::TooMany) => error(StatusCode::TOO_MANY_REQUESTS, "too many failed logins"),
        Err(err) => error(StatusCode::SERVICE_UNAVAILABLE, &err.to_string()),
    }
}

fn broken_json(broken: Vec<Broken>) -> Vec<BrokenJson> {
    broken.into_iter().map(|it| BrokenJson { rule: it.rule, message: it.message }).collect()
}

/// An operator's entry of a station's protocol, with a bearer token: 201 recorded (a new
/// signed version), 202 pending or disputed (double entry), 403 outside the territory,
/// 409 a double-entry step out of turn, 422 broken rules.
#[utoipa::path(post, path = "/api/v1/stations/{id}/protocol", tag = "work",
    params(("id" = String, Path, description = "Station id, `RR-DD-SSSS`", example = "01-01-0001")),
    request_body = ProtocolRequest,
    responses((status = 201, description = "Recorded", body = SubmittedJson),
              (status = 202, description = "Pending or disputed", body = SubmittedJson),
              (status = 401, description = "No bearer token", body = crate::api::ErrorJson),
              (status = 403, description = "Outside the territory", body = crate::api::ErrorJson),
              (status = 409, description = "Out of turn", body = SubmittedJson),
              (status = 422, description = "Broken rules", body = SubmittedJson)))]
pub async fn protocol(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<ProtocolRequest>,
) -> Response {
    let session = match session(&state, &headers).await {
        Ok(Some(session)) if session.kind == SessionKind::Bearer => session,
        Ok(_) => return error(StatusCode::UNAUTHORIZED, "a bearer token is required"),
        Err(res) => return res,
    };
    let snapshot = match state.write_snapshot(&id).await {
        Ok(snapshot) => snapshot,
        Err(err) => return error(StatusCode::SERVICE_UNAVAILABLE, &err.to_string()),
    };
    let Some(station) = StationId::parse(&id).ok().filter(|it| snapshot.stations.contains_key(it))
    else {
        return error(StatusCode::NOT_FOUND, "no such station");
    };
    if !users::may_write_station(&session.user, &id) {
        return error(StatusCode::FORBIDDEN, "outside the user's territory");
    }
    let mut form: HashMap<String, String> =
        body.lines.into_iter().map(|(k, v)| (k, v.to_string())).collect();
    if let Some(base) = body.base {
        form.insert("base".to_owned(), base.to_string());
    }
    if let Some(reason) = body.reason {
        form.insert("reason".to_owned(), reason);
    }
    let outcome =
        |outcome: &str, lines, broken| SubmittedJson { outcome: outcome.to_owned(), lines, broken };
    match submit_protocol(&state, &session.user, &snapshot, station, &form).await {
        Submitted::Recorded => no_store(StatusCode::CREATED, outcome("recorded", vec![], vec![])),
        Submitted::Pending => no_store(StatusCode::ACCEPTED, outcome("pending", vec![], vec![])),
        Submitted::Disputed(lines) => {
            no_store(StatusCode::ACCEPTED, outcome("disputed", lines, vec![]))
        }
        Submitted::Refused(broken) => no_store(
            StatusCode::UNPROCESSABLE_ENTITY,
            outcome("refused", vec![], broken_json(broken)),
        ),
        Submitted::Conflict(why) => no_store(
            StatusCode::CONFLICT,
            outcome(
                "conflict",
                vec![],
                vec![BrokenJson { rule: "double-entry".into(), message: why }],
            ),
        ),
        Submitted::NoKey(commission) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!("this server holds no key of commission {commission}"),
        ),
        Submitted::Failed(why) => error(StatusCode::SERVICE_UNAVAILABLE, &why),
    }
}

/// The write routes and their OpenAPI paths.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new().routes(routes!(token)).routes(routes!(protocol)).split_for_parts()
}
