//! The `system` of an election file, and the keys of `[rules]` that belong to one system.
//!
//! `[rules] system` names how the seats are allocated: one nationwide list contest
//! (`list`, the default, so every file written before systems existed keeps its meaning),
//! list seats next to single-member seats (`parallel`) or compensating them (`mmp`),
//! districts that each allocate their own seats (`districts`), or seats to lists and
//! districts at once (`biproportional`). Every other part of the reader asks this module
//! which system it is reading; a key of another system is reported (rule `E-42`).

use saylau_core::seats::divisor::Divisor;
use saylau_core::seats::method::Method;
use saylau_core::seats::quota::{Quota, QuotaKind, QuotaRounding};
use saylau_core::seats::votes::Seats;
use saylau_core::systems::apportionment::{Minimum, MinimumRule};
use saylau_core::systems::biproportional::VoterNumbers;
use saylau_core::systems::mixed::Overhang;
use serde::Serialize;

use crate::contest::ListRead;
use crate::diagnostic::Sink;
use crate::document::{Node, Origin, Value};
use crate::field::{Fields, choice, count, if_present};
use crate::rule::FileRule;

/// How an election file's seats are allocated (`[rules] system`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SystemName {
    /// One nationwide list contest (art. 97-1).
    List,
    /// List seats allocated on the list votes alone, single-member seats added.
    Parallel,
    /// Mixed-member proportional: list seats compensate the single-member seats.
    Mmp,
    /// Seats to lists nationally and to districts at once.
    Biproportional,
    /// Each district allocates its own seats.
    Districts,
}

impl SystemName {
    /// The name as written in a file.
    pub fn as_str(self) -> &'static str {
        match self {
            SystemName::List => "list",
            SystemName::Parallel => "parallel",
            SystemName::Mmp => "mmp",
            SystemName::Biproportional => "biproportional",
            SystemName::Districts => "districts",
        }
    }

    /// True for the systems with `[[districts]]`.
    pub fn has_districts(self) -> bool {
        matches!(self, SystemName::Districts | SystemName::Biproportional)
    }

    /// True for the systems with single-member seats.
    pub fn is_mixed(self) -> bool {
        matches!(self, SystemName::Parallel | SystemName::Mmp)
    }
}

const SYSTEMS: &[(&str, SystemName)] = &[
    ("list", SystemName::List),
    ("parallel", SystemName::Parallel),
    ("mmp", SystemName::Mmp),
    ("biproportional", SystemName::Biproportional),
    ("districts", SystemName::Districts),
];

const OVERHANGS: &[(&str, Overhang)] =
    &[("keep", Overhang::Keep), ("level", Overhang::Level), ("none", Overhang::Disallow)];

const VOTER_NUMBERS: &[(&str, VoterNumbers)] = &[
    ("votes", VoterNumbers::Votes),
    ("rounded", VoterNumbers::RoundedPerDistrict),
    ("exact", VoterNumbers::Exact),
];

const TIERS: &[(&str, Tier)] = &[("czech-2021", Tier::Czech2021)];

const APPORTIONMENTS: &[(&str, Method)] = &[
    (
        "hare",
        Method::LargestRemainder {
            quota: Quota { kind: QuotaKind::Hare, rounding: QuotaRounding::Exact },
        },
    ),
    (
        "droop",
        Method::LargestRemainder {
            quota: Quota { kind: QuotaKind::Droop, rounding: QuotaRounding::FloorPlusOne },
        },
    ),
    ("dhondt", Method::Divisor { divisor: Divisor::DHondt }),
    ("sainte-lague", Method::Divisor { divisor: Divisor::SainteLague }),
    ("huntington-hill", Method::Divisor { divisor: Divisor::HuntingtonHill }),
    ("adams", Method::Divisor { divisor: Divisor::Adams }),
    ("dean", Method::Divisor { divisor: Divisor::Dean }),
    ("danish", Method::Divisor { divisor: Divisor::Danish }),
];

const BASES: &[(&str, ApportionmentBase)] =
    &[("population", ApportionmentBase::Population), ("votes", ApportionmentBase::Votes)];

const MINIMUM_RULES: &[(&str, MinimumRule)] =
    &[("floor", MinimumRule::Floor), ("added", MinimumRule::Added)];

/// A two-tier rule of the `districts` system (`[rules] tier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    /// The Czech Chamber of Deputies since 2021 (Act No. 247/1995 Coll. § 50-51 as amended
    /// by Act No. 189/2021 Coll.): Imperiali quotas per district, the unused votes pooled
    /// nationally under a Hagenbach-Bischoff quota, both rounded.
    Czech2021,
}

/// What district magnitudes are apportioned by (`[rules] apportionment_base`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApportionmentBase {
    /// The districts' `population`.
    Population,
    /// The districts' list votes (Act No. 247/1995 Coll. § 48).
    Votes,
}

/// How computed district magnitudes are apportioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ApportionmentRead {
    /// `apportionment`: the method, when given.
    pub(crate) method: Option<Method>,
    /// `apportionment_base`.
    pub(crate) base: ApportionmentBase,
    /// `minimum_seats` with `minimum_rule`.
    pub(crate) minimum: Option<Minimum>,
}

/// The keys of `[rules]` that belong to one system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SystemRules {
    /// `overhang` (mmp).
    pub(crate) overhang: Option<Overhang>,
    /// `electorate_exemption` (mmp).
    pub(crate) electorate_exemption: Option<Seats>,
    /// `voter_numbers` (biproportional); plain votes when absent.
    pub(crate) voter_numbers: VoterNumbers,
    /// `tier` (districts).
    pub(crate) tier: Option<Tier>,
    /// `apportionment`, `apportionment_base`, `minimum_seats`, `minimum_rule`.
    pub(crate) apportionment: ApportionmentRead,
}

/// The system named in `[rules]`: `list` when the key (or the table) is absent; `None`
/// when it is bad (reported).
pub(crate) fn system_name(sink: &mut Sink<'_>, rules: Option<&Node>) -> Option<SystemName> {
    let node = match rules.map(|node| &node.value) {
        Some(Value::Table(table)) => table.get("system"),
        _ => None,
    };
    match node {
        None => Some(SystemName::List),
        Some(node) => choice(sink, node, "rules.system", "system", SYSTEMS),
    }
}

/// Reports `key` of `[rules]` when it is present but `system` is not one of `allowed`.
pub(crate) fn only_for(
    sink: &mut Sink<'_>,
    fields: Fields<'_>,
    key: &str,
    system: SystemName,
    allowed: &[SystemName],
) -> bool {
    let Some(node) = fields.optional(key) else {
        return true;
    };
    if allowed.contains(&system) {
        return true;
    }
    let names: Vec<String> = allowed.iter().map(|it| format!("\"{}\"", it.as_str())).collect();
    let message = format!(
        "{key} applies only to system = {}, not to \"{}\"",
        names.join(" or "),
        system.as_str()
    );
    sink.error(&node.origin, &fields.field(key), FileRule::SystemMismatch, message);
    false
}

/// Reads the system keys of `[rules]`, reporting those of other systems.
pub(crate) fn system_rules(
    sink: &mut Sink<'_>,
    fields: Fields<'_>,
    system: SystemName,
) -> Option<SystemRules> {
    use SystemName::{Biproportional, Districts, Mmp};
    let mut ok = only_for(sink, fields, "overhang", system, &[Mmp]);
    ok &= only_for(sink, fields, "electorate_exemption", system, &[Mmp]);
    ok &= only_for(sink, fields, "voter_numbers", system, &[Biproportional]);
    ok &= only_for(sink, fields, "tier", system, &[Districts]);
    for key in ["apportionment", "apportionment_base", "minimum_seats", "minimum_rule"] {
        ok &= only_for(sink, fields, key, system, &[Districts, Biproportional]);
    }
    let overhang = if_present(fields.optional("overhang"), |node| {
        choice(sink, node, &fields.field("overhang"), "overhang rule", OVERHANGS)
    });
    let overhang = match overhang? {
        None if system == Mmp => fields.required(sink, "overhang").and(None)?,
        overhang => overhang,
    };
    let exemption = if_present(fields.optional("electorate_exemption"), |node| {
        count(sink, node, &fields.field("electorate_exemption"), "electorates", 1)
    });
    let voter_numbers = if_present(fields.optional("voter_numbers"), |node| match &node.value {
        Value::Boolean(true) => Some(VoterNumbers::RoundedPerDistrict),
        Value::Boolean(false) => Some(VoterNumbers::Votes),
        _ => choice(sink, node, &fields.field("voter_numbers"), "voter numbers", VOTER_NUMBERS),
    });
    let tier = if_present(fields.optional("tier"), |node| {
        choice(sink, node, &fields.field("tier"), "tier", TIERS)
    });
    let apportionment = apportionment(sink, fields);
    let res = SystemRules {
        overhang,
        electorate_exemption: exemption?.map(Seats),
        voter_numbers: voter_numbers?.unwrap_or(VoterNumbers::Votes),
        tier: tier?,
        apportionment: apportionment?,
    };
    ok.then_some(res)
}

/// `apportionment`, `apportionment_base`, `minimum_seats` and `minimum_rule`.
fn apportionment(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<ApportionmentRead> {
    let method = if_present(fields.optional("apportionment"), |node| {
        choice(sink, node, &fields.field("apportionment"), "apportionment method", APPORTIONMENTS)
    });
    let base = if_present(fields.optional("apportionment_base"), |node| {
        choice(sink, node, &fields.field("apportionment_base"), "apportionment base", BASES)
    });
    let minimum = if_present(fields.optional("minimum_seats"), |node| {
        count(sink, node, &fields.field("minimum_seats"), "seats", 0)
    });
    let minimum_rule = if_present(fields.optional("minimum_rule"), |node| {
        choice(sink, node, &fields.field("minimum_rule"), "minimum rule", MINIMUM_RULES)
    });
    let (method, base, minimum, minimum_rule) = (method?, base?, minimum?, minimum_rule?);
    if minimum.is_none()
        && let Some(node) = fields.optional("minimum_rule")
    {
        let message = "minimum_rule needs minimum_seats".to_owned();
        sink.error(&node.origin, &fields.field("minimum_rule"), FileRule::NotApplicable, message);
        return None;
    }
    Some(ApportionmentRead {
        method,
        base: base.unwrap_or(ApportionmentBase::Population),
        minimum: minimum.map(|seats| Minimum {
            seats: Seats(seats),
            rule: minimum_rule.unwrap_or(MinimumRule::Floor),
        }),
    })
}

/// Keys of a list that only some systems have.
pub(crate) fn check_list_keys(sink: &mut Sink<'_>, lists: &[ListRead], system: SystemName) {
    for (idx, read) in lists.iter().enumerate() {
        if let Some((_, origin)) = read.electorates
            && !system.is_mixed()
        {
            let message = format!(
                "electorates (single-member seats won) belong to system = \"parallel\" or \
                 \"mmp\", not to \"{}\"",
                system.as_str()
            );
            let field = format!("lists[{idx}].electorates");
            sink.error(&origin, &field, FileRule::SystemMismatch, message);
        }
        if read.list.threshold.is_some() && system == SystemName::Biproportional {
            let message = "a biproportional election has no threshold per list".to_owned();
            sink.error(
                &read.id_origin,
                &format!("lists[{idx}].threshold"),
                FileRule::SystemMismatch,
                message,
            );
        }
        if system.has_districts() {
            continue;
        }
        let by_district = [
            ("votes", read.district_votes.is_some(), read.votes_origin),
            ("official_seats", read.official_by_district.is_some(), read.id_origin),
            ("expected_seats", read.expected_by_district.is_some(), read.id_origin),
        ];
        for (key, _, origin) in by_district.into_iter().filter(|(_, given, _)| *given) {
            let message = format!(
                "{key} by district need system = \"districts\" or \"biproportional\"; \
                 system = \"{}\" takes one number",
                system.as_str()
            );
            sink.error(&origin, &format!("lists[{idx}].{key}"), FileRule::VoteShape, message);
        }
    }
}

/// A `[model]` makes numbers up, so the file must say it is modelled, and only district
/// votes can be modelled so far.
pub(crate) fn check_model_labelled(
    sink: &mut Sink<'_>,
    origin: Origin,
    modelled: bool,
    system: SystemName,
) {
    if !modelled {
        let message = "a file with a [model] makes numbers nobody published: it needs \
                       [scenario] modelled = true and a note saying how"
            .to_owned();
        sink.error(&origin, "model", FileRule::Model, message);
    }
    if !system.has_districts() {
        let message = format!(
            "[model] district_votes needs system = \"districts\" or \"biproportional\", not \
             \"{}\"",
            system.as_str()
        );
        sink.error(&origin, "model", FileRule::SystemMismatch, message);
    }
}
