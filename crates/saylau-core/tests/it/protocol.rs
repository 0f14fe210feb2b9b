//! Property tests of protocol totals: however the stations are split among commissions,
//! the parts add up to the totals of all, and sums of consistent protocols are consistent.

use crate::reach::{Reached, properties};
use proptest::prelude::*;
use saylau_core::count::commission::{DistrictId, Level, RegionCode, StationId};
use saylau_core::count::protocol::{
    BallotCount, BallotList, BallotLists, Protocol, ProtocolLines, ProtocolTotals, VoterCount,
    tabulate, violations,
};
use saylau_core::seats::votes::{ListId, Votes};

const LISTS: usize = 3;

fn ballot() -> BallotLists {
    let lists = ["a", "b", "c"]
        .into_iter()
        .map(|id| BallotList { id: ListId::new(id), name: id.to_uppercase() })
        .collect();
    BallotLists::new(lists).expect("distinct ids")
}

/// A consistent protocol from free choices: the roll, how many of it were issued ballots
/// (some outside), how many of those were found, invalid, and how the valid split.
fn protocol_strategy() -> impl Strategy<Value = (u8, u8, u16, ProtocolLines)> {
    (1u8..=17, 1u8..=5, 1u16..=9999, 0u64..=3_000)
        .prop_flat_map(|(region, district, number, roll)| {
            (Just((region, district, number, roll)), 0..=roll, 0..=roll / 100)
        })
        .prop_flat_map(|(ids, issued, reserve)| {
            (Just((ids, issued, reserve)), 0..=issued, 0..=issued)
        })
        .prop_flat_map(|((ids, issued, reserve), outside, found)| {
            (Just((ids, issued, reserve, outside, found)), 0..=found)
        })
        .prop_flat_map(|((ids, issued, reserve, outside, found), invalid)| {
            let valid = found - invalid;
            (Just((ids, issued, reserve, outside, found, invalid)), 0..=valid, 0..=valid, 0..=valid)
        })
        .prop_map(|((ids, issued, reserve, outside, found, invalid), a, b, against)| {
            let (region, district, number, roll) = ids;
            let valid = found - invalid;
            let mut cuts = [a, b, against];
            cuts.sort_unstable();
            let lines = ProtocolLines {
                voters_on_roll: VoterCount(roll),
                ballots_received: BallotCount(roll + reserve),
                issued_in_station: BallotCount(issued - outside),
                issued_outside: BallotCount(outside),
                cancelled: BallotCount(roll + reserve - issued),
                found_in_boxes: BallotCount(found),
                invalid: BallotCount(invalid),
                valid: BallotCount(valid),
                against_all: Votes(valid - cuts[2]),
                list_votes: vec![
                    Votes(cuts[0]),
                    Votes(cuts[1] - cuts[0]),
                    Votes(cuts[2] - cuts[1]),
                ],
            };
            (region, district, number, lines)
        })
}

fn protocols(drafts: Vec<(u8, u8, u16, ProtocolLines)>) -> Vec<Protocol> {
    let ballot = ballot();
    let mut res: Vec<Protocol> = Vec::new();
    for (region, district, number, lines) in drafts {
        let region = RegionCode::new(region).expect("1 to 17");
        let district = DistrictId::new(region, district).expect("1 to 5");
        let station = StationId::new(district, number).expect("1 to 9999");
        if res.iter().any(|protocol| protocol.station() == station) {
            continue;
        }
        res.push(Protocol::new(station, lines, &ballot).expect("consistent by construction"));
    }
    res
}

properties! {
    cases = None;

    fn any_split_adds_up_to_the_totals(
        drafts in proptest::collection::vec(protocol_strategy(), 0..40),
        cuts in proptest::collection::vec(0usize..40, 0..6),
    ) {
        let protocols = protocols(drafts);
        let all = ProtocolTotals::of(&protocols, LISTS).expect("one ballot");
        let mut cuts: Vec<usize> = cuts.into_iter().map(|cut| cut.min(protocols.len())).collect();
        cuts.push(0);
        cuts.push(protocols.len());
        cuts.sort_unstable();
        let mut merged = ProtocolTotals::new(LISTS);
        for part in cuts.windows(2) {
            let totals = ProtocolTotals::of(&protocols[part[0]..part[1]], LISTS).expect("one ballot");
            merged.merge(&totals).expect("no overflow");
        }
        prop_assert_eq!(&merged, &all);
        if let Some(first) = protocols.first() {
            prop_assert!(violations(first.station(), all.lines(), LISTS).is_empty());
        }
        for level in [Level::Central, Level::Region, Level::District, Level::Precinct] {
            let mut up = ProtocolTotals::new(LISTS);
            for totals in tabulate(&protocols, LISTS, level).expect("one ballot").values() {
                up.merge(totals).expect("no overflow");
            }
            prop_assert_eq!(&up, &all);
        }
        Ok(Reached::Yes)
    }
}
