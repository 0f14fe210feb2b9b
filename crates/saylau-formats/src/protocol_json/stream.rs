//! JSON protocol files read as a stream: the file is parsed from disk by serde_json on a
//! thread of its own, which hands the protocol objects one at a time, as raw text with
//! their line, over a bounded channel; the reader checks them as it takes them. Memory
//! holds the channel's objects, not the file.
//!
//! The top-level members other than `protocols` are small and kept whole. When `format`,
//! `version` and `lists` come before `protocols` (as saylau writes them), the objects are
//! streamed as they are parsed; otherwise they must wait for the lists, and are held until
//! the end of the file, at most [`ProtocolLimits::MAX_JSON_BYTES`] of them (`F-12`).
//! A key after `protocols` that is unknown, or given twice, stops the file, as a row past a
//! limit stops a CSV file.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::{TOP_KEYS, diagnostic, json_error, read_protocol, top_level};
use crate::diagnostic::Diagnostics;
use crate::protocol_file::{Collector, ProtocolLimits, whole_file};
use crate::rule::ProtocolFileRule;

/// Protocol objects waiting in the channel: a few hundred bytes each.
const CHANNEL: usize = 1024;

/// What the parsing thread sends, in this order: the header, the objects, the end.
enum Message {
    /// The top-level members read before the objects (all of them when the objects were
    /// held), whether the file has `protocols`, and the line of `lists`.
    Header { members: BTreeMap<String, Box<RawValue>>, protocols: bool, lists_line: Option<u32> },
    /// A protocol object and the line it starts on.
    Object(Box<RawValue>, u32),
    /// The end of the file: the members after `protocols`, or why the file stopped.
    End(Result<Vec<String>, Diagnostics>),
}

/// The protocol objects of a JSON file, parsed on a thread of their own.
pub(crate) struct JsonStream {
    receiver: Receiver<Message>,
    list_keys: Vec<String>,
    /// The file's format version, known from its `version` key before the objects.
    version: u32,
    next: usize,
    ended: bool,
    /// The bytes the parser has read.
    read: Arc<AtomicU64>,
}

impl JsonStream {
    /// Starts parsing `file` and reads its top level up to the protocol objects; bad JSON
    /// there, a wrong `format` or `version`, or bad `lists` reject the file. Returns the
    /// stream, the collector of the file's lists and the file's notes.
    pub(crate) fn open(
        source: &str,
        file: File,
        limits: &ProtocolLimits,
    ) -> Result<(JsonStream, Collector, Vec<String>), Diagnostics> {
        let (sender, receiver) = sync_channel(CHANNEL);
        let read = Arc::new(AtomicU64::new(0));
        let parser = Parser { source: source.to_owned(), read: Arc::clone(&read) };
        std::thread::Builder::new()
            .name("saylau-json-protocols".to_owned())
            .spawn(move || parser.run(file, &sender))
            .map_err(|err| {
                let message = format!("cannot start the reader of the file: {err}");
                whole_file(source, ProtocolFileRule::Unreadable, message)
            })?;
        let (members, protocols, lists_line) = match receiver.recv() {
            Ok(Message::Header { members, protocols, lists_line }) => {
                (members, protocols, lists_line)
            }
            Ok(Message::End(Err(diagnostics))) => return Err(diagnostics),
            _ => return Err(stopped_reader(source)),
        };
        let empty: Box<RawValue> = RawValue::from_string("[]".to_owned()).expect("JSON");
        let mut top: BTreeMap<String, &RawValue> =
            members.iter().map(|(key, value)| (key.clone(), &**value)).collect();
        if protocols {
            top.insert("protocols".to_owned(), &empty);
        }
        let (version, ballot, notes, _) = top_level(source, lists_line, &top)?;
        let list_keys = ballot.lists().iter().map(|list| list.id.to_string()).collect();
        let collector = Collector::new(source, version, ballot, limits);
        let stream = JsonStream { receiver, list_keys, version, next: 0, ended: false, read };
        Ok((stream, collector, notes))
    }

    /// Reads up to `count` more protocol objects into `collector`; `false` once the file
    /// ended. Bad JSON, or a bad key after the objects, stops the file with every
    /// diagnostic kept so far.
    pub(crate) fn advance(
        &mut self,
        collector: &mut Collector,
        count: usize,
    ) -> Result<bool, Diagnostics> {
        for _ in 0..count {
            if self.ended {
                return Ok(false);
            }
            let source = collector.source();
            let late = match self.receiver.recv() {
                Ok(Message::Object(raw, line)) => {
                    let version = self.version;
                    read_protocol(collector, &self.list_keys, raw.get(), line, self.next, version);
                    self.next += 1;
                    continue;
                }
                Ok(Message::End(Ok(late))) => late,
                Ok(Message::End(Err(diagnostics))) => {
                    self.ended = true;
                    return Err(with_kept(collector, diagnostics));
                }
                Ok(Message::Header { .. }) | Err(_) => {
                    self.ended = true;
                    return Err(with_kept(collector, stopped_reader(&source)));
                }
            };
            self.ended = true;
            let unknown: Vec<_> = late
                .iter()
                .filter(|key| !TOP_KEYS.contains(&key.as_str()))
                .map(|key| {
                    let message =
                        format!("unknown key {key} (expected one of: {})", TOP_KEYS.join(", "));
                    diagnostic(&source, Some(1), key, ProtocolFileRule::Key, message)
                })
                .collect();
            if !unknown.is_empty() {
                return Err(with_kept(collector, Diagnostics(unknown)));
            }
            return Ok(false);
        }
        Ok(true)
    }

    /// The bytes of the file parsed so far.
    pub(crate) fn position(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }
}

/// The diagnostics of the rows rejected so far, then `diagnostics`.
fn with_kept(collector: &Collector, diagnostics: Diagnostics) -> Diagnostics {
    let (kept, omitted) = collector.rejected();
    let mut res: Vec<_> = kept.iter().flat_map(|row| row.diagnostics.iter().cloned()).collect();
    if omitted.rows > 0 {
        let message = format!(
            "{} more rejected rows with {} diagnostics are not shown",
            omitted.rows, omitted.diagnostics
        );
        let source = collector.source();
        res.push(diagnostic(&source, None, "", ProtocolFileRule::Limit, message));
    }
    res.extend(diagnostics.0);
    Diagnostics(res)
}

/// The parsing thread stopped without saying why (it panicked).
fn stopped_reader(source: &str) -> Diagnostics {
    whole_file(source, ProtocolFileRule::Unreadable, "the reader of the file stopped".to_owned())
}

/// The parsing thread's side.
struct Parser {
    source: String,
    read: Arc<AtomicU64>,
}

impl Parser {
    /// Parses `file`, sending what it finds; stops early once the reader is gone.
    fn run(self, file: File, sender: &SyncSender<Message>) {
        let newlines = Rc::new(Cell::new(0u64));
        let input = Counting {
            inner: BufReader::with_capacity(1 << 16, file),
            newlines: Rc::clone(&newlines),
            read: Arc::clone(&self.read),
        };
        let mut deserializer = serde_json::Deserializer::from_reader(input);
        let mut top = Top {
            sender,
            newlines,
            members: BTreeMap::new(),
            lists_line: None,
            header_sent: false,
            protocols: false,
            held: Vec::new(),
            held_bytes: 0,
            late: Vec::new(),
            past_limit: false,
        };
        let res = (&mut top).deserialize(&mut deserializer).and_then(|()| deserializer.end());
        let end = match res {
            Ok(()) => Ok(std::mem::take(&mut top.late)),
            Err(_) if top.past_limit => {
                let message = format!(
                    "the protocols come before the lists, format or version, so they are held \
                     until the end of the file, and they pass the limit of {} bytes (a limit \
                     of resources: write the lists first)",
                    ProtocolLimits::MAX_JSON_BYTES
                );
                Err(whole_file(&self.source, ProtocolFileRule::Limit, message))
            }
            Err(err) if err.is_io() => {
                let message = format!("cannot read the file: {err}");
                Err(whole_file(&self.source, ProtocolFileRule::Unreadable, message))
            }
            Err(err) => Err(json_error(&self.source, "", &err)),
        };
        if end.is_ok() && !top.header_sent {
            top.send_header();
            for (raw, line) in std::mem::take(&mut top.held) {
                if sender.send(Message::Object(raw, line)).is_err() {
                    return;
                }
            }
        }
        let _ = sender.send(Message::End(end));
    }
}

/// Passes a file's bytes to serde_json (which reads them one at a time), counting them and
/// their line ends, so that an object's line is known when it was parsed.
struct Counting {
    inner: BufReader<File>,
    newlines: Rc<Cell<u64>>,
    read: Arc<AtomicU64>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let count = self.inner.read(buf)?;
        let lines = buf[..count].iter().filter(|&&byte| byte == b'\n').count();
        self.newlines.set(self.newlines.get() + u64::try_from(lines).unwrap_or(u64::MAX));
        self.read.fetch_add(u64::try_from(count).unwrap_or(u64::MAX), Ordering::Relaxed);
        Ok(count)
    }
}

/// The top-level object as it is parsed.
struct Top<'s> {
    sender: &'s SyncSender<Message>,
    newlines: Rc<Cell<u64>>,
    members: BTreeMap<String, Box<RawValue>>,
    lists_line: Option<u32>,
    header_sent: bool,
    protocols: bool,
    /// The objects held while the lists are not known yet, and their bytes.
    held: Vec<(Box<RawValue>, u32)>,
    held_bytes: u64,
    /// The keys after `protocols`.
    late: Vec<String>,
    past_limit: bool,
}

impl Top<'_> {
    /// The line a value that was just parsed starts on.
    fn line_of(&self, raw: &RawValue) -> u32 {
        let inside = raw.get().bytes().filter(|&byte| byte == b'\n').count();
        let inside = u64::try_from(inside).unwrap_or(u64::MAX);
        u32::try_from(1 + self.newlines.get().saturating_sub(inside)).unwrap_or(u32::MAX)
    }

    fn send_header(&mut self) {
        self.header_sent = true;
        let members = std::mem::take(&mut self.members);
        let header =
            Message::Header { members, protocols: self.protocols, lists_line: self.lists_line };
        let _ = self.sender.send(header);
    }
}

impl<'de> DeserializeSeed<'de> for &mut Top<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Top<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a protocol file object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("the key {key:?} is given twice")));
            }
            if key == "protocols" {
                self.protocols = true;
                if ["format", "version", "lists"].iter().all(|it| self.members.contains_key(*it)) {
                    self.send_header();
                }
                map.next_value_seed(Objects(&mut *self))?;
                continue;
            }
            let value: Box<RawValue> = map.next_value()?;
            if key == "lists" {
                self.lists_line = Some(self.line_of(&value));
            }
            if self.header_sent {
                self.late.push(key);
            } else {
                self.members.insert(key, value);
            }
        }
        Ok(())
    }
}

/// The `protocols` array, its objects sent (or held) one at a time.
struct Objects<'t, 's>(&'t mut Top<'s>);

impl<'de> DeserializeSeed<'de> for Objects<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Objects<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of protocol objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let top = self.0;
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            let line = top.line_of(&raw);
            if top.header_sent {
                if top.sender.send(Message::Object(raw, line)).is_err() {
                    return Err(de::Error::custom("the reader of the file is gone"));
                }
                continue;
            }
            top.held_bytes += u64::try_from(raw.get().len()).unwrap_or(u64::MAX);
            if top.held_bytes > ProtocolLimits::MAX_JSON_BYTES {
                top.past_limit = true;
                return Err(de::Error::custom("past the limit"));
            }
            top.held.push((raw, line));
        }
        Ok(())
    }
}
