//! `saylau pvt plan`: the design of a quick count from a frame and a past election.

use saylau_formats::{Diagnostic, Diagnostics, ProtocolFile};
use saylau_stats::pvt::design::{
    DesignError, MIN_PER_STRATUM, Spread, StratumHistory, expected_margin, proportional,
    smallest_for_margin, spread, voter_level_stations,
};
use saylau_stats::pvt::estimate::z_value;
use saylau_stats::pvt::frame::{Figure, Frame, StationCounts, Strata, figures, strata};
use serde::Serialize;

use super::frame_file::frame_sha256;
use super::plan_file::{PLAN_FORMAT, PlanFile, PlanHeader, PlanStratum};
use super::{diagnostic, percent, rejected, rule};

/// What to plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOptions {
    /// The plan's name.
    pub name: String,
    /// Attributes to stratify by.
    pub strata_by: Vec<String>,
    /// The confidence of the intervals.
    pub confidence: f64,
    /// The sample size: from a target margin, or given.
    pub size: PlanSize,
}

/// How the sample size is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlanSize {
    /// The smallest sample whose expected margin is at most this many percentage points
    /// for turnout and every list.
    Margin(f64),
    /// This many stations.
    Stations(u64),
}

/// The plan and why it is what it is: the JSON of `saylau pvt plan --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanView {
    /// The plan file's content.
    pub plan: PlanFile,
    /// Each stratum's spread in the past election.
    pub strata: Vec<StratumView>,
    /// Each figure's expected interval half-width with this sample.
    pub expected_margins: Vec<MarginView>,
    /// What the voter-level formula would have asked for.
    pub voter_level: VoterLevelView,
    /// Stations of the frame that the past election has.
    pub past_stations: u64,
    /// The design in sentences.
    pub explanation: Vec<String>,
}

/// One stratum of a plan with its past spread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StratumView {
    /// The stratum's id.
    pub id: String,
    /// Stations.
    pub stations: u64,
    /// Stations to sample.
    pub sample: u64,
    /// Stations with a past protocol.
    pub past_stations: u64,
    /// The standard deviation of past station turnout around the national turnout, in
    /// points, weighted as the estimator weighs it (residual SD over the mean roll).
    pub turnout_spread: String,
}

/// A figure's expected margin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarginView {
    /// `turnout` or a list id.
    pub figure: String,
    /// Its past national value, percent.
    pub past_value: String,
    /// The expected half-width of its interval, percentage points.
    pub margin: String,
}

/// The voter-level formula, for comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VoterLevelView {
    /// The formula.
    pub formula: String,
    /// The stations it asks for.
    pub stations: u64,
    /// The expected turnout margin of that many stations, by the between-station
    /// variance, percentage points.
    pub real_margin: String,
}

/// Plans a quick count over `frame` with the spreads of the `past` election.
pub fn plan(
    frame: &Frame,
    frame_source: &str,
    past: &ProtocolFile,
    options: &PlanOptions,
) -> Result<PlanView, Diagnostics> {
    let design_error =
        |err: DesignError| rejected(frame_source, None, "", rule::DESIGN, err.to_string());
    let strata = strata(frame, &options.strata_by)
        .map_err(|err| rejected(frame_source, None, "strata_by", rule::DESIGN, err.to_string()))?;
    let z = z_value(options.confidence)
        .map_err(|err| rejected("--confidence", None, "", rule::DESIGN, err.to_string()))?;
    let histories = histories(frame, &strata, past);
    let n_lists = past.ballot.len();
    let spreads = figures(n_lists)
        .into_iter()
        .map(|figure| spread(&histories, figure))
        .collect::<Result<Vec<Spread>, _>>()
        .map_err(design_error)?;
    let sizes = match options.size {
        PlanSize::Margin(points) => {
            smallest_for_margin(&spreads, &strata.populations, points / 100.0, z)
        }
        PlanSize::Stations(total) => proportional(&strata.populations, total),
    }
    .map_err(design_error)?;
    let figure_name = |figure: Figure| match figure {
        Figure::Turnout => "turnout".to_owned(),
        Figure::List(idx) => past.ballot.lists()[idx].id.to_string(),
    };
    let expected_margins: Vec<MarginView> = spreads
        .iter()
        .map(|spread| MarginView {
            figure: figure_name(spread.figure),
            past_value: percent(spread.ratio),
            margin: percent(expected_margin(spread, &strata.populations, &sizes, z)),
        })
        .collect();
    let sample: u64 = sizes.iter().sum();
    let stations = u64::try_from(frame.stations().len()).unwrap_or(u64::MAX);
    let past_stations: u64 = histories.iter().map(|it| len(it.past.len())).sum();
    let voter_level = voter_level(frame, &spreads[0], &strata, z, options.size);
    let plan_strata: Vec<PlanStratum> = (0..strata.values.len())
        .map(|idx| PlanStratum {
            id: strata.id(idx),
            values: strata.values[idx].clone(),
            stations: strata.populations[idx],
            sample: sizes[idx],
        })
        .collect();
    let strata_views = stratum_views(&plan_strata, &histories, &spreads[0]);
    let plan = plan_file(frame, options, plan_strata, stations, sample);
    let explanation = explanation(&plan, &voter_level, past_stations);
    Ok(PlanView {
        plan,
        strata: strata_views,
        expected_margins,
        voter_level,
        past_stations,
        explanation,
    })
}

fn stratum_views(
    plan_strata: &[PlanStratum],
    histories: &[StratumHistory],
    turnout: &Spread,
) -> Vec<StratumView> {
    plan_strata
        .iter()
        .zip(histories)
        .map(|(it, history)| StratumView {
            id: it.id.clone(),
            stations: it.stations,
            sample: it.sample,
            past_stations: len(history.past.len()),
            turnout_spread: turnout_spread(turnout, history),
        })
        .collect()
}

fn plan_file(
    frame: &Frame,
    options: &PlanOptions,
    strata: Vec<PlanStratum>,
    stations: u64,
    sample: u64,
) -> PlanFile {
    let target_margin = match options.size {
        PlanSize::Margin(points) => Some(points),
        PlanSize::Stations(_) => None,
    };
    PlanFile {
        plan: PlanHeader {
            format: PLAN_FORMAT,
            name: options.name.clone(),
            frame_sha256: frame_sha256(frame),
            strata_by: options.strata_by.clone(),
            confidence: options.confidence,
            target_margin,
            allocation: format!(
                "proportional to the stations of each stratum, largest remainders, at least {MIN_PER_STRATUM} a stratum"
            ),
            stations,
            sample,
        },
        strata,
    }
}

fn len(value: usize) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

/// Each stratum's stations with the past election's protocols of those stations.
fn histories(frame: &Frame, strata: &Strata, past: &ProtocolFile) -> Vec<StratumHistory> {
    let mut res: Vec<StratumHistory> = strata
        .populations
        .iter()
        .map(|&population| StratumHistory { population, past: Vec::new() })
        .collect();
    for protocol in &past.protocols {
        if let Some(position) = frame.position(protocol.station()) {
            res[strata.of_station[position]].past.push(StationCounts::of(protocol));
        }
    }
    res
}

/// The residual SD of turnout over the mean roll, in points.
fn turnout_spread(spread: &Spread, history: &StratumHistory) -> String {
    let rolls: Vec<u64> = history.past.iter().map(|it| it.voters_on_roll).collect();
    if rolls.len() < 2 {
        return "pooled".to_owned();
    }
    let mean = rolls.iter().sum::<u64>() as f64 / rolls.len() as f64;
    percent(spread_of(spread, history).sqrt() / mean)
}

fn spread_of(spread: &Spread, history: &StratumHistory) -> f64 {
    let pairs: Vec<(f64, f64)> = history
        .past
        .iter()
        .map(|it| {
            let (y, x) = it.ratio_parts(Figure::Turnout);
            (y as f64, x as f64)
        })
        .collect();
    let n = pairs.len() as f64;
    let residuals: Vec<f64> = pairs.iter().map(|(y, x)| y - spread.ratio * x).collect();
    let mean = residuals.iter().sum::<f64>() / n;
    residuals.iter().map(|z| (z - mean).powi(2)).sum::<f64>() / (n - 1.0)
}

/// The voter-level formula's stations and what they would really give.
fn voter_level(
    frame: &Frame,
    turnout: &Spread,
    strata: &Strata,
    z: f64,
    size: PlanSize,
) -> VoterLevelView {
    let rolls: u64 = frame.stations().iter().map(|it| it.voters_on_roll).sum();
    let mean_roll = rolls as f64 / frame.stations().len() as f64;
    let target = match size {
        PlanSize::Margin(points) => points / 100.0,
        PlanSize::Stations(_) => 0.01,
    };
    let wanted = voter_level_stations(turnout.ratio, target, z, mean_roll).ceil();
    let minimum: u64 = strata.populations.iter().map(|&it| it.min(MIN_PER_STRATUM)).sum();
    let stations = (wanted as u64).max(minimum);
    let margin = proportional(&strata.populations, stations)
        .map(|sizes| percent(expected_margin(turnout, &strata.populations, &sizes, z)))
        .unwrap_or_else(|_| "-".to_owned());
    VoterLevelView {
        formula: format!(
            "n = z² p (1 - p) / e² voters with p = {} % (past turnout), e = {} points, then {} voters a station",
            percent(turnout.ratio),
            percent(target),
            mean_roll.round()
        ),
        stations,
        real_margin: margin,
    }
}

fn explanation(plan: &PlanFile, voter_level: &VoterLevelView, past_stations: u64) -> Vec<String> {
    let header = &plan.plan;
    let size = match header.target_margin {
        Some(points) => format!(
            "the smallest sample whose expected {:.0} % interval is at most ±{points} points for turnout and every list",
            header.confidence * 100.0
        ),
        None => format!("a sample of {} stations, as asked", header.sample),
    };
    vec![
        format!(
            "Stations are the unit: {} stations of {} in {} strata by {}; {}.",
            header.sample,
            header.stations,
            plan.strata.len(),
            header.strata_by.join(" × "),
            header.allocation
        ),
        format!(
            "Size: {size}, from the between-station variance of the past election ({past_stations} stations of the frame): the variance of the combined ratio estimator is Σ N_h² (1 - n_h/N_h) S²_h / n_h / X², with S²_h the variance of the station residuals y - R x in each stratum."
        ),
        format!(
            "The voter-level formula ({}) would ask for only {} stations, whose real turnout margin is ±{} points: voters come in stations, and stations differ.",
            voter_level.formula, voter_level.stations, voter_level.real_margin
        ),
        "The sample is drawn with `saylau pvt draw` from a public seed by the saylau-lot-v1 lot; `saylau lot verify` recomputes it.".to_owned(),
    ]
}

/// The strata and sample sizes of a plan over a frame, after checking that the frame is
/// the plan's and that the plan's strata cover exactly the frame's stations.
pub fn design_of(
    plan: &PlanFile,
    plan_source: &str,
    frame: &Frame,
) -> Result<(Strata, Vec<u64>), Diagnostics> {
    let hash = frame_sha256(frame);
    if hash != plan.plan.frame_sha256 {
        let message = format!(
            "the frame's SHA-256 is {hash}, the plan was made from {}: use the plan's frame",
            plan.plan.frame_sha256
        );
        return Err(rejected(
            plan_source,
            None,
            "plan.frame_sha256",
            rule::FRAME_MISMATCH,
            message,
        ));
    }
    let strata = strata(frame, &plan.plan.strata_by).map_err(|err| {
        rejected(plan_source, None, "plan.strata_by", rule::PLAN_COVERAGE, err.to_string())
    })?;
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut sizes = Vec::with_capacity(strata.values.len());
    for (idx, values) in strata.values.iter().enumerate() {
        let first =
            strata.of_station.iter().position(|&it| it == idx).expect("a stratum has a station");
        match plan.strata.iter().find(|it| &it.values == values) {
            None => found.push(diagnostic(
                plan_source,
                None,
                "strata",
                rule::PLAN_COVERAGE,
                format!(
                    "no stratum covers the {} stations with {} = {} (first {})",
                    strata.populations[idx],
                    plan.plan.strata_by.join("/"),
                    values.join("/"),
                    frame.stations()[first].station
                ),
            )),
            Some(it) if it.stations != strata.populations[idx] => found.push(diagnostic(
                plan_source,
                None,
                "strata",
                rule::PLAN_COVERAGE,
                format!(
                    "stratum {} counts {} stations, the frame has {}",
                    it.id, it.stations, strata.populations[idx]
                ),
            )),
            Some(it) => sizes.push(it.sample),
        }
    }
    for it in &plan.strata {
        if !strata.values.contains(&it.values) {
            let message = format!("stratum {} has no station in the frame", it.id);
            found.push(diagnostic(plan_source, None, "strata", rule::PLAN_COVERAGE, message));
        }
    }
    if found.is_empty() { Ok((strata, sizes)) } else { Err(Diagnostics(found)) }
}
