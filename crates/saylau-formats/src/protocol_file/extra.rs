//! The v2 fields of a protocol row (`docs/protocol.md`, "Format v2"), read the same way
//! from CSV and JSON.

use saylau_core::count::protocol::{
    BallotCount, ExtraLine, ProtocolExtra, Sha256Hex, StationTime, VideoRecord, VoterCount,
};

use super::{Field, RowCheck};
use crate::rule::ProtocolFileRule;

/// The v2 fields of a row as written, before they are read: each `None` when absent
/// (an empty CSV field, a missing or `null` JSON key).
#[derive(Default)]
pub(crate) struct ExtraText<'r> {
    /// The texts by [`ExtraLine::ALL`] position.
    pub(crate) fields: [Option<std::borrow::Cow<'r, str>>; 9],
}

/// Reads the v2 fields of a row: counts are whole numbers (`F-4`), times
/// `YYYY-MM-DDTHH:MM` and the SHA-256 64 hexadecimal digits, given with the video
/// (`F-13`).
pub(crate) fn read_extra(
    check: &mut RowCheck,
    source: &str,
    field_of: &dyn Fn(Field) -> String,
    text: &ExtraText<'_>,
    number: &dyn Fn(&str) -> Option<u64>,
) -> ProtocolExtra {
    let mut res = ProtocolExtra::default();
    let get = |line: ExtraLine| {
        let idx = ExtraLine::ALL.iter().position(|it| *it == line).unwrap_or_default();
        text.fields[idx].as_deref().map(str::trim).filter(|it| !it.is_empty())
    };
    let count = |check: &mut RowCheck, line: ExtraLine| {
        let value = get(line)?;
        let parsed = number(value);
        if parsed.is_none() {
            let message = format!("expected a whole number, found {value:?}");
            check.error(source, &field_of(Field::Extra(line)), ProtocolFileRule::Number, message);
        }
        parsed
    };
    res.supplementary_list = count(check, ExtraLine::Supplementary).map(VoterCount);
    res.signatures_on_roll = count(check, ExtraLine::Signatures).map(BallotCount);
    let time = |check: &mut RowCheck, line: ExtraLine| {
        let value = get(line)?;
        StationTime::parse(value)
            .map_err(|err| {
                let field = field_of(Field::Extra(line));
                check.error(source, &field, ProtocolFileRule::ExtraValue, err.to_string());
            })
            .ok()
    };
    res.polls_closed = time(check, ExtraLine::PollsClosed);
    res.count_started = time(check, ExtraLine::CountStarted);
    res.count_ended = time(check, ExtraLine::CountEnded);
    res.protocol_posted = time(check, ExtraLine::Posted);
    res.handed_over = time(check, ExtraLine::HandedOver);
    let video = get(ExtraLine::Video);
    let sha256 = get(ExtraLine::VideoSha256);
    let digest = sha256.and_then(|text| {
        let digest = Sha256Hex::parse(text);
        if digest.is_none() {
            let message = format!("{text:?} is not a SHA-256 (64 hexadecimal digits)");
            let field = field_of(Field::Extra(ExtraLine::VideoSha256));
            check.error(source, &field, ProtocolFileRule::ExtraValue, message);
        }
        digest
    });
    match (video, sha256) {
        (Some(reference), Some(_)) => {
            res.video =
                digest.map(|sha256| VideoRecord { reference: reference.to_owned(), sha256 });
        }
        (Some(_), None) => {
            let message = "a video is given with the SHA-256 of its bytes".to_owned();
            let field = field_of(Field::Extra(ExtraLine::VideoSha256));
            check.error(source, &field, ProtocolFileRule::ExtraValue, message);
        }
        (None, Some(_)) => {
            let message = "a SHA-256 without the video it fixes".to_owned();
            let field = field_of(Field::Extra(ExtraLine::Video));
            check.error(source, &field, ProtocolFileRule::ExtraValue, message);
        }
        (None, None) => {}
    }
    res
}
