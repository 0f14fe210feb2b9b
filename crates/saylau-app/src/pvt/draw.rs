//! `saylau pvt draw`: the sample of a plan drawn with the verifiable lot from a public
//! seed, written as a lot file that `saylau lot verify` recomputes.
//!
//! The lot file's items are the frame's stations in id order, its seed the public seed,
//! and its order the lot's draw order up to the last station taken; the sample is, in
//! each stratum, its first `n_h` stations in that order (`saylau_stats::pvt::sample`).

use saylau_core::seats::lot::{LOT_ALGORITHM, LotSeed};
use saylau_formats::{Diagnostics, LotFile};
use saylau_stats::pvt::frame::{Frame, Strata};
use saylau_stats::pvt::sample::{StratifiedSample, stratified_sample};
use serde::Serialize;

use super::plan::design_of;
use super::plan_file::PlanFile;
use super::{rejected, rule};

/// A drawn sample: the JSON of `saylau pvt draw --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DrawView {
    /// The plan's name.
    pub plan: String,
    /// The lot algorithm.
    pub algorithm: &'static str,
    /// The public seed.
    pub seed: String,
    /// The frame's SHA-256.
    pub frame_sha256: String,
    /// Stations in the frame.
    pub stations: usize,
    /// The length of the published draw order (up to the last station taken).
    pub order_length: usize,
    /// The sampled stations, in id order.
    pub sample: Vec<SampledStation>,
    /// The rule that turns the order into the sample.
    pub rule: String,
}

/// A sampled station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampledStation {
    /// The station.
    pub station: String,
    /// Its stratum.
    pub stratum: String,
    /// Its place in the draw order, from 1.
    pub drawn: usize,
}

/// The rule of the draw, in words.
const DRAW_RULE: &str = "saylau pvt (docs/pvt.md): the items are the frame's stations in id order; in each stratum of the plan, the sample is its first n_h stations in the draw order of this seed";

/// Draws the plan's sample with `seed`; returns the view and the lot file's text.
pub fn draw(
    plan: &PlanFile,
    plan_source: &str,
    frame: &Frame,
    seed: &str,
) -> Result<(DrawView, String), Diagnostics> {
    let (strata, sizes) = design_of(plan, plan_source, frame)?;
    let lot_seed = LotSeed::new(seed);
    let sample = stratified_sample(&lot_seed, &strata.of_station, &sizes).map_err(|err| {
        rejected(plan_source, None, "strata", rule::PLAN_COVERAGE, err.to_string())
    })?;
    let items: Vec<String> = frame.stations().iter().map(|it| it.station.to_string()).collect();
    let order: Vec<String> = sample.order.iter().map(|&idx| items[idx].clone()).collect();
    let view = DrawView {
        plan: plan.plan.name.clone(),
        algorithm: LOT_ALGORITHM,
        seed: seed.to_owned(),
        frame_sha256: plan.plan.frame_sha256.clone(),
        stations: items.len(),
        order_length: order.len(),
        sample: sampled(&sample, &strata, &items),
        rule: DRAW_RULE.to_owned(),
    };
    let file = LotToml {
        lot: LotSection {
            format: 1,
            name: format!("Quick-count sample: {}", plan.plan.name),
            description: format!(
                "{DRAW_RULE}. Plan strata by {}; frame SHA-256 {}.",
                plan.plan.strata_by.join(", "),
                plan.plan.frame_sha256
            ),
            seed: seed.to_owned(),
            items,
            order,
        },
    };
    let text = toml::to_string(&file).expect("a lot file serialises to TOML");
    Ok((view, text))
}

fn sampled(sample: &StratifiedSample, strata: &Strata, items: &[String]) -> Vec<SampledStation> {
    sample
        .chosen
        .iter()
        .map(|it| SampledStation {
            station: items[it.position].clone(),
            stratum: strata.id(it.stratum),
            drawn: it.rank + 1,
        })
        .collect()
}

#[derive(Serialize)]
struct LotToml {
    lot: LotSection,
}

#[derive(Serialize)]
struct LotSection {
    format: u32,
    name: String,
    description: String,
    seed: String,
    items: Vec<String>,
    order: Vec<String>,
}

/// The sample a published draw file gives, after checking that it is the lot of its seed
/// over this frame and this plan.
pub fn sample_of(
    plan: &PlanFile,
    plan_source: &str,
    frame: &Frame,
    lot: &LotFile,
    lot_source: &str,
) -> Result<(Strata, Vec<u64>, StratifiedSample), Diagnostics> {
    let (strata, sizes) = design_of(plan, plan_source, frame)?;
    let items: Vec<String> = frame.stations().iter().map(|it| it.station.to_string()).collect();
    let bad = |field: &str, message: String| {
        rejected(lot_source, None, field, rule::DRAW_MISMATCH, message)
    };
    if lot.items != items {
        return Err(bad(
            "lot.items",
            "the items are not the frame's stations in id order".to_owned(),
        ));
    }
    let sample = stratified_sample(&lot.seed, &strata.of_station, &sizes)
        .map_err(|err| bad("lot", err.to_string()))?;
    let order: Vec<&str> = sample.order.iter().map(|&idx| items[idx].as_str()).collect();
    if let Some(position) = (0..order.len().max(lot.claimed.len()))
        .find(|&idx| lot.claimed.get(idx).map(String::as_str) != order.get(idx).copied())
    {
        let message = format!(
            "the order differs from the lot of seed {:?} at position {} ({} claimed, {} drawn); the sample ends at position {}",
            lot.seed.as_str(),
            position + 1,
            lot.claimed.get(position).map_or("nothing", String::as_str),
            order.get(position).copied().unwrap_or("nothing"),
            order.len()
        );
        return Err(bad("lot.order", message));
    }
    Ok((strata, sizes, sample))
}
