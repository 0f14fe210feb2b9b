//! Sortition (жеребьёвка): commission members drawn by lot from an open list, stratum by
//! stratum, so that every commission gets exactly the mix it must have.
//!
//! The seed's recommendation 7 is to form territorial and precinct commissions by lot from
//! an open list of certified volunteers and lawyers. A fair draw must still meet fixed
//! proportions (as many women as men, at least one lawyer per commission), so the pool is
//! split into disjoint strata, each with a number of seats per commission. The draw is the
//! published saylau-lot-v1 algorithm (`docs/lot.md`, "Stratified draws"):
//!
//! * each stratum, in the declared order, is drawn on its own with the seed
//!   `S/stratum-<id>`: the draw order of its pool, in the order of the list;
//! * the first `seats × commissions` names of that order are dealt out in blocks of
//!   `seats`, to the commissions in the declared order; the rest of the order, in turn,
//!   is the stratum's reserve list.
//!
//! Each commission therefore meets its strata exactly, and anyone can recompute the draw
//! from the seed and the published lists.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::seats::lot::{LotSeed, draw_order};

/// One stratum: a part of the open list and the seats it fills in each commission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stratum {
    /// Identifier, unique in the draw; it names the stratum's seed (`S/stratum-<id>`).
    pub id: String,
    /// Seats per commission.
    pub seats: u32,
    /// The volunteers of this stratum, in the order of the published list.
    pub pool: Vec<String>,
}

/// A stratified draw, validated: unique names, enough volunteers in every stratum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sortition {
    seed: LotSeed,
    commissions: Vec<String>,
    strata: Vec<Stratum>,
}

/// Why a stratified draw cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SortitionError {
    /// No commission to fill.
    #[error("a draw needs at least one commission")]
    NoCommissions,
    /// No strata.
    #[error("a draw needs at least one stratum")]
    NoStrata,
    /// Two commissions or two strata share an id.
    #[error("{kind} id {id:?} is used twice")]
    DuplicateId {
        /// `commission` or `stratum`.
        kind: &'static str,
        /// The id.
        id: String,
    },
    /// A name on the list twice (in one stratum or in two): strata must be disjoint.
    #[error("{0:?} is on the list twice; strata must not overlap")]
    DuplicateName(String),
    /// A stratum with fewer volunteers than seats to fill.
    #[error(
        "stratum {stratum} has {pool} volunteers for {needed} seats ({seats} in each of {commissions} commissions)"
    )]
    TooFew {
        /// The stratum.
        stratum: String,
        /// Its volunteers.
        pool: usize,
        /// Seats per commission.
        seats: u32,
        /// Commissions.
        commissions: usize,
        /// Seats in all.
        needed: usize,
    },
}

impl Sortition {
    /// A draw of `commissions` (ids in order) from `strata` (in order) under `seed`.
    pub fn new(
        seed: LotSeed,
        commissions: Vec<String>,
        strata: Vec<Stratum>,
    ) -> Result<Sortition, SortitionError> {
        if commissions.is_empty() {
            return Err(SortitionError::NoCommissions);
        }
        if strata.is_empty() {
            return Err(SortitionError::NoStrata);
        }
        unique("commission", commissions.iter())?;
        unique("stratum", strata.iter().map(|stratum| &stratum.id))?;
        let mut names = BTreeSet::new();
        for name in strata.iter().flat_map(|stratum| &stratum.pool) {
            if !names.insert(name.as_str()) {
                return Err(SortitionError::DuplicateName(name.clone()));
            }
        }
        for stratum in &strata {
            let seats = usize::try_from(stratum.seats).expect("a seat count fits in usize");
            let needed = seats.saturating_mul(commissions.len());
            if needed > stratum.pool.len() {
                return Err(SortitionError::TooFew {
                    stratum: stratum.id.clone(),
                    pool: stratum.pool.len(),
                    seats: stratum.seats,
                    commissions: commissions.len(),
                    needed,
                });
            }
        }
        Ok(Sortition { seed, commissions, strata })
    }

    /// The seed.
    pub fn seed(&self) -> &LotSeed {
        &self.seed
    }

    /// The commission ids in order.
    pub fn commissions(&self) -> &[String] {
        &self.commissions
    }

    /// The strata in order.
    pub fn strata(&self) -> &[Stratum] {
        &self.strata
    }
}

fn unique<'a>(
    kind: &'static str,
    ids: impl Iterator<Item = &'a String>,
) -> Result<(), SortitionError> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(SortitionError::DuplicateId { kind, id: id.clone() });
        }
    }
    Ok(())
}

/// A member drawn for a commission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// The name.
    pub name: String,
    /// The stratum it was drawn from.
    pub stratum: String,
}

/// One commission's members, strata in declared order, each in draw order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommissionDraw {
    /// The commission.
    pub id: String,
    /// Its members.
    pub members: Vec<Member>,
}

/// One stratum's draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StratumDraw {
    /// The stratum.
    pub id: String,
    /// The seed it was drawn with: `S/stratum-<id>`.
    pub seed: LotSeed,
    /// The whole pool in draw order.
    pub order: Vec<String>,
    /// The names not seated, in draw order: the reserve list.
    pub reserves: Vec<String>,
}

/// The outcome of a stratified draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StratifiedDraw {
    /// The published seed.
    pub seed: LotSeed,
    /// The commissions in declared order.
    pub commissions: Vec<CommissionDraw>,
    /// The strata in declared order.
    pub strata: Vec<StratumDraw>,
}

/// Draws every commission's members, stratum by stratum.
pub fn stratified_draw(sortition: &Sortition) -> StratifiedDraw {
    let mut commissions: Vec<CommissionDraw> = sortition
        .commissions
        .iter()
        .map(|id| CommissionDraw { id: id.clone(), members: Vec::new() })
        .collect();
    let mut strata = Vec::with_capacity(sortition.strata.len());
    for stratum in &sortition.strata {
        let seed = stratum_seed(&sortition.seed, &stratum.id);
        let order: Vec<String> = draw_order(&seed, stratum.pool.len())
            .into_iter()
            .map(|idx| stratum.pool[idx].clone())
            .collect();
        let seats = usize::try_from(stratum.seats).expect("a seat count fits in usize");
        for (commission, block) in commissions.iter_mut().zip(order.chunks(seats.max(1))) {
            let members = block
                .iter()
                .take(seats)
                .map(|name| Member { name: name.clone(), stratum: stratum.id.clone() });
            commission.members.extend(members);
        }
        let reserves = order[seats * sortition.commissions.len()..].to_vec();
        strata.push(StratumDraw { id: stratum.id.clone(), seed, order, reserves });
    }
    StratifiedDraw { seed: sortition.seed.clone(), commissions, strata }
}

/// The seed of one stratum: the draw's seed with `/stratum-<id>` appended.
pub fn stratum_seed(seed: &LotSeed, stratum: &str) -> LotSeed {
    seed.derive(&format!("stratum-{stratum}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stratum(id: &str, seats: u32, pool: &[&str]) -> Stratum {
        Stratum {
            id: id.to_owned(),
            seats,
            pool: pool.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// Draws and describes each commission as `id: name/stratum ...`, then the reserves.
    fn check(seed: &str, commissions: &[&str], strata: Vec<Stratum>, expect: &[&str]) {
        let commissions = commissions.iter().map(|id| (*id).to_owned()).collect();
        let sortition =
            Sortition::new(LotSeed::new(seed), commissions, strata).expect("a valid draw");
        let res = stratified_draw(&sortition);
        let mut found: Vec<String> = res
            .commissions
            .iter()
            .map(|commission| {
                let members: Vec<String> = commission
                    .members
                    .iter()
                    .map(|it| format!("{}/{}", it.name, it.stratum))
                    .collect();
                format!("{}: {}", commission.id, members.join(" "))
            })
            .collect();
        found.extend(
            res.strata.iter().map(|it| format!("{} reserves: {}", it.id, it.reserves.join(" "))),
        );
        assert_eq!(found, expect);
    }

    /// Test vectors of docs/lot.md ("Stratified draws"), computed with its Python.
    #[test]
    fn matches_the_published_vector() {
        check(
            "commission-draw-2026",
            &["pec-1", "pec-2"],
            vec![
                stratum("lawyers", 1, &["L0", "L1", "L2"]),
                stratum("women", 2, &["W0", "W1", "W2", "W3", "W4"]),
                stratum("men", 2, &["M0", "M1", "M2", "M3"]),
            ],
            &[
                "pec-1: L0/lawyers W3/women W0/women M1/men M2/men",
                "pec-2: L2/lawyers W4/women W2/women M3/men M0/men",
                "lawyers reserves: L1",
                "women reserves: W1",
                "men reserves: ",
            ],
        );
    }

    #[test]
    fn every_commission_meets_its_strata_and_the_draw_is_reproducible() {
        let strata = || {
            vec![
                stratum("lawyers", 1, &["a", "b", "c", "d"]),
                stratum("volunteers", 3, &["e", "f", "g", "h", "i", "j", "k", "l", "m"]),
            ]
        };
        let commissions = || vec!["x".to_owned(), "y".to_owned(), "z".to_owned()];
        let sortition = Sortition::new(LotSeed::new("s"), commissions(), strata()).expect("valid");
        let res = stratified_draw(&sortition);
        for commission in &res.commissions {
            let count = |id: &str| commission.members.iter().filter(|it| it.stratum == id).count();
            assert_eq!((count("lawyers"), count("volunteers")), (1, 3), "{}", commission.id);
        }
        let seated: BTreeSet<&str> =
            res.commissions.iter().flat_map(|it| &it.members).map(|it| it.name.as_str()).collect();
        assert_eq!(seated.len(), 12, "nobody is drawn twice");
        let again = Sortition::new(LotSeed::new("s"), commissions(), strata()).expect("valid");
        assert_eq!(stratified_draw(&again), res);
        let other = Sortition::new(LotSeed::new("t"), commissions(), strata()).expect("valid");
        assert_ne!(stratified_draw(&other), res);
    }

    #[test]
    fn impossible_draws_are_refused() {
        let err = |commissions: &[&str], strata| {
            let commissions = commissions.iter().map(|id| (*id).to_owned()).collect();
            Sortition::new(LotSeed::new("s"), commissions, strata)
                .map(|_| ())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err(&["x", "y"], vec![stratum("lawyers", 2, &["a", "b", "c"])]),
            "stratum lawyers has 3 volunteers for 4 seats (2 in each of 2 commissions)"
        );
        assert_eq!(
            err(&["x"], vec![stratum("a", 1, &["n"]), stratum("b", 1, &["n"])]),
            "\"n\" is on the list twice; strata must not overlap"
        );
        assert_eq!(
            err(&["x", "x"], vec![stratum("a", 1, &["n"])]),
            "commission id \"x\" is used twice"
        );
        assert_eq!(err(&[], vec![stratum("a", 1, &["n"])]), "a draw needs at least one commission");
    }
}
