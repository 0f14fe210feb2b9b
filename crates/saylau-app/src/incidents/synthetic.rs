//! Synthetic incident reports for a synthetic country (`saylau generate`, written to
//! `observer-incidents.csv`), so that the demo and the observer report have incidents to
//! show: a `ballot-stuffing` report at every observed station that the ground truth
//! says was stuffed (an `inflated-turnout` report beside it at about half of them), and
//! noise: a report of another type at about one in ten of the other observed stations.
//!
//! Which stations get noise, the types and the times come from SHA-256 of the seed and
//! the station id, so the same seed writes the same bytes. Every file says it is
//! synthetic.

use saylau_core::count::incident::IncidentType;
use saylau_stats::synthetic::SyntheticCountry;
use sha2::{Digest, Sha256};

use super::file::INCIDENTS_MARKER;

/// The name of the file `saylau generate` writes.
pub const INCIDENTS_FILE: &str = "observer-incidents.csv";

/// The types noise is drawn from: everything but stuffing, turnout and the observer's own
/// troubles (a station with a copy was neither refused nor closed to the observer).
const NOISE: [IncidentType; 8] = [
    IncidentType::Carousel,
    IncidentType::VotingWithoutDocuments,
    IncidentType::ExtraListEntries,
    IncidentType::UnsealedBox,
    IncidentType::UnauthorisedPersons,
    IncidentType::CountLateOrHidden,
    IncidentType::ProtocolNotPosted,
    IncidentType::VoterPressure,
];

/// 32 pseudo-random bytes of `seed` and `station`.
fn draw(seed: u64, station: &str) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(b"saylau-synthetic-incidents-v1");
    hash.update(seed.to_be_bytes());
    hash.update(station.as_bytes());
    hash.finalize().into()
}

/// The incident file of `country` made from `seed`.
pub fn incidents_csv(seed: u64, country: &SyntheticCountry) -> String {
    let mut out = String::new();
    out.push_str(INCIDENTS_MARKER);
    out.push('\n');
    for note in &country.notes {
        out.push_str(&format!("# {note}\n"));
    }
    out.push_str(
        "# incidents: ballot stuffing at every observed stuffed station, and noise at about \
         one in ten other observed stations\n",
    );
    out.push_str("id,station,time,type,note,evidence\n");
    let mut number = 0;
    let mut row =
        |out: &mut String, station: &str, hour: u8, minute: u8, kind: IncidentType, note: &str| {
            number += 1;
            out.push_str(&format!(
                "syn-{number:05},{station},2021-01-10T{hour:02}:{minute:02},{},{note},\n",
                kind.code()
            ));
        };
    for truth in country.ground_truth.iter().filter(|it| it.observed) {
        let station = truth.station.to_string();
        let bytes = draw(seed, &station);
        let minute = bytes[1] % 60;
        if let Some(manipulation) = truth.manipulation {
            let note = format!(
                "about {} ballots put into the box (synthetic)",
                manipulation.added_ballots.0
            );
            row(&mut out, &station, 19 + bytes[2] % 2, minute, IncidentType::BallotStuffing, &note);
            if bytes[3].is_multiple_of(2) {
                let note = "turnout announced above the signatures on the roll (synthetic)";
                row(&mut out, &station, 20, bytes[4] % 60, IncidentType::InflatedTurnout, note);
            }
        } else if bytes[0].is_multiple_of(10) {
            let kind = NOISE[usize::from(bytes[5]) % NOISE.len()];
            let hour = if kind == IncidentType::CountLateOrHidden
                || kind == IncidentType::ProtocolNotPosted
            {
                20 + bytes[6] % 3
            } else {
                7 + bytes[6] % 13
            };
            row(&mut out, &station, hour, minute, kind, "synthetic");
        }
    }
    out
}
