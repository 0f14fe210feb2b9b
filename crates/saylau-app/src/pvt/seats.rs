//! Seats from estimated or published shares, by the core's exact allocation under the
//! rules of an election file (by default the bundled 2021 Mazhilis rules: Hare largest
//! remainder, 98 seats, 7 % of valid votes).

use std::path::Path;

use saylau_core::seats::allocation::allocate;
use saylau_core::seats::contest::{Ballots, Contest, List};
use saylau_core::seats::method::Rules;
use saylau_core::seats::votes::Votes;
use saylau_core::systems::system::System;
use saylau_formats::{Diagnostics, Override, parse_election, read_election};

use super::{rejected, rule};

/// The bundled rules of the 2021 Mazhilis election.
pub(crate) const MAZHILIS_2021: (&str, &str) =
    ("data/kz/mazhilis-2021.toml", include_str!("../../../../data/kz/mazhilis-2021.toml"));

/// Votes per list made from proportions: parts per million of the valid votes.
const SCALE: f64 = 1_000_000.0;

/// The rules and lists of an election file of one nationwide list contest.
pub(crate) struct SeatRules {
    /// Where they come from, with any override.
    pub(crate) source: String,
    template: Contest,
    rules: Rules,
}

/// The rules of `path` (default the bundled 2021 rules) with `overrides` (such as
/// `rules.threshold=5%`).
pub(crate) fn seat_rules(
    path: Option<&Path>,
    overrides: &[&str],
) -> Result<SeatRules, Diagnostics> {
    let texts = overrides;
    let overrides: Vec<Override> = texts
        .iter()
        .map(|text| Override::parse(text).map_err(|err| Diagnostics(vec![err])))
        .collect::<Result<_, _>>()?;
    let (source, file) = match path {
        Some(path) => (path.display().to_string(), read_election(path, &overrides)?),
        None => (
            MAZHILIS_2021.0.to_owned(),
            parse_election(MAZHILIS_2021.0, MAZHILIS_2021.1, &overrides)?,
        ),
    };
    let source = if overrides.is_empty() {
        source
    } else {
        let sets: Vec<String> = texts.iter().map(|it| format!("--set {it}")).collect();
        format!("{source} ({})", sets.join(", "))
    };
    let System::List { contest: template, rules } = file.system else {
        let message =
            "seat projections need an election file of one nationwide list contest".to_owned();
        return Err(rejected(&source, None, "", rule::SEAT_RULES, message));
    };
    Ok(SeatRules { source, template, rules })
}

impl SeatRules {
    /// The seats of each list of `ids` (in that order) with `votes`; the threshold base
    /// is the valid votes (no invalid ballots are added).
    pub(crate) fn seats(&self, ids: &[&str], votes: &[u64]) -> Result<Vec<u32>, String> {
        let mut lists = Vec::with_capacity(ids.len());
        for list in self.template.lists() {
            let Some(idx) = ids.iter().position(|id| *id == list.id.as_str()) else {
                return Err(format!(
                    "{}: list {} is not among {}",
                    self.source,
                    list.id,
                    ids.join(", ")
                ));
            };
            lists.push(List { votes: Votes(votes[idx]), ..list.clone() });
        }
        if lists.len() != ids.len() {
            return Err(format!("{}: its lists are not {}", self.source, ids.join(", ")));
        }
        let valid: u64 = votes.iter().sum();
        let ballots = Ballots { participants: Some(Votes(valid)), against_all: Votes(0) };
        let contest = Contest::new(self.template.name(), self.template.seats(), lists, ballots)
            .map_err(|err| err.to_string())?;
        let allocation = allocate(&self.rules, &contest).map_err(|err| err.to_string())?;
        Ok(ids
            .iter()
            .map(|id| {
                let idx = self.template.lists().iter().position(|list| list.id.as_str() == *id);
                idx.map_or(0, |idx| allocation.seats[idx].0)
            })
            .collect())
    }

    /// The seats of shares of the valid votes (proportions), in parts per million.
    pub(crate) fn seats_of_shares(&self, ids: &[&str], shares: &[f64]) -> Result<Vec<u32>, String> {
        let votes: Vec<u64> =
            shares.iter().map(|share| (share.max(0.0) * SCALE).round() as u64).collect();
        self.seats(ids, &votes)
    }

    /// The votes of the election file's lists, in the order of `ids`.
    pub(crate) fn official_votes(&self, ids: &[&str]) -> Result<Vec<u64>, String> {
        ids.iter()
            .map(|id| {
                self.template
                    .lists()
                    .iter()
                    .find(|list| list.id.as_str() == *id)
                    .map(|list| list.votes.0)
                    .ok_or_else(|| format!("{}: no list {id}", self.source))
            })
            .collect()
    }
}
