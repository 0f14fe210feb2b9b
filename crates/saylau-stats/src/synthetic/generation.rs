//! Making a synthetic country: the regions modelled station by station, the votes counted
//! to the official totals, the anomalies recorded and the observer sample drawn.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use saylau_core::count::commission::{Hierarchy, StationId};
use saylau_core::count::protocol::{
    BallotCount, BallotList, BallotLists, Protocol, ProtocolExtra, ProtocolLines,
};
use saylau_core::seats::votes::ListId;
use serde::Serialize;

use super::count::count_votes;
use super::model::{build_region, manipulate, regional_rolls, station_counts};
use super::options::{Seed, SyntheticError, SyntheticOptions, check_options};
use super::record::station_record;
use crate::country::{OFFICIAL_2021, REGION_MODELS};

/// A manipulation recorded in the ground truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Manipulation {
    /// Ballots for the ruling list (line 10.1) stuffed into the box, with no signature on
    /// the roll: lines 3, 6, 8 and 10.1 are higher and line 5 lower by this much than the
    /// true figures, and line 3.1 (signatures) is the true line 3.
    pub added_ballots: BallotCount,
}

/// What really happened at one station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GroundTruth {
    /// The station.
    pub station: StationId,
    /// The manipulation, if the station was manipulated.
    pub manipulation: Option<Manipulation>,
    /// True when an observer's copy of this station was written.
    pub observed: bool,
}

/// Where a station is: in a town (the three cities included) or a village.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Settlement {
    /// A town or city station.
    Town,
    /// A rural station.
    Rural,
}

impl Settlement {
    /// `town` or `rural`.
    pub fn as_str(self) -> &'static str {
        match self {
            Settlement::Town => "town",
            Settlement::Rural => "rural",
        }
    }
}

/// A generated country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticCountry {
    /// The seed it was made from.
    pub seed: Seed,
    /// The five 2021 lists in the order of the official table.
    pub ballot: BallotLists,
    /// The 17 regions and the synthetic districts, named.
    pub hierarchy: Hierarchy,
    /// The published protocols, one per station, by station id; they add up to the
    /// official 2021 totals.
    pub protocols: Vec<Protocol>,
    /// Observers' copies (the true figures) of the sampled stations, by station id.
    pub observer_copies: Vec<Protocol>,
    /// What really happened at every station, by station id.
    pub ground_truth: Vec<GroundTruth>,
    /// Whether each station is in a town or a village, by station id.
    pub settlements: Vec<Settlement>,
    /// Labels for files: this is synthetic data.
    pub notes: Vec<String>,
}

/// Makes a synthetic country from `seed`.
pub fn synthetic_country(
    seed: Seed,
    options: &SyntheticOptions,
) -> Result<SyntheticCountry, SyntheticError> {
    check_options(options)?;
    let mut rng = stream(seed, 0);
    let mut hierarchy = Hierarchy::regions_2021();
    let registered = regional_rolls()?;
    let counts = station_counts(options.stations, &registered)?;
    let mut sites = Vec::with_capacity(usize::try_from(options.stations).unwrap_or_default());
    for ((model, &roll), &count) in REGION_MODELS.iter().zip(&registered).zip(&counts) {
        build_region(&mut rng, model, roll, count, &mut hierarchy, &mut sites)?;
    }
    manipulate(&mut stream(seed, 1), options, &mut sites)?;
    let counted = count_votes(&mut rng, &sites)?;
    let ballot = official_ballot();
    let mut protocols = Vec::with_capacity(sites.len());
    let mut truths = Vec::with_capacity(sites.len());
    let mut ground_truth = Vec::with_capacity(sites.len());
    let mut records = stream(seed, 3);
    for (site, (published, truth)) in sites.iter().zip(counted) {
        let added = published.found_in_boxes.0 - truth.found_in_boxes.0;
        let manipulation =
            (added > 0).then_some(Manipulation { added_ballots: BallotCount(added) });
        ground_truth.push(GroundTruth { station: site.station, manipulation, observed: false });
        let extra = station_record(&mut records, site, seed.0, &published, &truth);
        protocols.push(checked(site.station, published, extra.clone(), &ballot)?);
        truths.push(checked(site.station, truth, extra, &ballot)?);
    }
    let settlements = sites
        .iter()
        .map(|site| if site.urban { Settlement::Town } else { Settlement::Rural })
        .collect();
    let observed = observer_sample(&mut stream(seed, 2), options.observer_sample, sites.len());
    let mut observer_copies = Vec::with_capacity(observed.len());
    for idx in observed {
        ground_truth[idx].observed = true;
        observer_copies.push(truths[idx].clone());
    }
    let notes = vec![
        "SYNTHETIC DATA, NOT REAL ELECTION RESULTS: a modelled Kazakhstan (saylau synthetic_country)."
            .to_owned(),
        format!(
            "seed {}, {} stations; national totals equal the official 2021 Mazhilis totals; station figures are modelled (docs/synthetic.md).",
            seed.0,
            sites.len()
        ),
    ];
    Ok(SyntheticCountry {
        seed,
        ballot,
        hierarchy,
        protocols,
        observer_copies,
        ground_truth,
        settlements,
        notes,
    })
}

/// The generator of one purpose: the seed's ChaCha8 stream number `purpose`.
fn stream(seed: Seed, purpose: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed.0);
    rng.set_stream(purpose);
    rng
}

/// The official ballot of 2021.
fn official_ballot() -> BallotLists {
    let lists = OFFICIAL_2021
        .lists
        .iter()
        .map(|list| BallotList { id: ListId::new(list.id), name: list.name.to_owned() })
        .collect();
    BallotLists::new(lists).expect("the official lists have distinct, non-empty ids")
}

fn checked(
    station: StationId,
    lines: ProtocolLines,
    extra: ProtocolExtra,
    ballot: &BallotLists,
) -> Result<Protocol, SyntheticError> {
    Protocol::with_extra(station, lines, extra, ballot).map_err(|violations| {
        let text: Vec<String> = violations.iter().map(ToString::to_string).collect();
        SyntheticError::Inconsistent(text.join("; "))
    })
}

/// `sample` station indices chosen uniformly without replacement, in station order.
fn observer_sample(rng: &mut ChaCha8Rng, sample: u32, stations: usize) -> Vec<usize> {
    let sample = usize::try_from(sample).unwrap_or(usize::MAX).min(stations);
    let mut indices: Vec<usize> = (0..stations).collect();
    for pick in 0..sample {
        let swap = rng.random_range(pick..stations);
        indices.swap(pick, swap);
    }
    indices.truncate(sample);
    indices.sort_unstable();
    indices
}
