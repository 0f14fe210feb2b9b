//! Checks of the seats a file records: `official_seats` (the published result) and
//! `expected_seats` (a published counterfactual), nationally and by district.
//!
//! Recorded seats are what tests compare allocations with, so a file that records them
//! for some lists only, or records seats that cannot add up, is rejected (rule `E-22`),
//! and a table by district may name only the file's districts (rule `E-34`).

use saylau_core::seats::votes::Seats;

use crate::contest::{Keyed, ListRead};
use crate::diagnostic::Sink;
use crate::districts::{DistrictRead, recorded_by_district};
use crate::document::Origin;
use crate::rule::FileRule;

/// Seats given per list must be given for every list and add up to `house`, when the
/// file fixes it.
pub(crate) fn check_totals(
    sink: &mut Sink<'_>,
    lists: &[ListRead],
    house: Option<Seats>,
    key: &str,
    get: fn(&ListRead) -> Option<(Seats, Origin)>,
) {
    let given: Vec<(Seats, Origin)> = lists.iter().filter_map(get).collect();
    let Some(&(_, first_origin)) = given.first() else {
        return;
    };
    let mut complete = true;
    for (idx, read) in lists.iter().enumerate() {
        if get(read).is_none() {
            complete = false;
            let message = format!("{key} is given for other lists but not for this one");
            sink.error(
                &read.id_origin,
                &format!("lists[{idx}].{key}"),
                FileRule::SeatTotal,
                message,
            );
        }
    }
    let total: u64 = given.iter().map(|(seats, _)| u64::from(seats.0)).sum();
    if let Some(house) = house
        && complete
        && total != u64::from(house.0)
    {
        let message = format!("{key} add up to {total}, but the election has {house} seats");
        sink.error(&first_origin, &format!("lists[0].{key}"), FileRule::SeatTotal, message);
    }
}

/// The seats by district of every list that gives them, in district order. When every
/// list gives them and the districts' seats are fixed, each district's column must add
/// up to its seats.
pub(crate) fn by_district(
    sink: &mut Sink<'_>,
    lists: &[ListRead],
    districts: &[DistrictRead],
    key: &str,
    get: fn(&ListRead) -> Option<&[Keyed<Seats>]>,
) -> Option<Vec<Option<Vec<Seats>>>> {
    if districts.is_empty() {
        return Some(vec![None; lists.len()]);
    }
    let mut res = Vec::with_capacity(lists.len());
    let mut ok = true;
    for (idx, read) in lists.iter().enumerate() {
        match get(read) {
            Some(table) => {
                let field = format!("lists[{idx}].{key}");
                let seats = recorded_by_district(sink, table, districts, &field);
                ok &= seats.is_some();
                res.push(seats);
            }
            None => res.push(None),
        }
    }
    if !ok {
        return None;
    }
    let complete: Option<Vec<&Vec<Seats>>> = res.iter().map(Option::as_ref).collect();
    if let Some(rows) = complete {
        for (district_idx, district) in districts.iter().enumerate() {
            let Some((seats, origin)) = district.seats else { continue };
            let total: u64 = rows.iter().map(|row| u64::from(row[district_idx].0)).sum();
            if total != u64::from(seats.0) {
                let message = format!(
                    "the lists' {key} in district {:?} add up to {total}, but it has {seats} seats",
                    district.meta.id
                );
                let field = format!("districts[{district_idx}].seats");
                sink.error(&origin, &field, FileRule::SeatTotal, message);
                ok = false;
            }
        }
    }
    ok.then_some(res)
}
