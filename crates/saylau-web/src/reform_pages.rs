//! The reform form and its API: `/{lang}/reform` is a GET form (no JavaScript) to try a
//! threshold, a method, a house size or a district plan of the seed's (17 districts, 7
//! regions, the 50/50 parallel plan) on the election's current national results, shown
//! beside the law's result with seats, the allocation trace (quota, threshold test,
//! remainders or awards, ties and the lot seed; for a plan, its districts' seats), a bar
//! chart and a hemicycle of the seats as inline SVG with their table; `/api/v1/reform` is
//! the same as JSON.
//!
//! Everything is computed by the app's [`reform`] use case (the path of `saylau compare`
//! and `allocate --set`); a parameter it rejects is a 422 naming the parameter. The query
//! is part of the ETag ([`crate::http::with_query`]).

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use saylau_app::compare::Variant;
use saylau_app::reform::{
    MAX_REFORM_SEATS, Reform, ReformError, ReformParams, methods, plans, reform,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::{Snap, unavailable};
use crate::i18n::Lang;
use crate::svg::{Bar, Wedge, bars, hemicycle};
use crate::trace_view::{TraceView, trace_view};
use crate::views::{Page, Tr};

/// The page route, for the public router.
pub fn pages() -> Router<crate::state::AppState> {
    Router::new().route("/{lang}/reform", get(reform_page))
}

/// The API route and its OpenAPI document.
pub fn api_router() -> (Router<crate::state::AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new().routes(routes!(reform_json)).split_for_parts()
}

/// The form's parameters from the query: the last value of each known key (others are
/// ignored, so that a repeated or unknown key is no 400).
fn params(query: &[(String, String)]) -> ReformParams {
    let last = |key: &str| query.iter().rev().find(|(name, _)| name == key).map(|it| it.1.clone());
    ReformParams {
        threshold: last("threshold"),
        method: last("method"),
        seats: last("seats"),
        plan: last("plan"),
    }
}

/// One list's row: its votes and its seats in each column.
struct RowView {
    name: String,
    votes: String,
    share: String,
    seats: Vec<String>,
}

/// A district of a plan: its seats in all and each list's.
struct DistrictView {
    name: String,
    magnitude: String,
    seats: Vec<String>,
}

/// One column: its charts, and its trace or its districts.
struct ColumnView {
    label: String,
    chart_svg: String,
    hemicycle_svg: String,
    trace: Option<TraceView>,
    districts: Vec<DistrictView>,
    /// A mixed plan: each list's single-member and list seats.
    mixed: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "reform.html")]
struct ReformPage {
    page: Page,
    tr: Tr,
    threshold: String,
    seats: String,
    max_seats: u32,
    methods: Vec<(&'static str, bool)>,
    plans: Vec<(&'static str, String, bool)>,
    plan_chosen: bool,
    list_names: Vec<String>,
    error: Option<String>,
    rows: Vec<RowView>,
    columns: Vec<ColumnView>,
}

fn color(idx: usize) -> String {
    let color = saylau_charts::party_color(idx, None);
    format!("#{:02x}{:02x}{:02x}", color.0, color.1, color.2)
}

/// The seats of each list of `variant` as bars and as a hemicycle, in the lists' colours.
fn charts(lang: Lang, label: &str, variant: &Variant) -> (String, String) {
    let lists = &variant.allocated.summary.lists;
    let chart: Vec<Bar> = lists
        .iter()
        .enumerate()
        .map(|(idx, list)| Bar {
            label: list.name.clone(),
            value: u64::from(list.seats.0),
            shown: list.seats.0.to_string(),
            color: color(idx),
        })
        .collect();
    let wedges: Vec<Wedge> = lists
        .iter()
        .enumerate()
        .map(|(idx, list)| Wedge {
            label: list.name.clone(),
            seats: list.seats.0,
            color: color(idx),
        })
        .collect();
    let title = format!("{}: {label}", lang.t("rf-seats"));
    (bars(&title, &chart), hemicycle(&format!("{} ({})", title, lang.t("rf-hemicycle")), &wedges))
}

fn column(lang: Lang, label: String, variant: &Variant) -> ColumnView {
    let (chart_svg, hemicycle_svg) = charts(lang, &label, variant);
    let summary = &variant.allocated.summary;
    let districts = summary
        .districts
        .iter()
        .map(|it| DistrictView {
            name: it.name.clone(),
            magnitude: it.seats.0.to_string(),
            seats: it.lists.iter().map(|list| list.seats.0.to_string()).collect(),
        })
        .collect();
    let mixed = summary
        .lists
        .iter()
        .filter_map(|it| {
            let (electorates, list) = (it.electorates?, it.list_seats?);
            Some((it.name.clone(), electorates.0.to_string(), list.0.to_string()))
        })
        .collect();
    ColumnView {
        trace: variant.allocated.report.as_ref().map(|it| trace_view(lang, it)),
        chart_svg,
        hemicycle_svg,
        districts,
        mixed,
        label,
    }
}

/// The rows and columns of a computed reform: a row per list of the law, with its seats
/// in every column (whatever the column's system).
fn tables(lang: Lang, reform: &Reform) -> (Vec<RowView>, Vec<ColumnView>) {
    let Some(law) = reform.variants.first() else { return (Vec::new(), Vec::new()) };
    let valid = law.allocated.valid_votes().0;
    let rows = law
        .allocated
        .summary
        .lists
        .iter()
        .map(|list| RowView {
            name: list.name.clone(),
            votes: lang.number(list.votes.0),
            share: lang.percent(list.votes.0, valid),
            seats: reform
                .variants
                .iter()
                .map(|variant| {
                    variant
                        .allocated
                        .summary
                        .lists
                        .iter()
                        .find(|it| it.id == list.id)
                        .map_or_else(String::new, |it| it.seats.0.to_string())
                })
                .collect(),
        })
        .collect();
    let columns = reform
        .variants
        .iter()
        .map(|variant| {
            let label =
                if variant.sets.is_empty() { lang.t("rf-law") } else { variant.label.clone() };
            column(lang, label, variant)
        })
        .collect();
    (rows, columns)
}

/// A reform error as a response status and a message in `lang`.
fn failure(lang: Lang, err: &ReformError) -> (StatusCode, String) {
    match err {
        ReformError::Param(param) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t_args(
                "rf-bad-param",
                &[("param", param.param.to_owned()), ("message", param.message.clone())],
            ),
        ),
        ReformError::Empty | ReformError::ListsDiffer(_) => (StatusCode::OK, lang.t("rf-none")),
        other => (StatusCode::SERVICE_UNAVAILABLE, other.to_string()),
    }
}

/// The query of the language switch: the parameters as checked (digits, `.`, lowercase
/// letters and `-` only, so nothing to encode), that the other languages show the same.
fn switch_query(params: &ReformParams) -> String {
    let pairs: Vec<String> = [
        ("threshold", &params.threshold),
        ("method", &params.method),
        ("seats", &params.seats),
        ("plan", &params.plan),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.as_ref().map(|value| format!("{key}={value}")))
    .collect();
    if pairs.is_empty() { String::new() } else { format!("?{}", pairs.join("&")) }
}

/// `/{lang}/reform?threshold=&method=&seats=`.
pub async fn reform_page(
    Snap(snapshot): Snap,
    Path(lang): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let Some(lang) = Lang::from_code(&lang) else { return StatusCode::NOT_FOUND.into_response() };
    let params = params(&query);
    let mut rest = "/reform".to_owned();
    let (status, error, rows, columns) = match reform(&snapshot.current, &params) {
        Ok(reform) => {
            rest.push_str(&switch_query(&reform.params));
            let (rows, columns) = tables(lang, &reform);
            (StatusCode::OK, None, rows, columns)
        }
        Err(err) => {
            let (status, message) = failure(lang, &err);
            if status == StatusCode::SERVICE_UNAVAILABLE {
                return unavailable(&format!("reform: {message}"));
            }
            (status, Some(message), Vec::new(), Vec::new())
        }
    };
    let chosen = params.method.as_deref().unwrap_or_default();
    let plan = params.plan.as_deref().map(str::trim).unwrap_or_default();
    let list_names = snapshot.ballot.lists().iter().map(|it| it.name.clone()).collect();
    let template = ReformPage {
        page: Page::new(&snapshot, lang, &rest, lang.t("rf-title")),
        tr: Tr(lang),
        threshold: params.threshold.clone().unwrap_or_default(),
        seats: params.seats.clone().unwrap_or_default(),
        max_seats: MAX_REFORM_SEATS,
        methods: methods().into_iter().map(|it| (it, it == chosen)).collect(),
        plans: plans()
            .into_iter()
            .map(|it| (it.name, lang.t(&format!("rf-plan-{}", it.name)), it.name == plan))
            .collect(),
        plan_chosen: plans().iter().any(|it| it.name == plan),
        list_names,
        error,
        rows,
        columns,
    };
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => unavailable(&format!("template: {err}")),
    }
}

/// The parameters of `/api/v1/reform`, each optional (absent keeps the law's value).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(dead_code, reason = "the OpenAPI document of the query; the handler reads it raw")]
pub struct ReformQuery {
    /// The threshold in percent of the valid votes (0 to 100, two decimals at most).
    threshold: Option<String>,
    /// The method, as in election files: `largest-remainder`, `dhondt`, `sainte-lague`, ...
    method: Option<String>,
    /// The house size, 1 to 1000.
    seats: Option<String>,
    /// A district plan of the seed's: `17-districts`, `7-regions` or `mixed-50-50`
    /// (absent: the law's single nationwide district).
    plan: Option<String>,
}

/// The law and the variant on the current national results.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReformJson {
    /// The election.
    pub election: String,
    /// Whether there are results to allocate.
    pub available: bool,
    /// The app's view model: `params` (as checked), `sets` (the overrides, as `saylau
    /// compare --set` takes them) and `comparison` (as `saylau compare --json` prints it:
    /// `variants[]`, the law first, each with its lists, seats and full trace).
    #[schema(value_type = Object)]
    pub reform: Option<serde_json::Value>,
}

/// A rejected parameter.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReformRejected {
    /// The parameter: `threshold`, `method`, `seats` or `plan`, or `variant` when their rules
    /// cannot allocate the seats (no list admitted).
    pub param: String,
    /// What is wrong with it.
    pub error: String,
}

/// Tries a threshold, method, house size or district plan on the current national
/// results, beside the law's result.
#[utoipa::path(get, path = "/api/v1/reform", tag = "results", params(ReformQuery),
    responses(
        (status = 200, description = "The law and the variant", body = ReformJson),
        (status = 422, description = "A parameter is malformed or out of bounds", body = ReformRejected)))]
pub async fn reform_json(
    Snap(snapshot): Snap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let params = params(&query);
    let election = snapshot.election.to_string();
    match reform(&snapshot.current, &params) {
        Ok(reform) => Json(ReformJson {
            election,
            available: true,
            reform: Some(serde_json::to_value(reform.json()).unwrap_or(serde_json::Value::Null)),
        })
        .into_response(),
        Err(ReformError::Param(param)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(ReformRejected { param: param.param.to_owned(), error: param.message }),
        )
            .into_response(),
        Err(ReformError::Empty | ReformError::ListsDiffer(_)) => {
            Json(ReformJson { election, available: false, reform: None }).into_response()
        }
        Err(err) => unavailable(&format!("reform: {err}")),
    }
}
