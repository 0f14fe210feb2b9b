//! The commissions page and its API (`docs/commissions.md`): `/{lang}/commissions` shows the
//! balance of the commissions register of the portal's election on the latest first day of
//! a term: each level and the country by nominator and by party membership with the
//! commissions where one party's nominees, the akimat's and maslikhat's nominees or one
//! party's members hold a majority, then the CEC and every territorial commission;
//! `/api/v1/commissions` is the app's whole report (every precinct commission too) as JSON.
//!
//! The data is the app's [`report`] view model, read once per log head (the register lives
//! in the log) and shared by the pages and the API.

use std::sync::Arc;

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use saylau_app::commissions::report::{Report, Summary, report};
use saylau_app::commissions::{Composition, Flag, Level, Share};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::{Snap, unavailable};
use crate::i18n::Lang;
use crate::results::Snapshot;
use crate::state::AppState;
use crate::views::{Page, Tr};

#[derive(Template)]
#[template(path = "commissions.html")]
struct CommissionsPage {
    page: Page,
    tr: Tr,
    intro: String,
    /// The summary rows: level, with members / registered, members, nominators, parties,
    /// and the three counts of flagged commissions.
    summaries: Vec<Vec<String>>,
    /// The CEC's and the territorial commissions' rows: id, level, members, nominators,
    /// flags.
    commissions: Vec<Vec<String>>,
    /// Whether the register has members at all.
    any: bool,
}

/// The page route, for the public router.
pub fn pages() -> Router<AppState> {
    Router::new().route("/{lang}/commissions", get(commissions))
}

/// The API route and its OpenAPI document.
pub fn api_router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new().routes(routes!(commissions_json)).split_for_parts()
}

/// The last report read, by the ETag of its snapshot.
static LAST: tokio::sync::Mutex<Option<(String, Arc<Report>)>> =
    tokio::sync::Mutex::const_new(None);

async fn view(state: &AppState, snapshot: &Snapshot) -> Result<Arc<Report>, Response> {
    let etag = snapshot.etag();
    let mut last = LAST.lock().await;
    if let Some((tag, view)) = last.as_ref()
        && *tag == etag
    {
        return Ok(Arc::clone(view));
    }
    let view = report(state.store(), &snapshot.election, None, None)
        .await
        .map_err(|err| unavailable(&format!("commissions: {err}")))?;
    let view = Arc::new(view);
    *last = Some((etag, Arc::clone(&view)));
    Ok(view)
}

fn level_label(lang: Lang, level: Option<Level>) -> String {
    lang.t(match level {
        Some(Level::Central) => "cm-level-cec",
        Some(Level::Region) => "cm-level-region",
        Some(Level::District) => "cm-level-district",
        Some(Level::Precinct) => "cm-level-pec",
        None => "cm-level-country",
    })
}

/// A nominator's name for people: a party by its id, any other by its kind's label.
fn nominator_label(lang: Lang, name: &str) -> String {
    let key = match name.split_once(':').map_or(name, |(kind, _)| kind) {
        "party" => return name.trim_start_matches("party:").to_owned(),
        "ngo" => "cm-by-ngo",
        "akimat" => "cm-by-akimat",
        "maslikhat" => "cm-by-maslikhat",
        "commission" => "cm-by-commission",
        "appointed" => "cm-by-appointed",
        "lot" => "cm-by-lot",
        _ => "cm-by-self",
    };
    match name.split_once(':') {
        Some((kind, who)) if kind != "party" => format!("{} {who}", lang.t(key)),
        _ => lang.t(key),
    }
}

fn shares(lang: Lang, shares: &[Share], limit: usize, label: bool) -> String {
    let percent = |text: &str| match lang {
        Lang::En => text.to_owned(),
        Lang::Kk | Lang::Ru => text.replace('.', ","),
    };
    shares
        .iter()
        .take(limit)
        .map(|it| {
            let name = if label { nominator_label(lang, &it.name) } else { it.name.clone() };
            format!("{name}: {} ({} %)", lang.number(u64::from(it.members)), percent(&it.percent))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn summary_row(lang: Lang, summary: &Summary) -> Vec<String> {
    let n = |value: usize| lang.number(value as u64);
    vec![
        level_label(lang, summary.level),
        format!("{} / {}", n(summary.with_members), n(summary.registered)),
        lang.number(u64::from(summary.members)),
        shares(lang, &summary.by_nominator, 5, true),
        shares(lang, &summary.by_party_member, 3, false),
        n(summary.party_majority),
        n(summary.local_authority_majority),
        n(summary.membership_majority),
    ]
}

fn flag_label(lang: Lang, flag: &Flag) -> String {
    match flag {
        Flag::PartyMajority { party } => lang.t_args("cm-flag-party", &[("party", party.clone())]),
        Flag::LocalAuthorityMajority => lang.t("cm-flag-local"),
        Flag::MembershipMajority { party } => {
            lang.t_args("cm-flag-membership", &[("party", party.clone())])
        }
    }
}

fn commission_row(lang: Lang, it: &Composition) -> Vec<String> {
    let flags: Vec<String> = it.flags.iter().map(|flag| flag_label(lang, flag)).collect();
    vec![
        it.commission.clone(),
        level_label(lang, Some(it.level)),
        lang.number(u64::from(it.members)),
        shares(lang, &it.by_nominator, 7, true),
        flags.join("; "),
    ]
}

/// `/{lang}/commissions`.
pub async fn commissions(
    State(state): State<AppState>,
    Snap(snapshot): Snap,
    Path(lang): Path<String>,
) -> Response {
    let Some(lang) = Lang::from_code(&lang) else { return StatusCode::NOT_FOUND.into_response() };
    let view = match view(&state, &snapshot).await {
        Ok(view) => view,
        Err(res) => return res,
    };
    let intro = match view.on {
        Some(on) => lang.t_args(
            "cm-intro",
            &[
                ("day", on.to_string()),
                ("members", lang.number(u64::from(view.national.members))),
                ("commissions", lang.number(view.national.with_members as u64)),
            ],
        ),
        None => lang.t("cm-none"),
    };
    let template = CommissionsPage {
        page: Page::new(&snapshot, lang, "/commissions", lang.t("cm-title")),
        tr: Tr(lang),
        intro,
        summaries: view
            .levels
            .iter()
            .chain(std::iter::once(&view.national))
            .map(|it| summary_row(lang, it))
            .collect(),
        commissions: view
            .commissions
            .iter()
            .filter(|it| it.level != Level::Precinct)
            .map(|it| commission_row(lang, it))
            .collect(),
        any: view.on.is_some(),
    };
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => unavailable(&format!("template: {err}")),
    }
}

/// The commissions register's balance.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommissionsJson {
    /// The report, as the app's view model (`saylau commissions report --json`): `on`,
    /// `commissions` (each with `by_nominator`, `by_party_member` and `flags`), `levels`
    /// and `national`.
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
}

/// The balance of the commissions register: members by nominator and party membership per
/// commission, level and the country, with the majorities flagged.
#[utoipa::path(get, path = "/api/v1/commissions", tag = "commissions",
    responses((status = 200, description = "The commissions register's balance", body = CommissionsJson)))]
pub async fn commissions_json(State(state): State<AppState>, Snap(snapshot): Snap) -> Response {
    let view = match view(&state, &snapshot).await {
        Ok(view) => view,
        Err(res) => return res,
    };
    let report = serde_json::to_value(view.as_ref()).unwrap_or(serde_json::Value::Null);
    Json(CommissionsJson { report }).into_response()
}
