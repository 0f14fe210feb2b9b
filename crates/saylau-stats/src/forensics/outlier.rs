//! Outlier stations by robust z-score within their commission, and the area under the ROC
//! curve of that score against a known truth (the synthetic country's stuffed stations).
//!
//! For each station, `z = (x − median) / (1.4826 · MAD)` of its turnout and of its leader
//! share among the stations of its commission (its region when the commission has fewer than
//! [`MIN_GROUP`] kept stations); the score is `z_turnout + z_share`, since stuffing for the
//! leader raises both.

use std::collections::HashMap;

use serde::Serialize;

use super::explain::{Explanation, Selection};
use super::station::{StationSet, ratio};

/// The fewest stations a commission needs to be its own reference group.
pub const MIN_GROUP: usize = 10;

/// One station's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    /// Index in the input.
    pub index: usize,
    /// Station id.
    pub station: String,
    /// The reference group (commission, or region when the commission is small).
    pub group: String,
    /// Turnout, percent.
    pub turnout: f64,
    /// Leader share of ballots cast, percent.
    pub leader_share: f64,
    /// Robust z of turnout.
    pub z_turnout: f64,
    /// Robust z of the leader share.
    pub z_share: f64,
    /// `z_turnout + z_share`.
    pub score: f64,
}

/// The result of the outlier test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outliers {
    /// Definition, assumptions and artifacts.
    pub explanation: Explanation,
    /// Stations kept and dropped.
    pub selection: Selection,
    /// Every kept station, highest score first.
    pub ranked: Vec<Scored>,
    /// Stations with a score above 7 (about 3.5 robust deviations on both measures).
    pub flagged: usize,
}

/// Scores every station of `set` for the list `leader`.
pub fn outliers(set: &StationSet, leader: usize) -> Outliers {
    let mut selection = Selection::default();
    let mut kept = Vec::new();
    let mut commission_sizes: HashMap<(&str, &str), usize> = HashMap::new();
    for (idx, station) in set.stations.iter().enumerate() {
        if station.voters == 0 || station.cast() == 0 {
            selection.drop_for("no voters or no ballots cast");
            continue;
        }
        selection.kept += 1;
        kept.push(idx);
        *commission_sizes.entry((&station.region, &station.commission)).or_default() += 1;
    }
    let group_of = |idx: usize| {
        let station = &set.stations[idx];
        if commission_sizes[&(station.region.as_str(), station.commission.as_str())] >= MIN_GROUP {
            format!("{} / {}", station.region, station.commission)
        } else {
            station.region.clone()
        }
    };
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for &idx in &kept {
        groups.entry(group_of(idx)).or_default().push(idx);
    }
    let mut ranked = Vec::with_capacity(kept.len());
    for (group, members) in groups {
        let turnout: Vec<f64> = members
            .iter()
            .map(|&idx| ratio(set.stations[idx].given, set.stations[idx].voters))
            .collect();
        let share: Vec<f64> = members
            .iter()
            .map(|&idx| ratio(set.stations[idx].votes[leader], set.stations[idx].cast()))
            .collect();
        let (t_centre, t_scale) = robust_centre_scale(&turnout);
        let (s_centre, s_scale) = robust_centre_scale(&share);
        for (pos, &idx) in members.iter().enumerate() {
            let z_turnout = z(turnout[pos], t_centre, t_scale);
            let z_share = z(share[pos], s_centre, s_scale);
            ranked.push(Scored {
                index: idx,
                station: set.stations[idx].id.clone(),
                group: group.clone(),
                turnout: 100.0 * turnout[pos],
                leader_share: 100.0 * share[pos],
                z_turnout,
                z_share,
                score: z_turnout + z_share,
            });
        }
    }
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    let flagged = ranked.iter().filter(|it| it.score > 7.0).count();
    Outliers { explanation: explanation(), selection, ranked, flagged }
}

fn z(value: f64, centre: f64, scale: f64) -> f64 {
    if scale > 0.0 { (value - centre) / scale } else { 0.0 }
}

/// The median and 1.4826 · MAD (the standard deviation for normal data); when more than half
/// the values are equal, 1.2533 · the mean absolute deviation instead.
fn robust_centre_scale(values: &[f64]) -> (f64, f64) {
    let centre = median(values);
    let deviations: Vec<f64> = values.iter().map(|it| (it - centre).abs()).collect();
    let mad = median(&deviations);
    if mad > 0.0 {
        return (centre, 1.4826 * mad);
    }
    let mean_abs = deviations.iter().sum::<f64>() / deviations.len().max(1) as f64;
    (centre, 1.2533 * mean_abs)
}

fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 { sorted[mid] } else { 0.5 * (sorted[mid - 1] + sorted[mid]) }
}

/// The area under the ROC curve of `scores` for the `positive` labels (Mann–Whitney, ties
/// counted half), or `None` when either class is empty.
pub fn auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let n_pos = positive.iter().filter(|&&it| it).count();
    let n_neg = positive.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    // Sum of the positives' mid-ranks.
    let mut rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end + 1 < order.len() && scores[order[end + 1]] == scores[order[start]] {
            end += 1;
        }
        let mid_rank = (start + end) as f64 / 2.0 + 1.0;
        rank_sum +=
            mid_rank * order[start..=end].iter().filter(|&&idx| positive[idx]).count() as f64;
        start = end + 1;
    }
    let n_pos = n_pos as f64;
    Some((rank_sum - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg as f64))
}

fn explanation() -> Explanation {
    Explanation::new(
        "each station's turnout and leader share as robust z-scores (median, 1.4826·MAD) within its commission; score = z_turnout + z_share",
        &[
            "stations kept: voters > 0 and ballots cast > 0",
            format!("a commission with fewer than {MIN_GROUP} kept stations is compared within its region").as_str(),
            "stations of one commission are alike, so stuffing shows as high turnout and high leader share against the neighbours",
        ],
        &[
            "small stations have noisy percentages and reach high scores by chance",
            "a commission that mixes a town with villages (urban/rural mix) has genuine outliers",
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::auc;

    #[test]
    fn auc_counts_ties_half() {
        assert_eq!(auc(&[3.0, 2.0, 1.0], &[true, false, false]), Some(1.0));
        assert_eq!(auc(&[1.0, 1.0], &[true, false]), Some(0.5));
        assert_eq!(auc(&[1.0, 2.0, 3.0], &[true, false, false]), Some(0.0));
        assert_eq!(auc(&[1.0], &[true]), None);
    }
}
