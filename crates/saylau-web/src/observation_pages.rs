//! The observation pages and their API: `/{lang}/observation` (the reconciliation by
//! region, the refusal map, the published aggregate of 2021 with its seats at 7 % and
//! 5 %), `/{lang}/observation/{region}` (every station of a region as each observer saw
//! it), `/{lang}/quick-count` (the quick count when the portal publishes one, else what it
//! would take), and the same data under `/api/v1/observation...` and
//! `/api/v1/quick-count`.
//!
//! The data is the app's [`report`] view model, the one `saylau observe report` prints;
//! public like the other pages, under the log head's ETag.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use saylau_app::observe::report::{ReportView, report};
use saylau_app::reconcile::StationRow;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::{Snap, unavailable};
use crate::i18n::Lang;
use crate::observation::{Links, Sections, sections, status_label};
use crate::state::AppState;
use crate::views::{Crumb, Page, Tr};

#[derive(Template)]
#[template(path = "observation.html")]
struct ObservationPage {
    page: Page,
    tr: Tr,
    s: Sections,
}

#[derive(Template)]
#[template(path = "observation_region.html")]
struct RegionPage {
    page: Page,
    tr: Tr,
    rows: Vec<Vec<String>>,
    stations: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "quick_count.html")]
struct QuickCountPage {
    page: Page,
    tr: Tr,
    s: Sections,
}

/// The page routes, for the public router.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/{lang}/observation", get(observation))
        .route("/{lang}/observation/{region}", get(observation_region))
        .route("/{lang}/quick-count", get(quick_count))
}

/// The API routes and their OpenAPI document.
pub fn api_router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new()
        .routes(routes!(observation_json))
        .routes(routes!(observation_region_json))
        .routes(routes!(quick_count_json))
        .split_for_parts()
}

/// The report of the portal's election, with the portal's quick count if any.
async fn view(state: &AppState) -> Result<ReportView, Response> {
    let election = &state.config().election;
    let mut view = report(state.store(), election, state.quick_count().cloned())
        .await
        .map_err(|err| unavailable(&err.to_string()))?;
    view.estimate = state.quick_count().cloned();
    Ok(view)
}

fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => unavailable(&format!("template: {err}")),
    }
}

/// `/{lang}/observation`.
pub async fn observation(
    State(state): State<AppState>,
    Snap(snapshot): Snap,
    Path(lang): Path<String>,
) -> Response {
    let Some(lang) = Lang::from_code(&lang) else { return StatusCode::NOT_FOUND.into_response() };
    let view = match view(&state).await {
        Ok(view) => view,
        Err(res) => return res,
    };
    let page = Page::new(&snapshot, lang, "/observation", lang.t("obs-page-title"));
    render(&ObservationPage { page, tr: Tr(lang), s: sections(&view, lang, Links::Portal(lang)) })
}

/// The rows of `region` (two digits), or none when it is not a region code.
fn region_rows<'a>(view: &'a ReportView, region: &str) -> Option<Vec<&'a StationRow>> {
    let code: u8 = region.parse().ok().filter(|it| (1..=17).contains(it))?;
    (region.len() == 2 && format!("{code:02}") == region)
        .then(|| view.reconcile.stations.iter().filter(|it| it.region == region).collect())
}

/// `/{lang}/observation/{region}`: every station of a region as each observer saw it.
pub async fn observation_region(
    State(state): State<AppState>,
    Snap(snapshot): Snap,
    Path((lang, region)): Path<(String, String)>,
) -> Response {
    let Some(lang) = Lang::from_code(&lang) else { return StatusCode::NOT_FOUND.into_response() };
    let view = match view(&state).await {
        Ok(view) => view,
        Err(res) => return res,
    };
    let Some(rows) = region_rows(&view, &region) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let name = view.regions.iter().find(|it| it.region == region).map(|it| it.name.clone());
    let title = lang.t_args(
        "obs-region-title",
        &[("region", format!("{region} {}", name.unwrap_or_default()).trim().to_owned())],
    );
    let mut page = Page::new(&snapshot, lang, &format!("/observation/{region}"), title);
    page.crumbs.push(Crumb {
        href: format!("/{}/observation", lang.code()),
        label: lang.t("obs-page-title"),
    });
    let stations = rows
        .iter()
        .map(|row| (row.station.clone(), format!("/{}/s/{}", lang.code(), row.station)))
        .collect();
    let rows = rows
        .iter()
        .map(|row| {
            let lines: Vec<String> = row
                .lines
                .iter()
                .map(|it| {
                    format!("{}: {} / {} ({:+})", it.line, it.official, it.copy, it.difference)
                })
                .collect();
            vec![
                row.observer.clone().unwrap_or_default(),
                status_label(lang, row.status),
                row.official_turnout.clone().unwrap_or_default(),
                row.copy_turnout.clone().unwrap_or_default(),
                lines.join("; "),
                [row.time.clone(), row.note.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
        .collect();
    render(&RegionPage { page, tr: Tr(lang), rows, stations })
}

/// `/{lang}/quick-count`.
pub async fn quick_count(
    State(state): State<AppState>,
    Snap(snapshot): Snap,
    Path(lang): Path<String>,
) -> Response {
    let Some(lang) = Lang::from_code(&lang) else { return StatusCode::NOT_FOUND.into_response() };
    let view = match view(&state).await {
        Ok(view) => view,
        Err(res) => return res,
    };
    let mut page = Page::new(&snapshot, lang, "/quick-count", lang.t("obs-quick-count-title"));
    page.crumbs.push(Crumb {
        href: format!("/{}/observation", lang.code()),
        label: lang.t("obs-page-title"),
    });
    render(&QuickCountPage { page, tr: Tr(lang), s: sections(&view, lang, Links::Portal(lang)) })
}

/// The observation summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObservationJson {
    /// The election.
    pub election: String,
    /// Totals over the stations with both sides and seats from each side at 7 % and 5 %,
    /// as `saylau reconcile --json` prints them.
    #[schema(value_type = Object)]
    pub totals: serde_json::Value,
    /// Rows per status, and per region and status.
    #[schema(value_type = Object)]
    pub findings: serde_json::Value,
    /// Each region's findings: observed, matched, mismatched, added ballots, refused, not
    /// admitted, removed, missing copy, missing official.
    #[schema(value_type = Vec<Object>)]
    pub regions: serde_json::Value,
    /// Official and observed turnout per station with both sides.
    #[schema(value_type = Vec<Object>)]
    pub turnout: serde_json::Value,
    /// The observers' published aggregate of 2021 with its seats at 7 % and 5 % beside
    /// the official result.
    #[schema(value_type = Object)]
    pub published: serde_json::Value,
    /// The incident reports by type, region and hour, as `saylau incidents summary
    /// --json` prints them.
    #[schema(value_type = Object)]
    pub incidents: serde_json::Value,
}

/// A region's stations as each observer saw them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObservationRegionJson {
    /// The region's code.
    pub region: String,
    /// Every row of `saylau reconcile --json` in the region.
    #[schema(value_type = Vec<Object>)]
    pub stations: serde_json::Value,
}

/// The portal's quick count.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuickCountJson {
    /// Whether the portal publishes a quick count.
    pub available: bool,
    /// The estimate, as `saylau pvt estimate --json` prints it; null when none.
    #[schema(value_type = Object)]
    pub estimate: Option<serde_json::Value>,
    /// What a quick count needs, when there is none.
    pub explanation: Option<String>,
}

fn json_of<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// The reconciliation summary, findings by region and the published aggregate.
#[utoipa::path(get, path = "/api/v1/observation", tag = "observation",
    responses((status = 200, description = "The observation summary", body = ObservationJson)))]
pub async fn observation_json(State(state): State<AppState>) -> Response {
    match view(&state).await {
        Ok(view) => Json(ObservationJson {
            election: view.election.clone(),
            totals: json_of(&view.reconcile.totals),
            findings: json_of(&view.reconcile.findings),
            regions: json_of(&view.regions),
            turnout: json_of(&view.turnout),
            published: json_of(&view.published),
            incidents: json_of(&view.incidents),
        })
        .into_response(),
        Err(res) => res,
    }
}

/// A region's stations, each as each observer saw it.
#[utoipa::path(get, path = "/api/v1/observation/{region}", tag = "observation",
    params(("region" = String, Path, description = "Region code, `RR`", example = "15")),
    responses((status = 200, description = "The region's stations", body = ObservationRegionJson),
              (status = 404, description = "No such region", body = crate::api::ErrorJson)))]
pub async fn observation_region_json(
    State(state): State<AppState>,
    Path(region): Path<String>,
) -> Response {
    let view = match view(&state).await {
        Ok(view) => view,
        Err(res) => return res,
    };
    match region_rows(&view, &region) {
        Some(rows) => {
            Json(ObservationRegionJson { region, stations: json_of(&rows) }).into_response()
        }
        None => (
            StatusCode::NOT_FOUND,
            Json(crate::api::ErrorJson { error: "no such region".to_owned() }),
        )
            .into_response(),
    }
}

/// The quick count, if the portal publishes one.
#[utoipa::path(get, path = "/api/v1/quick-count", tag = "observation",
    responses((status = 200, description = "The quick count or why there is none", body = QuickCountJson)))]
pub async fn quick_count_json(State(state): State<AppState>) -> Response {
    let estimate = state.quick_count().map(json_of);
    Json(QuickCountJson {
        available: estimate.is_some(),
        explanation: estimate.is_none().then(|| Lang::En.t("obs-pvt-none")),
        estimate,
    })
    .into_response()
}
