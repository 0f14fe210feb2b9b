//! Running the forensic tests on a station set and the report they make: the JSON of
//! `saylau forensics ... --json` and the data of the HTML report.

use std::collections::HashSet;

use saylau_stats::forensics::digits::{Digits, digits};
use saylau_stats::forensics::distribution::{Distributions, HistogramOptions, distributions};
use saylau_stats::forensics::explain::CAVEAT;
use saylau_stats::forensics::identical::{Identical, identical};
use saylau_stats::forensics::integer::{Boundary, IntegerOptions, IntegerTest, integer_test};
use saylau_stats::forensics::klimek::{Klimek, klimek};
use saylau_stats::forensics::outlier::{Outliers, Scored, auc, outliers};
use saylau_stats::forensics::shpilkin::{Shpilkin, ShpilkinOptions, shpilkin};
use saylau_stats::forensics::station::{Official, StationSet};
use saylau_stats::forensics::versions::{Correction, Versions, versions};
use serde::Serialize;

use super::input::InputSummary;

/// One forensic test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Test {
    /// Turnout and leader-share histograms and the fingerprint.
    Distributions,
    /// Klimek et al.'s first-stage parameters.
    Klimek,
    /// Integer percentages.
    Integer,
    /// Shpilkin's excess votes.
    Shpilkin,
    /// Last and second digits.
    Digits,
    /// Identical protocols.
    Identical,
    /// Robust z outliers.
    Outliers,
    /// Corrected protocols (the store only).
    Versions,
}

impl Test {
    /// Every test, in report order.
    pub const ALL: [Test; 8] = [
        Test::Distributions,
        Test::Klimek,
        Test::Integer,
        Test::Shpilkin,
        Test::Digits,
        Test::Identical,
        Test::Outliers,
        Test::Versions,
    ];
}

/// How to run the tests.
#[derive(Debug, Clone, PartialEq)]
pub struct ForensicsOptions {
    /// The tests to run.
    pub tests: Vec<Test>,
    /// The leading list's name, or `None` for the list with the most votes.
    pub leader: Option<String>,
    /// Monte Carlo draws of the integer test.
    pub draws: u32,
    /// The seed of the integer test's Monte Carlo and of the histogram noise.
    pub seed: u64,
    /// Histogram bin width, percentage points.
    pub bin_width: f64,
    /// Add U(−0.5, 0.5) noise to histogram numerators.
    pub noise: bool,
    /// The integer test's boundary rule.
    pub boundary: Boundary,
    /// Shpilkin: stations with more voters are left out as pseudo-stations (`None`: none).
    pub max_station_voters: Option<u64>,
    /// Station ids known to be manipulated (a synthetic ground truth), for the outliers' AUC.
    pub truth: Option<HashSet<String>>,
    /// The store's corrected stations; `None` when the stations do not come from the store.
    pub corrections: Option<Vec<Correction>>,
}

/// Why the tests cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ForensicsError {
    /// The leader named is not a list of the data.
    #[error("no list named {name:?}; the lists are: {lists}")]
    UnknownLeader {
        /// The name asked for.
        name: String,
        /// The lists there are.
        lists: String,
    },
    /// No station or no list to analyse.
    #[error("no stations with lists to analyse")]
    Empty,
    /// The corrections test without the store's history.
    #[error("the versions test reads protocol histories: run it on the store (--db, no FILE)")]
    NoHistory,
}

/// The outliers, shortened for a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutlierView {
    /// The test's definition, selection and flagged count.
    #[serde(flatten)]
    pub summary: OutlierSummary,
    /// The highest scores.
    pub top: Vec<Scored>,
    /// Area under the ROC curve of the score against the known truth, if one was given.
    pub auc: Option<f64>,
    /// Known manipulated stations among the top `truth_count` scores (precision at k).
    pub truth_in_top: Option<usize>,
    /// Known manipulated stations among the kept ones.
    pub truth_count: Option<usize>,
}

/// The outlier test without its full ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutlierSummary {
    /// Definition, assumptions and artifacts.
    pub explanation: saylau_stats::forensics::explain::Explanation,
    /// Stations kept and dropped.
    pub selection: saylau_stats::forensics::explain::Selection,
    /// Stations with a score above 7.
    pub flagged: usize,
}

/// How many of the largest corrections a report lists.
pub const VERSIONS_SHOWN: usize = 25;

/// How many of the highest outlier scores a report lists.
pub const OUTLIERS_SHOWN: usize = 25;

/// Every test's result, for one station set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForensicsReport {
    /// What these tests can and cannot say.
    pub caveat: &'static str,
    /// Where the stations came from.
    pub input: InputSummary,
    /// The lists or candidates.
    pub lists: Vec<String>,
    /// The leading list.
    pub leader: String,
    /// Official sums over all good stations.
    pub official: Official,
    /// Histograms and fingerprint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distributions: Option<Distributions>,
    /// Klimek parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub klimek: Option<Klimek>,
    /// Integer percentages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integer: Option<IntegerTest>,
    /// Shpilkin's excess votes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shpilkin: Option<Shpilkin>,
    /// Digit tests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digits: Option<Digits>,
    /// Identical protocols.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identical: Option<Identical>,
    /// Outliers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outliers: Option<OutlierView>,
    /// Corrected protocols.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<Versions>,
    /// What the tests flag, in words; empty when nothing stands out.
    pub flags: Vec<String>,
}

/// Runs the chosen tests on `set`.
pub fn forensics_report(
    set: &StationSet,
    input: InputSummary,
    options: &ForensicsOptions,
) -> Result<ForensicsReport, ForensicsError> {
    let leader = match &options.leader {
        Some(name) => set.list_index(name).ok_or_else(|| ForensicsError::UnknownLeader {
            name: name.clone(),
            lists: set.lists.join(", "),
        })?,
        None => set.largest_list().ok_or(ForensicsError::Empty)?,
    };
    if set.stations.is_empty() {
        return Err(ForensicsError::Empty);
    }
    let wants = |test: Test| options.tests.contains(&test);
    if options.tests == [Test::Versions] && options.corrections.is_none() {
        return Err(ForensicsError::NoHistory);
    }
    let histogram = HistogramOptions {
        bin_width: options.bin_width,
        noise_seed: options.noise.then_some(options.seed),
    };
    let integer_options = IntegerOptions {
        leader,
        draws: options.draws,
        seed: options.seed,
        min_voters: 100,
        boundary: options.boundary,
    };
    let shpilkin_options =
        ShpilkinOptions { leader, max_station_voters: options.max_station_voters };
    let mut report = ForensicsReport {
        caveat: CAVEAT,
        input,
        lists: set.lists.clone(),
        leader: set.lists[leader].clone(),
        official: set.official(leader),
        distributions: wants(Test::Distributions).then(|| distributions(set, leader, &histogram)),
        klimek: wants(Test::Klimek).then(|| klimek(set, leader)),
        integer: wants(Test::Integer).then(|| integer_test(set, &integer_options)),
        shpilkin: wants(Test::Shpilkin).then(|| shpilkin(set, &shpilkin_options)),
        digits: wants(Test::Digits).then(|| digits(set, leader)),
        identical: wants(Test::Identical).then(|| identical(set)),
        outliers: wants(Test::Outliers)
            .then(|| outlier_view(set, outliers(set, leader), options.truth.as_ref())),
        versions: options
            .corrections
            .as_deref()
            .filter(|_| wants(Test::Versions))
            .map(|corrections| versions(corrections, set.stations.len(), leader, VERSIONS_SHOWN)),
        flags: Vec::new(),
    };
    report.flags = flags(&report);
    Ok(report)
}

fn outlier_view(set: &StationSet, res: Outliers, truth: Option<&HashSet<String>>) -> OutlierView {
    let (auc, truth_in_top, truth_count) = match truth {
        Some(truth) => {
            let scores: Vec<f64> = res.ranked.iter().map(|it| it.score).collect();
            let positive: Vec<bool> =
                res.ranked.iter().map(|it| truth.contains(&set.stations[it.index].id)).collect();
            let count = positive.iter().filter(|&&it| it).count();
            let in_top = positive.iter().take(count).filter(|&&it| it).count();
            (auc(&scores, &positive), Some(in_top), Some(count))
        }
        None => (None, None, None),
    };
    OutlierView {
        summary: OutlierSummary {
            explanation: res.explanation,
            selection: res.selection,
            flagged: res.flagged,
        },
        top: res.ranked.into_iter().take(OUTLIERS_SHOWN).collect(),
        auc,
        truth_in_top,
        truth_count,
    }
}

/// The share of the leader's votes above which the within-commission excess is flagged, when
/// its 95 % interval also lies above zero (the national variants are not used for flags: they
/// count an urban/rural mix as excess).
const SHPILKIN_FLAG_SHARE: f64 = 0.005;

/// The share of kept stations above which outliers are flagged.
const OUTLIER_FLAG_SHARE: f64 = 0.01;

fn flags(report: &ForensicsReport) -> Vec<String> {
    let mut res = Vec::new();
    if let Some(integer) = &report.integer
        && integer.significant
    {
        res.push(format!(
            "integer percentages: {} stations observed against {:.1} expected (excess {:.1}), above the Monte Carlo's 99.9th percentile {:.1}",
            integer.observed.either,
            integer.expected.either,
            integer.excess.either,
            integer.monte_carlo.either.p999
        ));
    }
    if let Some(shpilkin) = &report.shpilkin {
        let within = shpilkin.within_commissions.excess_votes;
        if within > SHPILKIN_FLAG_SHARE * report.official.leader_votes as f64
            && shpilkin.within_commissions.interval95[0] > 0.0
        {
            res.push(format!(
                "Shpilkin within commissions: {:.0} excess votes for {} ({:.1} % of its votes, 95 % interval {:.0} to {:.0}); the national variants give {:.0} to {:.0}",
                within,
                report.leader,
                100.0 * within / report.official.leader_votes as f64,
                shpilkin.within_commissions.interval95[0],
                shpilkin.within_commissions.interval95[1],
                shpilkin.excess_range[0],
                shpilkin.excess_range[1],
            ));
        }
    }
    if let Some(outliers) = &report.outliers {
        let kept = outliers.summary.selection.kept.max(1);
        if outliers.summary.flagged as f64 > OUTLIER_FLAG_SHARE * kept as f64 {
            res.push(format!(
                "outliers: {} of {} stations score above 7 robust deviations against their commission",
                outliers.summary.flagged, kept
            ));
        }
    }
    res
}

impl ForensicsReport {
    /// The JSON of one test: its result's keys at the top, with `caveat`, `input`,
    /// `leader`, `official` and `flags` beside them (what `saylau forensics TEST --json`
    /// prints).
    pub fn test_json(&self, test: Test) -> serde_json::Value {
        let whole = serde_json::to_value(self).expect("a report serialises to JSON");
        let key = serde_json::to_value(test).expect("a test name serialises");
        let key = key.as_str().expect("a test name is a string");
        let mut res = match whole.get(key) {
            Some(serde_json::Value::Object(map)) => map.clone(),
            _ => serde_json::Map::new(),
        };
        for extra in ["caveat", "input", "leader", "official", "flags"] {
            if let Some(value) = whole.get(extra) {
                res.insert(extra.to_owned(), value.clone());
            }
        }
        serde_json::Value::Object(res)
    }
}
