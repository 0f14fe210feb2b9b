//! A synthetic Kazakhstan: about 10,000 polling-station protocols of the 2021 Mazhilis
//! party-list election whose national totals are exactly the official ones.
//!
//! SYNTHETIC DATA, NOT REAL RESULTS. The regions, their populations and the national
//! totals are real ([`crate::country`]); districts, stations, rolls, turnout and votes per
//! station are drawn from a model (`docs/synthetic.md`), then corrected in whole numbers
//! so that every protocol satisfies the control relations of
//! `saylau_core::protocol` and the sums are the official 2021 figures. Optionally some
//! stations are manipulated (turnout inflated by stuffed ballots for the ruling list),
//! and observers' copies of a random sample of stations record the true figures.
//!
//! Everything is a function of the seed: one ChaCha8 stream per purpose (country,
//! anomalies, observer sample), so the same seed and options give the same bytes.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution, Gamma, LogNormal};
use saylau_core::commission::{DistrictId, Hierarchy, Level, REGIONS_2021, RegionCode, StationId};
use saylau_core::protocol::{
    BallotCount, BallotList, BallotLists, Protocol, ProtocolLines, VoterCount,
};
use saylau_core::votes::{ListId, Votes};
use serde::Serialize;

use crate::country::{OFFICIAL_2021, REGION_MODELS, RegionModel};
use crate::rounding::{RoundingError, apportion, fit_table, floor_u64, to_f64};

/// The seed of a synthetic country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Seed(pub u64);

/// What to generate. There is no default: [`SyntheticOptions::new`] takes the number of
/// stations and sets no anomalies and no observer copies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyntheticOptions {
    /// Polling stations in the country, [`MIN_STATIONS`] to [`MAX_STATIONS`] (the real
    /// 2021 count was about 10,000).
    pub stations: u32,
    /// The share of stations to manipulate, from 0 to [`MAX_ANOMALY_SHARE`]:
    /// `round(share × stations)` stations, chosen among those with at least
    /// [`MIN_MANIPULATED_ROLL`] voters.
    pub anomaly_share: f64,
    /// How many stations' observer copies to write, at most all of them.
    pub observer_sample: u32,
}

/// The fewest stations: one per region.
pub const MIN_STATIONS: u32 = 17;
/// The most stations.
pub const MAX_STATIONS: u32 = 200_000;
/// The largest share of manipulated stations.
pub const MAX_ANOMALY_SHARE: f64 = 0.5;
/// Only stations with at least this many voters on the roll are manipulated.
pub const MIN_MANIPULATED_ROLL: u64 = 100;

impl SyntheticOptions {
    /// `stations` stations, no anomalies, no observer copies.
    pub fn new(stations: u32) -> SyntheticOptions {
        SyntheticOptions { stations, anomaly_share: 0.0, observer_sample: 0 }
    }
}

/// Why a synthetic country cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SyntheticError {
    /// Too few or too many stations.
    #[error("the number of stations must be between {MIN_STATIONS} and {MAX_STATIONS}, not {0}")]
    Stations(u32),
    /// An anomaly share outside 0..=0.5.
    #[error("the anomaly share must be between 0 and {MAX_ANOMALY_SHARE}, not {0}")]
    AnomalyShare(f64),
    /// More observer copies than stations.
    #[error("the observer sample ({sample}) is larger than the number of stations ({stations})")]
    ObserverSample {
        /// The sample asked for.
        sample: u32,
        /// The stations.
        stations: u32,
    },
    /// Not enough stations large enough to manipulate.
    #[error(
        "{wanted} stations to manipulate, but only {eligible} have at least {MIN_MANIPULATED_ROLL} voters"
    )]
    TooFewEligible {
        /// Stations to manipulate.
        wanted: usize,
        /// Stations with enough voters.
        eligible: usize,
    },
    /// The totals cannot be met in whole numbers (a model bug).
    #[error("cannot meet the official totals: {0}")]
    Rounding(#[from] RoundingError),
    /// A generated protocol breaks a rule (a model bug).
    #[error("a generated protocol is inconsistent: {0}")]
    Inconsistent(String),
}

/// A manipulation recorded in the ground truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Manipulation {
    /// Ballots for the ruling list (line 10.1) stuffed into the box, with as many forged
    /// signatures on the roll: lines 3, 6, 8 and 10.1 are higher and line 5 lower by this
    /// much than the true figures.
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
    /// Labels for files: this is synthetic data.
    pub notes: Vec<String>,
}

/// One station while it is modelled.
struct Site {
    station: StationId,
    roll: u64,
    turnout: f64,
    published_turnout: f64,
    mobile_share: f64,
    invalid_rate: f64,
    shares: Vec<f64>,
    manipulated: bool,
}

/// The most voters on a station's roll, when the region has enough stations for it: the
/// ceiling of the law on polling stations (art. 23 p. 1, as we read it).
const MAX_ROLL: u64 = 3_000;

/// Median voters per urban and rural station before scaling to the region's roll.
const URBAN_ROLL: f64 = 1_700.0;
const RURAL_ROLL: f64 = 520.0;

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
    for (site, (published, truth)) in sites.iter().zip(counted) {
        let added = published.found_in_boxes.0 - truth.found_in_boxes.0;
        let manipulation =
            (added > 0).then_some(Manipulation { added_ballots: BallotCount(added) });
        ground_truth.push(GroundTruth { station: site.station, manipulation, observed: false });
        protocols.push(checked(site.station, published, &ballot)?);
        truths.push(checked(site.station, truth, &ballot)?);
    }
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
        notes,
    })
}

fn check_options(options: &SyntheticOptions) -> Result<(), SyntheticError> {
    if !(MIN_STATIONS..=MAX_STATIONS).contains(&options.stations) {
        return Err(SyntheticError::Stations(options.stations));
    }
    if !(0.0..=MAX_ANOMALY_SHARE).contains(&options.anomaly_share) {
        return Err(SyntheticError::AnomalyShare(options.anomaly_share));
    }
    if options.observer_sample > options.stations {
        return Err(SyntheticError::ObserverSample {
            sample: options.observer_sample,
            stations: options.stations,
        });
    }
    Ok(())
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
    ballot: &BallotLists,
) -> Result<Protocol, SyntheticError> {
    Protocol::new(station, lines, ballot).map_err(|violations| {
        let text: Vec<String> = violations.iter().map(ToString::to_string).collect();
        SyntheticError::Inconsistent(text.join("; "))
    })
}

/// Voters on the rolls by region: the official national total split in proportion to
/// each region's population of voting age.
fn regional_rolls() -> Result<Vec<u64>, SyntheticError> {
    let weights: Vec<f64> =
        REGION_MODELS.iter().map(|model| to_f64(model.population) * model.adult_share).collect();
    Ok(apportion(OFFICIAL_2021.registered, &weights, &[u64::MAX; 17])?)
}

/// Stations by region: one each, the rest in proportion to the stations the region's
/// voters fill at the mean urban and rural station sizes.
fn station_counts(stations: u32, registered: &[u64]) -> Result<Vec<u64>, SyntheticError> {
    let weights: Vec<f64> = REGION_MODELS
        .iter()
        .zip(registered)
        .map(|(model, &roll)| {
            let mean = model.urban_share * URBAN_ROLL + (1.0 - model.urban_share) * RURAL_ROLL;
            to_f64(roll) / mean
        })
        .collect();
    let caps: Vec<u64> = registered.iter().map(|roll| roll.saturating_sub(1)).collect();
    let rest = apportion(u64::from(stations) - 17, &weights, &caps)?;
    Ok(rest.into_iter().map(|count| count + 1).collect())
}

/// The districts and stations of one region, appended to `sites`.
fn build_region(
    rng: &mut ChaCha8Rng,
    model: &RegionModel,
    registered: u64,
    count: u64,
    hierarchy: &mut Hierarchy,
    sites: &mut Vec<Site>,
) -> Result<(), SyntheticError> {
    let region = RegionCode::new(model.code).expect("model codes are 1 to 17");
    let region_name = REGIONS_2021[usize::from(model.code) - 1].1;
    let urban_stations = model.urban_share / URBAN_ROLL;
    let urban_fraction = urban_stations / (urban_stations + (1.0 - model.urban_share) / RURAL_ROLL);
    let city = model.rural_districts == 0;
    let n_urban = if city {
        count
    } else {
        let drawn = (0..count).filter(|_| rng.random_bool(urban_fraction.clamp(0.0, 1.0))).count();
        u64::try_from(drawn).unwrap_or_default()
    };
    let towns = u64::from(model.towns).min(n_urban);
    let rurals = u64::from(model.rural_districts).min(count - n_urban);
    let mut districts = district_sizes(rng, n_urban, towns)?;
    districts.extend(district_sizes(rng, count - n_urban, rurals)?);
    let lean = region_lean(rng, model);
    let invalid_factor = sample(rng, LogNormal::new(0.0, 0.35), 1.0);
    let first = sites.len();
    let mut weights = Vec::with_capacity(usize::try_from(count).unwrap_or_default());
    for (idx, &size) in districts.iter().enumerate() {
        let number = u8::try_from(idx + 1).unwrap_or(u8::MAX);
        let district = DistrictId::new(region, number).expect("at most 25 districts a region");
        let urban = u64::try_from(idx).unwrap_or(u64::MAX) < towns;
        let kind = match (city, urban) {
            (true, _) => "city district",
            (false, true) => "town",
            (false, false) => "rural district",
        };
        let name = format!("{region_name} {kind} {number} (synthetic)");
        hierarchy
            .name_commission(saylau_core::commission::CommissionId::District(district), &name)
            .map_err(|err| SyntheticError::Inconsistent(err.to_string()))?;
        for station_number in 1..=size {
            let number = u16::try_from(station_number).unwrap_or(u16::MAX);
            let station =
                StationId::new(district, number).expect("at most 9999 stations a district");
            let (mean, sigma, low, high) = if urban {
                (URBAN_ROLL, 0.30, 400.0, 3_000.0)
            } else {
                (RURAL_ROLL, 0.85, 25.0, 2_400.0)
            };
            weights.push(sample(rng, LogNormal::new(mean.ln(), sigma), mean).clamp(low, high));
            sites.push(station_site(rng, model, station, urban, &lean, invalid_factor));
        }
    }
    let cap = MAX_ROLL.max(registered.div_ceil(count) * 3 / 2);
    let rolls = apportion(registered, &weights, &vec![cap; weights.len()])?;
    for (site, roll) in sites[first..].iter_mut().zip(rolls) {
        site.roll = roll;
    }
    Ok(())
}

/// `count` stations over `districts` districts: at least one each, the rest at random.
fn district_sizes(
    rng: &mut ChaCha8Rng,
    count: u64,
    districts: u64,
) -> Result<Vec<u64>, SyntheticError> {
    if districts == 0 {
        return Ok(Vec::new());
    }
    let weights: Vec<f64> =
        (0..districts).map(|_| sample(rng, Gamma::new(4.0, 1.0), 1.0)).collect();
    let caps = vec![9_998; weights.len()];
    let rest = apportion(count - districts, &weights, &caps)?;
    Ok(rest.into_iter().map(|size| size + 1).collect())
}

/// The region's expected share of each list, before station noise: the national shares,
/// the region's ruling-list lean and a random regional factor per list.
fn region_lean(rng: &mut ChaCha8Rng, model: &RegionModel) -> Vec<f64> {
    let valid: u64 = OFFICIAL_2021.lists.iter().map(|list| list.votes).sum();
    OFFICIAL_2021
        .lists
        .iter()
        .enumerate()
        .map(|(idx, list)| {
            let national = to_f64(list.votes) / to_f64(valid);
            let lean = if idx == 0 { model.ruling_lean } else { 1.0 };
            national * lean * sample(rng, LogNormal::new(0.0, 0.2), 1.0)
        })
        .collect()
}

/// How urban and rural stations lean, list by list (Nur Otan, Ak Zhol, People's Party,
/// Auyl, Adal).
const URBAN_LEAN: [f64; 5] = [0.93, 1.45, 1.2, 0.55, 1.1];
const RURAL_LEAN: [f64; 5] = [1.06, 0.65, 0.85, 1.45, 0.9];

/// One station's modelled turnout, mobile-box share, invalid rate and list shares.
fn station_site(
    rng: &mut ChaCha8Rng,
    model: &RegionModel,
    station: StationId,
    urban: bool,
    lean: &[f64],
    invalid_factor: f64,
) -> Site {
    let turnout_mean = (model.turnout + if urban { -0.06 } else { 0.05 }).clamp(0.1, 0.95);
    let turnout = beta(rng, turnout_mean, 30.0).clamp(0.05, 0.97);
    let mobile_share = beta(rng, if urban { 0.02 } else { 0.05 }, 40.0);
    let invalid_mean = (0.0395 * invalid_factor).clamp(0.002, 0.2);
    let invalid_rate = beta(rng, invalid_mean, 150.0);
    let factors = if urban { URBAN_LEAN } else { RURAL_LEAN };
    let mut shares: Vec<f64> = lean
        .iter()
        .zip(factors)
        .map(|(share, factor)| sample(rng, Gamma::new(200.0 * share * factor, 1.0), share * factor))
        .collect();
    let total: f64 = shares.iter().sum();
    shares.iter_mut().for_each(|share| *share /= total);
    Site {
        station,
        roll: 0,
        turnout,
        published_turnout: turnout,
        mobile_share,
        invalid_rate,
        shares,
        manipulated: false,
    }
}

/// A Beta draw with the given mean and concentration.
fn beta(rng: &mut ChaCha8Rng, mean: f64, concentration: f64) -> f64 {
    let mean = mean.clamp(0.001, 0.999);
    sample(rng, Beta::new(mean * concentration, (1.0 - mean) * concentration), mean)
}

/// A draw from `distribution`, or `fallback` if its parameters were invalid (they are
/// clamped to valid ranges above, so this does not happen).
fn sample<D: Distribution<f64>, E>(
    rng: &mut ChaCha8Rng,
    distribution: Result<D, E>,
    fallback: f64,
) -> f64 {
    distribution.map_or(fallback, |distribution| distribution.sample(rng))
}

/// Chooses the manipulated stations and how far each one's turnout is inflated.
fn manipulate(
    rng: &mut ChaCha8Rng,
    options: &SyntheticOptions,
    sites: &mut [Site],
) -> Result<(), SyntheticError> {
    let wanted = floor_u64(
        (options.anomaly_share * to_f64(u64::try_from(sites.len()).unwrap_or(u64::MAX))).round(),
    );
    let wanted = usize::try_from(wanted).unwrap_or(usize::MAX);
    let mut eligible: Vec<usize> =
        (0..sites.len()).filter(|&idx| sites[idx].roll >= MIN_MANIPULATED_ROLL).collect();
    if wanted > eligible.len() {
        return Err(SyntheticError::TooFewEligible { wanted, eligible: eligible.len() });
    }
    for pick in 0..wanted {
        let swap = rng.random_range(pick..eligible.len());
        eligible.swap(pick, swap);
        let site = &mut sites[eligible[pick]];
        site.manipulated = true;
        let boost = rng.random_range(0.10..0.30);
        site.published_turnout = (site.turnout + boost).min(0.97);
    }
    Ok(())
}

/// Every station's published and true protocol lines, corrected to the official totals.
fn count_votes(
    rng: &mut ChaCha8Rng,
    sites: &[Site],
) -> Result<Vec<(ProtocolLines, ProtocolLines)>, SyntheticError> {
    let rolls: Vec<u64> = sites.iter().map(|site| site.roll).collect();
    let expected_issued: Vec<f64> =
        sites.iter().map(|site| site.published_turnout * to_f64(site.roll)).collect();
    let issued = apportion(OFFICIAL_2021.participants, &expected_issued, &rolls)?;
    // Stuffed ballots are valid: invalid ballots come from the true voters only.
    let stuffed_share: Vec<f64> =
        sites.iter().map(|site| 1.0 - site.turnout / site.published_turnout).collect();
    let expected_invalid: Vec<f64> = sites
        .iter()
        .zip(&issued)
        .zip(&stuffed_share)
        .map(|((site, &issued), stuffed)| site.invalid_rate * to_f64(issued) * (1.0 - stuffed))
        .collect();
    let invalid = apportion(OFFICIAL_2021.invalid, &expected_invalid, &issued)?;
    let valid: Vec<u64> =
        issued.iter().zip(&invalid).map(|(issued, invalid)| issued - invalid).collect();
    let expected_votes: Vec<Vec<f64>> = sites
        .iter()
        .zip(&valid)
        .zip(issued.iter().zip(&stuffed_share))
        .map(|((site, &valid), (&issued, stuffed))| {
            let added = stuffed * to_f64(issued);
            let honest = (to_f64(valid) - added).max(0.0);
            let mut row: Vec<f64> = site.shares.iter().map(|share| share * honest).collect();
            row[0] += added;
            row
        })
        .collect();
    let targets: Vec<u64> = OFFICIAL_2021.lists.iter().map(|list| list.votes).collect();
    let votes = fit_table(&expected_votes, &valid, &targets, rng)?;
    let mut res = Vec::with_capacity(sites.len());
    for (idx, site) in sites.iter().enumerate() {
        let counts = Counts {
            issued: issued[idx],
            invalid: invalid[idx],
            votes: &votes[idx],
            stuffed_share: stuffed_share[idx],
        };
        res.push(station_lines(site, &counts)?);
    }
    Ok(res)
}

/// One station's corrected counts.
struct Counts<'a> {
    issued: u64,
    invalid: u64,
    votes: &'a [u64],
    stuffed_share: f64,
}

/// A station's published and true lines from its corrected counts: ballots received with
/// the 1 % reserve (art. 37 p. 3), the mobile box's share of the true voters, and for a
/// manipulated station the stuffed ballots taken back out of the truth.
fn station_lines(
    site: &Site,
    counts: &Counts<'_>,
) -> Result<(ProtocolLines, ProtocolLines), SyntheticError> {
    let issued = counts.issued;
    let issued_true = to_f64(issued) * (1.0 - counts.stuffed_share);
    let outside = floor_u64((issued_true * site.mobile_share).round()).min(issued);
    let received = site.roll + site.roll.div_ceil(100);
    let published = ProtocolLines {
        voters_on_roll: VoterCount(site.roll),
        ballots_received: BallotCount(received),
        issued_in_station: BallotCount(issued - outside),
        issued_outside: BallotCount(outside),
        cancelled: BallotCount(received - issued),
        found_in_boxes: BallotCount(issued),
        invalid: BallotCount(counts.invalid),
        valid: BallotCount(issued - counts.invalid),
        against_all: Votes(OFFICIAL_2021.against_all),
        list_votes: counts.votes.iter().map(|votes| Votes(*votes)).collect(),
    };
    if !site.manipulated {
        return Ok((published.clone(), published));
    }
    let wanted = floor_u64((counts.stuffed_share * to_f64(issued)).round());
    let most = published.list_votes[0].0.min(published.issued_in_station.0);
    if most == 0 {
        return Err(SyntheticError::Inconsistent(format!(
            "station {} cannot be manipulated: no ruling-list votes in the station",
            site.station
        )));
    }
    let truth = unstuffed(&published, wanted.clamp(1, most));
    Ok((published, truth))
}

/// The true lines of a protocol whose published lines include `added` stuffed ballots.
fn unstuffed(published: &ProtocolLines, added: u64) -> ProtocolLines {
    let mut truth = published.clone();
    truth.issued_in_station.0 -= added;
    truth.cancelled.0 += added;
    truth.found_in_boxes.0 -= added;
    truth.valid.0 -= added;
    truth.list_votes[0].0 -= added;
    truth
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

/// A summary of a synthetic country, for `saylau generate --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Always true: this is not real data.
    pub synthetic: bool,
    /// The seed.
    pub seed: Seed,
    /// Regions.
    pub regions: usize,
    /// District and city commissions.
    pub districts: usize,
    /// Polling stations.
    pub stations: usize,
    /// Voters on the rolls (line 1 summed).
    pub voters_on_roll: u64,
    /// Ballots found in the boxes (line 6 summed).
    pub participants: u64,
    /// Invalid ballots (line 7 summed).
    pub invalid: u64,
    /// Votes per list (lines 10.k summed), in ballot order.
    pub list_votes: Vec<ListVotes>,
    /// Stations manipulated.
    pub manipulated: usize,
    /// Observer copies.
    pub observer_copies: usize,
    /// Smallest and largest roll of a station.
    pub roll_range: (u64, u64),
}

/// A list's votes in a [`Summary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListVotes {
    /// The list's id.
    pub id: String,
    /// Its votes.
    pub votes: u64,
}

impl SyntheticCountry {
    /// The summary of the published protocols.
    pub fn summary(&self) -> Summary {
        let sum = |pick: fn(&ProtocolLines) -> u64| -> u64 {
            self.protocols.iter().map(|protocol| pick(protocol.lines())).sum()
        };
        let list_votes = self
            .ballot
            .lists()
            .iter()
            .enumerate()
            .map(|(idx, list)| {
                let votes =
                    self.protocols.iter().map(|protocol| protocol.lines().list_votes[idx].0).sum();
                ListVotes { id: list.id.to_string(), votes }
            })
            .collect();
        let rolls = self.protocols.iter().map(|protocol| protocol.lines().voters_on_roll.0);
        let roll_range = (rolls.clone().min().unwrap_or_default(), rolls.max().unwrap_or_default());
        let districts = self
            .protocols
            .iter()
            .map(|protocol| protocol.station().commission(Level::District))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        Summary {
            synthetic: true,
            seed: self.seed,
            regions: self.hierarchy.regions().count(),
            districts,
            stations: self.protocols.len(),
            voters_on_roll: sum(|lines| lines.voters_on_roll.0),
            participants: sum(|lines| lines.found_in_boxes.0),
            invalid: sum(|lines| lines.invalid.0),
            list_votes,
            manipulated: self
                .ground_truth
                .iter()
                .filter(|truth| truth.manipulation.is_some())
                .count(),
            observer_copies: self.observer_copies.len(),
            roll_range,
        }
    }

    /// The ground truth as CSV: a `# saylau-ground-truth v1` marker, the notes, then one
    /// row per station: `station,manipulated,added_ballots,beneficiary,observed`.
    pub fn ground_truth_csv(&self) -> String {
        let beneficiary = self.ballot.lists()[0].id.as_str();
        let mut res = String::from("# saylau-ground-truth v1\n");
        for note in &self.notes {
            res.push_str(&format!("# {note}\n"));
        }
        res.push_str("station,manipulated,added_ballots,beneficiary,observed\n");
        for truth in &self.ground_truth {
            let (manipulated, added, list) = match truth.manipulation {
                Some(manipulation) => ("true", manipulation.added_ballots.0, beneficiary),
                None => ("false", 0, ""),
            };
            res.push_str(&format!(
                "{},{manipulated},{added},{list},{}\n",
                truth.station, truth.observed
            ));
        }
        res
    }
}
