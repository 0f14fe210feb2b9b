//! A quick count's use cases from the paths of its files, so that a front end never reads
//! a protocol file or a draw itself: [`plan_files`] (`saylau pvt plan`) and
//! [`estimate_files`] (`saylau pvt estimate`, `saylau observe report`, the portal's quick
//! count). Each file is read whole; a refused file gives its diagnostics.

use std::path::Path;

use saylau_formats::{Diagnostics, read_lot, read_protocols};

use super::estimate::{EstimateInputs, EstimateView, estimate};
use super::frame_file::read_frame;
use super::plan::{PlanOptions, PlanView, plan};
use super::plan_file::read_plan;

/// The files of a quick count's estimate.
#[derive(Debug, Clone, Copy)]
pub struct QuickCountFiles<'a> {
    /// The published plan (`plan.toml`).
    pub plan: &'a Path,
    /// The frame of stations.
    pub frame: &'a Path,
    /// The published draw.
    pub draw: &'a Path,
    /// The sampled stations' reports: a protocol file (CSV or JSON).
    pub reports: &'a Path,
    /// The official protocols, when they are out.
    pub official: Option<&'a Path>,
    /// The election file whose rules make the seat projections (default the bundled 2021
    /// rules).
    pub rules: Option<&'a Path>,
    /// The electoral threshold in percent, for the verdicts on the lists.
    pub threshold: f64,
}

/// The plan of a quick count from its frame and a past election's protocols (every row
/// of which must be good).
pub fn plan_files(
    frame: &Path,
    past: &Path,
    options: &PlanOptions,
) -> Result<PlanView, Diagnostics> {
    let frame_file = read_frame(frame)?;
    let past = read_protocols(past)?;
    if !past.rejected.is_empty() {
        return Err(past.diagnostics());
    }
    plan(&frame_file, &frame.display().to_string(), &past, options)
}

/// The estimate of the quick count of `files`.
pub fn estimate_files(files: &QuickCountFiles<'_>) -> Result<EstimateView, Diagnostics> {
    let plan_file = read_plan(files.plan)?;
    let frame = read_frame(files.frame)?;
    let lot = read_lot(files.draw, &[])?;
    let reports = read_protocols(files.reports)?;
    let official = match files.official {
        Some(path) => Some((read_protocols(path)?, path.display().to_string())),
        None => None,
    };
    let (plan_source, draw_source, reports_source) = (
        files.plan.display().to_string(),
        files.draw.display().to_string(),
        files.reports.display().to_string(),
    );
    estimate(&EstimateInputs {
        plan: (&plan_file, &plan_source),
        frame: &frame,
        draw: (&lot, &draw_source),
        reports: (&reports, &reports_source),
        official: official.as_ref().map(|(file, source)| (file, source.as_str())),
        rules: files.rules,
        threshold: files.threshold,
    })
}
