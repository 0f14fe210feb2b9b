//! saylau-web: the public results portal and its JSON API.
//!
//! [`app`] is the whole portal as an axum `Router`, a pure function of its [`AppState`]
//! (the store and the election to publish); [`serve`] only binds a listener and serves it
//! until SIGTERM or Ctrl-C.
//!
//! - [`results`]: the read model, one snapshot of the election per log head.
//! - [`pages`] and [`views`]: server-rendered pages in Kazakh, Russian and English
//!   ([`i18n`]), with inline SVG ([`svg`]) beside tables of the same numbers.
//! - [`api`]: `/api/v1/...` JSON and its OpenAPI 3.1 document; [`opendata`]: bulk files
//!   with a SHA-256 manifest.
//! - [`commissions_pages`]: `/{lang}/commissions` and `/api/v1/commissions`, the balance
//!   of the commissions register.
//! - [`forensics_pages`] and [`forensics_svg`]: `/{lang}/forensics` and
//!   `/api/v1/forensics`, the forensic tests of the election's current protocols.
//! - [`reform_pages`]: `/{lang}/reform` and `/api/v1/reform`, a threshold, method or house
//!   size tried on the current national results beside the law's.
//! - [`images`]: protocol images at `/img/{sha256}` (their hash as the ETag, immutable) and
//!   their upload with a token; [`work::image`] is the upload form.
//! - [`http`]: strong ETags from the log head, 304, `Cache-Control`, security headers.
//! - [`state`]: the store, the configuration and the snapshot cache.
//! - [`work`]: the working interface under `/work/`: login, sessions, CSRF, protocol entry
//!   scoped to the user's territory and signed by its commission's key; [`work_api`]: the
//!   same with bearer tokens under `/api/v1`.

pub mod api;
pub mod commissions_pages;
pub mod forensics_pages;
pub mod forensics_svg;
pub mod http;
pub mod i18n;
pub mod images;
pub mod observation;
pub mod observation_incidents;
pub mod observation_pages;
pub mod observation_svg;
pub mod opendata;
pub mod pages;
pub mod reform_pages;
pub mod results;
pub mod state;
pub mod svg;
pub mod trace_view;
pub mod views;
pub mod work;
pub mod work_api;

use std::net::SocketAddr;
use std::sync::OnceLock;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;

pub use state::{AppState, Config};

/// The OpenAPI document as served (generated once from the routes).
static OPENAPI: OnceLock<String> = OnceLock::new();

/// The OpenAPI 3.1 document of the API.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "This document", content_type = "application/json")))]
pub async fn openapi_json() -> Response {
    let doc = OPENAPI.get_or_init(|| openapi().to_pretty_json().unwrap_or_default());
    ([(header::CONTENT_TYPE, "application/json")], doc.clone()).into_response()
}

fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (api, mut doc) = api::router();
    let (extra, extra_doc) = utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(openapi_json))
        .routes(utoipa_axum::routes!(opendata::manifest))
        .routes(utoipa_axum::routes!(opendata::download))
        .split_for_parts();
    doc.merge(extra_doc);
    doc.merge(work_api::router().1);
    doc.merge(images::router().1);
    let (observation, observation_doc) = observation_pages::api_router();
    doc.merge(observation_doc);
    let (forensics, forensics_doc) = forensics_pages::api_router();
    doc.merge(forensics_doc);
    let (reform, reform_doc) = reform_pages::api_router();
    doc.merge(reform_doc);
    let (commissions, commissions_doc) = commissions_pages::api_router();
    doc.merge(commissions_doc);
    let api = api.merge(extra).merge(observation).merge(forensics).merge(reform);
    (api.merge(commissions), doc)
}

/// The OpenAPI document of every `/api/v1` and `/open-data` route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().1
}

/// The portal: public pages, API and open data, with ETags, compression and security
/// headers. A pure function of `state`.
pub fn app(state: AppState) -> Router {
    let (api, _) = routes();
    let public = Router::new()
        .route("/{lang}/", get(pages::national))
        .route("/{lang}/t/{id}", get(pages::territory))
        .route("/{lang}/s/{id}", get(pages::station))
        .merge(observation_pages::pages())
        .merge(forensics_pages::pages())
        .merge(reform_pages::pages())
        .merge(commissions_pages::pages())
        .merge(api)
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), http::public));
    let work = Router::new()
        .route("/work/", get(work::home))
        .route("/work/login", get(work::login_form).post(work::login))
        .route("/work/logout", axum::routing::post(work::logout))
        .route("/work/go", get(work::go))
        .route("/work/s/{id}", get(work::entry_form).post(work::enter))
        .route("/work/s/{id}/resolve", get(work::resolve_form).post(work::resolve))
        .route(
            "/work/s/{id}/image",
            post(work::image::upload).layer(axum::extract::DefaultBodyLimit::max(
                saylau_app::images::MAX_IMAGE_BYTES + 64 * 1024,
            )),
        )
        .route("/work/o/{id}", get(work::observe::observe_form))
        .route("/work/o/{id}/copy", post(work::observe::copy))
        .route("/work/o/{id}/status", post(work::observe::status))
        .route(
            "/work/o/{id}/incident",
            post(work::observe::incident).layer(axum::extract::DefaultBodyLimit::max(
                work::observe::MAX_EVIDENCE + 64 * 1024,
            )),
        )
        .route("/work/incidents", get(work::observe::incidents))
        .route("/work/deployments", get(work::deploy::deployments).post(work::deploy::change))
        .route("/work/incidents/{id}/state", post(work::observe::move_incident))
        .route("/work/lang/{code}", get(work::lang::choose))
        .route("/work/check", post(work::check::check))
        .route_layer(axum::middleware::from_fn(work::lang::scope));
    Router::new()
        .route("/", get(pages::root))
        .merge(work)
        .merge(work_api::router().0)
        .merge(images::router().0)
        .route("/{lang}", get(pages::lang_root))
        .route("/static/site.css", get(pages::css))
        .route("/static/work.js", get(work::check::script))
        .merge(public)
        .fallback(pages::fallback)
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(http::security))
        .with_state(state)
}

/// Serves `state`'s portal on `addr` until SIGTERM or Ctrl-C, following the appends of
/// other instances on the same PostgreSQL store ([`AppState::follow`]).
pub async fn serve(addr: SocketAddr, state: AppState) -> std::io::Result<()> {
    state.follow().await.map_err(|err| std::io::Error::other(err.to_string()))?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app(state)).with_graceful_shutdown(shutdown()).await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
