//! Party-list files: quotas to check and lists, named or as published summaries.
//!
//! A lists file becomes a core [`ListSet`] plus what the file says about itself
//! ([`ListsMeta`]) and, optionally, the women in the whole house. The format is
//! specified in `docs/lists-format.md`. Names, chosen and leaving deputies and counts are
//! all checked here with their lines before the core set is built.

use std::path::Path;

use saylau_core::law::candidate_list::{
    Count, Group, ListCandidate, ListSet, ListSummary, Members, PartyList, Quota, QuotaRule, Sex,
    women_from_percent,
};
use saylau_core::law::date::Date;
use serde::Serialize;

use crate::diagnostic::{Diagnostics, Sink};
use crate::document::{Node, Origin, Table, Value};
use crate::eligibility::{age_given, array_of_tables, date};
use crate::field::{
    Fields, boolean, choice, count, filled_text, if_present, percent, table, text, texts,
};
use crate::open_list::{OpenLists, open_lists};
use crate::rule::FileRule;

/// A lists file, read and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListsFile {
    /// What the file says about itself.
    pub meta: ListsMeta,
    /// The quotas and lists.
    pub set: ListSet,
    /// Preference votes and the open-list rule, when the file gives them.
    pub open: Option<OpenLists>,
}

/// The `[list_set]`, `[house]` and `[source]` tables of a lists file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListsMeta {
    /// The name of the election or example.
    pub name: String,
    /// Election day, the day ages are taken on.
    pub election_day: Option<Date>,
    /// True when the lists are made up for examples and tests.
    pub synthetic: bool,
    /// Where the numbers come from, or how they were made.
    pub note: Option<String>,
    /// Women in the whole house, when the file gives them.
    pub house: Option<House>,
    /// The citation behind the numbers.
    pub citation: Option<String>,
}

/// Women among all members of a house, such as the Mazhilis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct House {
    /// The house.
    pub name: String,
    /// Its seats.
    pub seats: u32,
    /// Women among them.
    pub women: u32,
    /// Caveats.
    pub note: Option<String>,
}

const QUOTA_KINDS: &[(&str, &str)] =
    &[("combined", "combined"), ("zipper", "zipper"), ("blocks", "blocks")];

const GROUPS: &[(&str, Group)] =
    &[("women", Group::Women), ("under-29", Group::Under29), ("disability", Group::Disability)];

const SEXES: &[(&str, Sex)] = &[("female", Sex::Female), ("male", Sex::Male)];

const LIST_KEYS: &[&str] = &[
    "id",
    "name",
    "candidates",
    "women",
    "women_percent",
    "under_29",
    "disability",
    "seats",
    "women_seats",
    "chosen",
    "leaving",
    "votes",
];

/// Reads a lists file from `text`.
pub fn parse_lists(source: &str, text: &str) -> Result<ListsFile, Diagnostics> {
    crate::header::parse_with(source, text, &[], lists_file)
}

/// Reads the lists file at `path`.
pub fn read_lists(path: &Path) -> Result<ListsFile, Diagnostics> {
    let (source, text) = crate::header::read_text(path)?;
    parse_lists(&source, &text)
}

fn lists_file(sink: &mut Sink<'_>, root: &Table) -> Option<ListsFile> {
    let root_fields = Fields { table: root, path: "", origin: Origin::Whole };
    root_fields.check_keys(sink, &["list_set", "quotas", "lists", "house", "source", "open_list"]);
    let header = root_fields.required(sink, "list_set").and_then(|node| list_set(sink, node));
    let day = header.as_ref().and_then(|it| it.1);
    let quotas: Option<Vec<Quota>> = match root.get("quotas") {
        None => Some(Vec::new()),
        Some(_) => array_of_tables(sink, root, "quotas")?
            .iter()
            .enumerate()
            .map(|(idx, node)| quota(sink, node, idx))
            .collect::<Vec<_>>()
            .into_iter()
            .collect(),
    };
    let items = array_of_tables(sink, root, "lists");
    let lists: Option<Vec<PartyList>> = items.and_then(|items| {
        let read: Vec<Option<PartyList>> =
            items.iter().enumerate().map(|(idx, node)| party_list(sink, node, idx, day)).collect();
        report_repeated(sink, items, "lists", "id");
        read.into_iter().collect()
    });
    let house = if_present(root.get("house"), |node| house(sink, node));
    let citation = if_present(root.get("source"), |node| {
        let fields =
            Fields { table: table(sink, node, "source")?, path: "source", origin: node.origin };
        fields.check_keys(sink, &["citation", "urls", "notes"]);
        if_present(fields.optional("urls"), |node| texts(sink, node, "source.urls"))?;
        if_present(fields.optional("notes"), |node| text(sink, node, "source.notes"))?;
        fields
            .required(sink, "citation")
            .and_then(|node| filled_text(sink, node, "source.citation"))
    });
    let open = lists.as_deref().and_then(|lists| open_lists(sink, root, lists));
    let ((name, election_day, synthetic, note), quotas, lists) = (header?, quotas?, lists?);
    let set = ListSet::new(election_day, quotas, lists)
        .map_err(|err| sink.error(&Origin::Whole, "lists", FileRule::ListNames, err.to_string()))
        .ok()?;
    let meta =
        ListsMeta { name, election_day, synthetic, note, house: house?, citation: citation? };
    Some(ListsFile { meta, set, open: open? })
}

type Header = (String, Option<Date>, bool, Option<String>);

fn list_set(sink: &mut Sink<'_>, node: &Node) -> Option<Header> {
    let fields =
        Fields { table: table(sink, node, "list_set")?, path: "list_set", origin: node.origin };
    fields.check_keys(sink, &["name", "election_day", "synthetic", "note"]);
    let name =
        fields.required(sink, "name").and_then(|node| filled_text(sink, node, "list_set.name"));
    let day = if_present(fields.optional("election_day"), |node| {
        date(sink, node, "list_set.election_day")
    });
    let synthetic = fields
        .required(sink, "synthetic")
        .and_then(|node| boolean(sink, node, "list_set.synthetic"));
    let note = if_present(fields.optional("note"), |node| text(sink, node, "list_set.note"));
    Some((name?, day?, synthetic?, note?))
}

fn house(sink: &mut Sink<'_>, node: &Node) -> Option<House> {
    let fields = Fields { table: table(sink, node, "house")?, path: "house", origin: node.origin };
    fields.check_keys(sink, &["name", "seats", "women", "note"]);
    let name = fields.required(sink, "name").and_then(|node| filled_text(sink, node, "house.name"));
    let seats = fields
        .required(sink, "seats")
        .and_then(|node| count(sink, node, "house.seats", "seats", 1));
    let women = fields
        .required(sink, "women")
        .and_then(|node| count(sink, node, "house.women", "women", 0));
    let note = if_present(fields.optional("note"), |node| text(sink, node, "house.note"));
    if let (Some(seats), Some(women), Some(node)) = (seats, women, fields.optional("women"))
        && women > seats
    {
        let message = format!("{women} women in a house of {seats} seats");
        sink.error(&node.origin, "house.women", FileRule::CountExceeds, message);
        return None;
    }
    Some(House { name: name?, seats: seats?, women: women?, note: note? })
}

fn quota(sink: &mut Sink<'_>, node: &Node, idx: usize) -> Option<Quota> {
    let path = format!("quotas[{idx}]");
    let fields = Fields { table: table(sink, node, &path)?, path: &path, origin: node.origin };
    let kind = fields
        .required(sink, "kind")
        .and_then(|node| choice(sink, node, &fields.field("kind"), "quota kind", QUOTA_KINDS));
    let extra: &[&str] = match kind {
        Some("combined") => &["share", "groups"],
        Some("blocks") => &["size"],
        _ => &[],
    };
    let mut allowed = vec!["id", "name", "kind", "article"];
    allowed.extend_from_slice(extra);
    if kind.is_some() {
        fields.check_keys(sink, &allowed);
    }
    let id = fields
        .required(sink, "id")
        .and_then(|node| crate::field::id_text(sink, node, &fields.field("id")));
    let name = fields
        .required(sink, "name")
        .and_then(|node| filled_text(sink, node, &fields.field("name")));
    let article = fields
        .required(sink, "article")
        .and_then(|node| filled_text(sink, node, &fields.field("article")));
    let rule = match kind? {
        "combined" => {
            let share = fields
                .required(sink, "share")
                .and_then(|node| percent(sink, node, &fields.field("share")));
            let groups = fields
                .required(sink, "groups")
                .and_then(|node| groups(sink, node, &fields.field("groups")));
            Some(QuotaRule::Combined { share: share?, groups: groups? })
        }
        "zipper" => Some(QuotaRule::Zipper),
        _ => fields
            .required(sink, "size")
            .and_then(|node| count(sink, node, &fields.field("size"), "places", 2))
            .map(|size| QuotaRule::Blocks { size }),
    };
    Some(Quota { id: id?, name: name?, rule: rule?, article: article? })
}

fn groups(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<Vec<Group>> {
    let Value::Array(items) = &node.value else {
        let message = format!("expected an array of groups, found {}", node.value.describe());
        sink.error(&node.origin, field, FileRule::WrongType, message);
        return None;
    };
    let read: Vec<Option<Group>> = items
        .iter()
        .enumerate()
        .map(|(idx, item)| choice(sink, item, &format!("{field}[{idx}]"), "group", GROUPS))
        .collect();
    read.into_iter().collect()
}

/// Reports every repeated `key` among the tables `items` of `path`.
fn report_repeated(sink: &mut Sink<'_>, items: &[Node], path: &str, key: &str) {
    let mut seen: Vec<&str> = Vec::new();
    for (idx, item) in items.iter().enumerate() {
        let Value::Table(table) = &item.value else { continue };
        let Some(node) = table.get(key) else { continue };
        let Value::String(value) = &node.value else { continue };
        if seen.contains(&value.as_str()) {
            let message = format!("{value} is given twice");
            sink.error(
                &node.origin,
                &format!("{path}[{idx}].{key}"),
                FileRule::DuplicateName,
                message,
            );
        }
        seen.push(value);
    }
}

fn party_list(
    sink: &mut Sink<'_>,
    node: &Node,
    idx: usize,
    day: Option<Date>,
) -> Option<PartyList> {
    let path = format!("lists[{idx}]");
    let fields = Fields { table: table(sink, node, &path)?, path: &path, origin: node.origin };
    fields.check_keys(sink, LIST_KEYS);
    let field = |key: &str| fields.field(key);
    let id = fields
        .required(sink, "id")
        .and_then(|node| crate::field::id_text(sink, node, &field("id")));
    let name = if_present(fields.optional("name"), |node| filled_text(sink, node, &field("name")));
    let seats =
        if_present(fields.optional("seats"), |node| count(sink, node, &field("seats"), "seats", 0));
    let women_seats = if_present(fields.optional("women_seats"), |node| {
        count(sink, node, &field("women_seats"), "women", 0)
    });
    let chosen = if_present(fields.optional("chosen"), |node| texts(sink, node, &field("chosen")));
    let leaving =
        if_present(fields.optional("leaving"), |node| texts(sink, node, &field("leaving")));
    let members = match fields.optional("candidates").map(|node| &node.value) {
        Some(Value::Array(_)) => named(sink, fields, day),
        _ => summary(sink, fields),
    };
    let (members, seats, chosen, leaving) = (members?, seats?, chosen?, leaving?);
    check_names(sink, fields, &members, seats, chosen.as_deref(), leaving.as_deref());
    let n_candidates = match &members {
        Members::Named(candidates) => u32::try_from(candidates.len()).unwrap_or(u32::MAX),
        Members::Summary(summary) => summary.candidates,
    };
    exceeds(sink, fields, "seats", seats, n_candidates);
    exceeds(sink, fields, "women_seats", women_seats?, seats.unwrap_or(n_candidates));
    let id = id?;
    Some(PartyList {
        name: name?.unwrap_or_else(|| id.clone()),
        id,
        members,
        seats,
        women_seats: women_seats?,
        chosen,
        leaving: leaving.unwrap_or_default(),
    })
}

/// Reports `key` when its value is above `limit`.
fn exceeds(sink: &mut Sink<'_>, fields: Fields<'_>, key: &str, value: Option<u32>, limit: u32) {
    if let (Some(value), Some(node)) = (value, fields.optional(key))
        && value > limit
    {
        let message = format!("{value} is more than {limit}");
        sink.error(&node.origin, &fields.field(key), FileRule::CountExceeds, message);
    }
}

fn named(sink: &mut Sink<'_>, fields: Fields<'_>, day: Option<Date>) -> Option<Members> {
    for key in ["women", "women_percent", "under_29", "disability"] {
        if let Some(node) = fields.optional(key) {
            let message = format!("{key} is counted from the named candidates; leave it out");
            sink.error(&node.origin, &fields.field(key), FileRule::UnknownKey, message);
        }
    }
    let node = fields.optional("candidates")?;
    let Value::Array(items) = &node.value else { return None };
    let read: Vec<Option<ListCandidate>> = items
        .iter()
        .enumerate()
        .map(|(idx, item)| {
            let path = fields.field(&format!("candidates[{idx}]"));
            let inner =
                Fields { table: table(sink, item, &path)?, path: &path, origin: item.origin };
            list_candidate(sink, inner, day)
        })
        .collect();
    report_repeated(sink, items, &fields.field("candidates"), "name");
    Some(Members::Named(read.into_iter().collect::<Option<_>>()?))
}

fn list_candidate(
    sink: &mut Sink<'_>,
    fields: Fields<'_>,
    day: Option<Date>,
) -> Option<ListCandidate> {
    fields.check_keys(sink, &["name", "sex", "birth_date", "age", "disability", "preferences"]);
    let name = fields
        .required(sink, "name")
        .and_then(|node| filled_text(sink, node, &fields.field("name")));
    let sex = fields
        .required(sink, "sex")
        .and_then(|node| choice(sink, node, &fields.field("sex"), "sex", SEXES));
    let age = if fields.optional("birth_date").is_some() || fields.optional("age").is_some() {
        if let (Some(node), None) = (fields.optional("birth_date"), day) {
            let message = "a birth date needs [list_set] election_day".to_owned();
            sink.error(&node.origin, &fields.field("birth_date"), FileRule::Age, message);
            return None;
        }
        age_given(sink, fields, day).map(Some)
    } else {
        Some(None)
    };
    let disability = if_present(fields.optional("disability"), |node| {
        boolean(sink, node, &fields.field("disability"))
    });
    Some(ListCandidate { name: name?, sex: sex?, age: age?, disability: disability? })
}

fn summary(sink: &mut Sink<'_>, fields: Fields<'_>) -> Option<Members> {
    let field = |key: &str| fields.field(key);
    let candidates = fields
        .required(sink, "candidates")
        .and_then(|node| count(sink, node, &field("candidates"), "candidates", 1));
    let women = match (fields.optional("women"), fields.optional("women_percent")) {
        (Some(node), None) => count(sink, node, &field("women"), "women", 0).map(Count::exact),
        (None, Some(node)) => women_percent(sink, node, &field("women_percent"), candidates?),
        (Some(node), Some(_)) => {
            let message = "give women or women_percent, not both".to_owned();
            sink.error(&node.origin, &field("women"), FileRule::NotApplicable, message);
            None
        }
        (None, None) => {
            let message = "missing key women (or women_percent)".to_owned();
            sink.error(&fields.origin, &field("women"), FileRule::MissingKey, message);
            None
        }
    };
    let under_29 = if_present(fields.optional("under_29"), |node| {
        count(sink, node, &field("under_29"), "persons", 0)
    });
    let disability = if_present(fields.optional("disability"), |node| {
        count(sink, node, &field("disability"), "persons", 0)
    });
    let (candidates, women, under_29, disability) = (candidates?, women?, under_29?, disability?);
    exceeds(sink, fields, "women", Some(women.max), candidates);
    exceeds(sink, fields, "under_29", under_29, candidates);
    exceeds(sink, fields, "disability", disability, candidates);
    Some(Members::Summary(ListSummary { candidates, women, under_29, disability }))
}

/// A whole percentage of women, such as `"29%"`: the counts it can stand for.
fn women_percent(sink: &mut Sink<'_>, node: &Node, field: &str, candidates: u32) -> Option<Count> {
    let share = percent(sink, node, field)?;
    let value = share.value();
    if !value.is_whole() {
        let message = format!("{share} is not a whole percentage (published shares are rounded)");
        sink.error(&node.origin, field, FileRule::Percent, message);
        return None;
    }
    let whole = u32::try_from(value.floor()).expect("a percentage is at most 100");
    let counts = women_from_percent(whole, candidates);
    if counts.is_none() {
        let message =
            format!("no whole number of women out of {candidates} rounds or cuts down to {share}");
        sink.error(&node.origin, field, FileRule::CountExceeds, message);
    }
    counts
}

/// Chosen and leaving deputies are candidates of the list, each named once, and the
/// chosen are as many as the seats.
fn check_names(
    sink: &mut Sink<'_>,
    fields: Fields<'_>,
    members: &Members,
    seats: Option<u32>,
    chosen: Option<&[String]>,
    leaving: Option<&[String]>,
) {
    for (key, names) in [("chosen", chosen), ("leaving", leaving)] {
        let (Some(names), Some(node)) = (names, fields.optional(key)) else { continue };
        let Members::Named(candidates) = members else {
            let message = format!("{key} needs the candidates by name");
            sink.error(&node.origin, &fields.field(key), FileRule::ListNames, message);
            continue;
        };
        for (idx, name) in names.iter().enumerate() {
            let known = candidates.iter().any(|candidate| &candidate.name == name);
            if !known || names[..idx].contains(name) {
                let why = if known { "is named twice" } else { "is not a candidate of the list" };
                let message = format!("{name} {why}");
                sink.error(
                    &node.origin,
                    &format!("{}[{idx}]", fields.field(key)),
                    FileRule::ListNames,
                    message,
                );
            }
        }
    }
    if let (Some(chosen), Some(node)) = (chosen, fields.optional("chosen")) {
        let n_chosen = u32::try_from(chosen.len()).unwrap_or(u32::MAX);
        if seats != Some(n_chosen) {
            let seats = seats.map_or("no seats given".to_owned(), |seats| format!("{seats} seats"));
            let message = format!("{n_chosen} deputies chosen for {seats}");
            sink.error(&node.origin, &fields.field("chosen"), FileRule::ListNames, message);
        }
    }
}
