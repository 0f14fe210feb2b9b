//! The public pages, server-rendered with askama (compile-time checked templates under
//! `templates/`, auto-escaped) and working without JavaScript: the national result, each
//! region and district commission, each polling station with its history.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use saylau_core::count::commission::{CommissionId, Level, StationId};

use crate::http::{Snap, unavailable};
use crate::i18n::Lang;
use crate::results::Snapshot;
use crate::state::AppState;
use crate::trace_view::{TraceView, trace_view};
use crate::views::{
    ChildRow, ExtraRow, LineRow, ListRow, MissingRow, Page, Reporting, RuleRow, Tr, VersionRow,
    children, children_title, crumbs, extra_rows, flag_rows, line_rows, map, rest, rule_rows,
    version_rows, votes,
};

#[derive(Template)]
#[template(path = "national.html")]
struct NationalPage {
    page: Page,
    tr: Tr,
    reporting: Reporting,
    lists: Vec<ListRow>,
    with_seats: bool,
    chart_svg: String,
    map_svg: String,
    /// Where the rules of the national allocation come from.
    rules: String,
    trace: Option<TraceView>,
    children_title: String,
    children: Vec<ChildRow>,
    not_received: Vec<MissingRow>,
}

#[derive(Template)]
#[template(path = "territory.html")]
struct TerritoryPage {
    page: Page,
    tr: Tr,
    reporting: Reporting,
    lists: Vec<ListRow>,
    with_seats: bool,
    chart_svg: String,
    children_title: String,
    children: Vec<ChildRow>,
    not_received: Vec<MissingRow>,
}

#[derive(Template)]
#[template(path = "station.html")]
struct StationPage {
    page: Page,
    tr: Tr,
    status: String,
    received: bool,
    lines: Vec<LineRow>,
    control: Vec<RuleRow>,
    extra: Vec<ExtraRow>,
    flags: Vec<RuleRow>,
    lists: Vec<ListRow>,
    with_seats: bool,
    chart_svg: String,
    versions: Vec<VersionRow>,
    images: Vec<ImageRow>,
}

/// One uploaded image of a station's protocol, newest first on the page.
struct ImageRow {
    version: u64,
    sha256: String,
    /// Whether it is shown inline (JPEG, PNG) or linked (PDF).
    picture: bool,
    media_type: String,
    size: String,
    operator: String,
    recorded_at: String,
    reason: String,
    entry: u64,
}

fn image_rows(lang: Lang, images: Vec<saylau_app::images::ImageView>) -> Vec<ImageRow> {
    images
        .into_iter()
        .rev()
        .map(|it| ImageRow {
            version: it.version,
            picture: it.media_type.starts_with("image/"),
            size: lang.number(it.size),
            media_type: it.media_type,
            sha256: it.sha256,
            operator: it.operator,
            recorded_at: it.recorded_at,
            reason: it.reason.unwrap_or_default(),
            entry: it.seq,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    page: Page,
    tr: Tr,
}

fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => unavailable(&format!("template: {err}")),
    }
}

/// 404 in the page's language.
fn not_found(snapshot: &Snapshot, lang: Lang, rest: &str) -> Response {
    let page = Page::new(snapshot, lang, rest, lang.t("not-found"));
    let mut res = render(&NotFoundPage { page, tr: Tr(lang) });
    *res.status_mut() = StatusCode::NOT_FOUND;
    res
}

/// `/`: to `/kk/`, `/ru/` or `/en/` by `Accept-Language` (303, not cached: it varies).
pub async fn root(headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|it| it.to_str().ok());
    let lang = Lang::negotiate(accept.unwrap_or(""));
    let mut res = Redirect::to(&format!("/{}/", lang.code())).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-language"));
    res
}

/// `/{lang}`: to `/{lang}/`.
pub async fn lang_root(Path(lang): Path<String>) -> Response {
    match Lang::from_code(&lang) {
        Some(lang) => Redirect::permanent(&format!("/{}/", lang.code())).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The allocation trace and where its rules come from, and the seats and threshold of each
/// list in `lists`.
fn national_trace(
    snapshot: &Snapshot,
    lang: Lang,
    lists: &mut [ListRow],
) -> Option<(String, TraceView)> {
    snapshot.national.as_ref().map(|national| {
        let report = &national.report;
        for (row, list) in lists.iter_mut().zip(&report.lists) {
            row.seats = list.seats.0.to_string();
            row.qualified = lang.t(if list.qualified { "yes" } else { "no" });
        }
        (national.rules.clone(), trace_view(lang, report))
    })
}

/// `/{lang}/`: the national result.
pub async fn national(Snap(snapshot): Snap, Path(lang): Path<String>) -> Response {
    let Some(lang) = Lang::from_code(&lang) else { return not_found(&snapshot, Lang::En, "/") };
    let Some(cec) = snapshot.territory(CommissionId::Central) else {
        return not_found(&snapshot, lang, "/");
    };
    let (mut lists, chart_svg) = votes(&snapshot, lang, &cec.lines);
    let (rules, trace) = match national_trace(&snapshot, lang, &mut lists) {
        Some((rules, trace)) => (rules, Some(trace)),
        None => (String::new(), None),
    };
    let (children, not_received) = children(&snapshot, lang, cec);
    let page = Page::new(&snapshot, lang, "/", lang.t("national-result"));
    render(&NationalPage {
        page,
        tr: Tr(lang),
        reporting: Reporting::of(cec, lang),
        lists,
        with_seats: trace.is_some(),
        chart_svg,
        map_svg: map(&snapshot, lang),
        rules,
        trace,
        children_title: children_title(lang, CommissionId::Central),
        children,
        not_received,
    })
}

/// `/{lang}/t/{id}`: a region or district commission.
pub async fn territory(Snap(snapshot): Snap, Path((lang, id)): Path<(String, String)>) -> Response {
    let Some(lang) = Lang::from_code(&lang) else { return not_found(&snapshot, Lang::En, "/") };
    let place = format!("/t/{id}");
    let Ok(id) = CommissionId::parse(&id) else { return not_found(&snapshot, lang, &place) };
    let territory = match id.level() {
        Level::Region | Level::District => snapshot.territory(id),
        _ => None,
    };
    let Some(territory) = territory else { return not_found(&snapshot, lang, &place) };
    let (lists, chart_svg) = votes(&snapshot, lang, &territory.lines);
    let (children, not_received) = children(&snapshot, lang, territory);
    let mut page = Page::new(&snapshot, lang, &rest(id), format!("{id} {}", snapshot.name(id)));
    page.crumbs = crumbs(&snapshot, lang, id);
    render(&TerritoryPage {
        page,
        tr: Tr(lang),
        reporting: Reporting::of(territory, lang),
        lists,
        with_seats: false,
        chart_svg,
        children_title: children_title(lang, id),
        children,
        not_received,
    })
}

/// `/{lang}/s/{id}`: a polling station, its protocol and every version of it.
pub async fn station(
    State(state): State<AppState>,
    Snap(snapshot): Snap,
    Path((lang, id)): Path<(String, String)>,
) -> Response {
    let Some(lang) = Lang::from_code(&lang) else { return not_found(&snapshot, Lang::En, "/") };
    let place = format!("/s/{id}");
    let Ok(station_id) = StationId::parse(&id) else { return not_found(&snapshot, lang, &place) };
    let Some(station) = snapshot.stations.get(&station_id) else {
        return not_found(&snapshot, lang, &place);
    };
    let history = match saylau_store::tabulation::history(
        state.store(),
        &snapshot.election,
        &station_id.to_string(),
    )
    .await
    {
        Ok(history) => history,
        Err(err) => return unavailable(&err.to_string()),
    };
    let images = match crate::images::listed(&state, station_id).await {
        Ok(images) => image_rows(lang, images),
        Err(res) => return res,
    };
    let id = CommissionId::Precinct(station_id);
    let mut page = Page::new(&snapshot, lang, &rest(id), format!("{id} {}", snapshot.name(id)));
    page.crumbs = crumbs(&snapshot, lang, id);
    let n_lists = snapshot.ballot.len();
    let (lines, control, lists, chart_svg) = match &station.current {
        Some((protocol, _, _)) => {
            let (lists, chart) = votes(&snapshot, lang, protocol.lines());
            (
                line_rows(&snapshot, lang, protocol.lines()),
                rule_rows(station_id, protocol.lines(), n_lists, lang),
                lists,
                chart,
            )
        }
        None => (Vec::new(), Vec::new(), Vec::new(), String::new()),
    };
    let (extra, flags) = match &station.current {
        Some((protocol, _, _)) => (extra_rows(lang, protocol.extra()), flag_rows(lang, protocol)),
        None => (Vec::new(), Vec::new()),
    };
    render(&StationPage {
        page,
        tr: Tr(lang),
        status: lang.t(if station.current.is_some() { "received" } else { "not-received" }),
        received: station.current.is_some(),
        lines,
        control,
        extra,
        flags,
        lists,
        with_seats: false,
        chart_svg,
        versions: version_rows(&snapshot, lang, &history),
        images,
    })
}

/// Any other path under a language, or none: 404.
pub async fn fallback(State(state): State<AppState>, uri: axum::http::Uri) -> Response {
    let snapshot = match state.snapshot().await {
        Ok(snapshot) => snapshot,
        Err(err) => return unavailable(&err.to_string()),
    };
    let path = uri.path();
    let mut parts = path.trim_start_matches('/').splitn(2, '/');
    let lang = parts.next().and_then(Lang::from_code).unwrap_or(Lang::En);
    let rest = parts.next().map_or_else(|| "/".to_owned(), |it| format!("/{it}"));
    not_found(&snapshot, lang, &rest)
}

/// The stylesheet, the portal's only static file.
pub const SITE_CSS: &str = include_str!("../static/site.css");

/// `/static/site.css`, with a strong ETag of its bytes.
pub async fn css(headers: HeaderMap) -> Response {
    use sha2::Digest as _;
    let etag = format!("\"css-{}\"", &hex::encode(sha2::Sha256::digest(SITE_CSS))[..16]);
    let mut res = if crate::http::matches(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], SITE_CSS).into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&etag) {
        res.headers_mut().insert(header::ETAG, value);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    res
}
