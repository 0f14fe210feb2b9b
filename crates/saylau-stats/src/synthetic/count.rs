//! The votes counted: the modelled stations' expectations corrected in whole numbers to
//! the official 2021 totals, and each station's published and true protocol lines.

use rand_chacha::ChaCha8Rng;
use saylau_core::count::protocol::{BallotCount, ProtocolLines, VoterCount};
use saylau_core::seats::votes::Votes;

use super::model::Site;
use super::options::SyntheticError;
use crate::country::OFFICIAL_2021;
use crate::rounding::{apportion, fit_table, floor_u64, to_f64};

/// Every station's published and true protocol lines, corrected to the official totals.
pub(super) fn count_votes(
    rng: &mut ChaCha8Rng,
    sites: &[Site],
) -> Result<Vec<(ProtocolLines, ProtocolLines)>, SyntheticError> {
    let rolls: Vec<u64> = sites.iter().map(|site| site.roll).collect();
    let expected_issued: Vec<f64> =
        sites.iter().map(|site| site.published_turnout * to_f64(site.roll)).collect();
    let issued = apportion(OFFICIAL_2021.participants, &expected_issued, &rolls)?;
    // Stuffed ballots are valid: invalid ballots come from the true voters only.
    let stuffed_share: Vec<f64> =
        sites.iter().map(|site| 1.0 - site.turnout / site.published_turnout).collect();
    let expected_invalid: Vec<f64> = sites
        .iter()
        .zip(&issued)
        .zip(&stuffed_share)
        .map(|((site, &issued), stuffed)| site.invalid_rate * to_f64(issued) * (1.0 - stuffed))
        .collect();
    let invalid = apportion(OFFICIAL_2021.invalid, &expected_invalid, &issued)?;
    let valid: Vec<u64> =
        issued.iter().zip(&invalid).map(|(issued, invalid)| issued - invalid).collect();
    let expected_votes: Vec<Vec<f64>> = sites
        .iter()
        .zip(&valid)
        .zip(issued.iter().zip(&stuffed_share))
        .map(|((site, &valid), (&issued, stuffed))| {
            let added = stuffed * to_f64(issued);
            let honest = (to_f64(valid) - added).max(0.0);
            let mut row: Vec<f64> = site.shares.iter().map(|share| share * honest).collect();
            row[0] += added;
            row
        })
        .collect();
    let targets: Vec<u64> = OFFICIAL_2021.lists.iter().map(|list| list.votes).collect();
    let votes = fit_table(&expected_votes, &valid, &targets, rng)?;
    let mut res = Vec::with_capacity(sites.len());
    for (idx, site) in sites.iter().enumerate() {
        let counts = Counts {
            issued: issued[idx],
            invalid: invalid[idx],
            votes: &votes[idx],
            stuffed_share: stuffed_share[idx],
        };
        res.push(station_lines(site, &counts)?);
    }
    Ok(res)
}

/// One station's corrected counts.
struct Counts<'a> {
    issued: u64,
    invalid: u64,
    votes: &'a [u64],
    stuffed_share: f64,
}

/// A station's published and true lines from its corrected counts: ballots received with
/// the 1 % reserve (art. 37 p. 3), the mobile box's share of the true voters, and for a
/// manipulated station the stuffed ballots taken back out of the truth.
fn station_lines(
    site: &Site,
    counts: &Counts<'_>,
) -> Result<(ProtocolLines, ProtocolLines), SyntheticError> {
    let issued = counts.issued;
    let issued_true = to_f64(issued) * (1.0 - counts.stuffed_share);
    let outside = floor_u64((issued_true * site.mobile_share).round()).min(issued);
    let received = site.roll + site.roll.div_ceil(100);
    let published = ProtocolLines {
        voters_on_roll: VoterCount(site.roll),
        ballots_received: BallotCount(received),
        issued_in_station: BallotCount(issued - outside),
        issued_outside: BallotCount(outside),
        cancelled: BallotCount(received - issued),
        found_in_boxes: BallotCount(issued),
        invalid: BallotCount(counts.invalid),
        valid: BallotCount(issued - counts.invalid),
        against_all: Votes(OFFICIAL_2021.against_all),
        list_votes: counts.votes.iter().map(|votes| Votes(*votes)).collect(),
    };
    if !site.manipulated {
        return Ok((published.clone(), published));
    }
    let wanted = floor_u64((counts.stuffed_share * to_f64(issued)).round());
    let most = published.list_votes[0].0.min(published.issued_in_station.0);
    if most == 0 {
        return Err(SyntheticError::Inconsistent(format!(
            "station {} cannot be manipulated: no ruling-list votes in the station",
            site.station
        )));
    }
    let truth = unstuffed(&published, wanted.clamp(1, most));
    Ok((published, truth))
}

/// The true lines of a protocol whose published lines include `added` stuffed ballots.
fn unstuffed(published: &ProtocolLines, added: u64) -> ProtocolLines {
    let mut truth = published.clone();
    truth.issued_in_station.0 -= added;
    truth.cancelled.0 += added;
    truth.found_in_boxes.0 -= added;
    truth.valid.0 -= added;
    truth.list_votes[0].0 -= added;
    truth
}
