//! Tie rules: who wins when remainders, quotients or votes are exactly equal.
//!
//! Art. 97-1 gives a tied seat to the list registered earlier (IPU Parline's summary of
//! the law as amended on 9 February 2009); other laws prefer more votes or a lot. A rule is
//! a sequence of criteria applied in order; a lot always closes the sequence, so every
//! tie is decided and the decision is recorded in the trace.

use serde::Serialize;

use crate::seats::lot::{LotSeed, draw_order};
use crate::seats::votes::Votes;

/// One criterion of a tie rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TieCriterion {
    /// The list registered earlier wins (art. 97-1; the order of the lists in the file).
    Registration,
    /// The list with more votes wins.
    Votes,
    /// A verifiable lot (see [`crate::seats::lot`]).
    Lot,
}

impl std::fmt::Display for TieCriterion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TieCriterion::Registration => "registration",
            TieCriterion::Votes => "votes",
            TieCriterion::Lot => "lot",
        })
    }
}

/// A tie rule: criteria tried in order, ending with a lot if none decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TieRule {
    criteria: Vec<TieCriterion>,
}

/// Why a tie rule is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TieRuleError {
    /// No criteria at all.
    #[error("a tie rule needs at least one criterion (registration, votes or lot)")]
    Empty,
    /// The same criterion twice.
    #[error("tie criterion {0} is listed twice")]
    Repeated(TieCriterion),
}

impl TieRule {
    /// A rule from criteria in order of application.
    pub fn new(criteria: &[TieCriterion]) -> Result<TieRule, TieRuleError> {
        if criteria.is_empty() {
            return Err(TieRuleError::Empty);
        }
        for (idx, criterion) in criteria.iter().enumerate() {
            if criteria[..idx].contains(criterion) {
                return Err(TieRuleError::Repeated(*criterion));
            }
        }
        Ok(TieRule { criteria: criteria.to_vec() })
    }

    /// A lot alone: saylau's default when a file names no rule.
    pub fn lot() -> TieRule {
        TieRule { criteria: vec![TieCriterion::Lot] }
    }

    /// The criteria in order.
    pub fn criteria(&self) -> &[TieCriterion] {
        &self.criteria
    }
}

/// Where in an allocation a tie occurred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum TieStage {
    /// Choosing the next-largest list to admit (art. 97-1 p. 2).
    Admission,
    /// Equal remainders at the cut-off of a largest-remainder allocation.
    Remainder,
    /// Equal remainders when taking back seats a quota over-allocated.
    Removal,
    /// Equal quotients of a divisor method for the seat with this number (from 1).
    Quotient {
        /// The seat being awarded.
        seat: u32,
    },
}

/// The record of one broken tie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TieBreak {
    /// Where the tie occurred.
    pub stage: TieStage,
    /// The tied lists (indices in registration order).
    pub tied: Vec<usize>,
    /// How many of them win.
    pub needed: usize,
    /// The winners, in order of preference.
    pub winners: Vec<usize>,
    /// The criterion that decided.
    pub decided_by: TieCriterion,
    /// The lot, when one was drawn: its seed and the draw order of the still-tied lists.
    pub lot: Option<LotDraw>,
}

/// A lot drawn to break a tie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LotDraw {
    /// The seed of this draw (the allocation seed with the tie's number appended).
    pub seed: LotSeed,
    /// The lists that were still tied, in registration order.
    pub among: Vec<usize>,
    /// The order in which they were drawn.
    pub order: Vec<usize>,
}

/// Chooses `needed` winners among `tied` (indices into `votes`, in registration order).
/// `seed` is the seed for this tie alone.
pub fn break_tie(
    rule: &TieRule,
    stage: TieStage,
    tied: &[usize],
    needed: usize,
    votes: &[Votes],
    seed: &LotSeed,
) -> TieBreak {
    assert!(needed < tied.len(), "a tie needs fewer winners than tied lists");
    let mut winners: Vec<usize> = Vec::with_capacity(needed);
    let mut group: Vec<usize> = tied.to_vec();
    group.sort_unstable();
    let mut still_needed = needed;
    let finish = |winners: Vec<usize>, decided_by, lot| TieBreak {
        stage,
        tied: tied.to_vec(),
        needed,
        winners,
        decided_by,
        lot,
    };
    for criterion in rule.criteria().iter().copied().chain(std::iter::once(TieCriterion::Lot)) {
        match criterion {
            TieCriterion::Registration => {
                winners.extend_from_slice(&group[..still_needed]);
                return finish(winners, criterion, None);
            }
            TieCriterion::Lot => {
                let order = draw_order(seed, group.len());
                let drawn: Vec<usize> = order.iter().map(|&position| group[position]).collect();
                winners.extend_from_slice(&drawn[..still_needed]);
                let lot = LotDraw { seed: seed.clone(), among: group, order: drawn };
                return finish(winners, criterion, Some(lot));
            }
            TieCriterion::Votes => {
                // Stable sort keeps registration order among equal votes.
                group.sort_by(|&left, &right| votes[right].cmp(&votes[left]));
                let boundary = votes[group[still_needed - 1]];
                if votes[group[still_needed]] != boundary {
                    winners.extend_from_slice(&group[..still_needed]);
                    return finish(winners, criterion, None);
                }
                let above: Vec<usize> =
                    group.iter().copied().filter(|&idx| votes[idx] > boundary).collect();
                still_needed -= above.len();
                winners.extend(above);
                group.retain(|&idx| votes[idx] == boundary);
                group.sort_unstable();
            }
        }
    }
    unreachable!("the lot criterion always decides")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(criteria: &[TieCriterion], tied: &[usize], needed: usize, expect: &[usize]) {
        let votes = [Votes(10), Votes(20), Votes(20), Votes(5)];
        let rule = TieRule::new(criteria).expect("a valid rule");
        let res = break_tie(&rule, TieStage::Remainder, tied, needed, &votes, &LotSeed::new("t"));
        assert_eq!(res.winners, expect);
    }

    #[test]
    fn registration_prefers_earlier_lists() {
        check(&[TieCriterion::Registration], &[3, 1, 2], 2, &[1, 2]);
    }

    #[test]
    fn votes_then_registration() {
        check(&[TieCriterion::Votes, TieCriterion::Registration], &[0, 2, 3], 1, &[2]);
        check(&[TieCriterion::Votes, TieCriterion::Registration], &[0, 1, 2], 1, &[1]);
        check(&[TieCriterion::Votes, TieCriterion::Registration], &[0, 1, 2, 3], 3, &[1, 2, 0]);
    }

    #[test]
    fn votes_falls_back_to_a_recorded_lot() {
        let votes = [Votes(20), Votes(20)];
        let rule = TieRule::new(&[TieCriterion::Votes]).expect("a valid rule");
        let seed = LotSeed::new("kz-2021/tie-1");
        let res = break_tie(&rule, TieStage::Remainder, &[0, 1], 1, &votes, &seed);
        assert_eq!(res.decided_by, TieCriterion::Lot);
        // docs/lot.md: seed "kz-2021/tie-1" over 2 items draws [1, 0].
        assert_eq!(res.winners, [1]);
        assert_eq!(res.lot.map(|lot| lot.order), Some(vec![1, 0]));
    }

    #[test]
    fn rejects_empty_and_repeated_rules() {
        assert_eq!(TieRule::new(&[]), Err(TieRuleError::Empty));
        assert_eq!(
            TieRule::new(&[TieCriterion::Lot, TieCriterion::Lot]),
            Err(TieRuleError::Repeated(TieCriterion::Lot))
        );
    }
}
