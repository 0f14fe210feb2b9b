//! Reading `[[districts]]`, the lists' votes in each district and the district magnitudes,
//! for the `districts` and `biproportional` systems.
//!
//! A district has an `id` (the key the lists' `votes` tables use), a display `name`, and
//! either its `seats` or its `population`: magnitudes are given for every district or
//! apportioned for every district, never half and half. Votes come from each list's
//! `votes = { id = ... }` table, or from a [`crate::model`] when the file is a modelled
//! scenario. Everything is checked here and reported with its line; what reaches
//! [`saylau_core::systems::system::System`] is consistent.

use saylau_core::seats::divisor::Divisor;
use saylau_core::seats::method::Method;
use saylau_core::seats::quota::{Quota, QuotaKind, QuotaRounding};
use saylau_core::seats::votes::{Seats, Votes};
use saylau_core::systems::apportionment::{
    ApportionmentConfig, ApportionmentRules, DistrictPopulation, HouseSize, Population,
    Populations, cube_root_house_size,
};
use saylau_core::systems::biproportional::{BiproportionalConfig, BiproportionalRules, Rounding};
use saylau_core::systems::district::{District, DistrictList, Districts};
use saylau_core::systems::system::{DistrictMethod, MagnitudeRule, System};
use serde::Serialize;

use crate::contest::{Keyed, ListRead};
use crate::diagnostic::Sink;
use crate::document::{Node, Origin, Value};
use crate::field::{Fields, count, filled_text, if_present, table};
use crate::model::{DistrictVotesModel, VoteModel, population_share};
use crate::rule::FileRule;
use crate::rules::RulesRead;
use crate::system::{ApportionmentBase, SystemName, SystemRules, Tier};

/// The keys of a `[[districts]]` entry.
const KEYS: &[&str] = &["id", "name", "seats", "population"];

/// A district as the file describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictMeta {
    /// `id`: the key of the lists' `votes` tables.
    pub id: String,
    /// `name`, or the id.
    pub name: String,
    /// `population`, when given.
    pub population: Option<u64>,
}

/// One `[[districts]]` entry as read.
#[derive(Debug, Clone)]
pub(crate) struct DistrictRead {
    /// Id, name and population.
    pub(crate) meta: DistrictMeta,
    /// `seats`, with where they were written.
    pub(crate) seats: Option<(Seats, Origin)>,
    /// Where the id was written.
    pub(crate) id_origin: Origin,
}

/// `[election] seats`: a number, or the cube-root law.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HouseSeats {
    /// A whole number of seats.
    Seats(Seats),
    /// `"cube-root"`: the nearest whole number to the cube root of the population.
    CubeRoot,
}

/// Reads `[[districts]]`, which `system` requires.
pub(crate) fn districts(
    sink: &mut Sink<'_>,
    node: Option<&Node>,
    system: SystemName,
) -> Option<Vec<DistrictRead>> {
    let Some(node) = node else {
        let message = format!(
            "missing [[districts]]: system = \"{}\" needs the districts and the lists' votes \
             in each",
            system.as_str()
        );
        sink.error(&Origin::Whole, "districts", FileRule::MissingKey, message);
        return None;
    };
    let items = match &node.value {
        Value::Array(items) if !items.is_empty() => items,
        Value::Array(_) => {
            let message = "at least one [[districts]] entry is needed".to_owned();
            sink.error(&node.origin, "districts", FileRule::NoEntries, message);
            return None;
        }
        other => {
            let message = format!("expected [[districts]] tables, found {}", other.describe());
            sink.error(&node.origin, "districts", FileRule::WrongType, message);
            return None;
        }
    };
    crate::limit::districts_within(sink, &node.origin, items.len())?;
    let read: Vec<Option<DistrictRead>> =
        items.iter().enumerate().map(|(idx, item)| district(sink, item, idx)).collect();
    let read: Option<Vec<DistrictRead>> = read.into_iter().collect();
    let read = read?;
    let mut firsts: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(read.len());
    for (idx, later) in read.iter().enumerate() {
        let first = *firsts.entry(later.meta.id.as_str()).or_insert(idx);
        if first != idx {
            let message = format!(
                "district id {:?} is used twice (first by districts[{first}])",
                later.meta.id
            );
            let field = format!("districts[{idx}].id");
            sink.error(&later.id_origin, &field, FileRule::DuplicateId, message);
        }
    }
    Some(read)
}

/// Reads one `[[districts]]` entry.
fn district(sink: &mut Sink<'_>, node: &Node, idx: usize) -> Option<DistrictRead> {
    let path = format!("districts[{idx}]");
    let fields = Fields { table: table(sink, node, &path)?, path: &path, origin: node.origin };
    fields.check_keys(sink, KEYS);
    let id_node = fields.required(sink, "id");
    let id = id_node.and_then(|node| crate::field::id_text(sink, node, &fields.field("id")));
    let name =
        if_present(fields.optional("name"), |node| filled_text(sink, node, &fields.field("name")));
    let seats = if_present(fields.optional("seats"), |node| {
        count(sink, node, &fields.field("seats"), "seats", 1).map(|it| (Seats(it), node.origin))
    });
    let population = if_present(fields.optional("population"), |node| {
        population(sink, node, &fields.field("population"))
    });
    let (id, name) = (id?, name?);
    Some(DistrictRead {
        meta: DistrictMeta {
            name: name.unwrap_or_else(|| id.clone()),
            id,
            population: population?,
        },
        seats: seats?,
        id_origin: id_node.map_or(node.origin, |node| node.origin),
    })
}

/// A whole number of people (rule `E-11`; a float is `E-6`, another kind `E-5`).
fn population(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<u64> {
    let (rule, found) = match &node.value {
        Value::Integer(number) => match u64::try_from(*number) {
            Ok(people) => return Some(people),
            Err(_) => (FileRule::Count, number.to_string()),
        },
        Value::Oversized(text) => (FileRule::Count, text.clone()),
        Value::Float(_) => (FileRule::Float, node.value.describe()),
        other => (FileRule::WrongType, other.describe()),
    };
    let message = format!("expected a whole number of people, found {found}");
    sink.error(&node.origin, field, rule, message);
    None
}

/// The votes of every list in every district, `[district][list]`: from the lists'
/// tables, or made by `model` from their national votes.
pub(crate) fn district_votes(
    sink: &mut Sink<'_>,
    system: SystemName,
    lists: &[ListRead],
    districts: &[DistrictRead],
    model: Option<(VoteModel, Origin)>,
) -> Option<Vec<Vec<Votes>>> {
    let mut res = vec![vec![Votes(0); lists.len()]; districts.len()];
    let mut ok = true;
    match model {
        Some((model, origin)) => {
            let weights = model_weights(sink, districts, origin)?;
            for (list_idx, read) in lists.iter().enumerate() {
                if read.district_votes.is_some() {
                    let message = "with a [model] of district votes, a list gives its national \
                                   votes as one number"
                        .to_owned();
                    let field = format!("lists[{list_idx}].votes");
                    sink.error(&read.votes_origin, &field, FileRule::VoteShape, message);
                    ok = false;
                    continue;
                }
                let shares = match model.district_votes {
                    DistrictVotesModel::PopulationShare => {
                        population_share(read.list.votes, &weights)
                    }
                };
                let Some(shares) = shares else {
                    let message = "the populations are too large to split votes by".to_owned();
                    sink.error(&origin, "model.district_votes", FileRule::Model, message);
                    return None;
                };
                for (row, votes) in res.iter_mut().zip(shares) {
                    row[list_idx] = votes;
                }
            }
        }
        None => {
            for (list_idx, read) in lists.iter().enumerate() {
                let Some(by_district) = &read.district_votes else {
                    let message = format!(
                        "system = \"{}\" needs votes per district: write votes = {{ {} = ... }}, \
                         or add a [model] that makes them",
                        system.as_str(),
                        districts.first().map_or("id", |it| it.meta.id.as_str())
                    );
                    let field = format!("lists[{list_idx}].votes");
                    sink.error(&read.votes_origin, &field, FileRule::VoteShape, message);
                    ok = false;
                    continue;
                };
                let field = format!("lists[{list_idx}].votes");
                for (district_idx, votes) in resolve(sink, by_district, districts, &field)? {
                    res[district_idx][list_idx] = votes;
                }
            }
        }
    }
    ok.then_some(res)
}

/// The populations a model splits votes by: every district needs one, and they may not
/// all be zero.
fn model_weights(
    sink: &mut Sink<'_>,
    districts: &[DistrictRead],
    origin: Origin,
) -> Option<Vec<u64>> {
    let mut weights = Vec::with_capacity(districts.len());
    let mut ok = true;
    for (idx, district) in districts.iter().enumerate() {
        match district.meta.population {
            Some(population) => weights.push(population),
            None => {
                let message = "the [model] splits votes by population, but this district has \
                               none"
                    .to_owned();
                let field = format!("districts[{idx}].population");
                sink.error(&district.id_origin, &field, FileRule::Model, message);
                ok = false;
            }
        }
    }
    if ok && weights.iter().all(|&weight| weight == 0) {
        let message =
            "the [model] splits votes by population, but every population is 0".to_owned();
        sink.error(&origin, "model.district_votes", FileRule::Model, message);
        return None;
    }
    ok.then_some(weights)
}

/// The district index of every key of a table by district; unknown ids are reported.
pub(crate) fn resolve<T: Copy>(
    sink: &mut Sink<'_>,
    table: &[Keyed<T>],
    districts: &[DistrictRead],
    field: &str,
) -> Option<Vec<(usize, T)>> {
    let mut res = Vec::with_capacity(table.len());
    let mut ok = true;
    for entry in table {
        match districts.iter().position(|district| district.meta.id == entry.key) {
            Some(idx) => res.push((idx, entry.value)),
            None => {
                let known: Vec<&str> = districts.iter().map(|it| it.meta.id.as_str()).collect();
                let message = format!(
                    "no district has the id {:?} (the districts are: {})",
                    entry.key,
                    known.join(", ")
                );
                sink.error(
                    &entry.origin,
                    &format!("{field}.{}", entry.key),
                    FileRule::UnknownReference,
                    message,
                );
                ok = false;
            }
        }
    }
    ok.then_some(res)
}

/// Where the keys that shape the magnitudes were written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MagnitudeKeys<'a> {
    /// `[election] seats`, with where it was written.
    pub(crate) house: Option<(HouseSeats, Origin)>,
    /// Where `[election]` was written.
    pub(crate) election_origin: Origin,
    /// The fields of `[rules]`.
    pub(crate) rules: Fields<'a>,
}

/// The magnitude rule: the districts' own seats, or the house apportioned among them.
pub(crate) fn magnitude_rule(
    sink: &mut Sink<'_>,
    keys: MagnitudeKeys<'_>,
    districts: &[DistrictRead],
    system_rules: &SystemRules,
    rules: &RulesRead,
    votes: &[Vec<Votes>],
) -> Option<MagnitudeRule> {
    let given: Vec<Seats> =
        districts.iter().filter_map(|it| it.seats.map(|(seats, _)| seats)).collect();
    if given.len() == districts.len() {
        return fixed_magnitudes(sink, keys, given);
    }
    if !given.is_empty() {
        for (idx, district) in districts.iter().enumerate().filter(|(_, it)| it.seats.is_none()) {
            let message = "seats is given for other districts but not for this one: give every \
                           district its seats, or none and apportion them"
                .to_owned();
            let field = format!("districts[{idx}].seats");
            sink.error(&district.id_origin, &field, FileRule::Magnitudes, message);
        }
        return None;
    }
    let apportionment = system_rules.apportionment;
    let house = match keys.house {
        Some((house, _)) => Some(house),
        None => {
            let message = "missing key seats: the house to apportion among the districts \
                           (or give every district its seats)"
                .to_owned();
            sink.error(&keys.election_origin, "election.seats", FileRule::MissingKey, message);
            None
        }
    };
    let method = match apportionment.method {
        Some(method) => Some(method),
        None => {
            let message = "missing key apportionment: the method that apportions the house \
                           among the districts, such as \"hare\" or \"sainte-lague\""
                .to_owned();
            sink.error(&keys.rules.origin, "rules.apportionment", FileRule::MissingKey, message);
            None
        }
    };
    let weights = magnitude_weights(sink, keys, districts, apportionment.base, votes);
    let (house, method, weights) = (house?, method?, weights?);
    let house = match house {
        HouseSeats::Seats(seats) => HouseSize::Seats(seats),
        HouseSeats::CubeRoot => HouseSize::CubeRoot,
    };
    if let Some(minimum) = apportionment.minimum {
        let seats = match house {
            HouseSize::Seats(seats) => seats,
            _ => cube_root_house_size(weights.total()),
        };
        check_minimum(sink, keys, districts.len(), minimum.seats, seats)?;
    }
    let config = ApportionmentConfig {
        method,
        house,
        minimum: apportionment.minimum,
        ties: rules.ties.clone(),
        lot_seed: rules.lot_seed.clone(),
    };
    let rules =
        ApportionmentRules::new(config).expect("the apportionment methods have no first divisor");
    Some(MagnitudeRule::Apportioned { rules: Box::new(rules), weights })
}

/// The minimums must fit in the house.
fn check_minimum(
    sink: &mut Sink<'_>,
    keys: MagnitudeKeys<'_>,
    districts: usize,
    minimum: Seats,
    house: Seats,
) -> Option<()> {
    let needed = u64::try_from(districts).unwrap_or(u64::MAX) * u64::from(minimum.0);
    if needed <= u64::from(house.0) {
        return Some(());
    }
    let origin = keys.rules.optional("minimum_seats").map_or(keys.rules.origin, |it| it.origin);
    let message = format!(
        "{districts} districts at {minimum} seats each need {needed} seats, but the house has \
         {house}"
    );
    sink.error(&origin, "rules.minimum_seats", FileRule::Magnitudes, message);
    None
}

/// Magnitudes given per district: no apportionment keys, and a house that is their sum.
fn fixed_magnitudes(
    sink: &mut Sink<'_>,
    keys: MagnitudeKeys<'_>,
    seats: Vec<Seats>,
) -> Option<MagnitudeRule> {
    let mut ok = true;
    for key in ["apportionment", "apportionment_base", "minimum_seats", "minimum_rule"] {
        if let Some(node) = keys.rules.optional(key) {
            let message = format!(
                "{key} applies only when the magnitudes are apportioned, but every district \
                 gives its seats"
            );
            sink.error(&node.origin, &keys.rules.field(key), FileRule::Magnitudes, message);
            ok = false;
        }
    }
    let total: u64 = seats.iter().map(|it| u64::from(it.0)).sum();
    match keys.house {
        Some((HouseSeats::Seats(house), origin)) if u64::from(house.0) != total => {
            let message =
                format!("the districts' seats add up to {total}, but [election] seats is {house}");
            sink.error(&origin, "election.seats", FileRule::Magnitudes, message);
            ok = false;
        }
        Some((HouseSeats::CubeRoot, origin)) => {
            let message = "seats = \"cube-root\" sizes a house to apportion, but every district \
                           gives its seats"
                .to_owned();
            sink.error(&origin, "election.seats", FileRule::Magnitudes, message);
            ok = false;
        }
        _ => {}
    }
    if u32::try_from(total).is_err() {
        let message = format!("the districts' seats add up to {total}, more than fit");
        sink.error(&keys.election_origin, "districts", FileRule::Magnitudes, message);
        ok = false;
    }
    ok.then_some(MagnitudeRule::Fixed(seats))
}

/// What the house is apportioned by: each district's population, or its list votes.
fn magnitude_weights(
    sink: &mut Sink<'_>,
    keys: MagnitudeKeys<'_>,
    districts: &[DistrictRead],
    base: ApportionmentBase,
    votes: &[Vec<Votes>],
) -> Option<Populations> {
    let mut weights = Vec::with_capacity(districts.len());
    let mut ok = true;
    for (idx, district) in districts.iter().enumerate() {
        let weight = match base {
            ApportionmentBase::Population => district.meta.population,
            ApportionmentBase::Votes => votes.get(idx).map(|row| row.iter().map(|it| it.0).sum()),
        };
        match weight {
            Some(weight) => weights.push(DistrictPopulation {
                name: district.meta.id.clone(),
                population: Population(weight),
            }),
            None => {
                let message = "this district has neither seats nor a population to apportion \
                               seats by"
                    .to_owned();
                let field = format!("districts[{idx}].population");
                sink.error(&district.id_origin, &field, FileRule::Magnitudes, message);
                ok = false;
            }
        }
    }
    if base == ApportionmentBase::Votes
        && let Some((HouseSeats::CubeRoot, origin)) = keys.house
    {
        let message = "seats = \"cube-root\" is of the population: it needs \
                       apportionment_base = \"population\""
            .to_owned();
        sink.error(&origin, "election.seats", FileRule::Magnitudes, message);
        ok = false;
    }
    if let Some((HouseSeats::CubeRoot, origin)) = keys.house {
        ok &=
            crate::limit::cube_root_people(sink, &origin, weights.iter().map(|it| it.population.0));
    }
    if !ok {
        return None;
    }
    Populations::new(weights)
        .map_err(|err| {
            sink.error(&keys.election_origin, "districts", FileRule::Magnitudes, err.to_string());
        })
        .ok()
}

/// The seats recorded per district (`official_seats = { id = n }`), in district order; a
/// district a table leaves out has none.
pub(crate) fn recorded_by_district(
    sink: &mut Sink<'_>,
    table: &[Keyed<Seats>],
    districts: &[DistrictRead],
    field: &str,
) -> Option<Vec<Seats>> {
    let mut res = vec![Seats(0); districts.len()];
    for (idx, seats) in resolve(sink, table, districts, field)? {
        res[idx] = seats;
    }
    Some(res)
}

/// Everything a district system needs, read and checked.
pub(crate) struct DistrictParts<'a> {
    /// `districts` or `biproportional`.
    pub(crate) system: SystemName,
    /// The election's name.
    pub(crate) name: &'a str,
    /// The lists.
    pub(crate) lists: &'a [ListRead],
    /// The districts.
    pub(crate) districts: &'a [DistrictRead],
    /// `[district][list]` votes.
    pub(crate) votes: Vec<Vec<Votes>>,
    /// The magnitudes.
    pub(crate) magnitudes: MagnitudeRule,
    /// `[rules]`.
    pub(crate) rules: &'a RulesRead,
    /// The system keys of `[rules]`.
    pub(crate) system_rules: &'a SystemRules,
    /// The fields of `[rules]`, for where keys were written.
    pub(crate) rules_fields: Fields<'a>,
}

/// The core system of a `districts` or `biproportional` file.
pub(crate) fn district_system(sink: &mut Sink<'_>, parts: DistrictParts<'_>) -> Option<System> {
    let lists = parts
        .lists
        .iter()
        .map(|read| DistrictList {
            id: read.list.id.clone(),
            name: read.list.name.clone(),
            threshold: read.list.threshold,
        })
        .collect();
    let rows = parts
        .districts
        .iter()
        .zip(parts.votes)
        .map(|(district, votes)| District { name: district.meta.id.clone(), votes })
        .collect();
    let districts = Districts::new(parts.name, lists, rows)
        .map_err(|err| {
            sink.error(&Origin::Whole, "districts", FileRule::DuplicateId, err.to_string())
        })
        .ok()?;
    let rules = parts.rules;
    if parts.system == SystemName::Biproportional {
        let rules = biproportional_rules(rules, parts.system_rules);
        return Some(System::Biproportional { districts, magnitudes: parts.magnitudes, rules });
    }
    let method = match (parts.system_rules.tier, &rules.rules) {
        (Some(Tier::Czech2021), _) => czech_2021(sink, rules, parts.rules_fields)?,
        (None, Some(method_rules)) => DistrictMethod::PerDistrict {
            national_threshold: rules.national,
            district_threshold: rules.district,
            rules: Box::new(method_rules.clone()),
        },
        (None, None) => return None,
    };
    Some(System::Districts { districts, magnitudes: parts.magnitudes, method })
}

/// The rules of a biproportional apportionment: Sainte-Laguë with standard rounding, or
/// D'Hondt rounding down.
fn biproportional_rules(rules: &RulesRead, system_rules: &SystemRules) -> BiproportionalRules {
    let method = rules.rules.as_ref().map(saylau_core::seats::method::Rules::method);
    let (upper, lower) = match method {
        Some(Method::Divisor { divisor: Divisor::DHondt }) => (Divisor::DHondt, Rounding::Downward),
        _ => (Divisor::SainteLague, Rounding::Standard),
    };
    let config = BiproportionalConfig {
        qualification: rules.district,
        voter_numbers: system_rules.voter_numbers,
        upper,
        lower,
        ties: rules.ties.clone(),
        lot_seed: rules.lot_seed.clone(),
    };
    BiproportionalRules::new(config).expect("Sainte-Laguë and D'Hondt are valid")
}

/// The Czech two tiers of 2021 (Act No. 247/1995 Coll. § 50-51): rounded Imperiali quotas
/// in the districts, a rounded Hagenbach-Bischoff quota nationally; no district threshold.
fn czech_2021(
    sink: &mut Sink<'_>,
    rules: &RulesRead,
    fields: Fields<'_>,
) -> Option<DistrictMethod> {
    if rules.district.is_some() {
        let origin = fields.optional("threshold").map_or(fields.origin, |it| it.origin);
        let message = "tier = \"czech-2021\" has a national threshold only".to_owned();
        sink.error(&origin, "rules.threshold.district", FileRule::SystemMismatch, message);
        return None;
    }
    Some(DistrictMethod::TwoTier {
        national_threshold: rules.national,
        district_quota: Quota { kind: QuotaKind::Imperiali, rounding: QuotaRounding::Round },
        national_quota: Quota {
            kind: QuotaKind::HagenbachBischoff,
            rounding: QuotaRounding::Round,
        },
        ties: rules.ties.clone(),
        lot_seed: rules.lot_seed.clone(),
    })
}
