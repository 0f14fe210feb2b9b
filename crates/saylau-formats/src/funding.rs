//! Funding files, format v1 (TOML): the rules of party subsidies and the parties they pay.
//!
//! A file gives the minimum wage and the rate per vote explicitly (the seed's text and its
//! figures disagree, 1 % against 3 %), rates to show beside it, who qualifies, conditional
//! shares, each party's votes and seats with its published amount, and the state campaign
//! money per candidate of akim races. Specified in `docs/funding-format.md`.

use std::path::Path;

use saylau_core::law::funding::{
    CampaignRate, Condition, FundedParty, FundingRules, Qualification, Tenge,
};
use saylau_core::seats::rational::Rational;
use saylau_core::seats::threshold::Percent;
use saylau_core::seats::votes::{ListId, Seats, Votes};
use serde::Serialize;

use crate::diagnostic::{Diagnostics, Sink};
use crate::document::{Node, Origin, Table, Value};
use crate::election::{DataSource, Scenario};
use crate::field::{Fields, choice, count, filled_text, if_present, percent, text, texts, votes};
use crate::header::{
    self, amount, entries, entry_fields, report_duplicates, root_fields, sub_table,
};
use crate::r#override::Override;
use crate::rule::FileRule;

/// The top-level keys of a funding file.
const KEYS: &[&str] =
    &["funding", "rules", "parties", "conditions", "campaign", "source", "scenario"];
/// The keys of `[rules]`.
const RULE_KEYS: &[&str] = &[
    "minimum_wage",
    "rate",
    "rate_note",
    "compare_rates",
    "qualification",
    "threshold",
    "threshold_base",
];

/// How qualification is named in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QualificationName {
    Seats,
    Threshold,
}

const QUALIFICATIONS: &[(&str, QualificationName)] =
    &[("seats", QualificationName::Seats), ("threshold", QualificationName::Threshold)];

/// A funding file, read and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingFile {
    /// The rules.
    pub rules: FundingRules,
    /// The parties in file order.
    pub parties: Vec<FundedParty>,
    /// Per party, in file order: the amount the source publishes, if any.
    pub published: Vec<Option<Tenge>>,
    /// Rates to show beside the rate applied (the seed's 1 %).
    pub compare_rates: Vec<Percent>,
    /// State campaign money per candidate of akim races.
    pub campaign: Vec<CampaignRate>,
    /// Name, notes and provenance.
    pub meta: FundingMeta,
}

/// What a funding file says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundingMeta {
    /// `[funding] name`.
    pub name: String,
    /// `[funding] description`.
    pub description: Option<String>,
    /// `[rules] rate_note`: why the rate is what it is.
    pub rate_note: Option<String>,
    /// `[source]`.
    pub source: Option<DataSource>,
    /// `[scenario]`.
    pub scenario: Option<Scenario>,
}

/// Reads a funding file from `text`; `source` names it in diagnostics.
pub fn parse_funding(
    source: &str,
    text: &str,
    overrides: &[Override],
) -> Result<FundingFile, Diagnostics> {
    header::parse_with(source, text, overrides, funding_file)
}

/// Reads the funding file at `path`.
pub fn read_funding(path: &Path, overrides: &[Override]) -> Result<FundingFile, Diagnostics> {
    let (source, text) = header::read_text(path)?;
    parse_funding(&source, &text, overrides)
}

/// `[rules]` as read, before the qualification's base is known.
struct RulesRead {
    minimum_wage: Tenge,
    rate: Percent,
    rate_note: Option<String>,
    compare_rates: Vec<Percent>,
    threshold: Option<Percent>,
    threshold_base: Option<Votes>,
}

/// A party as read, with its published amount.
struct PartyRead {
    party: FundedParty,
    published: Option<Tenge>,
}

/// Reads every part, then checks them against each other.
fn funding_file(sink: &mut Sink<'_>, root: &Table) -> Option<FundingFile> {
    let fields = root_fields(sink, root, KEYS);
    let header = header::header(sink, fields, "funding", &[]);
    let rules = sub_table(sink, fields, "rules", true).and_then(|fields| rules(sink, fields));
    let conditions = if_present(root.get("conditions"), |node| conditions(sink, node));
    let parties = parties(sink, root.get("parties"));
    let campaign = if_present(root.get("campaign"), |node| campaign(sink, node));
    let provenance = header::provenance(sink, root);
    if let Some(conditions) = &conditions {
        check_shares(sink, root, conditions.as_deref().unwrap_or_default());
    }
    if let (Some(parties), Some(conditions)) = (&parties, &conditions) {
        check_conditions_known(sink, root, parties, conditions.as_deref().unwrap_or_default());
    }
    let (header, rules, conditions, parties) = (header?, rules?, conditions?, parties?);
    let (source, scenario) = provenance?;
    let base =
        rules.threshold_base.unwrap_or_else(|| parties.iter().map(|read| read.party.votes).sum());
    let qualification = match rules.threshold {
        Some(percent) => Qualification::Threshold { percent, base },
        None => Qualification::Seats,
    };
    let meta = FundingMeta {
        name: header.name,
        description: header.description,
        rate_note: rules.rate_note,
        source,
        scenario,
    };
    Some(FundingFile {
        rules: FundingRules {
            minimum_wage: rules.minimum_wage,
            rate: rules.rate,
            qualification,
            conditions: conditions.unwrap_or_default(),
        },
        published: parties.iter().map(|read| read.published).collect(),
        parties: parties.into_iter().map(|read| read.party).collect(),
        compare_rates: rules.compare_rates,
        campaign: campaign?.unwrap_or_default(),
        meta,
    })
}

/// Reads `[rules]`.
fn rules(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<RulesRead> {
    fields.check_keys(sink, RULE_KEYS);
    let minimum_wage = fields
        .required(sink, "minimum_wage")
        .and_then(|node| amount(sink, node, &fields.field("minimum_wage")));
    let rate =
        fields.required(sink, "rate").and_then(|node| percent(sink, node, &fields.field("rate")));
    let rate_note = if_present(fields.optional("rate_note"), |node| {
        text(sink, node, &fields.field("rate_note"))
    });
    let compare_rates = if_present(fields.optional("compare_rates"), |node| {
        let field = fields.field("compare_rates");
        let items = texts(sink, node, &field)?;
        let read: Vec<Option<Percent>> = items
            .iter()
            .enumerate()
            .map(|(idx, item)| {
                let node = Node { value: Value::String(item.clone()), origin: node.origin };
                percent(sink, &node, &format!("{field}[{idx}]"))
            })
            .collect();
        read.into_iter().collect::<Option<Vec<Percent>>>()
    });
    let qualification = if_present(fields.optional("qualification"), |node| {
        choice(sink, node, &fields.field("qualification"), "qualification", QUALIFICATIONS)
    });
    let threshold = if_present(fields.optional("threshold"), |node| {
        percent(sink, node, &fields.field("threshold"))
    });
    let threshold_base = if_present(fields.optional("threshold_base"), |node| {
        votes(sink, node, &fields.field("threshold_base"))
    });
    let (qualification, threshold, threshold_base) = (qualification?, threshold?, threshold_base?);
    let uses_threshold = qualification == Some(QualificationName::Threshold);
    if uses_threshold && threshold.is_none() {
        let message = "qualification = \"threshold\" needs a threshold, such as \"3%\"".to_owned();
        sink.error(&fields.origin, &fields.field("threshold"), FileRule::MissingKey, message);
        return None;
    }
    for (key, given) in
        [("threshold", threshold.is_some()), ("threshold_base", threshold_base.is_some())]
    {
        if given && !uses_threshold {
            let origin = fields.optional(key).map_or(fields.origin, |node| node.origin);
            let message = format!("{key} applies only with qualification = \"threshold\"");
            sink.error(&origin, &fields.field(key), FileRule::NotApplicable, message);
            return None;
        }
    }
    Some(RulesRead {
        minimum_wage: minimum_wage?,
        rate: rate?,
        rate_note: rate_note?,
        compare_rates: compare_rates?.unwrap_or_default(),
        threshold,
        threshold_base,
    })
}

/// Reads `[[conditions]]`; their shares may not add up to more than 100 %.
fn conditions(sink: &mut Sink<'_>, node: &Node) -> Option<Vec<Condition>> {
    let items = entries(sink, Some(node), "conditions", "at least one [[conditions]] entry")?;
    let mut res = Vec::with_capacity(items.len());
    for (idx, item) in items.iter().enumerate() {
        let path = format!("conditions[{idx}]");
        let Some(fields) = entry_fields(sink, item, &path) else {
            res.push(None);
            continue;
        };
        fields.check_keys(sink, &["id", "share", "description"]);
        let id = fields
            .required(sink, "id")
            .and_then(|node| crate::field::id_text(sink, node, &fields.field("id")));
        let share = fields
            .required(sink, "share")
            .and_then(|node| percent(sink, node, &fields.field("share")));
        let description = fields
            .required(sink, "description")
            .and_then(|node| filled_text(sink, node, &fields.field("description")));
        res.push(id.zip(share).zip(description).map(|((id, share), description)| Condition {
            id,
            share,
            description,
        }));
    }
    report_duplicates(sink, items, "conditions", "id");
    res.into_iter().collect()
}

/// The conditional shares may not add up to more than the whole subsidy.
fn check_shares(sink: &mut Sink<'_>, root: &Table, conditions: &[Condition]) {
    let total = conditions
        .iter()
        .fold(Rational::zero(), |sum, it| sum.add(&it.share.value().to_rational()));
    if total.compare(&Rational::from_integer(100)).is_gt() {
        let origin = root.get("conditions").map_or(Origin::Whole, |node| node.origin);
        let message =
            format!("the shares add up to {}%, more than the whole subsidy", total.to_decimal(2));
        sink.error(&origin, "conditions", FileRule::SharesAboveWhole, message);
    }
}

/// Reads `[[parties]]`.
fn parties(sink: &mut Sink<'_>, node: Option<&Node>) -> Option<Vec<PartyRead>> {
    let items = entries(sink, node, "parties", "at least one [[parties]] entry")?;
    let read: Vec<Option<PartyRead>> =
        items.iter().enumerate().map(|(idx, item)| party(sink, item, idx)).collect();
    report_duplicates(sink, items, "parties", "id");
    read.into_iter().collect()
}

/// Reads one party.
fn party(sink: &mut Sink<'_>, node: &Node, idx: usize) -> Option<PartyRead> {
    let path = format!("parties[{idx}]");
    let fields = entry_fields(sink, node, &path)?;
    fields.check_keys(sink, &["id", "name", "votes", "seats", "meets", "published_amount"]);
    let id = fields
        .required(sink, "id")
        .and_then(|node| crate::field::id_text(sink, node, &fields.field("id")));
    let name =
        if_present(fields.optional("name"), |node| filled_text(sink, node, &fields.field("name")));
    let party_votes =
        fields.required(sink, "votes").and_then(|node| votes(sink, node, &fields.field("votes")));
    let seats = if_present(fields.optional("seats"), |node| {
        count(sink, node, &fields.field("seats"), "seats", 0)
    });
    let meets =
        if_present(fields.optional("meets"), |node| texts(sink, node, &fields.field("meets")));
    let published = if_present(fields.optional("published_amount"), |node| {
        amount(sink, node, &fields.field("published_amount"))
    });
    let (id, name) = (id?, name?);
    let party = FundedParty {
        id: ListId::new(&id),
        name: name.unwrap_or(id),
        votes: party_votes?,
        seats: Seats(seats?.unwrap_or(0)),
        meets: meets?.unwrap_or_default(),
    };
    Some(PartyRead { party, published: published? })
}

/// Every condition a party meets must be defined.
fn check_conditions_known(
    sink: &mut Sink<'_>,
    root: &Table,
    parties: &[PartyRead],
    conditions: &[Condition],
) {
    let Some(Value::Array(items)) = root.get("parties").map(|node| &node.value) else { return };
    for (idx, (read, item)) in parties.iter().zip(items).enumerate() {
        let origin = match &item.value {
            Value::Table(table) => table.get("meets").map_or(item.origin, |node| node.origin),
            _ => Origin::Whole,
        };
        for condition in &read.party.meets {
            if !conditions.iter().any(|it| &it.id == condition) {
                let message = format!("condition {condition:?} is not defined in [[conditions]]");
                sink.error(
                    &origin,
                    &format!("parties[{idx}].meets"),
                    FileRule::UnknownReference,
                    message,
                );
            }
        }
    }
}

/// Reads `[[campaign]]`.
fn campaign(sink: &mut Sink<'_>, node: &Node) -> Option<Vec<CampaignRate>> {
    let items = entries(sink, Some(node), "campaign", "at least one [[campaign]] entry")?;
    let mut res = Vec::with_capacity(items.len());
    for (idx, item) in items.iter().enumerate() {
        let path = format!("campaign[{idx}]");
        let Some(fields) = entry_fields(sink, item, &path) else {
            res.push(None);
            continue;
        };
        fields.check_keys(sink, &["kind", "per_candidate", "candidates"]);
        let kind = fields
            .required(sink, "kind")
            .and_then(|node| filled_text(sink, node, &fields.field("kind")));
        let per_candidate = fields
            .required(sink, "per_candidate")
            .and_then(|node| amount(sink, node, &fields.field("per_candidate")));
        let candidates = if_present(fields.optional("candidates"), |node| {
            count(sink, node, &fields.field("candidates"), "candidates", 0)
        });
        res.push(kind.zip(per_candidate).zip(candidates).map(
            |((kind, per_candidate), candidates)| CampaignRate { kind, per_candidate, candidates },
        ));
    }
    report_duplicates(sink, items, "campaign", "kind");
    res.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a file and describes its rules and parties, or its diagnostics.
    fn check(text: &str, expect: &str) {
        let res = match parse_funding("f.toml", text, &[]) {
            Ok(file) => {
                let parties: Vec<String> = file
                    .parties
                    .iter()
                    .zip(&file.published)
                    .map(|(party, published)| {
                        let published = published.map(|it| it.to_string()).unwrap_or_default();
                        format!(
                            "{} {} {} [{}] {published}",
                            party.id,
                            party.votes,
                            party.seats,
                            party.meets.join(",")
                        )
                    })
                    .collect();
                let qualification = match file.rules.qualification {
                    Qualification::Seats => "seats".to_owned(),
                    Qualification::Threshold { percent, base } => format!("{percent} of {base}"),
                };
                format!("{} {qualification}: {}", file.rules.rate, parties.join("; "))
            }
            Err(diagnostics) => diagnostics.to_string(),
        };
        assert_eq!(res, expect);
    }

    const HEAD: &str = "[funding]\nname = \"n\"\n";

    #[test]
    fn reads_rules_and_parties() {
        check(
            &format!(
                "{HEAD}[rules]\nminimum_wage = 42500\nrate = \"3%\"\nqualification = \"threshold\"\nthreshold = \"3%\"\n\
                 [[conditions]]\nid = \"women\"\nshare = \"10%\"\ndescription = \"d\"\n\
                 [[parties]]\nid = \"a\"\nvotes = 100\nseats = 1\nmeets = [\"women\"]\npublished_amount = 127500\n\
                 [[parties]]\nid = \"b\"\nvotes = 50\n"
            ),
            "3% 3% of 150: a 100 1 [women] 127500; b 50 0 [] ",
        );
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        check(
            &format!(
                "{HEAD}[rules]\nminimum_wage = -1\nrate = 0.03\nthreshold = \"3%\"\n\
                 [[conditions]]\nid = \"women\"\nshare = \"60%\"\ndescription = \"d\"\n\
                 [[conditions]]\nid = \"women\"\nshare = \"50%\"\ndescription = \"d\"\n\
                 [[parties]]\nid = \"a\"\nvotes = 100\nmeets = [\"youth\"]\n"
            ),
            "f.toml:4: rules.minimum_wage: expected a whole, non-negative amount of tenge, found -1 (rule E-41)\n\
             f.toml:5: rules.rate: expected a percentage such as \"7%\", found the float 0.03; floats are inexact: write rate = \"3%\" if 0.03 is a share of one, or \"0.03%\" (rule E-6)\n\
             f.toml:6: rules.threshold: threshold applies only with qualification = \"threshold\" (rule E-17)\n\
             f.toml:7: conditions: the shares add up to 110.00%, more than the whole subsidy (rule E-37)\n\
             f.toml:12: conditions[1].id: id \"women\" is used twice (first by conditions[0]) (rule E-33)\n\
             f.toml:18: parties[0].meets: condition \"youth\" is not defined in [[conditions]] (rule E-34)",
        );
    }
}
