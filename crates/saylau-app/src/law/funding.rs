//! State funding of parties per vote and campaign money, in whole tenge (`saylau
//! funding`, `docs/funding-format.md`): the file's rate and every compared rate, each
//! party's amount against the published one.

use std::path::Path;

use saylau_core::law::funding::{Exact, FundingRules, PartyFunding, Tenge, funding};
use saylau_core::seats::threshold::Percent;
use saylau_formats::{FundingMeta, read_funding};
use serde::Serialize;

use super::LawError;

use crate::allocate::parse_overrides;
pub use saylau_core::law::funding::{Funding, Qualification, per_vote};
pub use saylau_formats::FundingFile;

/// Funding computed.
#[derive(Debug, Clone)]
pub struct Funded {
    /// The file as read, with its overrides.
    pub file: FundingFile,
    /// The funding at the file's rate.
    pub applied: Funding,
    /// The funding at each compared rate.
    pub compared: Vec<Funding>,
    /// Whether `--set` changed the file, so that its published amounts no longer apply.
    pub overridden: bool,
}

/// Computes the funding of the file at `path` with the `--set` overrides `sets`.
pub fn funding_file(path: &Path, sets: &[String]) -> Result<Funded, LawError> {
    let overrides = parse_overrides(sets).map_err(LawError::Rejected)?;
    let file = read_funding(path, &overrides).map_err(LawError::Rejected)?;
    let failed = |err| LawError::Failed {
        context: format!("funding {}", path.display()),
        source: Box::new(err),
    };
    let applied = funding(&file.rules, &file.parties).map_err(failed)?;
    let mut compared = Vec::with_capacity(file.compare_rates.len());
    for rate in &file.compare_rates {
        let rules = FundingRules { rate: *rate, ..file.rules.clone() };
        compared.push(funding(&rules, &file.parties).map_err(failed)?);
    }
    Ok(Funded { file, applied, compared, overridden: !overrides.is_empty() })
}

impl Funded {
    /// As a serialisable value.
    pub fn json(&self) -> FundingJson<'_> {
        json(&self.file, &self.applied, &self.compared)
    }
}

/// The JSON of one party.
#[derive(Debug, Serialize)]
struct PartyJson<'a> {
    #[serde(flatten)]
    funding: &'a PartyFunding,
    published_amount: Option<Tenge>,
    matches_published: Option<bool>,
    at_compare_rates: Vec<RateAmount>,
}

/// A party's amount at a compared rate.
#[derive(Debug, Serialize)]
struct RateAmount {
    rate: Percent,
    amount: Tenge,
}

/// A compared rate's totals.
#[derive(Debug, Serialize)]
struct CompareJson {
    rate: Percent,
    per_vote: Exact,
    total: Tenge,
}

/// Campaign money of one kind of race.
#[derive(Debug, Serialize)]
struct CampaignJson<'a> {
    kind: &'a str,
    per_candidate: Tenge,
    candidates: Option<u32>,
    total: Option<Tenge>,
}

/// The JSON of `saylau funding --json`.
#[derive(Debug, Serialize)]
pub struct FundingJson<'a> {
    name: &'a str,
    meta: &'a FundingMeta,
    minimum_wage: Tenge,
    rate: Percent,
    per_vote: &'a Exact,
    qualification: Qualification,
    parties: Vec<PartyJson<'a>>,
    total: Tenge,
    compare_rates: Vec<CompareJson>,
    campaign: Vec<CampaignJson<'a>>,
}

fn json<'a>(file: &'a FundingFile, applied: &'a Funding, compared: &[Funding]) -> FundingJson<'a> {
    let parties = applied
        .parties
        .iter()
        .enumerate()
        .map(|(idx, party)| PartyJson {
            funding: party,
            published_amount: file.published[idx],
            matches_published: file.published[idx].map(|published| published == party.amount),
            at_compare_rates: compared
                .iter()
                .map(|other| RateAmount { rate: other.rate, amount: other.parties[idx].amount })
                .collect(),
        })
        .collect();
    FundingJson {
        name: &file.meta.name,
        meta: &file.meta,
        minimum_wage: file.rules.minimum_wage,
        rate: applied.rate,
        per_vote: &applied.per_vote,
        qualification: file.rules.qualification,
        parties,
        total: applied.total,
        compare_rates: compared
            .iter()
            .map(|other| CompareJson {
                rate: other.rate,
                per_vote: other.per_vote.clone(),
                total: other.total,
            })
            .collect(),
        campaign: file
            .campaign
            .iter()
            .map(|rate| CampaignJson {
                kind: &rate.kind,
                per_candidate: rate.per_candidate,
                candidates: rate.candidates,
                total: rate.total(),
            })
            .collect(),
    }
}
