//! `[model]`: how a modelled scenario makes the numbers no one published.
//!
//! Kazakhstan's CEC published the 2021 list votes for the whole country only, so a file
//! that splits the country into districts has no district votes to read. Rather than
//! commit numbers made elsewhere, such a file names a model here and the reader makes the
//! votes itself, exactly and the same way every time. The only model so far is
//! `district_votes = "population-share"`: each list's national votes are split among the
//! districts in proportion to their population, so every district has the national
//! shares and only district magnitudes and thresholds change the result.

use saylau_core::seats::votes::Votes;
use serde::Serialize;

use crate::diagnostic::Sink;
use crate::document::{Node, Origin};
use crate::field::{Fields, choice, table};

/// The keys of `[model]`.
const KEYS: &[&str] = &["district_votes"];

const DISTRICT_VOTES: &[(&str, DistrictVotesModel)] =
    &[("population-share", DistrictVotesModel::PopulationShare)];

/// The `[model]` table: how a modelled scenario made its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VoteModel {
    /// How each list's votes in each district were made from its national votes.
    pub district_votes: DistrictVotesModel,
}

/// How district votes are made from national votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DistrictVotesModel {
    /// A list's votes in a district are its national votes times the district's share of
    /// the population: the floor of each product, then the votes left over one each to
    /// the districts with the largest remainders (Hare), equal remainders to the district
    /// written first. Every list keeps its national total, and every district has the
    /// national shares up to one vote.
    PopulationShare,
}

/// Reads `[model]`, with where it was written.
pub(crate) fn model(sink: &mut Sink<'_>, node: &Node) -> Option<(VoteModel, Origin)> {
    let fields = Fields { table: table(sink, node, "model")?, path: "model", origin: node.origin };
    fields.check_keys(sink, KEYS);
    let district_votes = fields.required(sink, "district_votes").and_then(|node| {
        choice(sink, node, "model.district_votes", "district votes model", DISTRICT_VOTES)
    })?;
    Some((VoteModel { district_votes }, node.origin))
}

/// `votes` split in proportion to `weights` (see [`DistrictVotesModel::PopulationShare`]);
/// `None` when the weights add up to zero or the products do not fit 128 bits.
pub(crate) fn population_share(votes: Votes, weights: &[u64]) -> Option<Vec<Votes>> {
    let total: u128 = weights.iter().map(|&weight| u128::from(weight)).sum();
    if total == 0 {
        return None;
    }
    let mut shares = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for &weight in weights {
        let product = u128::from(votes.0).checked_mul(u128::from(weight))?;
        shares.push(u64::try_from(product / total).expect("a share is at most the votes"));
        remainders.push(product % total);
    }
    let given: u64 = shares.iter().sum();
    let left = usize::try_from(votes.0 - given).expect("fewer votes left than districts");
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Stable: equal remainders keep the districts' order.
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]));
    for &district in order.iter().take(left) {
        shares[district] += 1;
    }
    Some(shares.into_iter().map(Votes).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(votes: u64, weights: &[u64], expect: Option<&[u64]>) {
        let res = population_share(Votes(votes), weights);
        let res: Option<Vec<u64>> = res.map(|shares| shares.iter().map(|it| it.0).collect());
        assert_eq!(res.as_deref(), expect);
    }

    #[test]
    fn splits_by_population_and_keeps_the_total() {
        check(100, &[3, 1], Some(&[75, 25]));
        // 10 × 1/3 each: 3 each and the one vote left to the first district.
        check(10, &[1, 1, 1], Some(&[4, 3, 3]));
        // Remainders 2/7, 4/7, 1/7 of a vote: the one left goes to the second.
        check(1, &[2, 4, 1], Some(&[0, 1, 0]));
        check(0, &[5, 5], Some(&[0, 0]));
        check(7, &[0, 0], None);
    }
}
