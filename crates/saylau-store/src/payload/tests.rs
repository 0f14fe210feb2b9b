//! The canonical payloads, against the texts Python's `json.dumps` writes and against
//! the members of a v2 payload sorted the slow way.

use saylau_core::count::commission::StationId;
use saylau_core::count::protocol::{
    BallotCount, BallotList, BallotLists, ExtraLine, Protocol, ProtocolExtra, ProtocolLines,
    Sha256Hex, StationTime, VideoRecord, VoterCount,
};
use saylau_core::seats::votes::{ListId, Votes};

use super::{
    PROTOCOL_PAYLOAD_FORMAT_V2, PayloadError, ProtocolEncoder, decode_protocol, put_string,
};

fn ballot(ids: &[&str]) -> BallotLists {
    let lists = ids.iter().map(|id| BallotList { id: ListId::new(id), name: (*id).to_owned() });
    BallotLists::new(lists.collect()).expect("a ballot")
}

fn protocol(ballot: &BallotLists, votes: &[u64]) -> Protocol {
    let lines = ProtocolLines {
        voters_on_roll: VoterCount(1500),
        ballots_received: BallotCount(1515),
        issued_in_station: BallotCount(1180),
        issued_outside: BallotCount(30),
        cancelled: BallotCount(305),
        found_in_boxes: BallotCount(1210),
        invalid: BallotCount(12),
        valid: BallotCount(1198),
        against_all: Votes(8),
        list_votes: votes.iter().copied().map(Votes).collect(),
    };
    let station = StationId::parse("01-03-0034").expect("a station");
    Protocol::new(station, lines, ballot).expect("consistent")
}

fn check(ids: &[&str], votes: &[u64], expect: &str) {
    let ballot = ballot(ids);
    let encoder = ProtocolEncoder::new(&ballot);
    let protocol = protocol(&ballot, votes);
    let payload = encoder.payload(&protocol);
    assert_eq!(String::from_utf8_lossy(&payload), expect);
    assert_eq!(decode_protocol(&encoder, &ballot, &payload), Ok(protocol));
}

/// The payload is the canonical JSON of `docs/ledger.md`; the expected texts are what
/// Python's `json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
/// writes for the same object.
#[test]
fn payloads_are_canonical_json() {
    check(
        &["nur-otan", "ak-zhol"],
        &[790, 400],
        r#"{"against_all":8,"ballots_received":1515,"cancelled":305,"format":"saylau-protocol-v1","found_in_boxes":1210,"invalid":12,"issued_in_station":1180,"issued_outside":30,"station":"01-03-0034","valid":1198,"voters_on_roll":1500,"votes":{"ak-zhol":400,"nur-otan":790}}"#,
    );
    check(
        &["b\"q", "a\u{1}", "Ä"],
        &[0, 1190, 0],
        r#"{"against_all":8,"ballots_received":1515,"cancelled":305,"format":"saylau-protocol-v1","found_in_boxes":1210,"invalid":12,"issued_in_station":1180,"issued_outside":30,"station":"01-03-0034","valid":1198,"voters_on_roll":1500,"votes":{"a\u0001":1190,"b\"q":0,"Ä":0}}"#,
    );
}

/// A v2 payload keeps the v1 keys and adds the v2 ones in the same canonical order
/// (the expected text is what Python's `json.dumps(sort_keys=True, ...)` writes).
#[test]
fn v2_payloads_are_canonical_json_and_v1_ones_unchanged() {
    let ballot = ballot(&["nur-otan", "ak-zhol"]);
    let encoder = ProtocolEncoder::new(&ballot);
    let v1 = protocol(&ballot, &[790, 400]);
    let time = |text: &str| Some(saylau_core::count::protocol::StationTime::parse(text).unwrap());
    let extra = saylau_core::count::protocol::ProtocolExtra {
        signatures_on_roll: Some(BallotCount(1180)),
        polls_closed: time("2021-01-10T20:00"),
        count_started: time("2021-01-10T20:05"),
        video: Some(saylau_core::count::protocol::VideoRecord {
            reference: "v/\"34\".mp4".to_owned(),
            sha256: saylau_core::count::protocol::Sha256Hex::parse(&"ab".repeat(32)).unwrap(),
        }),
        ..Default::default()
    };
    let v2 =
        Protocol::with_extra(v1.station(), v1.lines().clone(), extra, &ballot).expect("consistent");
    let payload = encoder.payload(&v2);
    assert_eq!(
        String::from_utf8_lossy(&payload),
        format!(
            r#"{{"against_all":8,"ballots_received":1515,"cancelled":305,"count_started":"2021-01-10T20:05","format":"saylau-protocol-v2","found_in_boxes":1210,"invalid":12,"issued_in_station":1180,"issued_outside":30,"polls_closed":"2021-01-10T20:00","signatures_on_roll":1180,"station":"01-03-0034","valid":1198,"video":"v/\"34\".mp4","video_sha256":"{}","voters_on_roll":1500,"votes":{{"ak-zhol":400,"nur-otan":790}}}}"#,
            "ab".repeat(32)
        )
    );
    assert_eq!(decode_protocol(&encoder, &ballot, &payload), Ok(v2));
    // A v1 protocol written as v2 is not canonical: its bytes, and hash, stay v1's.
    let v1_text = String::from_utf8(encoder.payload(&v1)).unwrap();
    let as_v2 = v1_text.replace("saylau-protocol-v1", "saylau-protocol-v2");
    assert_eq!(
        decode_protocol(&encoder, &ballot, as_v2.as_bytes()),
        Err(PayloadError::NotCanonical)
    );
}

/// The v2 payload as a sorted map of its members, written the slow way: the keys of
/// every line the protocol has, sorted by their bytes, with `Display`ed values.
fn sorted_v2(encoder: &ProtocolEncoder, protocol: &Protocol) -> Vec<u8> {
    let (lines, extra) = (protocol.lines(), protocol.extra());
    let string = |text: &str| {
        let mut res = Vec::new();
        put_string(&mut res, text);
        res
    };
    let number = |value: u64| value.to_string().into_bytes();
    let mut members: std::collections::BTreeMap<&str, Vec<u8>> = [
        ("against_all", number(lines.against_all.0)),
        ("ballots_received", number(lines.ballots_received.0)),
        ("cancelled", number(lines.cancelled.0)),
        ("format", string(PROTOCOL_PAYLOAD_FORMAT_V2)),
        ("found_in_boxes", number(lines.found_in_boxes.0)),
        ("invalid", number(lines.invalid.0)),
        ("issued_in_station", number(lines.issued_in_station.0)),
        ("issued_outside", number(lines.issued_outside.0)),
        ("station", string(&protocol.station().to_string())),
        ("valid", number(lines.valid.0)),
        ("voters_on_roll", number(lines.voters_on_roll.0)),
    ]
    .into_iter()
    .collect();
    let mut votes = Vec::new();
    encoder.put_votes(lines, &mut votes);
    members.insert("votes", votes);
    if let Some(value) = extra.supplementary_list {
        members.insert(ExtraLine::Supplementary.key(), number(value.0));
    }
    if let Some(value) = extra.signatures_on_roll {
        members.insert(ExtraLine::Signatures.key(), number(value.0));
    }
    for line in ExtraLine::ALL {
        if let Some(time) = extra.time(line) {
            members.insert(line.key(), string(&time.to_string()));
        }
    }
    if let Some(video) = &extra.video {
        members.insert(ExtraLine::Video.key(), string(&video.reference));
        members.insert(ExtraLine::VideoSha256.key(), string(&video.sha256.to_string()));
    }
    let mut out = b"{".to_vec();
    for (position, (key, value)) in members.iter().enumerate() {
        if position > 0 {
            out.push(b',');
        }
        put_string(&mut out, key);
        out.push(b':');
        out.extend_from_slice(value);
    }
    out.push(b'}');
    out
}

/// The members of [`V2_MEMBERS`] are in byte order and name every v2 line, and a
/// protocol with every v2 line, with some, or with years of 3 and 5 digits, is written
/// as the sorted map of its members would be.
#[test]
fn v2_members_are_written_in_canonical_order() {
    let keys: Vec<&str> = super::V2_MEMBERS.iter().map(|(key, _)| *key).collect();
    assert!(keys.windows(2).all(|pair| pair[0].as_bytes() < pair[1].as_bytes()), "{keys:?}");
    for line in ExtraLine::ALL {
        assert!(keys.contains(&line.key()), "{}", line.key());
    }
    let ballot = ballot(&["nur-otan", "ak-zhol", "b\"q"]);
    let encoder = ProtocolEncoder::new(&ballot);
    let v1 = protocol(&ballot, &[790, 400, 0]);
    let at = |year: u16, hour: u8, minute: u8| {
        let date = saylau_core::law::date::Date::new(year, 1, 10).expect("a date");
        StationTime::new(date, hour, minute)
    };
    let every = ProtocolExtra {
        supplementary_list: Some(VoterCount(12)),
        signatures_on_roll: Some(BallotCount(1180)),
        polls_closed: at(999, 9, 7),
        count_started: at(2021, 20, 5),
        count_ended: at(2021, 23, 59),
        protocol_posted: at(12021, 0, 1),
        handed_over: at(12021, 0, 2),
        video: Some(VideoRecord {
            reference: "v/\u{1}\"34\".mp4".to_owned(),
            sha256: Sha256Hex::new([0x0f; 32]),
        }),
    };
    let some = ProtocolExtra { count_ended: at(2021, 21, 30), ..ProtocolExtra::default() };
    for extra in [every, some] {
        let v2 = Protocol::with_extra(v1.station(), v1.lines().clone(), extra, &ballot)
            .expect("consistent");
        let payload = encoder.payload(&v2);
        let expected = sorted_v2(&encoder, &v2);
        assert_eq!(String::from_utf8_lossy(&payload), String::from_utf8_lossy(&expected));
    }
}

#[test]
fn strings_escape_only_what_json_requires() {
    let mut out = Vec::new();
    put_string(&mut out, "a\"\\\u{8}\u{c}\n\r\t\u{1f}\u{7f}é");
    assert_eq!(String::from_utf8_lossy(&out), "\"a\\\"\\\\\\b\\f\\n\\r\\t\\u001f\u{7f}é\"");
}

#[test]
fn bad_payloads_are_refused() {
    let ballot = ballot(&["nur-otan", "ak-zhol"]);
    let encoder = ProtocolEncoder::new(&ballot);
    let good = String::from_utf8(encoder.payload(&protocol(&ballot, &[790, 400]))).unwrap();
    let refuse = |text: &str| decode_protocol(&encoder, &ballot, text.as_bytes()).unwrap_err();
    assert_eq!(
        refuse(&good.replace("790", "791")).to_string(),
        "payload breaks a control relation: station 01-03-0034: line 8 (valid) 1,198 differs from lines 9+10.1..10.2 (against all and list votes) 1,199 (rule P-5)"
    );
    assert_eq!(refuse(&good.replace(":8,", ": 8,")), PayloadError::NotCanonical);
    assert!(matches!(refuse(&good.replace("ak-zhol", "adal")), PayloadError::Lists { .. }));
    assert!(matches!(refuse("{}"), PayloadError::Shape(_)));
}
