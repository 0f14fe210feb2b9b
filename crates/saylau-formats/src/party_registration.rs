//! Party-registration regimes and party membership files.
//!
//! A regimes file (`data/kz/party-registration.toml`) holds the region sets of the
//! country (14 oblasts and 3 cities in 2021, 17 and 3 since June 2022) and every regime
//! of registration conditions as core [`Regime`]s; a membership file gives one party's
//! members and founding-congress delegates region by region, for one region set. The
//! formats are specified in `docs/party-registration-format.md`.

use std::path::Path;

use saylau_core::law::party_registration::{
    Membership, People, Regime, RegimeStatus, Region, RegionId, RegionSet,
};
use saylau_core::seats::fraction::Fraction;
use serde::Serialize;

use crate::diagnostic::{Diagnostics, Sink};
use crate::document::{Node, Origin, Table, Value, parse_document};
use crate::eligibility::array_of_tables;
use crate::field::{Fields, boolean, choice, count, exact, filled_text, if_present, table, text};
use crate::rule::FileRule;

/// A regimes file, read and validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegimesFile {
    /// The file's name for people.
    pub name: String,
    /// Caveats that apply to every regime.
    pub note: Option<String>,
    /// The region sets, by identifier.
    pub region_sets: Vec<RegionSet>,
    /// The regimes, in the order of the file.
    pub regimes: Vec<Regime>,
}

/// A membership file, read and validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MembershipFile {
    /// True when the party is made up for examples and tests.
    pub synthetic: bool,
    /// Where the numbers come from, or how they were made.
    pub note: Option<String>,
    /// The membership.
    pub membership: Membership,
}

const STATUSES: &[(&str, RegimeStatus)] = &[
    ("law", RegimeStatus::Law),
    ("former-law", RegimeStatus::FormerLaw),
    ("proposal", RegimeStatus::Proposal),
];

const REGIME_KEYS: &[&str] = &[
    "id",
    "name",
    "status",
    "period",
    "min_members",
    "min_members_per_region",
    "min_initiative_group",
    "min_organising_committee",
    "min_congress_delegates",
    "congress_region_share",
    "article",
    "source",
];

/// Reads a regimes file from `text`.
pub fn parse_regimes(source: &str, text: &str) -> Result<RegimesFile, Diagnostics> {
    crate::header::parse_with(source, text, &[], regimes_file)
}

/// Reads the regimes file at `path`.
pub fn read_regimes(path: &Path) -> Result<RegimesFile, Diagnostics> {
    let (source, text) = crate::header::read_text(path)?;
    parse_regimes(&source, &text)
}

fn regimes_file(sink: &mut Sink<'_>, root: &Table) -> Option<RegimesFile> {
    let root_fields = Fields { table: root, path: "", origin: Origin::Whole };
    root_fields.check_keys(sink, &["registration", "region_sets", "regimes"]);
    let header = root_fields.required(sink, "registration").and_then(|node| {
        let fields = Fields {
            table: table(sink, node, "registration")?,
            path: "registration",
            origin: node.origin,
        };
        fields.check_keys(sink, &["name", "note"]);
        let name = fields
            .required(sink, "name")
            .and_then(|node| filled_text(sink, node, "registration.name"));
        let note =
            if_present(fields.optional("note"), |node| text(sink, node, "registration.note"));
        Some((name?, note?))
    });
    let region_sets: Option<Vec<RegionSet>> =
        array_of_tables(sink, root, "region_sets").and_then(|items| {
            let read: Vec<Option<RegionSet>> =
                items.iter().enumerate().map(|(idx, node)| region_set(sink, node, idx)).collect();
            report_repeated_ids(sink, items, "region_sets");
            read.into_iter().collect()
        });
    let regimes: Option<Vec<Regime>> = array_of_tables(sink, root, "regimes").and_then(|items| {
        let read: Vec<Option<Regime>> =
            items.iter().enumerate().map(|(idx, node)| regime(sink, node, idx)).collect();
        report_repeated_ids(sink, items, "regimes");
        read.into_iter().collect()
    });
    let (name, note) = header?;
    Some(RegimesFile { name, note, region_sets: region_sets?, regimes: regimes? })
}

/// Reports every repeated `id` among the tables `items` of `path`.
fn report_repeated_ids(sink: &mut Sink<'_>, items: &[Node], path: &str) {
    let mut seen: Vec<&str> = Vec::new();
    for (idx, item) in items.iter().enumerate() {
        let Value::Table(table) = &item.value else { continue };
        let Some(node) = table.get("id") else { continue };
        let Value::String(id) = &node.value else { continue };
        if seen.contains(&id.as_str()) {
            let message = format!("{id} is given twice");
            sink.error(
                &node.origin,
                &format!("{path}[{idx}].id"),
                FileRule::DuplicateName,
                message,
            );
        }
        seen.push(id);
    }
}

fn region_set(sink: &mut Sink<'_>, node: &Node, idx: usize) -> Option<RegionSet> {
    let path = format!("region_sets[{idx}]");
    let fields = Fields { table: table(sink, node, &path)?, path: &path, origin: node.origin };
    fields.check_keys(sink, &["id", "name", "regions"]);
    let id = fields
        .required(sink, "id")
        .and_then(|node| crate::field::id_text(sink, node, &fields.field("id")));
    let name = fields
        .required(sink, "name")
        .and_then(|node| filled_text(sink, node, &fields.field("name")));
    let regions = fields.required(sink, "regions").and_then(|node| {
        let field = fields.field("regions");
        let Value::Array(items) = &node.value else {
            let message = format!("expected an array of regions, found {}", node.value.describe());
            sink.error(&node.origin, &field, FileRule::WrongType, message);
            return None;
        };
        let read: Vec<Option<Region>> = items
            .iter()
            .enumerate()
            .map(|(idx, item)| {
                let path = format!("{field}[{idx}]");
                let inner =
                    Fields { table: table(sink, item, &path)?, path: &path, origin: item.origin };
                inner.check_keys(sink, &["id", "name"]);
                let id = inner
                    .required(sink, "id")
                    .and_then(|node| filled_text(sink, node, &inner.field("id")));
                let name = inner
                    .required(sink, "name")
                    .and_then(|node| filled_text(sink, node, &inner.field("name")));
                Some(Region { id: RegionId::new(&id?), name: name? })
            })
            .collect();
        report_repeated_ids(sink, items, &field);
        read.into_iter().collect::<Option<Vec<Region>>>()
    });
    Some(RegionSet { id: id?, name: name?, regions: regions? })
}

fn regime(sink: &mut Sink<'_>, node: &Node, idx: usize) -> Option<Regime> {
    let path = format!("regimes[{idx}]");
    let fields = Fields { table: table(sink, node, &path)?, path: &path, origin: node.origin };
    fields.check_keys(sink, REGIME_KEYS);
    let field = |key: &str| fields.field(key);
    let required_text = |sink: &mut Sink<'_>, key: &str| {
        fields.required(sink, key).and_then(|node| filled_text(sink, node, &field(key)))
    };
    let people = |sink: &mut Sink<'_>, key: &str| {
        if_present(fields.optional(key), |node| {
            count(sink, node, &field(key), "people", 1).map(|n| People(u64::from(n)))
        })
    };
    let id = required_text(sink, "id");
    let name = required_text(sink, "name");
    let status = fields
        .required(sink, "status")
        .and_then(|node| choice(sink, node, &field("status"), "status", STATUSES));
    let period = required_text(sink, "period");
    let min_members = people(sink, "min_members");
    let min_members_per_region = people(sink, "min_members_per_region");
    let min_initiative_group = people(sink, "min_initiative_group");
    let min_organising_committee = people(sink, "min_organising_committee");
    let min_congress_delegates = people(sink, "min_congress_delegates");
    let congress_region_share = if_present(fields.optional("congress_region_share"), |node| {
        let share = exact(sink, node, &field("congress_region_share"))?;
        if share.num() == 0 || share.num() > share.den() {
            let message = format!("{share} is not a share above 0 and at most 1");
            sink.error(
                &node.origin,
                &field("congress_region_share"),
                FileRule::ExactNumber,
                message,
            );
            return None;
        }
        Some(Fraction::new(share.num(), share.den()))
    });
    let article = required_text(sink, "article");
    let source = required_text(sink, "source");
    Some(Regime {
        id: id?,
        name: name?,
        status: status?,
        period: period?,
        min_members: min_members?,
        min_members_per_region: min_members_per_region?,
        min_initiative_group: min_initiative_group?,
        min_organising_committee: min_organising_committee?,
        min_congress_delegates: min_congress_delegates?,
        congress_region_share: congress_region_share?,
        article: article?,
        source: source?,
    })
}

/// Reads a membership file from `text`, for one of `region_sets`.
pub fn parse_membership(
    source: &str,
    text: &str,
    region_sets: &[RegionSet],
) -> Result<MembershipFile, Diagnostics> {
    let mut sink = Sink::new(source, text, &[]);
    let Some(root) = parse_document(text, &mut sink) else {
        return Err(sink.finish());
    };
    match membership_file(&mut sink, &root, region_sets) {
        Some(file) if sink.is_empty() => Ok(file),
        _ => Err(sink.finish()),
    }
}

/// Reads the membership file at `path`, for one of `region_sets`.
pub fn read_membership(
    path: &Path,
    region_sets: &[RegionSet],
) -> Result<MembershipFile, Diagnostics> {
    let (source, text) = crate::header::read_text(path)?;
    parse_membership(&source, &text, region_sets)
}

fn membership_file(
    sink: &mut Sink<'_>,
    root: &Table,
    region_sets: &[RegionSet],
) -> Option<MembershipFile> {
    let root_fields = Fields { table: root, path: "", origin: Origin::Whole };
    root_fields.check_keys(sink, &["party", "members", "congress"]);
    let party_node = root_fields.required(sink, "party")?;
    let fields = Fields {
        table: table(sink, party_node, "party")?,
        path: "party",
        origin: party_node.origin,
    };
    fields.check_keys(
        sink,
        &["name", "synthetic", "note", "region_set", "initiative_group", "organising_committee"],
    );
    let name = fields.required(sink, "name").and_then(|node| filled_text(sink, node, "party.name"));
    let synthetic =
        fields.required(sink, "synthetic").and_then(|node| boolean(sink, node, "party.synthetic"));
    let note = if_present(fields.optional("note"), |node| text(sink, node, "party.note"));
    let people = |sink: &mut Sink<'_>, key: &str| {
        if_present(fields.optional(key), |node| {
            count(sink, node, &fields.field(key), "people", 0).map(|n| People(u64::from(n)))
        })
    };
    let initiative_group = people(sink, "initiative_group");
    let organising_committee = people(sink, "organising_committee");
    let region_set = fields.required(sink, "region_set").and_then(|node| {
        let id = filled_text(sink, node, "party.region_set")?;
        let found = region_sets.iter().find(|set| set.id == id);
        if found.is_none() {
            let known: Vec<&str> = region_sets.iter().map(|set| set.id.as_str()).collect();
            let message =
                format!("unknown region set {id:?} (expected one of {})", known.join(", "));
            sink.error(&node.origin, "party.region_set", FileRule::Region, message);
        }
        found
    });
    let members = region_set.and_then(|set| by_region(sink, root_fields, "members", set, true));
    let congress = region_set.and_then(|set| match root.get("congress") {
        None => Some(None),
        Some(_) => by_region(sink, root_fields, "congress", set, false).map(Some),
    });
    let membership = Membership {
        party: name?,
        region_set: region_set?.clone(),
        members: members?,
        congress: congress?,
        initiative_group: initiative_group?,
        organising_committee: organising_committee?,
    };
    Some(MembershipFile { synthetic: synthetic?, note: note?, membership })
}

/// The table `key` of region id → count, in the order of `set`; with `every_region`,
/// each region must be listed (a congress may leave regions out: no delegates there).
fn by_region(
    sink: &mut Sink<'_>,
    root: Fields<'_>,
    key: &str,
    set: &RegionSet,
    every_region: bool,
) -> Option<Vec<People>> {
    let node = root.required(sink, key)?;
    let fields = Fields { table: table(sink, node, key)?, path: key, origin: node.origin };
    let mut ok = true;
    for entry in &fields.table.entries {
        if !set.regions.iter().any(|region| region.id.as_str() == entry.key) {
            let message = format!("{} is not a region of the set {}", entry.key, set.id);
            sink.error(&entry.key_origin, &fields.field(&entry.key), FileRule::Region, message);
            ok = false;
        }
    }
    let mut res = Vec::with_capacity(set.regions.len());
    for region in &set.regions {
        let id = region.id.as_str();
        match fields.optional(id) {
            Some(node) => match count(sink, node, &fields.field(id), "people", 0) {
                Some(n) => res.push(People(u64::from(n))),
                None => ok = false,
            },
            None if every_region => {
                let message =
                    format!("the region {id} ({}) is missing: write 0 if it has none", region.name);
                sink.error(&fields.origin, &fields.field(id), FileRule::Region, message);
                ok = false;
            }
            None => res.push(People(0)),
        }
    }
    ok.then_some(res)
}
