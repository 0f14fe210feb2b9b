//! Protocol files as JSON (format v1): an object with the lists and an array of protocol
//! objects, one per polling station.
//!
//! ```json
//! {
//!   "format": "saylau-protocols",
//!   "version": 1,
//!   "notes": ["synthetic data"],
//!   "lists": [{"id": "nur-otan", "name": "Nur Otan"}],
//!   "protocols": [
//!     {"station": "15-02-0034", "region": "15", "region_name": "Nur-Sultan (Astana) city",
//!      "district": "15-02", "district_name": "Yesil district", "voters_on_roll": 1500,
//!      "...": 0, "against_all": 0, "votes": {"nur-otan": 790}}
//!   ]
//! }
//! ```
//!
//! Each protocol object is kept as raw text while the file is parsed, so that a bad one is
//! reported at its own line and rejected alone. `docs/protocol.md` specifies the format.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::json_keys::{Members, Unique};
use saylau_core::count::protocol::{
    BallotList, BallotLists, ExtraLine, Line, Protocol, ProtocolLines,
};
use saylau_core::seats::votes::{ListId, Votes};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::protocol_file::{
    Collector, ExtraText, Field, PROTOCOL_FORMAT, PROTOCOL_FORMAT_V2, ProtocolFile, ProtocolLimits,
    ProtocolSet, RowCheck, RowIds, check_base_version, lines_from, read_extra, station_ids,
};
use crate::rule::{ProtocolFileRule, Rule};

mod stream;
pub(crate) use stream::JsonStream;

/// The value of the `format` key.
const FORMAT_NAME: &str = "saylau-protocols";

/// The keys of the top-level object.
pub(crate) const TOP_KEYS: [&str; 5] = ["format", "version", "notes", "lists", "protocols"];

/// The keys of a protocol object besides the lines.
const ID_KEYS: [&str; 5] = ["station", "region", "region_name", "district", "district_name"];

/// The optional key of the version a protocol corrects.
const BASE_KEY: &str = "base_version";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListDto {
    id: String,
    name: Option<String>,
}

/// Reads a JSON protocol file; `source` names it in diagnostics. Bad JSON, a wrong
/// `format` or `version`, or bad `lists` reject the file; a bad protocol object is
/// rejected alone (see [`ProtocolFile::rejected`]).
pub fn parse_protocols_json(source: &str, text: &str) -> Result<ProtocolFile, Diagnostics> {
    parse_protocols_json_limited(source, text, &ProtocolLimits::default())
}

/// [`parse_protocols_json`] within `limits`.
pub fn parse_protocols_json_limited(
    source: &str,
    text: &str,
    limits: &ProtocolLimits,
) -> Result<ProtocolFile, Diagnostics> {
    let (mut rows, mut collector, notes) = JsonRows::open(source, text, limits)?;
    rows.advance(&mut collector, usize::MAX);
    Ok(collector.finish(notes))
}

/// The protocol objects of a JSON protocol file, checked a few at a time into a
/// [`Collector`] (`crate::ProtocolStream`). The text is held whole (up to
/// [`ProtocolLimits::MAX_JSON_BYTES`]), with where each protocol object lies in it; the
/// objects become protocols only as they are read.
pub(crate) struct JsonRows<T> {
    text: T,
    /// The byte ranges of the protocol objects in `text`.
    objects: Vec<std::ops::Range<usize>>,
    /// The next object to read.
    next: usize,
    /// The ids of the lists, in ballot order.
    list_keys: Vec<String>,
    /// Where the last object read starts, and its line.
    cursor: (usize, u32),
    /// The file's format version.
    version: u32,
}

impl<T: AsRef<str>> JsonRows<T> {
    /// Parses the top level of `text`: bad JSON, a wrong `format` or `version`, or bad
    /// `lists` reject the file here. Returns the objects to read, the collector of the
    /// file's lists and the file's notes.
    pub(crate) fn open(
        source: &str,
        text: T,
        limits: &ProtocolLimits,
    ) -> Result<(JsonRows<T>, Collector, Vec<String>), Diagnostics> {
        let whole = text.as_ref();
        let top: BTreeMap<String, &RawValue> = serde_json::from_str::<Members<'_>>(whole)
            .map_err(|err| json_error(source, "", &err))?
            .0;
        let lists_line = line_of(whole, top.get("lists").map_or("", |raw| raw.get()));
        let (version, ballot, notes, protocols) = top_level(source, lists_line, &top)?;
        let list_keys = ballot.lists().iter().map(|list| list.id.to_string()).collect();
        let base = whole.as_ptr().addr();
        let objects = protocols
            .iter()
            .map(|raw| {
                let start = raw.get().as_ptr().addr() - base;
                start..start + raw.get().len()
            })
            .collect();
        let collector = Collector::new(source, version, ballot, limits);
        let rows = JsonRows { text, objects, next: 0, list_keys, cursor: (0, 1), version };
        Ok((rows, collector, notes))
    }

    /// Reads up to `count` more protocol objects into `collector`; `false` once every
    /// object was read.
    pub(crate) fn advance(&mut self, collector: &mut Collector, count: usize) -> bool {
        let text = self.text.as_ref();
        let mut cursor = LineCursor { text, offset: self.cursor.0, line: self.cursor.1 };
        let end = self.next.saturating_add(count).min(self.objects.len());
        for idx in self.next..end {
            let raw = &text[self.objects[idx].clone()];
            let line = cursor.line_at(raw);
            read_protocol(collector, &self.list_keys, raw, line, idx, self.version);
        }
        self.next = end;
        self.cursor = (cursor.offset, cursor.line);
        end < self.objects.len()
    }
}

/// The file's parts: its version, ballot, notes and raw protocol objects.
pub(crate) type TopLevel<'a> = (u32, BallotLists, Vec<String>, Vec<&'a RawValue>);

/// The top-level members: the version, the ballot, the notes and the raw protocol
/// objects, or every problem with them.
pub(crate) fn top_level<'a>(
    source: &str,
    lists_line: Option<u32>,
    top: &BTreeMap<String, &'a RawValue>,
) -> Result<TopLevel<'a>, Diagnostics> {
    let mut problems = Vec::new();
    for key in top.keys().filter(|key| !TOP_KEYS.contains(&key.as_str())) {
        let message = format!("unknown key {key} (expected one of: {})", TOP_KEYS.join(", "));
        problems.push(diagnostic(source, Some(1), key, ProtocolFileRule::Key, message));
    }
    let format: Option<String> = member(source, top, "format", &mut problems);
    let version: Option<u64> = member(source, top, "version", &mut problems);
    let marker = ProtocolFileRule::FormatMarker;
    if format.as_deref().is_some_and(|format| format != FORMAT_NAME) {
        let message = format!("the format must be {FORMAT_NAME:?}");
        problems.push(diagnostic(source, Some(1), "format", marker, message));
    }
    let supported = [PROTOCOL_FORMAT, PROTOCOL_FORMAT_V2].map(u64::from);
    if let Some(version) = version.filter(|version| !supported.contains(version)) {
        let message = format!(
            "protocol file format version {version} is not supported (this saylau reads versions {PROTOCOL_FORMAT} and {PROTOCOL_FORMAT_V2})"
        );
        problems.push(diagnostic(source, Some(1), "version", marker, message));
    }
    let notes: Vec<String> = match top.get("notes") {
        Some(_) => member(source, top, "notes", &mut problems).unwrap_or_default(),
        None => Vec::new(),
    };
    let lists: Option<Vec<ListDto>> = member(source, top, "lists", &mut problems);
    let protocols: Option<Vec<&RawValue>> = member(source, top, "protocols", &mut problems);
    let ballot = lists.and_then(|lists| {
        let line = lists_line;
        for list in &lists {
            if let Err(message) = crate::field::id_characters(&list.id) {
                problems.push(diagnostic(source, line, "lists", ProtocolFileRule::Header, message));
            }
        }
        let lists = lists
            .into_iter()
            .map(|list| {
                let name = list.name.unwrap_or_else(|| list.id.clone());
                BallotList { id: ListId::new(&list.id), name }
            })
            .collect();
        BallotLists::new(lists)
            .map_err(|err| {
                let header = ProtocolFileRule::Header;
                problems.push(diagnostic(source, line, "lists", header, err.to_string()));
            })
            .ok()
    });
    match (ballot, protocols) {
        (Some(ballot), Some(protocols)) if problems.is_empty() => {
            let version = version.and_then(|it| u32::try_from(it).ok()).unwrap_or(PROTOCOL_FORMAT);
            Ok((version, ballot, notes, protocols))
        }
        _ => Err(Diagnostics(problems)),
    }
}

/// Reads a top-level member, reporting a value of the wrong shape.
fn member<'a, T: Deserialize<'a>>(
    source: &str,
    top: &BTreeMap<String, &'a RawValue>,
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    let Some(raw) = top.get(key) else {
        problems.push(diagnostic(
            source,
            None,
            key,
            ProtocolFileRule::Key,
            format!("missing key {key}"),
        ));
        return None;
    };
    serde_json::from_str(raw.get())
        .map_err(|err| problems.extend(json_error(source, key, &err).0))
        .ok()
}

pub(crate) fn json_error(source: &str, field: &str, err: &serde_json::Error) -> Diagnostics {
    let line = u32::try_from(err.line()).ok().filter(|line| *line > 0);
    let message = err.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
    Diagnostics(vec![diagnostic(source, line, field, ProtocolFileRule::Json, message)])
}

pub(crate) fn diagnostic(
    source: &str,
    line: Option<u32>,
    field: &str,
    rule: impl Into<Rule>,
    message: String,
) -> Diagnostic {
    Diagnostic::error(source, line, field, rule, message)
}

/// The line of `part`, a slice of `text`.
fn line_of(text: &str, part: &str) -> Option<u32> {
    let mut cursor = LineCursor { text, offset: 0, line: 1 };
    Some(cursor.line_at(part))
}

/// Counts lines forward through a text, for slices of it met in order.
struct LineCursor<'t> {
    text: &'t str,
    offset: usize,
    line: u32,
}

impl LineCursor<'_> {
    fn line_at(&mut self, part: &str) -> u32 {
        let start = part.as_ptr().addr().saturating_sub(self.text.as_ptr().addr());
        let start = start.min(self.text.len());
        if start < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        let newlines =
            self.text.as_bytes()[self.offset..start].iter().filter(|&&b| b == b'\n').count();
        self.line = self.line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.offset = start;
        self.line
    }
}

fn field_name(idx: usize, list_keys: &[String], field: Field) -> String {
    let key = match field {
        Field::Station => "station",
        Field::Region => "region",
        Field::RegionName => "region_name",
        Field::District => "district",
        Field::DistrictName => "district_name",
        Field::BaseVersion => BASE_KEY,
        Field::Line(Line::List(list)) => {
            let id = list_keys.get(list).map_or("", String::as_str);
            return format!("protocols[{idx}].votes.{id}");
        }
        Field::Line(line) => line.key(),
        Field::Extra(extra) => extra.key(),
    };
    format!("protocols[{idx}].{key}")
}

/// Reads one protocol object into the collector.
pub(crate) fn read_protocol(
    collector: &mut Collector,
    list_keys: &[String],
    raw: &str,
    line: u32,
    idx: usize,
    version: u32,
) {
    let field_of = |field: Field| field_name(idx, list_keys, field);
    let mut check = RowCheck::new(line);
    let source = collector.source();
    let reader = ObjectReader { source: &source, idx, list_keys, field_of: &field_of };
    // A key given twice would otherwise be read as its last value.
    if let Err(err) = serde_json::from_str::<Unique>(raw) {
        let message = err.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        check.error(reader.source, &format!("protocols[{idx}]"), ProtocolFileRule::Key, message);
        collector.finish_row(check, &RowIds::NONE, Default::default(), &field_of);
        return;
    }
    let Ok(object) = serde_json::from_str::<Map<String, Value>>(raw) else {
        let message = "expected a protocol object".to_owned();
        check.error(reader.source, &format!("protocols[{idx}]"), ProtocolFileRule::Row, message);
        collector.finish_row(check, &RowIds::NONE, Default::default(), &field_of);
        return;
    };
    for key in object.keys() {
        let known = ID_KEYS.contains(&key.as_str())
            || key == "votes"
            || key == BASE_KEY
            || Line::FIXED.iter().any(|line| line.key() == key)
            || (version >= PROTOCOL_FORMAT_V2 && ExtraLine::ALL.iter().any(|it| it.key() == key));
        if !known {
            let message = format!("unknown key {key}");
            check.error(reader.source, &reader.key_field(key), ProtocolFileRule::Key, message);
        }
    }
    let station = reader.text(&mut check, &object, Field::Station, "station", true);
    let region = reader.text(&mut check, &object, Field::Region, "region", true);
    let district = reader.text(&mut check, &object, Field::District, "district", true);
    let region_name = reader.text(&mut check, &object, Field::RegionName, "region_name", false);
    let district_name =
        reader.text(&mut check, &object, Field::DistrictName, "district_name", false);
    let station = match object.contains_key("station") {
        true => station_ids(&mut check, reader.source, &field_of, [&station, &region, &district]),
        false => None,
    };
    let base_version = match object.get(BASE_KEY) {
        None | Some(Value::Null) => None,
        Some(value) => {
            let field = field_of(Field::BaseVersion);
            let base = value.as_u64();
            if base.is_none() {
                let message = format!("expected a whole number, found {value}");
                check.error(reader.source, &field, ProtocolFileRule::Number, message);
            }
            check_base_version(&mut check, reader.source, &field, base)
        }
    };
    let lines = reader.lines(&mut check, &object);
    let extra = reader.extra(&mut check, &object, version);
    let ids =
        RowIds { station, region_name: &region_name, district_name: &district_name, base_version };
    collector.finish_row(check, &ids, (lines, extra), &field_of);
}

/// Reads the fields of one protocol object, reporting each bad one.
struct ObjectReader<'a> {
    source: &'a str,
    idx: usize,
    list_keys: &'a [String],
    field_of: &'a dyn Fn(Field) -> String,
}

impl ObjectReader<'_> {
    /// The path of a key of this protocol: `protocols[3].votes`.
    fn key_field(&self, key: &str) -> String {
        format!("protocols[{}].{key}", self.idx)
    }

    /// A string member, trimmed; empty when absent or bad.
    fn text(
        &self,
        check: &mut RowCheck,
        object: &Map<String, Value>,
        field: Field,
        key: &str,
        required: bool,
    ) -> String {
        let (rule, message) = match object.get(key) {
            Some(Value::String(text)) => return text.trim().to_owned(),
            None if !required => return String::new(),
            None => (ProtocolFileRule::Key, format!("missing key {key}")),
            Some(other) => (ProtocolFileRule::Row, format!("expected a string, found {other}")),
        };
        check.error(self.source, &(self.field_of)(field), rule, message);
        String::new()
    }

    /// A whole-number member; 0 when absent or bad.
    fn number(&self, check: &mut RowCheck, line: Line, value: Option<&Value>, key: &str) -> u64 {
        let (rule, message) = match value {
            Some(value) => match value.as_u64() {
                Some(number) => return number,
                None => {
                    (ProtocolFileRule::Number, format!("expected a whole number, found {value}"))
                }
            },
            None => (ProtocolFileRule::Key, format!("missing key {key}")),
        };
        check.error(self.source, &(self.field_of)(Field::Line(line)), rule, message);
        0
    }

    /// The v2 members: counts as whole numbers, times and the video as strings; `null` is
    /// absent. None in a v1 file (their keys are unknown there).
    fn extra(
        &self,
        check: &mut RowCheck,
        object: &Map<String, Value>,
        version: u32,
    ) -> saylau_core::count::protocol::ProtocolExtra {
        let mut text = ExtraText::default();
        if version < PROTOCOL_FORMAT_V2 {
            return Default::default();
        }
        let counts = [ExtraLine::Supplementary, ExtraLine::Signatures];
        for (slot, line) in text.fields.iter_mut().zip(ExtraLine::ALL) {
            *slot = match object.get(line.key()) {
                None | Some(Value::Null) => None,
                Some(Value::Number(number)) if counts.contains(&line) => {
                    Some(number.to_string().into())
                }
                Some(Value::String(value)) if !counts.contains(&line) => Some(value.clone().into()),
                Some(other) => {
                    let expected =
                        if counts.contains(&line) { "a whole number" } else { "a string" };
                    let message = format!("expected {expected}, found {other}");
                    let field = (self.field_of)(Field::Extra(line));
                    let rule = if counts.contains(&line) {
                        ProtocolFileRule::Number
                    } else {
                        ProtocolFileRule::Row
                    };
                    check.error(self.source, &field, rule, message);
                    None
                }
            };
        }
        read_extra(check, self.source, self.field_of, &text, &|text| text.parse().ok())
    }

    /// The nine fixed lines and the `votes` object.
    fn lines(&self, check: &mut RowCheck, object: &Map<String, Value>) -> ProtocolLines {
        let fixed: [u64; 9] = std::array::from_fn(|idx| {
            let line = Line::FIXED[idx];
            self.number(check, line, object.get(line.key()), line.key())
        });
        let mut list_votes = Vec::with_capacity(self.list_keys.len());
        match object.get("votes") {
            Some(Value::Object(votes)) => {
                for key in votes.keys().filter(|key| !self.list_keys.contains(key)) {
                    let field = self.key_field(&format!("votes.{key}"));
                    let message = format!("list {key} is not on the ballot");
                    check.error(self.source, &field, ProtocolFileRule::Key, message);
                }
                for (list, key) in self.list_keys.iter().enumerate() {
                    let votes = self.number(check, Line::List(list), votes.get(key), key);
                    list_votes.push(Votes(votes));
                }
            }
            other => {
                let message = match other {
                    None => "missing key votes".to_owned(),
                    Some(value) => format!("expected an object of votes by list id, found {value}"),
                };
                check.error(self.source, &self.key_field("votes"), ProtocolFileRule::Key, message);
            }
        }
        lines_from(fixed, list_votes)
    }
}

/// One protocol as written: ids, names, lines and votes keyed by list id in ballot order.
struct ProtocolJson<'a> {
    protocol: &'a Protocol,
    set: &'a ProtocolSet<'a>,
}

impl Serialize for ProtocolJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let station = self.protocol.station();
        let hierarchy = self.set.hierarchy;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("station", &station)?;
        map.serialize_entry("region", &station.region())?;
        map.serialize_entry(
            "region_name",
            hierarchy.region_name(station.region()).unwrap_or_default(),
        )?;
        map.serialize_entry("district", &station.district())?;
        map.serialize_entry(
            "district_name",
            hierarchy.district_name(station.district()).unwrap_or_default(),
        )?;
        if let Some(base) = self.set.base_versions.and_then(|bases| bases.get(&station)) {
            map.serialize_entry(BASE_KEY, base)?;
        }
        for line in Line::FIXED {
            map.serialize_entry(line.key(), &self.protocol.lines().get(line))?;
        }
        map.serialize_entry("votes", &VotesJson(self.protocol, self.set.ballot))?;
        let extra = self.protocol.extra();
        for line in ExtraLine::ALL {
            match (line, extra.text(line)) {
                (_, None) => {}
                (ExtraLine::Supplementary, Some(_)) => {
                    map.serialize_entry(line.key(), &extra.supplementary_list)?;
                }
                (ExtraLine::Signatures, Some(_)) => {
                    map.serialize_entry(line.key(), &extra.signatures_on_roll)?;
                }
                (_, Some(text)) => map.serialize_entry(line.key(), &text)?,
            }
        }
        map.end()
    }
}

struct VotesJson<'a>(&'a Protocol, &'a BallotLists);

impl Serialize for VotesJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.1.len()))?;
        for (list, votes) in self.1.lists().iter().zip(&self.0.lines().list_votes) {
            map.serialize_entry(list.id.as_str(), votes)?;
        }
        map.end()
    }
}

/// Writes protocols as a JSON protocol file, one protocol object per line.
pub fn write_protocols_json(out: &mut dyn Write, set: &ProtocolSet<'_>) -> io::Result<()> {
    #[derive(Serialize)]
    struct ListJson<'a> {
        id: &'a str,
        name: &'a str,
    }
    let lists: Vec<ListJson<'_>> = set
        .ballot
        .lists()
        .iter()
        .map(|list| ListJson { id: list.id.as_str(), name: &list.name })
        .collect();
    writeln!(out, "{{")?;
    writeln!(out, "  \"format\": {},", serde_json::to_string(FORMAT_NAME)?)?;
    writeln!(out, "  \"version\": {},", set.version())?;
    writeln!(out, "  \"notes\": {},", serde_json::to_string(set.notes)?)?;
    writeln!(out, "  \"lists\": {},", serde_json::to_string(&lists)?)?;
    write!(out, "  \"protocols\": [")?;
    for (idx, protocol) in set.protocols.iter().enumerate() {
        let separator = if idx == 0 { "" } else { "," };
        let object = serde_json::to_string(&ProtocolJson { protocol, set })?;
        write!(out, "{separator}\n    {object}")?;
    }
    writeln!(out, "\n  ]\n}}")?;
    Ok(())
}
