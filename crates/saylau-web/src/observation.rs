//! The observation sections shared by the portal's observation pages and the observer
//! report (`saylau observe report`): the app's [`ReportView`] turned into labelled table
//! rows and inline SVG in one language.
//!
//! [`report_html`] is the self-contained report: one HTML file with its stylesheet inline
//! and every chart as inline SVG, no script and no external address, readable offline.

use askama::Template;
use saylau_app::observe::report::{RegionFindings, ReportView};
use saylau_app::pvt::estimate::EstimateView;
use saylau_app::pvt::published::PublishedView;

use crate::i18n::Lang;
use crate::observation_incidents::{IncidentsSection, incidents_section};
use crate::observation_svg::{
    self as osvg, Interval, MATCH, MISMATCH, MISSING, Point, REFUSED, RefusalTile, Segment,
};
use crate::svg::{self, Bar};
use crate::views::Tr;

/// Where the sections link to: the portal's pages, or nowhere (the offline report).
#[derive(Debug, Clone, Copy)]
pub enum Links {
    /// Links into the portal in this language.
    Portal(Lang),
    /// No links.
    None,
}

impl Links {
    fn station(self, id: &str) -> Option<String> {
        match self {
            Links::Portal(lang) => Some(format!("/{}/s/{id}", lang.code())),
            Links::None => None,
        }
    }

    fn region(self, code: &str) -> Option<String> {
        match self {
            Links::Portal(lang) => Some(format!("/{}/observation/{code}", lang.code())),
            Links::None => None,
        }
    }
}

/// A label and a value.
#[derive(Debug, Clone)]
pub struct Pair {
    /// The label.
    pub label: String,
    /// The value.
    pub value: String,
}

/// A row of the side-by-side totals.
#[derive(Debug, Clone)]
pub struct SideRow {
    /// What is compared.
    pub label: String,
    /// The official figure.
    pub official: String,
    /// The copies' figure.
    pub copy: String,
}

/// A region's findings as shown.
#[derive(Debug, Clone)]
pub struct RegionRow {
    /// `01`.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its drill-down page, on the portal.
    pub href: Option<String>,
    /// The counts: observed, match, mismatch, added ballots, refused, not admitted,
    /// removed, missing copy, missing official.
    pub counts: Vec<String>,
}

/// A station of the turnout chart or a mismatch line.
#[derive(Debug, Clone)]
pub struct StationLine {
    /// The station.
    pub station: String,
    /// Its page, on the portal.
    pub href: Option<String>,
    /// The organisation, or the status.
    pub what: String,
    /// The cells after it.
    pub cells: Vec<String>,
}

/// The quick count as shown.
#[derive(Debug, Clone)]
pub struct EstimateSection {
    /// Sample and confidence in a sentence.
    pub summary: String,
    /// The interval chart.
    pub svg: String,
    /// figure, estimate, lower, upper, official, interval checked against, verdict.
    pub rows: Vec<Vec<String>>,
    /// list, seats, low, high, official.
    pub seats: Vec<Vec<String>>,
    /// The method in sentences.
    pub method: Vec<String>,
}

/// The published aggregate as shown.
#[derive(Debug, Clone)]
pub struct PublishedSection {
    /// Its name and what it is.
    pub title: String,
    /// Turnout in the copies and officially.
    pub turnout: Vec<Pair>,
    /// Shares and seats chart.
    pub svg: String,
    /// list, observed share, official share, observed seats at 7 %, official at 7 %,
    /// observed at 5 %, official at 5 %.
    pub rows: Vec<Vec<String>>,
    /// What it is and is not.
    pub notes: Vec<String>,
    /// Who published it.
    pub source: String,
}

/// Every section of the observation page and the report.
#[derive(Debug, Clone)]
pub struct Sections {
    /// Rows per status.
    pub statuses: Vec<Pair>,
    /// Stations compared, in a sentence.
    pub compared: String,
    /// Turnout and shares side by side.
    pub totals: Vec<SideRow>,
    /// Seats from both sides at 7 % and 5 %.
    pub seats: Vec<SideRow>,
    /// Official against observed turnout.
    pub turnout_svg: String,
    /// station, status, official, copy.
    pub turnout: Vec<StationLine>,
    /// Findings per region, stacked bars.
    pub findings_svg: String,
    /// Findings per region.
    pub regions: Vec<RegionRow>,
    /// Refusals by region.
    pub map_svg: String,
    /// Every differing line.
    pub mismatches: Vec<StationLine>,
    /// The quick count, when given.
    pub estimate: Option<EstimateSection>,
    /// The published aggregate of 2021.
    pub published: PublishedSection,
    /// The incidents, when any was reported.
    pub incidents: Option<IncidentsSection>,
}

/// The status labels in `lang`, by the reconciliation's status.
pub fn status_label(lang: Lang, status: &str) -> String {
    lang.t(&format!("obs-status-{status}"))
}

/// The sections of `view` in `lang`.
pub fn sections(view: &ReportView, lang: Lang, links: Links) -> Sections {
    let reconcile = &view.reconcile;
    let (totals, seats) = side_by_side(view, lang);
    let (points, turnout, mismatches) = station_lines(view, lang, links);
    Sections {
        statuses: reconcile
            .findings
            .by_status
            .iter()
            .map(|(status, count)| Pair {
                label: status_label(lang, status),
                value: lang.number(*count as u64),
            })
            .collect(),
        compared: lang.t_args(
            "obs-compared",
            &[("n", lang.number(reconcile.totals.stations_compared as u64))],
        ),
        totals,
        seats,
        turnout_svg: osvg::scatter(
            &lang.t("obs-turnout-chart"),
            &lang.t("obs-turnout-copy"),
            &lang.t("obs-turnout-official"),
            &points,
        ),
        turnout,
        findings_svg: findings_svg(&view.regions, lang),
        regions: view.regions.iter().map(|it| region_row(it, links)).collect(),
        map_svg: refusal_map(&view.regions, lang, links),
        mismatches,
        estimate: view.estimate.as_ref().map(|it| estimate_section(it, lang)),
        published: published_section(&view.published, lang),
        incidents: incidents_section(&view.incidents, &view.regions, lang),
    }
}

/// Turnout and shares, and seats at 7 % and 5 %, of both sides.
fn side_by_side(view: &ReportView, lang: Lang) -> (Vec<SideRow>, Vec<SideRow>) {
    let totals = &view.reconcile.totals;
    let mut side = vec![SideRow {
        label: lang.t("obs-turnout"),
        official: totals.official.turnout.clone(),
        copy: totals.copy.turnout.clone(),
    }];
    for (official, copy) in totals.official.lists.iter().zip(&totals.copy.lists) {
        side.push(SideRow {
            label: format!("{} ({})", official.list, lang.t("obs-share-of-list-votes")),
            official: official.share.clone(),
            copy: copy.share.clone(),
        });
    }
    let seats = totals
        .seats
        .iter()
        .map(|it| SideRow {
            label: format!("{} · {} {}", it.list, lang.t("seats"), it.threshold),
            official: it.official.to_string(),
            copy: it.copy.to_string(),
        })
        .collect();
    (side, seats)
}

/// The scatter's points, their table, and every differing line.
fn station_lines(
    view: &ReportView,
    lang: Lang,
    links: Links,
) -> (Vec<Point>, Vec<StationLine>, Vec<StationLine>) {
    let points = view
        .turnout
        .iter()
        .map(|it| Point {
            label: format!("{}: {} / {}", it.station, it.official, it.copy),
            official: osvg::units(&it.official, 4),
            copy: osvg::units(&it.copy, 4),
            mismatch: it.status == "mismatch",
        })
        .collect();
    let turnout = view
        .turnout
        .iter()
        .map(|it| StationLine {
            station: it.station.clone(),
            href: links.station(&it.station),
            what: status_label(lang, it.status),
            cells: vec![it.official.clone(), it.copy.clone()],
        })
        .collect();
    let mismatches = view
        .reconcile
        .stations
        .iter()
        .filter(|it| it.status == "mismatch")
        .flat_map(|row| {
            row.lines.iter().map(move |line| StationLine {
                station: row.station.clone(),
                href: links.station(&row.station),
                what: row.observer.clone().unwrap_or_default(),
                cells: vec![
                    line.line.clone(),
                    line.official.to_string(),
                    line.copy.to_string(),
                    line.difference.to_string(),
                ],
            })
        })
        .collect();
    (points, turnout, mismatches)
}

fn region_row(it: &RegionFindings, links: Links) -> RegionRow {
    RegionRow {
        code: it.region.clone(),
        name: it.name.clone(),
        href: links.region(&it.region),
        counts: [
            it.observed,
            it.matched,
            it.mismatched,
            0,
            it.refused,
            it.not_admitted,
            it.removed,
            it.missing_copy,
            it.missing_official,
        ]
        .iter()
        .enumerate()
        .map(|(idx, n)| if idx == 3 { it.added_ballots.to_string() } else { n.to_string() })
        .collect(),
    }
}

fn findings_svg(regions: &[RegionFindings], lang: Lang) -> String {
    let rows: Vec<(String, Vec<Segment>)> = regions
        .iter()
        .map(|it| {
            let refused = it.refused + it.not_admitted + it.removed;
            let label = format!("{} {}", it.region, it.name);
            let segments = [
                (it.matched, MATCH),
                (it.mismatched, MISMATCH),
                (refused, REFUSED),
                (it.missing_copy + it.missing_official, MISSING),
            ]
            .into_iter()
            .map(|(value, color)| Segment { value: value as u64, color })
            .collect();
            (label, segments)
        })
        .collect();
    let legend = [
        (lang.t("obs-status-match"), MATCH),
        (lang.t("obs-status-mismatch"), MISMATCH),
        (lang.t("obs-refusals"), REFUSED),
        (lang.t("obs-missing"), MISSING),
    ];
    osvg::stacked(&lang.t("obs-findings-chart"), &rows, &legend)
}

fn refusal_map(regions: &[RegionFindings], lang: Lang, links: Links) -> String {
    let tiles: Vec<RefusalTile> = regions
        .iter()
        .filter_map(|it| {
            Some(RefusalTile {
                code: it.region.parse().ok()?,
                name: it.name.clone(),
                href: links.region(&it.region),
                refused: (it.refused + it.not_admitted + it.removed) as u64,
                observed: it.observed as u64,
            })
        })
        .collect();
    osvg::refusal_map(&lang.t("obs-refusal-map"), &tiles)
}

fn estimate_section(view: &EstimateView, lang: Lang) -> EstimateSection {
    let rows: Vec<Interval> = view
        .estimates
        .iter()
        .map(|it| Interval {
            label: it.name.clone(),
            lower: osvg::units(&it.lower, 2),
            estimate: osvg::units(&it.estimate, 2),
            upper: osvg::units(&it.upper, 2),
            official: it.official.as_deref().map(|it| osvg::units(it, 2)),
            threshold: it.threshold.map(|_| 700),
        })
        .collect();
    EstimateSection {
        summary: lang.t_args(
            "obs-pvt-summary",
            &[
                ("plan", view.plan.clone()),
                ("reports", view.sample.reports.to_string()),
                ("planned", view.sample.planned.to_string()),
                ("confidence", view.confidence.clone()),
                ("seed", view.seed.clone()),
            ],
        ),
        svg: osvg::intervals(&lang.t("obs-pvt-chart"), &rows),
        rows: view
            .estimates
            .iter()
            .map(|it| {
                vec![
                    it.name.clone(),
                    it.estimate.clone(),
                    it.lower.clone(),
                    it.upper.clone(),
                    it.official.clone().unwrap_or_default(),
                    it.checked_against
                        .as_ref()
                        .map(|check| format!("{} {}–{}", check.method, check.lower, check.upper))
                        .unwrap_or_default(),
                    it.verdict.map(|v| lang.t(&format!("obs-verdict-{v}"))).unwrap_or_default(),
                ]
            })
            .collect(),
        seats: view
            .seats
            .lists
            .iter()
            .map(|it| {
                vec![
                    it.id.clone(),
                    it.seats.to_string(),
                    format!("{}–{}", it.low, it.high),
                    it.official.map(|it| it.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
        method: view.method.clone(),
    }
}

fn published_section(view: &PublishedView, lang: Lang) -> PublishedSection {
    let mut bars = Vec::new();
    for list in &view.lists {
        for (idx, threshold) in ["7%", "5%"].into_iter().enumerate() {
            bars.push(Bar {
                label: format!("{} · {} {threshold}", list.name, lang.t("obs-copies")),
                value: u64::from(list.observed_seats[idx]),
                shown: list.observed_seats[idx].to_string(),
                color: MISMATCH.to_owned(),
            });
            bars.push(Bar {
                label: format!("{} · {} {threshold}", list.name, lang.t("obs-official")),
                value: u64::from(list.official_seats[idx]),
                shown: list.official_seats[idx].to_string(),
                color: MATCH.to_owned(),
            });
        }
    }
    PublishedSection {
        title: format!("{} ({})", view.name, view.kind),
        turnout: vec![
            Pair { label: lang.t("obs-copies"), value: view.turnout.clone() },
            Pair { label: lang.t("obs-official"), value: view.official_turnout.clone() },
            Pair { label: lang.t("obs-published-stations"), value: view.stations.to_string() },
        ],
        svg: svg::bars(&lang.t("obs-published-chart"), &bars),
        rows: view
            .lists
            .iter()
            .map(|it| {
                vec![
                    it.name.clone(),
                    it.observed_share.clone(),
                    it.official_share.clone(),
                    it.observed_seats[0].to_string(),
                    it.official_seats[0].to_string(),
                    it.observed_seats[1].to_string(),
                    it.official_seats[1].to_string(),
                ]
            })
            .collect(),
        notes: view.notes.clone(),
        source: format!("{} ({})", view.source.citation, view.source.document),
    }
}

#[derive(Template)]
#[template(path = "observe_report.html")]
struct ReportPage<'a> {
    lang: &'static str,
    tr: Tr,
    election: &'a str,
    css: &'static str,
    s: &'a Sections,
}

/// The report's files: the HTML and each chart as its own SVG.
#[derive(Debug, Clone)]
pub struct ReportFiles {
    /// `report.html`.
    pub html: String,
    /// `(file name, SVG)`.
    pub svgs: Vec<(&'static str, String)>,
}

/// The self-contained observer report of `view` in `lang`.
pub fn report_html(view: &ReportView, lang: Lang) -> Result<ReportFiles, askama::Error> {
    let s = sections(view, lang, Links::None);
    let html = ReportPage {
        lang: lang.code(),
        tr: Tr(lang),
        election: &view.election,
        css: crate::pages::SITE_CSS,
        s: &s,
    }
    .render()?;
    let mut svgs = vec![
        ("turnout.svg", s.turnout_svg.clone()),
        ("findings-by-region.svg", s.findings_svg.clone()),
        ("refusal-map.svg", s.map_svg.clone()),
        ("published-aggregate.svg", s.published.svg.clone()),
    ];
    if let Some(incidents) = &s.incidents {
        svgs.push(("incidents-by-type.svg", incidents.type_svg.clone()));
        svgs.push(("incidents-by-region.svg", incidents.region_svg.clone()));
        svgs.push(("incidents-by-hour.svg", incidents.hour_svg.clone()));
    }
    if let Some(estimate) = &s.estimate {
        svgs.push(("quick-count.svg", estimate.svg.clone()));
    }
    Ok(ReportFiles { html, svgs })
}
