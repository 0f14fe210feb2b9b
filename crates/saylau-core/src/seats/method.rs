//! The rules of a single-tier list allocation: method, threshold, admission and ties.
//!
//! [`Rules::new`] checks that the parts fit together (the 2009 runner-up coefficient, for
//! example, only exists for largest remainders); [`crate::seats::allocation::allocate`] takes the
//! validated [`Rules`].

use serde::Serialize;

use crate::seats::divisor::Divisor;
use crate::seats::fraction::Fraction;
use crate::seats::lot::LotSeed;
use crate::seats::quota::Quota;
use crate::seats::threshold::Threshold;
use crate::seats::tie::TieRule;
use crate::seats::votes::Seats;

/// How seats are divided among the admitted lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "family")]
pub enum Method {
    /// Largest remainders with a quota (art. 97-1: Hare).
    LargestRemainder {
        /// The quota.
        quota: Quota,
    },
    /// A divisor (highest averages) method.
    Divisor {
        /// The divisor sequence.
        divisor: Divisor,
    },
}

/// The 2009 version of art. 97-1 p. 3: the quotient of a list admitted as runner-up
/// without passing the threshold is multiplied by a correction index (0.7), and the list
/// gets at least a minimum number of seats (two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RunnerUpRule {
    /// The correction index (поправочный коэффициент), between 0 and 1.
    pub coefficient: Fraction,
    /// The minimum seats of the runner-up.
    pub min_seats: Seats,
}

/// The parts of [`Rules`], before they are checked together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesConfig {
    /// The method.
    pub method: Method,
    /// The threshold, if any.
    pub threshold: Option<Threshold>,
    /// If fewer lists pass the threshold, the next-largest are admitted until this many
    /// are (art. 97-1 p. 2: two). Zero means no such rule.
    pub admit_at_least: u32,
    /// The 2009 runner-up correction, if applied.
    pub runner_up: Option<RunnerUpRule>,
    /// How ties are broken.
    pub ties: TieRule,
    /// The seed of lots; `None` uses the contest's content seed.
    pub lot_seed: Option<LotSeed>,
}

/// Validated allocation rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rules {
    method: Method,
    threshold: Option<Threshold>,
    admit_at_least: u32,
    runner_up: Option<RunnerUpRule>,
    ties: TieRule,
    lot_seed: Option<LotSeed>,
}

/// Why rules do not fit together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RulesError {
    /// A runner-up rule with a divisor method.
    #[error("the runner-up coefficient (art. 97-1 p. 3, 2009) applies only to largest remainders")]
    RunnerUpNeedsQuota,
    /// A runner-up rule without admission of a runner-up.
    #[error("the runner-up coefficient needs admit_at_least of 2 or more")]
    RunnerUpNeedsAdmission,
    /// A coefficient outside (0, 1].
    #[error("the runner-up coefficient must be above 0 and at most 1, not {0}")]
    CoefficientOutOfRange(Fraction),
    /// A modified Sainte-Laguë first divisor that is zero.
    #[error("the first divisor must be positive")]
    ZeroFirstDivisor,
}

impl Rules {
    /// Checks the parts together.
    pub fn new(config: RulesConfig) -> Result<Rules, RulesError> {
        if let Some(runner_up) = config.runner_up {
            if !matches!(config.method, Method::LargestRemainder { .. }) {
                return Err(RulesError::RunnerUpNeedsQuota);
            }
            if config.admit_at_least < 2 {
                return Err(RulesError::RunnerUpNeedsAdmission);
            }
            let coefficient = runner_up.coefficient;
            if coefficient.num() == 0 || coefficient > Fraction::whole(1) {
                return Err(RulesError::CoefficientOutOfRange(coefficient));
            }
        }
        if let Method::Divisor { divisor: Divisor::ModifiedSainteLague { first } } = config.method
            && first.num() == 0
        {
            return Err(RulesError::ZeroFirstDivisor);
        }
        Ok(Rules {
            method: config.method,
            threshold: config.threshold,
            admit_at_least: config.admit_at_least,
            runner_up: config.runner_up,
            ties: config.ties,
            lot_seed: config.lot_seed,
        })
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The threshold.
    pub fn threshold(&self) -> Option<Threshold> {
        self.threshold
    }

    /// The admission minimum (0 = none).
    pub fn admit_at_least(&self) -> u32 {
        self.admit_at_least
    }

    /// The runner-up correction.
    pub fn runner_up(&self) -> Option<RunnerUpRule> {
        self.runner_up
    }

    /// The tie rule.
    pub fn ties(&self) -> &TieRule {
        &self.ties
    }

    /// The configured lot seed.
    pub fn lot_seed(&self) -> Option<&LotSeed> {
        self.lot_seed.as_ref()
    }
}

/// Test rules: `method`, no threshold, no admission rule, ties by registration.
#[cfg(test)]
pub(crate) fn test_rules(method: Method) -> Rules {
    Rules::new(RulesConfig {
        method,
        threshold: None,
        admit_at_least: 0,
        runner_up: None,
        ties: TieRule::new(&[crate::seats::tie::TieCriterion::Registration]).expect("a valid rule"),
        lot_seed: None,
    })
    .expect("valid rules")
}
