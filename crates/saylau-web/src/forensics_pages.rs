//! The forensics page and its API: `/{lang}/forensics` shows, for the portal's election,
//! the turnout histogram, the turnout × leader-share fingerprint, the integer-percentage
//! test and Shpilkin's excess-vote estimate, each as inline SVG with its numbers in a table
//! beside it and the caveat that a test suggests, it does not prove; `/api/v1/forensics`
//! is the same data as JSON.
//!
//! The data is the app's [`portal_forensics`] view model over the snapshot's current
//! protocols (public like the other pages, under the log head's ETag; rendered once per
//! head and path by [`crate::http::public`]).

use std::sync::Arc;

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use saylau_app::forensics::portal::{PORTAL_DRAWS, PORTAL_SEED, PortalForensics, portal_forensics};
use saylau_app::forensics::{CleanRatio, PeakBy};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::forensics_svg::{Series, heatmap, histogram, lines};
use crate::http::{Snap, unavailable};
use crate::i18n::Lang;
use crate::results::Snapshot;
use crate::state::AppState;
use crate::svg::{Bar, bars};
use crate::views::{Page, Tr};

#[derive(Template)]
#[template(path = "forensics.html")]
struct ForensicsPage {
    page: Page,
    tr: Tr,
    caveat: String,
    s: Option<Sections>,
}

/// What the page shows, formatted in its language.
struct Sections {
    intro: String,
    turnout_svg: String,
    turnout: Vec<Vec<String>>,
    fingerprint_svg: String,
    fingerprint_head: Vec<String>,
    fingerprint: Vec<(String, Vec<String>)>,
    integer_svg: String,
    integer: Vec<Vec<String>>,
    integer_settings: String,
    integer_verdict: String,
    excess_svg: String,
    excess: Vec<Vec<String>>,
    excess_peak: String,
    within: String,
    votes: Vec<Vec<String>>,
}

/// The page route, for the public router.
pub fn pages() -> Router<AppState> {
    Router::new().route("/{lang}/forensics", get(forensics))
}

/// The API route and its OpenAPI document.
pub fn api_router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new().routes(routes!(forensics_json)).split_for_parts()
}

/// The last forensic view computed, by the ETag of its snapshot: the three pages and the
/// API share one computation per log head, and one runs at a time (a request that arrives
/// during it waits for it), so a burst of requests after the head moves costs one run of
/// the Monte Carlo, not one per request.
static LAST: tokio::sync::Mutex<Option<(String, Arc<Option<PortalForensics>>)>> =
    tokio::sync::Mutex::const_new(None);

/// The forensic view of the snapshot, or `None` when no station has a protocol.
async fn view(snapshot: &Arc<Snapshot>) -> Result<Arc<Option<PortalForensics>>, Response> {
    let etag = snapshot.etag();
    let mut last = LAST.lock().await;
    if let Some((tag, view)) = last.as_ref()
        && *tag == etag
    {
        return Ok(Arc::clone(view));
    }
    let snapshot = Arc::clone(snapshot);
    // The Monte Carlo of the integer test is CPU work: off the async workers.
    let res = tokio::task::spawn_blocking(move || {
        portal_forensics(&snapshot.current, &snapshot.election.to_string())
    })
    .await
    .map_err(|err| unavailable(&format!("forensics: {err}")))?;
    let view = match res {
        Ok(view) => Some(view),
        Err(saylau_app::forensics::report::ForensicsError::Empty) => None,
        Err(err) => return Err(unavailable(&format!("forensics: {err}"))),
    };
    let view = Arc::new(view);
    *last = Some((etag, Arc::clone(&view)));
    Ok(view)
}

/// `x` with `places` decimals and the language's decimal separator.
fn dec(lang: Lang, x: f64, places: usize) -> String {
    let text = format!("{x:.places$}");
    match lang {
        Lang::En => text,
        Lang::Kk | Lang::Ru => text.replace('.', ",").replace('-', "−"),
    }
}

/// `x` rounded to a whole number, with the language's digit grouping and a minus sign.
fn whole(lang: Lang, x: f64) -> String {
    let rounded = x.round();
    let shown = lang.number(whole_u64(rounded.abs()));
    if rounded < 0.0 { format!("−{shown}") } else { shown }
}

/// A non-negative float as a whole number (saturating; NaN is 0).
fn whole_u64(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 { x.round() as u64 } else { 0 }
}

fn variant_label(lang: Lang, peak_by: PeakBy, clean: CleanRatio) -> String {
    let key = match (peak_by, clean) {
        (PeakBy::Ballots, CleanRatio::PeakBin) => "fx-variant-ballots-bin",
        (PeakBy::Ballots, CleanRatio::UpToPeak) => "fx-variant-ballots-upto",
        (PeakBy::Voters, CleanRatio::UpToPeak) => "fx-variant-voters-upto",
        (PeakBy::Voters, CleanRatio::PeakBin) => "fx-variant-voters-bin",
    };
    lang.t(key)
}

/// The turnout histogram's table rows: bins with stations.
fn turnout_rows(view: &PortalForensics, lang: Lang) -> Vec<Vec<String>> {
    let turnout = &view.turnout.histogram;
    (0..turnout.stations.len())
        .filter(|&bin| turnout.stations[bin] > 0)
        .map(|bin| {
            let (stations, voters) = (turnout.stations[bin], turnout.voters[bin]);
            vec![format!("{bin}–{}", bin + 1), lang.number(stations), lang.number(voters)]
        })
        .collect()
}

/// The fingerprint's table: the same stations in 10-point cells, the highest share first.
fn fingerprint_rows(view: &PortalForensics, lang: Lang) -> Vec<(String, Vec<String>)> {
    let mut coarse = [[0u64; 10]; 10];
    for (row, cells) in view.fingerprint.iter().enumerate() {
        for (col, &count) in cells.iter().enumerate() {
            coarse[(row / 10).min(9)][(col / 10).min(9)] += count;
        }
    }
    (0..10)
        .rev()
        .map(|share| {
            (decile(share), (0..10).map(|turnout| lang.number(coarse[turnout][share])).collect())
        })
        .collect()
}

fn decile(idx: usize) -> String {
    format!("{}–{}", idx * 10, idx * 10 + 10)
}

/// The integer test's chart and table rows.
fn integer_parts(view: &PortalForensics, lang: Lang) -> (String, Vec<Vec<String>>) {
    let it = &view.integer;
    let counts = [
        (
            "fx-either",
            it.observed.either,
            it.expected.either,
            it.excess.either,
            it.monte_carlo.either,
        ),
        (
            "fx-leader",
            it.observed.leader,
            it.expected.leader,
            it.excess.leader,
            it.monte_carlo.leader,
        ),
        (
            "fx-turnout-only",
            it.observed.turnout,
            it.expected.turnout,
            it.excess.turnout,
            it.monte_carlo.turnout,
        ),
    ];
    let mut chart = Vec::new();
    let mut rows = Vec::new();
    for (key, observed, expected, excess, mc) in counts {
        let label = lang.t(key);
        chart.push(Bar {
            label: label.clone(),
            value: observed,
            shown: lang.number(observed),
            color: "#1f93ab".to_owned(),
        });
        chart.push(Bar {
            label: lang.t("fx-col-expected"),
            value: whole_u64(expected),
            shown: dec(lang, expected, 1),
            color: "#bbbbbb".to_owned(),
        });
        rows.push(vec![
            label,
            lang.number(observed),
            dec(lang, expected, 1),
            dec(lang, excess, 1),
            dec(lang, mc.p999, 1),
            dec(lang, mc.p_value, 4),
        ]);
    }
    (bars(&lang.t("fx-integer-title"), &chart), rows)
}

/// The excess estimate's chart of votes by turnout, its table, and the variants' rows.
fn excess_parts(
    view: &PortalForensics,
    lang: Lang,
) -> (String, Vec<Vec<String>>, Vec<Vec<String>>) {
    let shpilkin = &view.shpilkin;
    let default = shpilkin.variants.first();
    let peak = default.map_or(0, |it| it.peak_bin);
    let ratio = default.map_or(0.0, |it| it.clean_ratio);
    let leader: Vec<u64> = shpilkin.bins.iter().map(|bin| bin.leader).collect();
    let others: Vec<u64> = shpilkin.bins.iter().map(|bin| bin.valid - bin.leader).collect();
    let scaled: Vec<u64> = others.iter().map(|&it| whole_u64(it as f64 * ratio)).collect();
    let votes = shpilkin
        .bins
        .iter()
        .zip(&scaled)
        .filter(|(bin, _)| bin.stations > 0)
        .map(|(bin, &scaled)| {
            vec![
                format!("{}–{}", bin.turnout, bin.turnout + 1),
                lang.number(bin.stations),
                lang.number(bin.leader),
                lang.number(bin.valid - bin.leader),
                lang.number(scaled),
            ]
        })
        .collect();
    let variants = shpilkin
        .variants
        .iter()
        .map(|it| {
            vec![
                variant_label(lang, it.variant.peak_by, it.variant.clean_ratio),
                format!("{}–{}", it.peak_bin, it.peak_bin + 1),
                dec(lang, it.clean_ratio, 3),
                whole(lang, it.excess_votes),
                dec(lang, it.turnout, 2),
                dec(lang, it.leader_share, 2),
            ]
        })
        .collect();
    let series = [
        Series { label: view.leader.clone(), values: leader, color: "#1f93ab", dashed: false },
        Series {
            label: lang.t("fx-col-other-votes"),
            values: others,
            color: "#e67e22",
            dashed: false,
        },
        Series { label: lang.t("fx-col-scaled"), values: scaled, color: "#555555", dashed: true },
    ];
    let svg = lines(
        &lang.t("fx-votes-chart"),
        &lang.t("fx-col-turnout"),
        &lang.t("fx-votes"),
        &series,
        Some((u64::from(peak), &lang.t("fx-clean-peak"))),
    );
    (svg, votes, variants)
}

fn intro(view: &PortalForensics, lang: Lang) -> String {
    lang.t_args(
        "fx-intro",
        &[
            ("stations", lang.number(view.input.stations as u64)),
            ("leader", view.leader.clone()),
            ("turnout", dec(lang, view.official.turnout, 2)),
            ("share", dec(lang, view.official.leader_share, 2)),
        ],
    )
}

fn sections(view: &PortalForensics, lang: Lang) -> Sections {
    let n = |value: u64| lang.number(value);
    let (integer_svg, integer) = integer_parts(view, lang);
    let (excess_svg, votes, excess) = excess_parts(view, lang);
    let default = view.shpilkin.variants.first();
    let peak = default.map_or(0, |it| it.peak_bin);
    let ratio = default.map_or(0.0, |it| it.clean_ratio);
    let within = &view.shpilkin.within_commissions;
    Sections {
        intro: intro(view, lang),
        turnout_svg: histogram(
            &lang.t("fx-turnout-title"),
            &lang.t("fx-col-turnout"),
            &lang.t("fx-col-stations"),
            &view.turnout.histogram.stations,
        ),
        turnout: turnout_rows(view, lang),
        fingerprint_svg: heatmap(
            &lang.t("fx-fingerprint-title"),
            &lang.t("fx-col-turnout"),
            &lang.t("fx-col-share"),
            &view.fingerprint,
        ),
        fingerprint_head: (0..10).map(decile).collect(),
        fingerprint: fingerprint_rows(view, lang),
        integer_svg,
        integer,
        integer_settings: lang.t_args(
            "fx-integer-settings",
            &[
                ("kept", n(view.integer.stations_kept as u64)),
                ("draws", n(u64::from(PORTAL_DRAWS))),
                ("seed", PORTAL_SEED.to_string()),
            ],
        ),
        integer_verdict: lang.t(if view.integer.significant {
            "fx-significant"
        } else {
            "fx-not-significant"
        }),
        excess_svg,
        excess,
        excess_peak: lang.t_args(
            "fx-excess-peak",
            &[("peak", format!("{peak}–{}", peak + 1)), ("ratio", dec(lang, ratio, 3))],
        ),
        within: lang.t_args(
            "fx-within-text",
            &[
                ("excess", whole(lang, within.excess_votes)),
                ("low", whole(lang, within.interval95[0])),
                ("high", whole(lang, within.interval95[1])),
                ("groups", n(within.groups as u64)),
            ],
        ),
        votes,
    }
}

/// `/{lang}/forensics`.
pub async fn forensics(Snap(snapshot): Snap, Path(lang): Path<String>) -> Response {
    let Some(lang) = Lang::from_code(&lang) else { return StatusCode::NOT_FOUND.into_response() };
    let view = match view(&snapshot).await {
        Ok(view) => view,
        Err(res) => return res,
    };
    let page = Page::new(&snapshot, lang, "/forensics", lang.t("fx-title"));
    let template = ForensicsPage {
        page,
        tr: Tr(lang),
        caveat: lang.t("fx-caveat"),
        s: view.as_ref().as_ref().map(|view| sections(view, lang)),
    };
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => unavailable(&format!("template: {err}")),
    }
}

/// The forensic tests of the portal's election.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForensicsJson {
    /// The election.
    pub election: String,
    /// Whether there are station results to test.
    pub available: bool,
    /// What these tests can and cannot say.
    pub caveat: String,
    /// The tests, as the app's view model: `input`, `leader`, `official`, `turnout`
    /// (1 % bins of stations and voters), `fingerprint` (stations by 1 % turnout × 1 %
    /// leader share), `integer` (observed, expected and excess with `either`, `leader`,
    /// `turnout`, the Monte Carlo), `shpilkin` (`excess_votes`, variants, the
    /// within-commission estimate with its interval) and `flags`; null when unavailable.
    #[schema(value_type = Object)]
    pub forensics: Option<serde_json::Value>,
}

/// The turnout histogram, fingerprint, integer-percentage test and excess-vote estimate of
/// the election's current protocols.
#[utoipa::path(get, path = "/api/v1/forensics", tag = "forensics",
    responses((status = 200, description = "The forensic tests", body = ForensicsJson)))]
pub async fn forensics_json(Snap(snapshot): Snap) -> Response {
    let view = match view(&snapshot).await {
        Ok(view) => view,
        Err(res) => return res,
    };
    Json(ForensicsJson {
        election: snapshot.election.to_string(),
        available: view.is_some(),
        caveat: saylau_app::forensics::CAVEAT.to_owned(),
        forensics: view
            .as_ref()
            .as_ref()
            .map(|it| serde_json::to_value(it).unwrap_or(serde_json::Value::Null)),
    })
    .into_response()
}
