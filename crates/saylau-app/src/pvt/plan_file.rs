//! Plan files (TOML): the published design of a quick count, written by `saylau pvt
//! plan` and read by `draw` and `estimate`.
//!
//! ```toml
//! [plan]
//! format = 1
//! name = "Quick count, Mazhilis 2021 (synthetic frame)"
//! frame_sha256 = "…"          # the frame it was made from (frame_file::frame_sha256)
//! strata_by = ["region", "settlement"]
//! confidence = 0.95
//! target_margin = 1.0         # percentage points, when the size came from a margin
//! allocation = "proportional, at least 2 a stratum"
//! stations = 10000
//! sample = 1000
//!
//! [[strata]]
//! id = "01/rural"
//! values = ["01", "rural"]
//! stations = 402
//! sample = 40
//! ```

use std::path::Path;

use saylau_formats::Diagnostics;
use serde::{Deserialize, Serialize};

use super::{rejected, rule};

/// The plan file format version.
pub const PLAN_FORMAT: u32 = 1;

/// A plan file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// The design.
    pub plan: PlanHeader,
    /// The strata, in the order of their values.
    pub strata: Vec<PlanStratum>,
}

/// `[plan]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanHeader {
    /// Always [`PLAN_FORMAT`].
    pub format: u32,
    /// What the plan is for.
    pub name: String,
    /// The SHA-256 of the frame's canonical text.
    pub frame_sha256: String,
    /// The attributes the strata are made by (`region`, `district`, or a frame column).
    pub strata_by: Vec<String>,
    /// The confidence of the intervals, such as 0.95.
    pub confidence: f64,
    /// The target half-width of every interval in percentage points, when the sample
    /// size was computed from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_margin: Option<f64>,
    /// How the sample is spread over the strata.
    pub allocation: String,
    /// Stations in the frame.
    pub stations: u64,
    /// Stations in the sample.
    pub sample: u64,
}

/// `[[strata]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanStratum {
    /// The values joined by `/`, such as `01/rural`.
    pub id: String,
    /// The stratum's values of the plan's `strata_by`.
    pub values: Vec<String>,
    /// Stations in it, `N_h`.
    pub stations: u64,
    /// Stations to sample, `n_h`.
    pub sample: u64,
}

/// Reads a plan file.
pub fn read_plan(path: &Path) -> Result<PlanFile, Diagnostics> {
    let source = path.display().to_string();
    let text = crate::read_toml(path).map_err(|err| {
        rejected(&source, None, "", rule::PLAN_FILE, format!("cannot read the file: {err}"))
    })?;
    parse_plan(&source, &text)
}

/// Reads a plan file's text; `source` names it in diagnostics.
pub fn parse_plan(source: &str, text: &str) -> Result<PlanFile, Diagnostics> {
    let plan: PlanFile = toml::from_str(text).map_err(|err| {
        let line = err.span().map(|span| {
            let newlines = text.as_bytes()[..span.start.min(text.len())]
                .iter()
                .filter(|&&byte| byte == b'\n')
                .count();
            u32::try_from(newlines + 1).unwrap_or(u32::MAX)
        });
        let message = err.message().to_owned();
        rejected(source, line, "", rule::PLAN_FILE, message)
    })?;
    let bad =
        |field: &str, message: String| rejected(source, None, field, rule::PLAN_FILE, message);
    if plan.plan.format != PLAN_FORMAT {
        return Err(bad(
            "plan.format",
            format!("format {} is not {PLAN_FORMAT}", plan.plan.format),
        ));
    }
    if !(plan.plan.confidence > 0.0 && plan.plan.confidence < 1.0) {
        let message = format!("{} is not between 0 and 1", plan.plan.confidence);
        return Err(bad("plan.confidence", message));
    }
    for (idx, stratum) in plan.strata.iter().enumerate() {
        if stratum.values.len() != plan.plan.strata_by.len()
            || stratum.id != stratum.values.join("/")
        {
            let message = format!(
                "stratum {:?} must have one value per strata_by attribute, joined by / in its id",
                stratum.id
            );
            return Err(bad(&format!("strata[{idx}]"), message));
        }
        if stratum.sample > stratum.stations {
            let message = format!("samples {} of {} stations", stratum.sample, stratum.stations);
            return Err(bad(&format!("strata[{idx}].sample"), message));
        }
        if plan.strata[..idx].iter().any(|earlier| earlier.id == stratum.id) {
            return Err(bad(
                &format!("strata[{idx}].id"),
                format!("{:?} is used twice", stratum.id),
            ));
        }
    }
    Ok(plan)
}

/// The plan's TOML text.
pub fn plan_toml(plan: &PlanFile) -> String {
    toml::to_string(plan).expect("a plan serialises to TOML")
}
