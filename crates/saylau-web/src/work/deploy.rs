//! The deployment plan of an observer organisation in the working interface:
//! `/work/deployments` lists which observer is deployed to which stations, and its
//! coordinator adds and withdraws deployments there (a form that works without
//! JavaScript, with the session's CSRF token). Each change is a signed entry of the
//! organisation's observer key (`saylau_app::observe::deploy`); an observer files copies,
//! statuses and incidents only for the stations it is deployed to.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Redirect, Response};
use saylau_app::observe::ObserveError;
use saylau_app::observe::deploy::{self, Change, Deployment};
use saylau_app::observe::form::organisation;
use saylau_store::users::Role;

use super::{forbidden, form_session, no_key, page, private, session, to_login};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "work_deployments.html")]
struct DeploymentsPage {
    tr: crate::i18n::Lang,
    here: String,
    csrf: String,
    organisation: String,
    coordinator: bool,
    rows: Vec<Deployment>,
    message: String,
}

async fn render(
    state: &AppState,
    status: StatusCode,
    session: &saylau_app::users::Session,
    org: &str,
    message: String,
) -> Response {
    let election = state.config().election.clone();
    let rows = match deploy::deployments(state.store(), &election, org).await {
        Ok(rows) => rows,
        Err(err) => return crate::http::unavailable(&err.to_string()),
    };
    page(
        status,
        &DeploymentsPage {
            tr: super::lang::lang(),
            here: super::lang::here(),
            csrf: session.csrf.clone(),
            organisation: org.to_owned(),
            coordinator: session.user.role == Role::ObserverCoordinator,
            rows,
            message,
        },
    )
}

/// `GET /work/deployments`: the organisation's deployment plan (for its observers and
/// coordinator); the coordinator also gets the form that changes it.
pub async fn deployments(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(session) = (match session(&state, &headers).await {
        Ok(it) => it,
        Err(res) => return res,
    }) else {
        return to_login();
    };
    let Some(org) = organisation(&session.user).map(str::to_owned) else {
        return forbidden("only an organisation's observers see its deployment plan");
    };
    render(&state, StatusCode::OK, &session, &org, String::new()).await
}

/// The deployment form.
#[derive(Debug, serde::Deserialize)]
pub struct DeployForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    station: String,
    /// `add` or `remove`.
    #[serde(default)]
    action: String,
}

/// `POST /work/deployments`: the coordinator deploys an observer of the organisation to a
/// station (`action=add`) or withdraws them (`action=remove`), signed by the
/// organisation's key; 303 back to the plan, 422 with the rule when refused, 403 for
/// anyone but the organisation's coordinator.
pub async fn change(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<DeployForm>,
) -> Response {
    let session = match form_session(&state, &headers, &form.csrf).await {
        Ok(session) => session,
        Err(res) => return res,
    };
    let org = match organisation(&session.user) {
        Some(org) if session.user.role == Role::ObserverCoordinator => org.to_owned(),
        _ => return forbidden("only an observer-group coordinator deploys its observers"),
    };
    let change = match form.action.as_str() {
        "add" => Change::Add,
        "remove" => Change::Remove,
        other => {
            let message = format!("no action {other:?}: add or remove");
            return render(&state, StatusCode::UNPROCESSABLE_ENTITY, &session, &org, message).await;
        }
    };
    let Some(key) = state.work().key(&session.user.territory) else {
        return no_key(&session.user.territory);
    };
    let author = saylau_app::entry::author(&session.user, &session.user.name);
    let election = state.config().election.clone();
    let changed = deploy::deploy(
        state.store(),
        &election,
        form.user.trim(),
        form.station.trim(),
        change,
        key,
        &author,
    )
    .await;
    state.forget_head();
    match changed {
        Ok(_) => private(Redirect::to("/work/deployments").into_response()),
        Err(err @ ObserveError::Refused { .. }) => {
            render(&state, StatusCode::UNPROCESSABLE_ENTITY, &session, &org, err.to_string()).await
        }
        Err(err) => crate::http::unavailable(&err.to_string()),
    }
}
