//! The v2 lines and times of the synthetic protocols (`docs/protocol.md`, "Format v2";
//! `docs/synthetic.md`): entries in the supplementary list, signatures on the roll, the
//! count's times and a town station's video.
//!
//! Drawn from their own ChaCha8 stream, so that the lines 1 to 10 of every station stay
//! what they were before v2. A stuffed station's voters signed only for their own
//! ballots: its signatures are its true line 3, below the published line 3 by the ballots
//! stuffed (`P-9` flags it), and its count starts later than an honest one's.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use saylau_core::count::protocol::{
    BallotCount, ProtocolExtra, ProtocolLines, Sha256Hex, StationTime, VideoRecord, VoterCount,
};
use saylau_core::law::date::Date;
use sha2::{Digest, Sha256};

use super::model::Site;

/// Election day of the 2021 Mazhilis election; the polls closed at 20:00 local time.
fn polls_closed() -> StationTime {
    let day = Date::new(2021, 1, 10).expect("a day of the calendar");
    StationTime::new(day, 20, 0).expect("a time of the clock")
}

/// `minutes` after `start` (a count never runs past the next days' calendar).
fn after(start: StationTime, minutes: u64) -> StationTime {
    let minutes = i64::try_from(minutes).expect("minutes of one night");
    start.plus_minutes(minutes).expect("a time within the calendar")
}

/// The v2 record of one station from its published and true lines.
pub(super) fn station_record(
    rng: &mut ChaCha8Rng,
    site: &Site,
    seed: u64,
    published: &ProtocolLines,
    truth: &ProtocolLines,
) -> ProtocolExtra {
    let roll = published.voters_on_roll.0;
    // Entries added on the day: up to 3 % of the roll.
    let supplementary = rng.random_range(0..=roll * 3 / 100);
    let closed = polls_closed();
    let delay =
        if site.manipulated { rng.random_range(40..=130) } else { rng.random_range(3..=25) };
    let started = after(closed, delay);
    // About an hour, plus a minute per 12 ballots found (at most 7 hours: the small
    // countries of tests have stations of a whole district), plus up to half an hour.
    let length = 60 + (published.found_in_boxes.0 / 12).min(420) + rng.random_range(0..=30);
    let ended = after(started, length);
    let posted = after(ended, rng.random_range(5..=20));
    let handed_over = after(ended, rng.random_range(30..=150));
    let video = site.urban.then(|| {
        let reference = format!("synthetic://video/{}.mp4", site.station);
        let label = format!("SYNTHETIC recording of station {}, seed {seed}", site.station);
        VideoRecord { reference, sha256: Sha256Hex::new(Sha256::digest(label.as_bytes()).into()) }
    });
    ProtocolExtra {
        supplementary_list: Some(VoterCount(supplementary)),
        signatures_on_roll: Some(BallotCount(truth.issued_in_station.0)),
        polls_closed: Some(closed),
        count_started: Some(started),
        count_ended: Some(ended),
        protocol_posted: Some(posted),
        handed_over: Some(handed_over),
        video,
    }
}
