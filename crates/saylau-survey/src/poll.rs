//! A poll's estimate beside an official figure: the estimate's interval and whether the
//! official value lies in it.
//!
//! The interval is the normal (Wald) one, p ± z sqrt(deff p (1 - p) / n), for a simple
//! random sample of the same size scaled by the design effect; for an opt-in sample it
//! is a model-based statement, not a probability one, and the output says so.

use serde::Serialize;

use crate::moe::z_two_sided;

/// Consistent or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The official value is inside the interval.
    Consistent,
    /// Outside.
    Inconsistent,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PollComparison {
    /// The poll's estimate (fraction).
    pub estimate: f64,
    /// Respondents.
    pub n: f64,
    /// Design effect used.
    pub deff: f64,
    /// Confidence level.
    pub confidence: f64,
    /// Margin of error (fraction).
    pub moe: f64,
    /// Lower end.
    pub lower: f64,
    /// Upper end.
    pub upper: f64,
    /// The official figure (fraction).
    pub official: f64,
    /// Official minus estimate.
    pub difference: f64,
    /// The difference in standard errors.
    pub z: f64,
    /// The verdict.
    pub verdict: Verdict,
    /// How the interval was made.
    pub method: String,
}

/// Compares a poll's estimate `estimate` from `n` respondents with `official`.
#[must_use]
pub fn compare(estimate: f64, n: f64, official: f64, confidence: f64, deff: f64) -> PollComparison {
    let se = (deff * estimate * (1.0 - estimate) / n).sqrt();
    let moe = z_two_sided(confidence) * se;
    let (lower, upper) = (estimate - moe, estimate + moe);
    let verdict = if (lower..=upper).contains(&official) {
        Verdict::Consistent
    } else {
        Verdict::Inconsistent
    };
    PollComparison {
        estimate,
        n,
        deff,
        confidence,
        moe,
        lower,
        upper,
        official,
        difference: official - estimate,
        z: if se > 0.0 { (official - estimate) / se } else { f64::NAN },
        verdict,
        method: "normal interval p ± z·sqrt(deff·p(1−p)/n), as for a simple random sample of the same size".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Verdict, compare};

    #[test]
    fn the_seeds_self_reported_turnout_against_the_official_one() {
        // T9: 37 % of 1,200 say they voted in the 2021 Mazhilis election; the CEC: 63.3 %.
        let res = compare(0.37, 1200.0, 0.633, 0.99, 1.0);
        assert_eq!(res.verdict, Verdict::Inconsistent);
        assert!((res.moe - 0.0359).abs() < 0.0005, "{}", res.moe);
        assert_eq!(compare(0.62, 1200.0, 0.633, 0.99, 1.0).verdict, Verdict::Consistent);
    }
}
