//! Shpilkin's excess-vote estimate: votes by 1 % turnout bin, a "clean" peak below the
//! official turnout, and the leader's votes above the peak that the clean ratio of leader to
//! other votes does not explain.
//!
//! Turnout is ballots issued / voters; a station falls in bin `b` when
//! `b ≤ 100·given/voters < b + 1` (decided in integers; 100 % and above share the last bin).
//! The clean peak `t0` is the bin with the most voters (or ballots issued) among the bins that
//! lie wholly below the official turnout. The clean ratio `k` = leader / other valid votes, in
//! the peak bin alone or in all bins up to it. Then
//! `excess = Σ_{b > t0} (leader_b − k·others_b)`, corrected turnout
//! `= (given − excess) / voters` and corrected leader share `= (leader − excess) / (valid − excess)`.
//! The four combinations are the documented variants (EFToolkit's port and the research note);
//! the result gives all four and their range, and names the default.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::explain::{Explanation, Selection};
use super::station::{StationSet, percent};

/// What the clean peak is the mode of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeakBy {
    /// Ballots issued per turnout bin (the "votes by turnout" curve Shpilkin plots).
    Ballots,
    /// Voters on the roll per turnout bin.
    Voters,
}

/// Where the clean leader/others ratio is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CleanRatio {
    /// All bins up to and including the peak (the others' curve scaled to the leader's at
    /// low turnout).
    UpToPeak,
    /// The peak bin alone.
    PeakBin,
}

/// One variant of the estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Variant {
    /// The peak's curve.
    pub peak_by: PeakBy,
    /// The clean ratio's bins.
    pub clean_ratio: CleanRatio,
}

/// The default variant, as in the Election Forensics Toolkit's port (`ComputeShpilkinMethod`,
/// method 1): the mode of the votes (ballots) curve below the official turnout, the clean
/// ratio from that bin.
pub const DEFAULT_VARIANT: Variant =
    Variant { peak_by: PeakBy::Ballots, clean_ratio: CleanRatio::PeakBin };

/// The documented variants, the default first.
pub const VARIANTS: [Variant; 4] = [
    DEFAULT_VARIANT,
    Variant { peak_by: PeakBy::Ballots, clean_ratio: CleanRatio::UpToPeak },
    Variant { peak_by: PeakBy::Voters, clean_ratio: CleanRatio::UpToPeak },
    Variant { peak_by: PeakBy::Voters, clean_ratio: CleanRatio::PeakBin },
];

/// One variant's estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The variant.
    pub variant: Variant,
    /// The clean peak: the lower edge of its 1 % bin, in percent.
    pub peak_bin: u32,
    /// The clean ratio leader / other valid votes.
    pub clean_ratio: f64,
    /// The leader's votes that the clean ratio does not explain.
    pub excess_votes: f64,
    /// Corrected turnout, percent.
    pub turnout: f64,
    /// Corrected leader share of valid ballots, percent.
    pub leader_share: f64,
}

/// A turnout bin's sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Bin {
    /// Lower edge, percent.
    pub turnout: u32,
    /// Stations.
    pub stations: u64,
    /// Voters on the roll.
    pub voters: u64,
    /// Ballots issued.
    pub given: u64,
    /// Valid ballots.
    pub valid: u64,
    /// The leader's votes.
    pub leader: u64,
}

/// The result of the estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shpilkin {
    /// Definition, assumptions and artifacts.
    pub explanation: Explanation,
    /// Stations kept and dropped.
    pub selection: Selection,
    /// How the clean peak was chosen, in words.
    pub peak_choice: String,
    /// The default variant's excess votes.
    pub excess_votes: f64,
    /// The default variant's corrected turnout, percent.
    pub turnout: f64,
    /// The default variant's corrected leader share of valid ballots, percent.
    pub leader_share: f64,
    /// Official turnout over all stations, percent.
    pub official_turnout: f64,
    /// Official leader share of ballots cast over all stations, percent.
    pub official_leader_share: f64,
    /// Official leader share of valid ballots over all stations, percent.
    pub official_leader_share_of_valid: f64,
    /// Turnout over the kept stations, percent: the peak lies wholly below it.
    pub kept_turnout: f64,
    /// The leader's share of valid ballots over the kept stations, percent (the base of
    /// `leader_share`).
    pub kept_leader_share_of_valid: f64,
    /// Every variant, the default first.
    pub variants: Vec<Estimate>,
    /// Smallest and largest excess over the variants.
    pub excess_range: [f64; 2],
    /// The within-commission estimate, which does not count an urban/rural mix as excess.
    pub within_commissions: WithinCommissions,
    /// The 1 % bins (0 to 100).
    pub bins: Vec<Bin>,
}

/// Shpilkin's idea applied inside each commission: stations at or below the commission's
/// median turnout are the clean part, their leader/others ratio the clean ratio, and the
/// excess is the leader's votes beyond that ratio at the stations above the median, summed
/// over commissions. Comparing stations only with their neighbours removes the national
/// estimate's largest artifact: rural commissions that both turn out more and favour the
/// leader. It misses stuffing that is uniform within a commission.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WithinCommissions {
    /// Excess votes, summed over commissions.
    pub excess_votes: f64,
    /// The estimate's standard error from the spread of the commissions' contributions
    /// (the between-cluster estimator of a total: `sqrt(G/(G−1)·Σ(c_g − c̄)²)`), which is the
    /// noise of chance turnout–share associations inside commissions.
    pub standard_error: f64,
    /// The normal 95 % interval, `excess_votes ± 1.96·standard_error`.
    pub interval95: [f64; 2],
    /// Commissions (reference groups) used.
    pub groups: usize,
    /// Stations in commissions with fewer than [`MIN_COMMISSION`] kept stations, compared
    /// within their region instead.
    pub pooled_in_region: usize,
}

/// The fewest kept stations a commission needs to be its own reference group.
pub const MIN_COMMISSION: usize = 6;

/// How to run the estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShpilkinOptions {
    /// The leading list.
    pub leader: usize,
    /// Stations with more voters than this are left out as pseudo-stations (remote
    /// electronic voting in 2021 Russia: one row per region with tens of thousands of
    /// voters); `None` keeps every station.
    pub max_station_voters: Option<u64>,
}

/// The largest roll of a real polling station by default: Kobak's cut for the electronic
/// pseudo-stations of 2021 (README of the bundled Russian files).
pub const MAX_STATION_VOTERS: u64 = 10_000;

/// Runs every variant of the estimate.
pub fn shpilkin(set: &StationSet, options: &ShpilkinOptions) -> Shpilkin {
    let leader = options.leader;
    let (selection, bins, kept, totals) = binned(set, options);
    let variants: Vec<Estimate> =
        VARIANTS.iter().map(|&variant| estimate(&bins, &totals, variant)).collect();
    let excess_range = variants.iter().fold([f64::INFINITY, f64::NEG_INFINITY], |acc, it| {
        [acc[0].min(it.excess_votes), acc[1].max(it.excess_votes)]
    });
    let default = variants[0];
    let official = set.official(leader);
    let within_commissions = within_commissions(set, &kept, leader);
    Shpilkin {
        explanation: explanation(),
        selection,
        peak_choice: format!(
            "the clean peak is the 1 % turnout bin with the most ballots issued among the bins wholly below the turnout of the kept stations ({:.2} %): bin {}–{} %; the clean ratio is the leader/others ratio in that bin (the Election Forensics Toolkit's method 1); the other variants move the estimate within excess_range",
            percent(totals.given, totals.voters),
            default.peak_bin,
            default.peak_bin + 1
        ),
        excess_votes: default.excess_votes,
        turnout: default.turnout,
        leader_share: default.leader_share,
        official_turnout: official.turnout,
        official_leader_share: official.leader_share,
        official_leader_share_of_valid: official.leader_share_of_valid,
        kept_turnout: percent(totals.given, totals.voters),
        kept_leader_share_of_valid: percent(totals.leader, totals.valid),
        variants,
        excess_range,
        within_commissions,
        bins,
    }
}

fn within_commissions(set: &StationSet, kept: &[usize], leader: usize) -> WithinCommissions {
    let mut sizes: HashMap<(&str, &str), usize> = HashMap::new();
    for &idx in kept {
        let station = &set.stations[idx];
        *sizes.entry((&station.region, &station.commission)).or_default() += 1;
    }
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    let mut pooled_in_region = 0;
    for &idx in kept {
        let station = &set.stations[idx];
        let key = (station.region.as_str(), station.commission.as_str());
        if sizes[&key] >= MIN_COMMISSION {
            groups.entry(key).or_default().push(idx);
        } else {
            pooled_in_region += 1;
            groups.entry((station.region.as_str(), "")).or_default().push(idx);
        }
    }
    let mut contributions = Vec::with_capacity(groups.len());
    for members in groups.values_mut() {
        // Turnouts compared exactly: a/b < c/d ⇔ a·d < c·b.
        members.sort_by(|&a, &b| {
            let (a, b) = (&set.stations[a], &set.stations[b]);
            (u128::from(a.given) * u128::from(b.voters))
                .cmp(&(u128::from(b.given) * u128::from(a.voters)))
        });
        let clean_count = members.len().div_ceil(2);
        let (clean, rest) = members.split_at(clean_count);
        let leader_of = |idx: &usize| set.stations[*idx].votes[leader];
        let others_of = |idx: &usize| set.stations[*idx].valid - set.stations[*idx].votes[leader];
        let clean_leader: u64 = clean.iter().map(leader_of).sum();
        let clean_others: u64 = clean.iter().map(others_of).sum();
        if clean_others == 0 {
            continue;
        }
        let ratio = clean_leader as f64 / clean_others as f64;
        contributions.push(
            rest.iter()
                .map(|idx| leader_of(idx) as f64 - ratio * others_of(idx) as f64)
                .sum::<f64>(),
        );
    }
    let excess_votes: f64 = contributions.iter().sum();
    let standard_error = cluster_standard_error(&contributions);
    WithinCommissions {
        excess_votes,
        standard_error,
        interval95: [excess_votes - 1.96 * standard_error, excess_votes + 1.96 * standard_error],
        groups: groups.len(),
        pooled_in_region,
    }
}

/// The standard error of a sum over independent clusters, from the spread of their
/// contributions: `sqrt(G/(G−1)·Σ(c_g − c̄)²)`; zero with fewer than two clusters.
fn cluster_standard_error(contributions: &[f64]) -> f64 {
    let count = contributions.len();
    if count < 2 {
        return 0.0;
    }
    let count_f = count as f64;
    let mean = contributions.iter().sum::<f64>() / count_f;
    let squares: f64 = contributions.iter().map(|it| (it - mean).powi(2)).sum();
    (count_f / (count_f - 1.0) * squares).sqrt()
}

/// The kept stations' selection, 1 % bins, indexes and totals.
fn binned(set: &StationSet, options: &ShpilkinOptions) -> (Selection, Vec<Bin>, Vec<usize>, Bin) {
    let mut selection = Selection::default();
    let mut bins: Vec<Bin> = (0..=100).map(|turnout| Bin { turnout, ..Bin::default() }).collect();
    let mut totals = Bin::default();
    let mut kept = Vec::new();
    for (station_idx, station) in set.stations.iter().enumerate() {
        if station.voters == 0 {
            selection.drop_for("no voters on the roll");
            continue;
        }
        if station.cast() == 0 {
            selection.drop_for("no ballots cast");
            continue;
        }
        if options.max_station_voters.is_some_and(|max| station.voters > max) {
            selection.drop_for("more voters than a polling station has (electronic voting or another pseudo-station)");
            continue;
        }
        selection.kept += 1;
        kept.push(station_idx);
        let idx = (u128::from(station.given) * 100 / u128::from(station.voters)).min(100);
        let bin = &mut bins[usize::try_from(idx).expect("at most 100")];
        bin.stations += 1;
        bin.voters += station.voters;
        bin.given += station.given;
        bin.valid += station.valid;
        bin.leader += station.votes[options.leader];
        totals.stations += 1;
        totals.voters += station.voters;
        totals.given += station.given;
        totals.valid += station.valid;
        totals.leader += station.votes[options.leader];
    }
    (selection, bins, kept, totals)
}

fn estimate(bins: &[Bin], totals: &Bin, variant: Variant) -> Estimate {
    // Bins wholly below the official turnout: (b + 1) / 100 ≤ given / voters.
    let below = bins.iter().filter(|bin| {
        u128::from(bin.turnout + 1) * u128::from(totals.voters) <= u128::from(totals.given) * 100
    });
    let weight = |bin: &Bin| match variant.peak_by {
        PeakBy::Ballots => bin.given,
        PeakBy::Voters => bin.voters,
    };
    let peak = below
        .max_by(|a, b| weight(a).cmp(&weight(b)).then(b.turnout.cmp(&a.turnout)))
        .map_or(0, |bin| bin.turnout);
    let clean: Vec<&Bin> = bins
        .iter()
        .filter(|bin| match variant.clean_ratio {
            CleanRatio::UpToPeak => bin.turnout <= peak,
            CleanRatio::PeakBin => bin.turnout == peak,
        })
        .collect();
    let clean_leader: u64 = clean.iter().map(|bin| bin.leader).sum();
    let clean_others: u64 = clean.iter().map(|bin| bin.valid - bin.leader).sum();
    let ratio = if clean_others == 0 { 0.0 } else { clean_leader as f64 / clean_others as f64 };
    let excess: f64 = bins
        .iter()
        .filter(|bin| bin.turnout > peak)
        .map(|bin| bin.leader as f64 - ratio * (bin.valid - bin.leader) as f64)
        .sum();
    Estimate {
        variant,
        peak_bin: peak,
        clean_ratio: ratio,
        excess_votes: excess,
        turnout: 100.0 * (totals.given as f64 - excess) / totals.voters as f64,
        leader_share: 100.0 * (totals.leader as f64 - excess) / (totals.valid as f64 - excess),
    }
}

fn explanation() -> Explanation {
    Explanation::new(
        "votes summed by 1 % turnout bin; the leader's votes in bins above a clean peak, beyond the leader/others ratio of the clean bins, are counted as excess (stuffed or switched)",
        &[
            "stations kept: voters > 0, ballots cast > 0, and (by default) at most 10,000 voters: larger rows are electronic voting or other pseudo-stations, not polling stations",
            "without manipulation the leader's share would not rise with turnout: the clean ratio holds at every turnout",
            "the clean peak lies below the official turnout; when the turnout mode sits at the official turnout the method is unstable",
        ],
        &[
            "rural and high-turnout areas can genuinely favour the leader (urban/rural mix), which this method counts as excess",
            "results move by about ±1 million votes on Russian data with the bin width and the peak choice: read the range over the variants, not one number",
            "very large pseudo-stations (electronic voting, hospitals, abroad) fall into their own bins",
        ],
    )
}
