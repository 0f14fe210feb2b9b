//! Election files, format v1 (TOML): the public entry points of this crate.
//!
//! [`parse_election`] and [`read_election`] turn a file into a core [`Contest`] and
//! [`Rules`], ready for `saylau_core::seats::allocation::allocate`, plus the [`ElectionMeta`] that
//! says where the numbers come from. The format is specified in `docs/election-format.md`;
//! every problem in a file is reported as a [`Diagnostic`] with its line and rule code.

use std::path::Path;

use saylau_core::seats::method::Rules;
use saylau_core::seats::threshold::ThresholdBase;
use saylau_core::seats::votes::Seats;
use saylau_core::systems::apportionment::{Population, cube_root_house_size};
use saylau_core::systems::system::System;
use serde::Serialize;

use crate::contest::{self, BallotsRead, ListRead};
use crate::diagnostic::{Diagnostics, Sink};
use crate::districts::{
    self, DistrictMeta, DistrictParts, DistrictRead, HouseSeats, MagnitudeKeys,
};
use crate::document::{Node, Origin, Table, Value};
use crate::field::{Fields, boolean, count, filled_text, if_present, table, text, texts};
use crate::header::sub_table;
use crate::mixed::{self, MixedParts, SingleMemberRead};
use crate::model::{self, VoteModel};
use crate::r#override::Override;
use crate::rule::FileRule;
use crate::rules::RulesRead;
use crate::system::{self, SystemName, SystemRules, only_for};

/// The only version of the format so far (`[election] format = 1`).
pub const FORMAT: u32 = 1;

/// The top-level keys of a file.
const KEYS: &[&str] =
    &["election", "rules", "ballots", "districts", "lists", "model", "source", "scenario"];

/// The keys of `[election]`.
const HEADER_KEYS: &[&str] =
    &["format", "name", "description", "seats", "single_member_seats", "vacant"];

/// An election file, read and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElectionFile {
    /// The election under its system, ready for `saylau_core::systems::system::system_allocation`.
    pub system: System,
    /// Name, provenance, districts and the seats the file expects.
    pub meta: ElectionMeta,
}

/// What an election file says about itself, beyond the contest and the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElectionMeta {
    /// `[election] name`.
    pub name: String,
    /// `[election] description`.
    pub description: Option<String>,
    /// The format version (always [`FORMAT`] so far).
    pub format: u32,
    /// `[rules] system`.
    pub system: SystemName,
    /// `[[districts]]`, in order; empty for the systems without districts.
    pub districts: Vec<DistrictMeta>,
    /// `[model]`: how a modelled scenario made numbers nobody published.
    pub model: Option<VoteModel>,
    /// `[source]`: where the numbers come from.
    pub source: Option<DataSource>,
    /// `[scenario]`: set when the file is not the election as decided.
    pub scenario: Option<Scenario>,
    /// Per list, in registration order: the published official result.
    pub official_seats: Vec<Option<Seats>>,
    /// Per list, in registration order: a published counterfactual's result.
    pub expected_seats: Vec<Option<Seats>>,
    /// Per list: the official result by district, in district order, when the file gives it.
    pub official_district_seats: Vec<Option<Vec<Seats>>>,
    /// Per list: the counterfactual's result by district, when the file gives it.
    pub expected_district_seats: Vec<Option<Vec<Seats>>>,
}

/// The `[source]` table: the citation behind a file's numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataSource {
    /// Who published the numbers, and where.
    pub citation: String,
    /// Addresses of the sources.
    pub urls: Vec<String>,
    /// How the numbers were taken from the sources.
    pub notes: Option<String>,
}

/// The `[scenario]` table: a file that differs from the election as decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    /// True when the numbers themselves are modelled rather than published.
    pub modelled: bool,
    /// What the scenario is and how its numbers were made.
    pub note: String,
}

/// Reads an election from `text`; `source` names it in diagnostics (a path, or `-`).
pub fn parse_election(
    source: &str,
    text: &str,
    overrides: &[Override],
) -> Result<ElectionFile, Diagnostics> {
    crate::header::parse_with(source, text, overrides, election_file)
}

/// Reads the election file at `path`; a file that cannot be read is a diagnostic too.
pub fn read_election(path: &Path, overrides: &[Override]) -> Result<ElectionFile, Diagnostics> {
    let (source, text) = crate::header::read_text(path)?;
    parse_election(&source, &text, overrides)
}

/// The `[election]` table.
struct Header {
    format: u32,
    name: String,
    description: Option<String>,
    /// `seats`, with where it was written.
    seats: Option<(HouseSeats, Origin)>,
    /// `single_member_seats` and `vacant`.
    single_member: SingleMemberRead,
    /// Where the table was written.
    origin: Origin,
}

/// Everything read from a file, before the parts are put together.
struct Parts<'a> {
    system: SystemName,
    header: Header,
    rules: RulesRead,
    rules_fields: Fields<'a>,
    system_rules: SystemRules,
    ballots: BallotsRead,
    lists: Vec<ListRead>,
    districts: Vec<DistrictRead>,
    model: Option<(VoteModel, Origin)>,
}

/// Every part as read, each `None` when it was bad (and reported).
struct Read<'a> {
    system: SystemName,
    header: Option<Header>,
    rules_fields: Option<Fields<'a>>,
    system_rules: Option<SystemRules>,
    rules: Option<RulesRead>,
    ballots: Option<BallotsRead>,
    lists: Option<Vec<ListRead>>,
    districts: Option<Vec<DistrictRead>>,
    model: Option<Option<(VoteModel, Origin)>>,
    source: Option<Option<DataSource>>,
    scenario: Option<Option<Scenario>>,
}

/// Reads every part, then checks the parts against each other.
fn election_file(sink: &mut Sink<'_>, root: &Table) -> Option<ElectionFile> {
    let read = read_parts(sink, root)?;
    check_parts(sink, root, &read);
    let parts = Parts {
        system: read.system,
        header: read.header?,
        rules: read.rules?,
        rules_fields: read.rules_fields?,
        system_rules: read.system_rules?,
        ballots: read.ballots.unwrap_or(BallotsRead {
            ballots: saylau_core::seats::contest::Ballots::default(),
            participants_origin: Origin::Whole,
        }),
        lists: read.lists?,
        districts: read.districts?,
        model: read.model?,
    };
    let recorded = recorded_seats(sink, &parts);
    let system = build(sink, &parts);
    let (official_district_seats, expected_district_seats) = recorded?;
    let meta = ElectionMeta {
        name: parts.header.name.clone(),
        description: parts.header.description.clone(),
        format: parts.header.format,
        system: parts.system,
        districts: parts.districts.iter().map(|it| it.meta.clone()).collect(),
        model: parts.model.map(|(model, _)| model),
        source: read.source?,
        scenario: read.scenario?,
        official_seats: parts.lists.iter().map(|it| it.official_seats.map(|(s, _)| s)).collect(),
        expected_seats: parts.lists.iter().map(|it| it.expected_seats.map(|(s, _)| s)).collect(),
        official_district_seats,
        expected_district_seats,
    };
    Some(ElectionFile { system: system?, meta })
}

/// Reads each part on its own; `None` only when the system itself is unknown.
fn read_parts<'a>(sink: &mut Sink<'_>, root: &'a Table) -> Option<Read<'a>> {
    let root_fields = Fields { table: root, path: "", origin: Origin::Whole };
    root_fields.check_keys(sink, KEYS);
    let system = system::system_name(sink, root.get("rules"))?;
    let header =
        sub_table(sink, root_fields, "election", true).and_then(|it| header(sink, it, system));
    let rules_fields = sub_table(sink, root_fields, "rules", true);
    let system_rules = rules_fields.and_then(|fields| system::system_rules(sink, fields, system));
    let tier = rules_fields
        .filter(|_| system == SystemName::Districts)
        .and_then(|fields| fields.optional("tier"))
        .map(|node| node.origin);
    let rules = rules_fields.and_then(|fields| crate::rules::rules(sink, fields, system, tier));
    let ballots = match root.get("ballots") {
        Some(node) if system.has_districts() => {
            not_for_system(sink, node, "ballots", system);
            None
        }
        node => contest::ballots(sink, node),
    };
    let lists = contest::lists(sink, root.get("lists"));
    let districts = match root.get("districts") {
        node if system.has_districts() => districts::districts(sink, node, system),
        Some(node) => {
            not_for_system(sink, node, "districts", system);
            None
        }
        None => Some(Vec::new()),
    };
    Some(Read {
        system,
        header,
        rules_fields,
        system_rules,
        rules,
        ballots,
        lists,
        districts,
        model: if_present(root.get("model"), |node| model::model(sink, node)),
        source: if_present(root.get("source"), |node| data_source(sink, node)),
        scenario: if_present(root.get("scenario"), |node| scenario(sink, node)),
    })
}

/// Checks the parts that were read well against each other.
fn check_parts(sink: &mut Sink<'_>, root: &Table, read: &Read<'_>) {
    if let Some(lists) = &read.lists {
        system::check_list_keys(sink, lists, read.system);
    }
    if let (Some(lists), Some(ballots)) = (&read.lists, read.ballots) {
        contest::check_ballots(sink, lists, ballots);
    }
    if let (Some(Some(rules)), Some(ballots)) =
        (read.rules.as_ref().map(|it| &it.rules), read.ballots)
    {
        check_participants_known(sink, root, rules, ballots);
    }
    if let (Some(lists), Some(Some(_))) = (&read.lists, &read.scenario) {
        check_no_official_seats(sink, lists);
    }
    if let (Some(Some((_, origin))), Some(scenario)) = (&read.model, &read.scenario) {
        let modelled = scenario.as_ref().is_some_and(|scenario| scenario.modelled);
        system::check_model_labelled(sink, *origin, modelled, read.system);
    }
}

/// Puts the parts together into the core system of the file's kind.
fn build(sink: &mut Sink<'_>, parts: &Parts<'_>) -> Option<System> {
    let name = parts.header.name.as_str();
    let house = match parts.header.seats {
        Some((HouseSeats::Seats(seats), _)) => Some(seats),
        _ => None,
    };
    match parts.system {
        SystemName::List => {
            let rules = parts.rules.rules.clone()?;
            let contest = contest::contest(sink, name, house?, &parts.lists, parts.ballots)?;
            Some(System::List { contest, rules })
        }
        SystemName::Parallel | SystemName::Mmp => {
            let mixed = MixedParts {
                system: parts.system,
                name,
                seats: house?,
                election_origin: parts.header.origin,
                single_member: parts.header.single_member,
                lists: &parts.lists,
                ballots: parts.ballots.ballots,
                rules: parts.rules.rules.clone()?,
                system_rules: &parts.system_rules,
            };
            if !sink.is_empty() {
                return None;
            }
            mixed::mixed_system(sink, mixed)
        }
        _ => build_districts(sink, parts),
    }
}

/// Puts the parts of a `districts` or `biproportional` file together.
fn build_districts(sink: &mut Sink<'_>, parts: &Parts<'_>) -> Option<System> {
    let votes =
        districts::district_votes(sink, parts.system, &parts.lists, &parts.districts, parts.model)?;
    let keys = MagnitudeKeys {
        house: parts.header.seats,
        election_origin: parts.header.origin,
        rules: parts.rules_fields,
    };
    let magnitudes = districts::magnitude_rule(
        sink,
        keys,
        &parts.districts,
        &parts.system_rules,
        &parts.rules,
        &votes,
    )?;
    if !sink.is_empty() {
        return None;
    }
    let district_parts = DistrictParts {
        system: parts.system,
        name: &parts.header.name,
        lists: &parts.lists,
        districts: &parts.districts,
        votes,
        magnitudes,
        rules: &parts.rules,
        system_rules: &parts.system_rules,
        rules_fields: parts.rules_fields,
    };
    districts::district_system(sink, district_parts)
}

/// Reports a table or key that `system` does not have.
fn not_for_system(sink: &mut Sink<'_>, node: &Node, key: &str, system: SystemName) {
    let wanted = match key {
        "districts" => "system = \"districts\" or \"biproportional\"",
        "ballots" => "system = \"list\", \"parallel\" or \"mmp\"",
        _ => "another system",
    };
    let message = format!("[{key}] belongs to {wanted}, not to \"{}\"", system.as_str());
    sink.error(&node.origin, key, FileRule::SystemMismatch, message);
}

/// Reads `[election]`.
fn header(sink: &mut Sink<'_>, fields: Fields<'_>, system: SystemName) -> Option<Header> {
    use SystemName::{Mmp, Parallel};
    fields.check_keys(sink, HEADER_KEYS);
    let format = if_present(fields.optional("format"), |node| match &node.value {
        Value::Integer(version) if *version == i128::from(FORMAT) => Some(FORMAT),
        Value::Integer(version) => {
            let message = format!("unsupported format {version} (this reader knows format 1)");
            sink.error(&node.origin, "election.format", FileRule::FormatVersion, message);
            None
        }
        _ => count(sink, node, "election.format", "format version", 1),
    });
    let name =
        fields.required(sink, "name").and_then(|node| filled_text(sink, node, "election.name"));
    let description =
        if_present(fields.optional("description"), |node| text(sink, node, "election.description"));
    let seats = match fields.optional("seats") {
        None if !system.has_districts() => fields.required(sink, "seats").and(None),
        node => if_present(node, |node| house_seats(sink, node, system)),
    };
    let fits = only_for(sink, fields, "single_member_seats", system, &[Parallel, Mmp])
        & only_for(sink, fields, "vacant", system, &[Parallel, Mmp]);
    let single_member_seats = if_present(fields.optional("single_member_seats"), |node| {
        count(sink, node, "election.single_member_seats", "seats", 0)
            .map(|seats| (Seats(seats), node.origin))
    });
    let vacant = if_present(fields.optional("vacant"), |node| {
        count(sink, node, "election.vacant", "seats", 0).map(|seats| (Seats(seats), node.origin))
    });
    let header = Header {
        format: format?.unwrap_or(FORMAT),
        name: name?,
        description: description?,
        seats: seats?,
        single_member: SingleMemberRead { seats: single_member_seats?, vacant: vacant? },
        origin: fields.origin,
    };
    fits.then_some(header)
}

/// `[election] seats`: a whole number, or `"cube-root"` for a house apportioned among
/// districts by population.
fn house_seats(
    sink: &mut Sink<'_>,
    node: &Node,
    system: SystemName,
) -> Option<(HouseSeats, Origin)> {
    match &node.value {
        Value::String(text) if text == "cube-root" && system.has_districts() => {
            Some((HouseSeats::CubeRoot, node.origin))
        }
        Value::String(text) if text == "cube-root" => {
            let message = format!(
                "seats = \"cube-root\" sizes a house by the districts' population: it needs \
                 system = \"districts\" or \"biproportional\", not \"{}\"",
                system.as_str()
            );
            sink.error(&node.origin, "election.seats", FileRule::SystemMismatch, message);
            None
        }
        Value::String(text) => {
            let message =
                format!("expected a whole number of seats or \"cube-root\", found {text:?}");
            sink.error(&node.origin, "election.seats", FileRule::UnknownChoice, message);
            None
        }
        _ => count(sink, node, "election.seats", "seats", 1)
            .map(|seats| (HouseSeats::Seats(Seats(seats)), node.origin)),
    }
}

/// Reads `[source]`.
pub(crate) fn data_source(sink: &mut Sink<'_>, node: &Node) -> Option<DataSource> {
    let fields =
        Fields { table: table(sink, node, "source")?, path: "source", origin: node.origin };
    fields.check_keys(sink, &["citation", "urls", "notes"]);
    let citation = fields
        .required(sink, "citation")
        .and_then(|node| filled_text(sink, node, "source.citation"));
    let urls = if_present(fields.optional("urls"), |node| texts(sink, node, "source.urls"));
    let notes = if_present(fields.optional("notes"), |node| text(sink, node, "source.notes"));
    Some(DataSource { citation: citation?, urls: urls?.unwrap_or_default(), notes: notes? })
}

/// Reads `[scenario]`.
pub(crate) fn scenario(sink: &mut Sink<'_>, node: &Node) -> Option<Scenario> {
    let fields =
        Fields { table: table(sink, node, "scenario")?, path: "scenario", origin: node.origin };
    fields.check_keys(sink, &["modelled", "note"]);
    let modelled =
        fields.required(sink, "modelled").and_then(|node| boolean(sink, node, "scenario.modelled"));
    let note =
        fields.required(sink, "note").and_then(|node| filled_text(sink, node, "scenario.note"));
    Some(Scenario { modelled: modelled?, note: note? })
}

/// The participants base needs the number of participants.
fn check_participants_known(
    sink: &mut Sink<'_>,
    root: &Table,
    rules: &Rules,
    ballots: BallotsRead,
) {
    let base = rules.threshold().map(|threshold| threshold.base);
    if base != Some(ThresholdBase::Participants) || ballots.ballots.participants.is_some() {
        return;
    }
    let origin = match root.get("rules").map(|node| &node.value) {
        Some(Value::Table(rules)) => {
            rules.get("threshold_base").map_or(Origin::Whole, |node| node.origin)
        }
        _ => Origin::Whole,
    };
    let message =
        "the threshold base is participants, but [ballots] participants is not given".to_owned();
    sink.error(&origin, "rules.threshold_base", FileRule::MissingParticipants, message);
}

/// A scenario is not the election as decided, so it has no official seats.
fn check_no_official_seats(sink: &mut Sink<'_>, lists: &[ListRead]) {
    for (idx, read) in lists.iter().enumerate() {
        if let Some((_, origin)) = read.official_seats {
            let message = "a [scenario] file has no official result: \
                           use expected_seats for a published counterfactual"
                .to_owned();
            let field = format!("lists[{idx}].official_seats");
            sink.error(&origin, &field, FileRule::OfficialInScenario, message);
        }
    }
}

/// Seats per list by district, when given.
type BySeats = Vec<Option<Vec<Seats>>>;

/// The official and expected seats: given for every list or for none, adding up to the
/// house; by district, naming known districts and adding up to each district's seats.
fn recorded_seats(sink: &mut Sink<'_>, parts: &Parts<'_>) -> Option<(BySeats, BySeats)> {
    let house = recorded_house(parts);
    crate::recorded::check_totals(sink, &parts.lists, house, "official_seats", |it| {
        it.official_seats
    });
    crate::recorded::check_totals(sink, &parts.lists, house, "expected_seats", |it| {
        it.expected_seats
    });
    let official = crate::recorded::by_district(
        sink,
        &parts.lists,
        &parts.districts,
        "official_seats",
        |it| it.official_by_district.as_deref(),
    );
    let expected = crate::recorded::by_district(
        sink,
        &parts.lists,
        &parts.districts,
        "expected_seats",
        |it| it.expected_by_district.as_deref(),
    );
    Some((official?, expected?))
}

/// The seats the recorded results add up to, when the file fixes them: the list seats
/// plus the filled single-member seats of a parallel system, and the house of a district
/// system. Under mmp, overhang may enlarge the house, so nothing is fixed.
fn recorded_house(parts: &Parts<'_>) -> Option<Seats> {
    // Recorded seats belong to the file's own house; a what-if that changes it makes them
    // moot rather than wrong.
    if let Some((_, Origin::Override(_))) = parts.header.seats {
        return None;
    }
    let given = match parts.header.seats {
        Some((HouseSeats::Seats(seats), _)) => Some(seats),
        _ => None,
    };
    match parts.system {
        SystemName::List => given,
        SystemName::Mmp => None,
        SystemName::Parallel => {
            let won: u32 =
                parts.lists.iter().filter_map(|it| it.electorates).map(|(it, _)| it.0).sum();
            given.map(|seats| Seats(seats.0 + won))
        }
        _ => {
            let fixed: Option<u32> =
                parts.districts.iter().map(|it| it.seats.map(|(seats, _)| seats.0)).sum();
            let population: Option<u64> = parts.districts.iter().map(|it| it.meta.population).sum();
            match parts.header.seats {
                Some((HouseSeats::CubeRoot, _)) => {
                    population.map(|total| cube_root_house_size(Population(total)))
                }
                _ => given.or(fixed.map(Seats)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(extra: &str, expect: &str) {
        let text = format!(
            "[election]\nname = \"n\"\nseats = 1\n[rules]\nmethod = \"dhondt\"\n[[lists]]\nid = \"a\"\nvotes = 1\n{extra}"
        );
        let res = match parse_election("e.toml", &text, &[]) {
            Ok(file) => serde_json::to_string(&file.meta).expect("meta serialises to JSON"),
            Err(diagnostics) => diagnostics.to_string(),
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn reads_provenance() {
        check(
            "[source]\ncitation = \"CEC\"\nurls = [\"https://example.org\"]\n[scenario]\nmodelled = true\nnote = \"made up\"",
            r#"{"name":"n","description":null,"format":1,"system":"list","districts":[],"model":null,"source":{"citation":"CEC","urls":["https://example.org"],"notes":null},"scenario":{"modelled":true,"note":"made up"},"official_seats":[null],"expected_seats":[null],"official_district_seats":[null],"expected_district_seats":[null]}"#,
        );
        check(
            "[source]\nurls = \"https://example.org\"\n[scenario]\nmodelled = \"yes\"\nnote = \"\"",
            "e.toml:9: source.citation: missing key citation (rule E-4)\n\
             e.toml:10: source.urls: expected an array of strings, found the string \"https://example.org\" (rule E-5)\n\
             e.toml:12: scenario.modelled: expected true or false, found the string \"yes\" (rule E-5)\n\
             e.toml:13: scenario.note: must not be empty (rule E-14)",
        );
    }
}
