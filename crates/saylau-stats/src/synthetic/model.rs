//! The model of a station: regions split into districts and stations, rolls, turnout,
//! the mobile box, invalid ballots and list shares drawn at random, and the stations
//! chosen for manipulation (`docs/synthetic.md`).

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution, Gamma, LogNormal};
use saylau_core::count::commission::{
    CommissionId, DistrictId, Hierarchy, REGIONS_2021, RegionCode, StationId,
};

use super::options::{MIN_MANIPULATED_ROLL, SyntheticError, SyntheticOptions};
use crate::country::{OFFICIAL_2021, REGION_MODELS, RegionModel};
use crate::rounding::{apportion, floor_u64, to_f64};

/// One station while it is modelled.
pub(super) struct Site {
    pub(super) station: StationId,
    pub(super) roll: u64,
    pub(super) turnout: f64,
    pub(super) published_turnout: f64,
    pub(super) mobile_share: f64,
    pub(super) invalid_rate: f64,
    pub(super) shares: Vec<f64>,
    pub(super) manipulated: bool,
    pub(super) urban: bool,
}

/// The most voters on a station's roll, when the region has enough stations for it: the
/// ceiling of the law on polling stations (art. 23 p. 1, as we read it).
const MAX_ROLL: u64 = 3_000;

/// Median voters per urban and rural station before scaling to the region's roll.
const URBAN_ROLL: f64 = 1_700.0;
const RURAL_ROLL: f64 = 520.0;

/// Voters on the rolls by region: the official national total split in proportion to
/// each region's population of voting age.
pub(super) fn regional_rolls() -> Result<Vec<u64>, SyntheticError> {
    let weights: Vec<f64> =
        REGION_MODELS.iter().map(|model| to_f64(model.population) * model.adult_share).collect();
    Ok(apportion(OFFICIAL_2021.registered, &weights, &[u64::MAX; 17])?)
}

/// Stations by region: one each, the rest in proportion to the stations the region's
/// voters fill at the mean urban and rural station sizes.
pub(super) fn station_counts(
    stations: u32,
    registered: &[u64],
) -> Result<Vec<u64>, SyntheticError> {
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
pub(super) fn build_region(
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
            .name_commission(CommissionId::District(district), &name)
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
        urban,
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
pub(super) fn manipulate(
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
