//! The canonical payload of a protocol: the bytes of a polling station's protocol that a
//! log entry of kind `protocol` hashes and its signature covers (`docs/ledger.md`,
//! "Protocol payloads").
//!
//! The payload is canonical JSON: one object, no whitespace, keys sorted by their UTF-8
//! bytes, numbers as decimal integers, strings with only the escapes JSON requires
//! (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t` and `\u00XX` in lowercase hex for the other
//! control characters). It is what Python's
//! `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` writes:
//!
//! ```text
//! {"against_all":0,"ballots_received":1515,"cancelled":305,"format":"saylau-protocol-v1",
//!  "found_in_boxes":1210,"invalid":12,"issued_in_station":1180,"issued_outside":30,
//!  "station":"01-03-0034","valid":1198,"voters_on_roll":1500,
//!  "votes":{"ak-zhol":400,"nur-otan":790}}
//! ```
//!
//! (shown on several lines here; the payload is one line). The same protocol always has
//! the same bytes, so re-importing it is recognised as unchanged by its content hash.
//!
//! A protocol with lines or times of format v2 (`docs/protocol.md`) is written with
//! `"format":"saylau-protocol-v2"` and those of its v2 keys it has, in the same canonical
//! order; a protocol without any keeps the v1 bytes above, so that every v1 payload
//! already signed keeps its hash.

use std::collections::BTreeMap;

use saylau_core::count::commission::StationId;
use saylau_core::count::protocol::{
    BallotCount, BallotLists, ExtraLine, Protocol, ProtocolExtra, ProtocolLines, Sha256Hex,
    StationTime, VideoRecord, VoterCount,
};
use saylau_core::seats::votes::Votes;
use serde::Deserialize;

/// The log kind of protocol payloads.
pub const PROTOCOL_KIND: &str = "protocol";

/// The value of the payload's `format` key: the name and version of this encoding.
pub const PROTOCOL_PAYLOAD_FORMAT: &str = "saylau-protocol-v1";

/// The `format` of a payload with v2 lines or times.
pub const PROTOCOL_PAYLOAD_FORMAT_V2: &str = "saylau-protocol-v2";

/// Writes the canonical payloads of protocols on one ballot.
#[derive(Debug, Clone)]
pub struct ProtocolEncoder {
    /// `"<list id>":` as JSON, with the list's index on the ballot, sorted by id.
    votes: Vec<(Vec<u8>, usize)>,
}

/// A payload that is not a canonical protocol of the ballot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// Not a JSON object with exactly the payload's keys and types.
    #[error("not a protocol payload: {0}")]
    Shape(String),
    /// Another `format`.
    #[error(
        "payload format {0:?} is not {PROTOCOL_PAYLOAD_FORMAT} or {PROTOCOL_PAYLOAD_FORMAT_V2}"
    )]
    Format(String),
    /// The station id is not `RR-DD-SSSS`.
    #[error("payload station {0:?} is not a polling station id")]
    Station(String),
    /// The votes are not one number per list of the ballot.
    #[error("payload votes are for the lists {found}, the ballot has {expected}")]
    Lists {
        /// The ballot's list ids, comma-separated.
        expected: String,
        /// The payload's list ids, comma-separated.
        found: String,
    },
    /// The numbers break a control relation of `docs/protocol.md`.
    #[error("payload breaks a control relation: {0}")]
    Violation(String),
    /// Valid, but not written canonically.
    #[error("payload is not in canonical form")]
    NotCanonical,
}

/// A member of a v2 payload ([`ProtocolEncoder`]).
#[derive(Debug, Clone, Copy)]
enum V2 {
    Line(FixedLine),
    Format,
    Station,
    Votes,
    Supplementary,
    Signatures,
    Time(ExtraLine),
    Video,
    VideoSha256,
}

/// A line of the protocol that every payload has.
#[derive(Debug, Clone, Copy)]
enum FixedLine {
    AgainstAll,
    BallotsReceived,
    Cancelled,
    FoundInBoxes,
    Invalid,
    IssuedInStation,
    IssuedOutside,
    Valid,
    VotersOnRoll,
}

impl FixedLine {
    fn of(self, lines: &ProtocolLines) -> u64 {
        match self {
            FixedLine::AgainstAll => lines.against_all.0,
            FixedLine::BallotsReceived => lines.ballots_received.0,
            FixedLine::Cancelled => lines.cancelled.0,
            FixedLine::FoundInBoxes => lines.found_in_boxes.0,
            FixedLine::Invalid => lines.invalid.0,
            FixedLine::IssuedInStation => lines.issued_in_station.0,
            FixedLine::IssuedOutside => lines.issued_outside.0,
            FixedLine::Valid => lines.valid.0,
            FixedLine::VotersOnRoll => lines.voters_on_roll.0,
        }
    }
}

/// Every member a v2 payload may have, in the byte order of its key (a test checks the
/// order and the keys against [`ExtraLine::key`]).
const V2_MEMBERS: [(&str, V2); 21] = [
    ("against_all", V2::Line(FixedLine::AgainstAll)),
    ("ballots_received", V2::Line(FixedLine::BallotsReceived)),
    ("cancelled", V2::Line(FixedLine::Cancelled)),
    ("count_ended", V2::Time(ExtraLine::CountEnded)),
    ("count_started", V2::Time(ExtraLine::CountStarted)),
    ("format", V2::Format),
    ("found_in_boxes", V2::Line(FixedLine::FoundInBoxes)),
    ("handed_over", V2::Time(ExtraLine::HandedOver)),
    ("invalid", V2::Line(FixedLine::Invalid)),
    ("issued_in_station", V2::Line(FixedLine::IssuedInStation)),
    ("issued_outside", V2::Line(FixedLine::IssuedOutside)),
    ("polls_closed", V2::Time(ExtraLine::PollsClosed)),
    ("protocol_posted", V2::Time(ExtraLine::Posted)),
    ("signatures_on_roll", V2::Signatures),
    ("station", V2::Station),
    ("supplementary_list", V2::Supplementary),
    ("valid", V2::Line(FixedLine::Valid)),
    ("video", V2::Video),
    ("video_sha256", V2::VideoSha256),
    ("voters_on_roll", V2::Line(FixedLine::VotersOnRoll)),
    ("votes", V2::Votes),
];

impl ProtocolEncoder {
    /// An encoder for protocols on `ballot`.
    pub fn new(ballot: &BallotLists) -> ProtocolEncoder {
        let mut votes: Vec<(Vec<u8>, usize)> = ballot
            .lists()
            .iter()
            .enumerate()
            .map(|(idx, list)| {
                let mut key = Vec::new();
                put_string(&mut key, list.id.as_str());
                key.push(b':');
                (key, idx)
            })
            .collect();
        votes.sort_by(|left, right| left.0.cmp(&right.0));
        ProtocolEncoder { votes }
    }

    /// The canonical payload of `protocol`, appended to `out`.
    pub fn encode(&self, protocol: &Protocol, out: &mut Vec<u8>) {
        if !protocol.extra().is_empty() {
            self.encode_v2(protocol, out);
            return;
        }
        let lines = protocol.lines();
        let mut digits = itoa::Buffer::new();
        let mut number = |out: &mut Vec<u8>, key: &[u8], value: u64| {
            out.extend_from_slice(key);
            out.extend_from_slice(digits.format(value).as_bytes());
        };
        number(out, b"{\"against_all\":", lines.against_all.0);
        number(out, b",\"ballots_received\":", lines.ballots_received.0);
        number(out, b",\"cancelled\":", lines.cancelled.0);
        out.extend_from_slice(b",\"format\":\"");
        out.extend_from_slice(PROTOCOL_PAYLOAD_FORMAT.as_bytes());
        number(out, b"\",\"found_in_boxes\":", lines.found_in_boxes.0);
        number(out, b",\"invalid\":", lines.invalid.0);
        number(out, b",\"issued_in_station\":", lines.issued_in_station.0);
        number(out, b",\"issued_outside\":", lines.issued_outside.0);
        out.extend_from_slice(b",\"station\":");
        put_string(out, &protocol.station().to_string());
        number(out, b",\"valid\":", lines.valid.0);
        number(out, b",\"voters_on_roll\":", lines.voters_on_roll.0);
        out.extend_from_slice(b",\"votes\":{");
        for (position, (key, idx)) in self.votes.iter().enumerate() {
            if position > 0 {
                out.push(b',');
            }
            let votes = lines.list_votes.get(*idx).map_or(0, |votes| votes.0);
            number(out, key, votes);
        }
        out.extend_from_slice(b"}}");
    }

    /// The canonical payload of a protocol with v2 lines: every key it has, in the byte
    /// order of [`V2_MEMBERS`] (written straight into `out`, without a value per key or a
    /// sort: this runs once per protocol of an import, issue 9).
    fn encode_v2(&self, protocol: &Protocol, out: &mut Vec<u8>) {
        let lines = protocol.lines();
        let extra = protocol.extra();
        let mut digits = itoa::Buffer::new();
        out.push(b'{');
        let mut first = true;
        for (key, member) in V2_MEMBERS {
            let start = out.len();
            if !first {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(b"\":");
            let mut number = |value: u64| out.extend_from_slice(digits.format(value).as_bytes());
            let present = match member {
                V2::Line(line) => {
                    number(line.of(lines));
                    true
                }
                V2::Format => {
                    put_string(out, PROTOCOL_PAYLOAD_FORMAT_V2);
                    true
                }
                V2::Station => {
                    put_string(out, &protocol.station().to_string());
                    true
                }
                V2::Votes => {
                    self.put_votes(lines, out);
                    true
                }
                V2::Supplementary => extra.supplementary_list.map(|it| number(it.0)).is_some(),
                V2::Signatures => extra.signatures_on_roll.map(|it| number(it.0)).is_some(),
                V2::Time(line) => extra.time(line).map(|time| put_time(out, time)).is_some(),
                V2::Video => {
                    extra.video.as_ref().map(|it| put_string(out, &it.reference)).is_some()
                }
                V2::VideoSha256 => {
                    extra.video.as_ref().map(|it| put_hex(out, &it.sha256)).is_some()
                }
            };
            if present {
                first = false;
            } else {
                out.truncate(start);
            }
        }
        out.push(b'}');
    }

    /// The `votes` object: `{"<list id>":<votes>,...}`, by list id.
    fn put_votes(&self, lines: &ProtocolLines, out: &mut Vec<u8>) {
        let mut digits = itoa::Buffer::new();
        out.push(b'{');
        for (position, (key, idx)) in self.votes.iter().enumerate() {
            if position > 0 {
                out.push(b',');
            }
            out.extend_from_slice(key);
            let value = lines.list_votes.get(*idx).map_or(0, |votes| votes.0);
            out.extend_from_slice(digits.format(value).as_bytes());
        }
        out.push(b'}');
    }

    /// The canonical payload of `protocol`.
    pub fn payload(&self, protocol: &Protocol) -> Vec<u8> {
        // A v2 payload of a few lists is about 550 bytes, at most about 650.
        let mut out = Vec::with_capacity(768);
        self.encode(protocol, &mut out);
        out
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PayloadDto {
    against_all: u64,
    ballots_received: u64,
    cancelled: u64,
    format: String,
    found_in_boxes: u64,
    invalid: u64,
    issued_in_station: u64,
    issued_outside: u64,
    station: String,
    valid: u64,
    voters_on_roll: u64,
    votes: BTreeMap<String, u64>,
    supplementary_list: Option<u64>,
    signatures_on_roll: Option<u64>,
    polls_closed: Option<String>,
    count_started: Option<String>,
    count_ended: Option<String>,
    protocol_posted: Option<String>,
    handed_over: Option<String>,
    video: Option<String>,
    video_sha256: Option<String>,
}

impl PayloadDto {
    /// The v2 lines and times of the payload.
    fn extra(&self) -> Result<ProtocolExtra, PayloadError> {
        let time = |text: &Option<String>| {
            text.as_deref()
                .map(StationTime::parse)
                .transpose()
                .map_err(|err| PayloadError::Shape(err.to_string()))
        };
        let video = match (&self.video, &self.video_sha256) {
            (None, None) => None,
            (Some(reference), Some(sha256)) => Some(VideoRecord {
                reference: reference.clone(),
                sha256: Sha256Hex::parse(sha256)
                    .ok_or_else(|| PayloadError::Shape(format!("{sha256:?} is not a SHA-256")))?,
            }),
            _ => return Err(PayloadError::Shape("a video goes with its SHA-256".to_owned())),
        };
        Ok(ProtocolExtra {
            supplementary_list: self.supplementary_list.map(VoterCount),
            signatures_on_roll: self.signatures_on_roll.map(BallotCount),
            polls_closed: time(&self.polls_closed)?,
            count_started: time(&self.count_started)?,
            count_ended: time(&self.count_ended)?,
            protocol_posted: time(&self.protocol_posted)?,
            handed_over: time(&self.handed_over)?,
            video,
        })
    }
}

/// Reads a canonical payload back into a protocol on `ballot`, checking its control
/// relations and that it is written exactly as [`ProtocolEncoder`] writes it.
pub fn decode_protocol(
    encoder: &ProtocolEncoder,
    ballot: &BallotLists,
    bytes: &[u8],
) -> Result<Protocol, PayloadError> {
    let dto: PayloadDto =
        serde_json::from_slice(bytes).map_err(|err| PayloadError::Shape(err.to_string()))?;
    if dto.format != PROTOCOL_PAYLOAD_FORMAT && dto.format != PROTOCOL_PAYLOAD_FORMAT_V2 {
        return Err(PayloadError::Format(dto.format));
    }
    let extra = dto.extra()?;
    let station =
        StationId::parse(&dto.station).map_err(|_| PayloadError::Station(dto.station.clone()))?;
    let mut list_votes = Vec::with_capacity(ballot.len());
    for list in ballot.lists() {
        match dto.votes.get(list.id.as_str()) {
            Some(votes) if dto.votes.len() == ballot.len() => list_votes.push(Votes(*votes)),
            _ => {
                let ids: Vec<&str> = ballot.lists().iter().map(|it| it.id.as_str()).collect();
                let found: Vec<&str> = dto.votes.keys().map(String::as_str).collect();
                return Err(PayloadError::Lists {
                    expected: ids.join(", "),
                    found: found.join(", "),
                });
            }
        }
    }
    let lines = ProtocolLines {
        voters_on_roll: VoterCount(dto.voters_on_roll),
        ballots_received: BallotCount(dto.ballots_received),
        issued_in_station: BallotCount(dto.issued_in_station),
        issued_outside: BallotCount(dto.issued_outside),
        cancelled: BallotCount(dto.cancelled),
        found_in_boxes: BallotCount(dto.found_in_boxes),
        invalid: BallotCount(dto.invalid),
        valid: BallotCount(dto.valid),
        against_all: Votes(dto.against_all),
        list_votes,
    };
    let protocol = Protocol::with_extra(station, lines, extra, ballot).map_err(|violations| {
        let messages: Vec<String> = violations.iter().map(ToString::to_string).collect();
        PayloadError::Violation(messages.join("; "))
    })?;
    if encoder.payload(&protocol) != bytes {
        return Err(PayloadError::NotCanonical);
    }
    Ok(protocol)
}

/// Appends `text` as a JSON string with only the required escapes; the runs between
/// them are copied whole.
fn put_string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut copied = 0;
    for (idx, &byte) in bytes.iter().enumerate() {
        let unicode: [u8; 6];
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..0x20 => {
                let (high, low) = (HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]);
                unicode = [b'\\', b'u', b'0', b'0', high, low];
                &unicode
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[copied..idx]);
        out.extend_from_slice(escape);
        copied = idx + 1;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// Appends `value` in decimal with at least `width` digits (`{value:0width$}`).
fn put_padded(out: &mut Vec<u8>, value: u64, width: usize) {
    let mut digits = itoa::Buffer::new();
    let text = digits.format(value).as_bytes();
    out.extend(std::iter::repeat_n(b'0', width.saturating_sub(text.len())));
    out.extend_from_slice(text);
}

/// Appends a time as the JSON string `"YYYY-MM-DDTHH:MM"` (its `Display`).
fn put_time(out: &mut Vec<u8>, time: StationTime) {
    let date = time.date();
    out.push(b'"');
    put_padded(out, u64::from(date.year()), 4);
    out.push(b'-');
    put_padded(out, u64::from(date.month()), 2);
    out.push(b'-');
    put_padded(out, u64::from(date.day()), 2);
    out.push(b'T');
    put_padded(out, u64::from(time.hour()), 2);
    out.push(b':');
    put_padded(out, u64::from(time.minute()), 2);
    out.push(b'"');
}

/// Appends a SHA-256 as the JSON string of its 64 lowercase hex digits (its `Display`).
fn put_hex(out: &mut Vec<u8>, sha256: &Sha256Hex) {
    let mut text = [0u8; 64];
    hex::encode_to_slice(sha256.bytes(), &mut text).expect("64 digits for 32 bytes");
    out.push(b'"');
    out.extend_from_slice(&text);
    out.push(b'"');
}

#[cfg(test)]
mod tests;
