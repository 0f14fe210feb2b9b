//! The three-way verdict of a quick count on each decisive question: is the official
//! figure consistent with the sample, and does the interval decide a list's threshold?

use super::estimate::FigureEstimate;

/// The answer of a quick count to one decisive question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The official figure is inside the interval and the interval decides the question
    /// the same way as the official figure.
    Consistent,
    /// The official figure is outside the interval.
    Inconsistent,
    /// The official figure is inside the interval, but the interval also holds the other
    /// answer (it straddles the threshold), or too few reports arrived to judge.
    Inconclusive,
}

/// Where an interval lies against a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Wholly at or above it.
    Above,
    /// Wholly below it.
    Below,
    /// Across it.
    Straddles,
}

/// Where `estimate`'s interval lies against `threshold`.
pub fn side(estimate: &FigureEstimate, threshold: f64) -> Side {
    if estimate.lower >= threshold {
        Side::Above
    } else if estimate.upper < threshold {
        Side::Below
    } else {
        Side::Straddles
    }
}

/// The verdict on an official figure: inconsistent when it lies outside the interval;
/// otherwise inconclusive when the interval straddles the `threshold` the figure decides
/// (a list's passing), or when `enough_reports` is false; else consistent.
///
/// When the official protocols of the sampled stations are known, the interval is that of
/// the difference estimator (the official figure minus the paired difference, see
/// [`FigureEstimate::paired`]); else that of the combined ratio estimator.
pub fn verdict(
    estimate: &FigureEstimate,
    official: f64,
    threshold: Option<f64>,
    enough_reports: bool,
) -> Verdict {
    if !enough_reports {
        return Verdict::Inconclusive;
    }
    let (lower, upper) = checked_interval(estimate, official);
    if official < lower || official > upper {
        return Verdict::Inconsistent;
    }
    let interval = FigureEstimate { lower, upper, ..*estimate };
    match threshold.map(|threshold| side(&interval, threshold)) {
        Some(Side::Straddles) => Verdict::Inconclusive,
        _ => Verdict::Consistent,
    }
}

/// The interval an official figure is checked against: with paired official protocols,
/// `official - D̂ ± z·se(D̂)`; else the ratio estimator's interval.
pub fn checked_interval(estimate: &FigureEstimate, official: f64) -> (f64, f64) {
    match estimate.paired {
        Some(paired) => {
            let centre = official - paired.difference;
            (centre - paired.margin, centre + paired.margin)
        }
        None => (estimate.lower, estimate.upper),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pvt::estimate::PairedDifference;
    use crate::pvt::frame::Figure;

    #[test]
    fn verdicts() {
        let est = FigureEstimate {
            figure: Figure::List(0),
            estimate: 0.07,
            std_error: 0.005,
            lower: 0.06,
            upper: 0.08,
            paired: None,
        };
        assert_eq!(verdict(&est, 0.09, Some(0.07), true), Verdict::Inconsistent);
        assert_eq!(verdict(&est, 0.075, Some(0.07), true), Verdict::Inconclusive);
        assert_eq!(verdict(&est, 0.075, None, true), Verdict::Consistent);
        assert_eq!(verdict(&est, 0.075, Some(0.05), true), Verdict::Consistent);
        assert_eq!(verdict(&est, 0.075, None, false), Verdict::Inconclusive);
        assert_eq!(side(&est, 0.05), Side::Above);
        assert_eq!(side(&est, 0.09), Side::Below);
    }

    #[test]
    fn paired_verdicts_use_the_difference() {
        let paired = Some(PairedDifference { difference: 0.009, std_error: 0.002, margin: 0.004 });
        let est = FigureEstimate {
            figure: Figure::Turnout,
            estimate: 0.625,
            std_error: 0.0035,
            lower: 0.618,
            upper: 0.632,
            paired,
        };
        assert_eq!(verdict(&est, 0.63, None, true), Verdict::Inconsistent);
        let honest = PairedDifference { difference: 0.001, std_error: 0.001, margin: 0.002 };
        let est = FigureEstimate { paired: Some(honest), ..est };
        assert_eq!(verdict(&est, 0.63, None, true), Verdict::Consistent);
    }
}
