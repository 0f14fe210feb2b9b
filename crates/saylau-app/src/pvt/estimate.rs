//! `saylau pvt estimate`: the quick count's estimates, intervals, verdicts against the
//! official figures, and seat projections.

use std::collections::BTreeMap;
use std::path::Path;

use saylau_core::count::commission::StationId;
use saylau_core::count::protocol::{Protocol, ProtocolTotals};
use saylau_formats::{Diagnostic, Diagnostics, LotFile, ProtocolFile};
use saylau_stats::pvt::estimate::{
    EstimationStratum, Merge, QuickCount, Report, StratumReports, quick_count,
};
use saylau_stats::pvt::frame::{Figure, Frame, StationCounts};
use saylau_stats::pvt::verdict::{Side, Verdict, checked_interval, side, verdict};
use serde::Serialize;

use super::draw::sample_of;
use super::plan_file::PlanFile;
use super::seats::seat_rules;
use super::{diagnostic, percent, rejected, rule};

/// The files of an estimate, read.
#[derive(Debug, Clone, Copy)]
pub struct EstimateInputs<'a> {
    /// The plan and its path.
    pub plan: (&'a PlanFile, &'a str),
    /// The frame.
    pub frame: &'a Frame,
    /// The published draw and its path.
    pub draw: (&'a LotFile, &'a str),
    /// The sampled stations' reports and their path.
    pub reports: (&'a ProtocolFile, &'a str),
    /// The official protocols (every station, or the national totals as one row) and
    /// their path.
    pub official: Option<(&'a ProtocolFile, &'a str)>,
    /// The election file whose rules make the seat projections (default the bundled 2021
    /// rules).
    pub rules: Option<&'a Path>,
    /// The threshold the lists' verdicts test, in percent of valid votes.
    pub threshold: f64,
}

/// The JSON of `saylau pvt estimate --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EstimateView {
    /// The plan's name.
    pub plan: String,
    /// The public seed of the draw.
    pub seed: String,
    /// The confidence of the intervals, percent.
    pub confidence: String,
    /// The normal quantile.
    pub z: f64,
    /// Stations sampled, reports received, reports missing.
    pub sample: SampleView,
    /// The strata of the estimate.
    pub strata: Vec<StratumView>,
    /// Turnout, then each list.
    pub estimates: Vec<FigureView>,
    /// Seats under the rules, from the estimates.
    pub seats: SeatsView,
    /// The method and the rules, in sentences.
    pub method: Vec<String>,
}

/// The sample's completeness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampleView {
    /// Stations drawn.
    pub planned: u64,
    /// Reports received.
    pub reports: u64,
    /// Reports missing.
    pub missing: u64,
    /// True when at least half the sample reported (else every verdict is inconclusive).
    pub enough: bool,
    /// True when the official protocols of the reporting stations were compared.
    pub paired: bool,
}

/// A stratum of the estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StratumView {
    /// The plan's strata in it.
    pub members: Vec<String>,
    /// Stations.
    pub stations: u64,
    /// Stations drawn.
    pub planned: u64,
    /// Reports received.
    pub reports: u64,
    /// `group` or `pooled` when strata were merged for lack of reports.
    pub merged: Option<&'static str>,
}

/// One figure's estimate and verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureView {
    /// `turnout` or a list id.
    pub figure: String,
    /// Its name.
    pub name: String,
    /// The estimate, percent.
    pub estimate: String,
    /// The interval's lower end, percent.
    pub lower: String,
    /// The interval's upper end, percent.
    pub upper: String,
    /// The standard error, percentage points.
    pub std_error: String,
    /// The official figure, percent.
    pub official: Option<String>,
    /// The interval the official figure was checked against: `ratio` (the estimate's) or
    /// `paired` (official minus the paired difference), with its ends in percent.
    pub checked_against: Option<CheckView>,
    /// For a list: where the interval lies against the threshold (`above`, `below`,
    /// `straddles`).
    pub threshold: Option<&'static str>,
    /// `consistent`, `inconsistent` or `inconclusive`; none without official figures.
    pub verdict: Option<&'static str>,
}

/// The interval an official figure was checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckView {
    /// `ratio` or `paired`.
    pub method: &'static str,
    /// Lower end, percent.
    pub lower: String,
    /// Upper end, percent.
    pub upper: String,
}

/// Seat projections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeatsView {
    /// The rules used.
    pub rules: String,
    /// How the projections and their ranges are made.
    pub method: String,
    /// Each list.
    pub lists: Vec<ListSeatsView>,
}

/// A list's projected seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListSeatsView {
    /// The list id.
    pub id: String,
    /// Seats from the estimated shares.
    pub seats: u32,
    /// The fewest seats over the projections of the interval ends.
    pub low: u32,
    /// The most.
    pub high: u32,
    /// Seats from the official figures, when given.
    pub official: Option<u32>,
}

/// How missing reports are handled, in words.
pub const MISSING_RULE: &str = "Missing reports: each stratum's reporting stations stand for all its stations (weight N_h / n_h with n_h the reports received), which assumes that reports are missing at random within a stratum; a stratum with fewer than two reports is merged with the other strata of its group (its value of the first stratifying attribute, such as the region), and groups still short of two reports are pooled into one (if that pool is still short, every stratum is pooled). With fewer than half the sample reported, every verdict is inconclusive.";

/// Estimates the quick count from its files.
pub fn estimate(inputs: &EstimateInputs<'_>) -> Result<EstimateView, Diagnostics> {
    let (plan, plan_source) = inputs.plan;
    let (lot, lot_source) = inputs.draw;
    let (reports_file, reports_source) = inputs.reports;
    let (strata, sizes, sample) = sample_of(plan, plan_source, inputs.frame, lot, lot_source)?;
    if !reports_file.rejected.is_empty() {
        return Err(reports_file.diagnostics());
    }
    let ballot_ids: Vec<&str> =
        reports_file.ballot.lists().iter().map(|it| it.id.as_str()).collect();
    let official = match inputs.official {
        Some((file, source)) => Some(official_of(file, source, &ballot_ids, inputs.frame)?),
        None => None,
    };
    let sampled: BTreeMap<StationId, usize> = sample
        .chosen
        .iter()
        .map(|it| (inputs.frame.stations()[it.position].station, it.stratum))
        .collect();
    let (by_stratum, paired) =
        reports_by_stratum(inputs, &sampled, sizes.len(), official.as_ref())?;
    let stratum_reports: Vec<StratumReports> = by_stratum
        .into_iter()
        .enumerate()
        .map(|(idx, reports)| StratumReports {
            id: strata.id(idx),
            group: strata.values[idx].first().cloned().unwrap_or_default(),
            population: strata.populations[idx],
            planned: sizes[idx],
            reports,
        })
        .collect();
    let res = quick_count(&stratum_reports, ballot_ids.len(), plan.plan.confidence)
        .map_err(|err| rejected(reports_source, None, "", rule::DESIGN, err.to_string()))?;
    let planned: u64 = sizes.iter().sum();
    let received: u64 = res.strata.iter().map(|it| it.reports).sum();
    let enough = received * 2 >= planned;
    let estimates = figure_views(&res, reports_file, official.as_ref(), inputs.threshold, enough);
    let seats = seats_view(&res, &ballot_ids, official.as_ref(), inputs.rules)?;
    Ok(EstimateView {
        plan: plan.plan.name.clone(),
        seed: lot.seed.as_str().to_owned(),
        confidence: format!("{}", plan.plan.confidence * 100.0),
        z: res.z,
        sample: SampleView {
            planned,
            reports: received,
            missing: planned - received,
            enough,
            paired,
        },
        strata: res.strata.iter().map(stratum_view).collect(),
        estimates,
        seats,
        method: method(&res, paired, inputs.threshold),
    })
}

/// The reports by stratum, each with its official protocol when every reporting station
/// has one (then the second value is true); a report for a station outside the sample is
/// refused.
fn reports_by_stratum(
    inputs: &EstimateInputs<'_>,
    sampled: &BTreeMap<StationId, usize>,
    n_strata: usize,
    official: Option<&Official>,
) -> Result<(Vec<Vec<Report>>, bool), Diagnostics> {
    let (reports_file, reports_source) = inputs.reports;
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut by_stratum: Vec<Vec<Report>> = vec![Vec::new(); n_strata];
    for protocol in &reports_file.protocols {
        let station = protocol.station();
        let Some(&stratum) = sampled.get(&station) else {
            let (rule, message) = if inputs.frame.position(station).is_none() {
                (rule::UNKNOWN_STATION, format!("station {station} is not in the frame"))
            } else {
                (rule::NOT_SAMPLED, format!("station {station} was not drawn into the sample"))
            };
            found.push(diagnostic(reports_source, None, "station", rule, message));
            continue;
        };
        let official_counts =
            official.and_then(|it| it.stations.get(&station)).map(StationCounts::of);
        by_stratum[stratum]
            .push(Report { observed: StationCounts::of(protocol), official: official_counts });
    }
    if !found.is_empty() {
        return Err(Diagnostics(found));
    }
    let paired =
        official.is_some() && by_stratum.iter().flatten().all(|report| report.official.is_some());
    if !paired {
        by_stratum.iter_mut().flatten().for_each(|report| report.official = None);
    }
    Ok((by_stratum, paired))
}

/// The official figures: national values and, by station, the official protocols.
struct Official {
    /// Turnout, then each list's share, as proportions.
    national: Vec<f64>,
    /// The official protocol of each station.
    stations: BTreeMap<StationId, Protocol>,
}

fn official_of(
    file: &ProtocolFile,
    source: &str,
    ballot_ids: &[&str],
    frame: &Frame,
) -> Result<Official, Diagnostics> {
    if !file.rejected.is_empty() {
        return Err(file.diagnostics());
    }
    // A protocol file holds each station once (rule F-8), so counting is enough.
    let covered = file
        .protocols
        .iter()
        .filter(|protocol| frame.position(protocol.station()).is_some())
        .count();
    if covered != frame.stations().len() || file.protocols.len() != covered {
        let message = format!(
            "the official protocols are of {} stations, {covered} of them in the frame of {}: the national figures need every station of the frame, and no other",
            file.protocols.len(),
            frame.stations().len()
        );
        return Err(rejected(source, None, "", rule::OFFICIAL_COVERAGE, message));
    }
    let ids: Vec<&str> = file.ballot.lists().iter().map(|it| it.id.as_str()).collect();
    if ids != ballot_ids {
        let message =
            format!("the lists are {}, the reports' are {}", ids.join(", "), ballot_ids.join(", "));
        return Err(rejected(source, None, "", rule::LISTS_DIFFER, message));
    }
    let totals = ProtocolTotals::of(&file.protocols, ids.len())
        .map_err(|err| rejected(source, None, "", rule::LISTS_DIFFER, err.to_string()))?;
    let lines = totals.lines();
    let mut national = vec![lines.found_in_boxes.0 as f64 / lines.voters_on_roll.0 as f64];
    national.extend(lines.list_votes.iter().map(|votes| votes.0 as f64 / lines.valid.0 as f64));
    let stations = file.protocols.iter().map(|it| (it.station(), it.clone())).collect();
    Ok(Official { national, stations })
}

fn figure_views(
    res: &QuickCount,
    reports: &ProtocolFile,
    official: Option<&Official>,
    threshold: f64,
    enough: bool,
) -> Vec<FigureView> {
    res.estimates
        .iter()
        .enumerate()
        .map(|(idx, estimate)| {
            let (figure, name, threshold) = match estimate.figure {
                Figure::Turnout => ("turnout".to_owned(), "Turnout".to_owned(), None),
                Figure::List(list) => {
                    let list = &reports.ballot.lists()[list];
                    (list.id.to_string(), list.name.clone(), Some(threshold / 100.0))
                }
            };
            let official_value = official.map(|it| it.national[idx]);
            let checked_against = official_value.map(|value| {
                let (lower, upper) = checked_interval(estimate, value);
                let method = if estimate.paired.is_some() { "paired" } else { "ratio" };
                CheckView { method, lower: percent(lower), upper: percent(upper) }
            });
            let verdict = official_value
                .map(|value| verdict_name(verdict(estimate, value, threshold, enough)));
            FigureView {
                figure,
                name,
                estimate: percent(estimate.estimate),
                lower: percent(estimate.lower),
                upper: percent(estimate.upper),
                std_error: percent(estimate.std_error),
                official: official_value.map(percent),
                checked_against,
                threshold: threshold.map(|threshold| side_name(side(estimate, threshold))),
                verdict,
            }
        })
        .collect()
}

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Consistent => "consistent",
        Verdict::Inconsistent => "inconsistent",
        Verdict::Inconclusive => "inconclusive",
    }
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Above => "above",
        Side::Below => "below",
        Side::Straddles => "straddles",
    }
}

fn stratum_view(stratum: &EstimationStratum) -> StratumView {
    StratumView {
        members: stratum.members.clone(),
        stations: stratum.population,
        planned: stratum.planned,
        reports: stratum.reports,
        merged: stratum.merged.map(|merge| match merge {
            Merge::Group => "group",
            Merge::Pooled => "pooled",
        }),
    }
}

/// Seats from the estimate, and each list's range over the allocations where one list at
/// a time is at an end of its interval and the others keep their estimated proportions.
fn seats_view(
    res: &QuickCount,
    ids: &[&str],
    official: Option<&Official>,
    rules: Option<&Path>,
) -> Result<SeatsView, Diagnostics> {
    let rules = seat_rules(rules, &[])?;
    let failed = |message: String| rejected(&rules.source, None, "", rule::SEAT_RULES, message);
    let shares: Vec<f64> = res.estimates[1..].iter().map(|it| it.estimate).collect();
    let point = rules.seats_of_shares(ids, &shares).map_err(failed)?;
    let mut low = point.clone();
    let mut high = point.clone();
    for (idx, estimate) in res.estimates[1..].iter().enumerate() {
        for end in [estimate.lower.max(0.0), estimate.upper.min(1.0)] {
            let rest = 1.0 - shares[idx];
            let scale = if rest > 0.0 { (1.0 - end) / rest } else { 0.0 };
            let moved: Vec<f64> = shares
                .iter()
                .enumerate()
                .map(|(other, share)| if other == idx { end } else { share * scale })
                .collect();
            let seats = rules.seats_of_shares(ids, &moved).map_err(failed)?;
            for (list, &count) in seats.iter().enumerate() {
                low[list] = low[list].min(count);
                high[list] = high[list].max(count);
            }
        }
    }
    let official_seats = match official {
        Some(it) => Some(rules.seats_of_shares(ids, &it.national[1..]).map_err(failed)?),
        None => None,
    };
    let lists = ids
        .iter()
        .enumerate()
        .map(|(idx, id)| ListSeatsView {
            id: (*id).to_owned(),
            seats: point[idx],
            low: low[idx],
            high: high[idx],
            official: official_seats.as_ref().map(|seats| seats[idx]),
        })
        .collect();
    Ok(SeatsView {
        rules: rules.source.clone(),
        method: "The core's exact allocation on the estimated shares of valid votes (in parts per million); a list's range runs over the allocations of the estimate and of every list at either end of its interval, the other lists keeping their estimated proportions.".to_owned(),
        lists,
    })
}

fn method(res: &QuickCount, paired: bool, threshold: f64) -> Vec<String> {
    let mut res_text = vec![
        format!(
            "Combined ratio estimator over {} strata: turnout = Σ w·(ballots found) / Σ w·(voters on the roll), a list's share = Σ w·(its votes) / Σ w·(valid ballots), w = N_h / n_h; variance by linearisation with the finite-population correction, as R's survey::svyratio on svydesign(ids = ~1, strata, fpc); intervals ± {:.4} standard errors ({} %).",
            res.strata.len(),
            res.z,
            res.confidence * 100.0
        ),
        MISSING_RULE.to_owned(),
    ];
    res_text.push(if paired {
        "The official protocols of the reporting stations were compared with their reports: an official figure is checked against the official figure minus the paired difference D = R(official) - R(reports) over the same sample, ± z standard errors of D (a difference estimator; far tighter than the ratio interval, because honest stations agree exactly).".to_owned()
    } else {
        "An official figure is checked against the ratio estimator's interval.".to_owned()
    });
    res_text.push(format!(
        "Verdicts: inconsistent when the official figure is outside the interval; inconclusive when it is inside but the interval straddles the {threshold} % threshold (the list's passing is not decided), or when fewer than half the sample reported; else consistent."
    ));
    res_text
}
