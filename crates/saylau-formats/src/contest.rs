//! Reading `[ballots]` and `[[lists]]` into a core [`Contest`].
//!
//! Lists are read in registration order, the order of the file. Problems that can occur
//! more than once (a repeated id, bad votes on several lists) are all reported with their
//! lines before [`Contest::new`] is called; its errors, should any remain, are mapped back
//! onto the field they concern. A list's `votes` and recorded seats may also be tables by
//! district (`votes = { k1 = 1234 }`), and a list may carry its `electorates`: which of
//! these fit depends on the system, which [`crate::election`] checks.

use saylau_core::seats::contest::{Ballots, Contest, ContestError, List};
use saylau_core::seats::votes::{ListId, Seats, Votes};

use crate::diagnostic::Sink;
use crate::document::{Node, Origin, Value};
use crate::field::{Fields, count, filled_text, if_present, percent, table, votes};
use crate::rule::FileRule;

/// The keys of `[ballots]`.
const BALLOT_KEYS: &[&str] = &["participants", "against_all"];

/// The keys of a `[[lists]]` entry.
const LIST_KEYS: &[&str] =
    &["id", "name", "votes", "threshold", "electorates", "official_seats", "expected_seats"];

/// The ballot totals with the origin of `participants`, for later checks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BallotsRead {
    /// The totals.
    pub(crate) ballots: Ballots,
    /// Where `participants` was written.
    pub(crate) participants_origin: Origin,
}

/// One list as read, with the seats the file says it won and where its fields were.
#[derive(Debug, Clone)]
pub(crate) struct ListRead {
    /// The list; its votes are the sum over the districts when given by district.
    pub(crate) list: List,
    /// `votes` as a table by district, in the order written.
    pub(crate) district_votes: Option<Vec<Keyed<Votes>>>,
    /// Where `votes` was written.
    pub(crate) votes_origin: Origin,
    /// `electorates`: single-member seats won.
    pub(crate) electorates: Option<(Seats, Origin)>,
    /// `official_seats`, the published result (summed when given by district).
    pub(crate) official_seats: Option<(Seats, Origin)>,
    /// `official_seats` as a table by district.
    pub(crate) official_by_district: Option<Vec<Keyed<Seats>>>,
    /// `expected_seats`, a published counterfactual (summed when given by district).
    pub(crate) expected_seats: Option<(Seats, Origin)>,
    /// `expected_seats` as a table by district.
    pub(crate) expected_by_district: Option<Vec<Keyed<Seats>>>,
    /// Where the list's id was written.
    pub(crate) id_origin: Origin,
}

/// A value of a table keyed by district id, with the key and where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Keyed<T> {
    /// The district id.
    pub(crate) key: String,
    /// The value.
    pub(crate) value: T,
    /// Where the key was written.
    pub(crate) origin: Origin,
}

/// Reads `[ballots]`; absent means no participants count and no "against all" votes.
pub(crate) fn ballots(sink: &mut Sink<'_>, node: Option<&Node>) -> Option<BallotsRead> {
    let Some(node) = node else {
        return Some(BallotsRead {
            ballots: Ballots::default(),
            participants_origin: Origin::Whole,
        });
    };
    let fields =
        Fields { table: table(sink, node, "ballots")?, path: "ballots", origin: node.origin };
    fields.check_keys(sink, BALLOT_KEYS);
    let participants = if_present(fields.optional("participants"), |node| {
        votes(sink, node, &fields.field("participants"))
    });
    let against_all = if_present(fields.optional("against_all"), |node| {
        votes(sink, node, &fields.field("against_all"))
    });
    let participants_origin =
        fields.optional("participants").map_or(node.origin, |node| node.origin);
    let ballots =
        Ballots { participants: participants?, against_all: against_all?.unwrap_or_default() };
    Some(BallotsRead { ballots, participants_origin })
}

/// Reads `[[lists]]`, reporting every bad list and every repeated id; lists with repeated
/// ids are still returned, so that the ballots can be checked against them.
pub(crate) fn lists(sink: &mut Sink<'_>, node: Option<&Node>) -> Option<Vec<ListRead>> {
    let items = match node.map(|node| &node.value) {
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(Value::Array(_)) | None => {
            let origin = node.map_or(Origin::Whole, |node| node.origin);
            let message = "an election needs at least one [[lists]] entry".to_owned();
            sink.error(&origin, "lists", FileRule::NoLists, message);
            return None;
        }
        Some(other) => {
            let message = format!("expected [[lists]] tables, found {}", other.describe());
            let origin = node.map_or(Origin::Whole, |node| node.origin);
            sink.error(&origin, "lists", FileRule::WrongType, message);
            return None;
        }
    };
    let origin = node.map_or(Origin::Whole, |node| node.origin);
    let bounds = (items.len(), crate::limit::MAX_LISTS);
    if !crate::limit::entries_within(sink, &origin, "lists", bounds, "lists") {
        return None;
    }
    let read: Vec<Option<ListRead>> =
        items.iter().enumerate().map(|(idx, item)| list(sink, item, idx)).collect();
    report_repeated_ids(sink, items);
    read.into_iter().collect()
}

/// Reads one `[[lists]]` entry.
fn list(sink: &mut Sink<'_>, node: &Node, idx: usize) -> Option<ListRead> {
    let path = format!("lists[{idx}]");
    let fields = Fields { table: table(sink, node, &path)?, path: &path, origin: node.origin };
    fields.check_keys(sink, LIST_KEYS);
    let id_node = fields.required(sink, "id");
    let id = id_node.and_then(|node| crate::field::id_text(sink, node, &fields.field("id")));
    let name =
        if_present(fields.optional("name"), |node| filled_text(sink, node, &fields.field("name")));
    let votes_node = fields.required(sink, "votes");
    let list_votes = votes_node.and_then(|node| {
        let field = fields.field("votes");
        match &node.value {
            Value::Table(_) => {
                let by_district = keyed(sink, node, &field, votes)?;
                let total =
                    by_district.iter().try_fold(0u64, |sum, it| sum.checked_add(it.value.0));
                let Some(total) = total else {
                    let message = format!("the votes add up to more than {}", u64::MAX);
                    sink.error(&node.origin, &field, FileRule::Votes, message);
                    return None;
                };
                Some((Votes(total), Some(by_district)))
            }
            _ => votes(sink, node, &field).map(|total| (total, None)),
        }
    });
    let threshold = if_present(fields.optional("threshold"), |node| {
        percent(sink, node, &fields.field("threshold"))
    });
    let electorates = seats_with_origin(sink, fields, "electorates");
    let official = recorded_seats(sink, fields, "official_seats");
    let expected = recorded_seats(sink, fields, "expected_seats");
    let (id, name) = (id?, name?);
    let (total_votes, district_votes) = list_votes?;
    let list = List {
        id: ListId::new(&id),
        name: name.unwrap_or_else(|| id.clone()),
        votes: total_votes,
        threshold: threshold?,
    };
    let id_origin = id_node.map_or(node.origin, |node| node.origin);
    let ((official_seats, official_by_district), (expected_seats, expected_by_district)) =
        (official?, expected?);
    Some(ListRead {
        list,
        district_votes,
        votes_origin: votes_node.map_or(node.origin, |node| node.origin),
        electorates: electorates?,
        official_seats,
        official_by_district,
        expected_seats,
        expected_by_district,
        id_origin,
    })
}

/// An optional whole number of seats with where it was written.
fn seats_with_origin(
    sink: &mut Sink<'_>,
    fields: Fields<'_>,
    key: &str,
) -> Option<Option<(Seats, Origin)>> {
    if_present(fields.optional(key), |node| {
        count(sink, node, &fields.field(key), "seats", 0).map(|seats| (Seats(seats), node.origin))
    })
}

/// Seats recorded for a list: a whole number, or a table by district (summed).
type Recorded = (Option<(Seats, Origin)>, Option<Vec<Keyed<Seats>>>);

/// `official_seats` or `expected_seats`: one number, or a table of seats by district.
fn recorded_seats(sink: &mut Sink<'_>, fields: Fields<'_>, key: &str) -> Option<Recorded> {
    let Some(node) = fields.optional(key) else {
        return Some((None, None));
    };
    let field = fields.field(key);
    if !matches!(node.value, Value::Table(_)) {
        return count(sink, node, &field, "seats", 0)
            .map(|seats| (Some((Seats(seats), node.origin)), None));
    }
    let by_district =
        keyed(sink, node, &field, |sink, node, field| count(sink, node, field, "seats", 0))?;
    let total = by_district.iter().try_fold(0u32, |sum, it| sum.checked_add(it.value));
    let Some(total) = total else {
        let message = format!("the seats add up to more than {}", u32::MAX);
        sink.error(&node.origin, &field, FileRule::Count, message);
        return None;
    };
    let by_district = by_district
        .into_iter()
        .map(|it| Keyed { key: it.key, value: Seats(it.value), origin: it.origin })
        .collect();
    Some((Some((Seats(total), node.origin)), Some(by_district)))
}

/// Every value of the table in `node`, read with `read`, keyed by its key.
fn keyed<T>(
    sink: &mut Sink<'_>,
    node: &Node,
    field: &str,
    read: impl Fn(&mut Sink<'_>, &Node, &str) -> Option<T>,
) -> Option<Vec<Keyed<T>>> {
    let entries = &table(sink, node, field)?.entries;
    let read: Vec<Option<Keyed<T>>> = entries
        .iter()
        .map(|entry| {
            let value = read(sink, &entry.node, &format!("{field}.{}", entry.key))?;
            Some(Keyed { key: entry.key.clone(), value, origin: entry.key_origin })
        })
        .collect();
    read.into_iter().collect()
}

/// Reports each list whose id an earlier list already uses. It reads the ids from the
/// raw entries, so a repeated id is reported even when other fields of the list are bad.
fn report_repeated_ids(sink: &mut Sink<'_>, items: &[Node]) {
    let ids: Vec<Option<(&str, Origin)>> = items
        .iter()
        .map(|item| match &item.value {
            Value::Table(table) => match table.get("id") {
                Some(Node { value: Value::String(id), origin, .. }) if !id.is_empty() => {
                    Some((id.as_str(), *origin))
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    // The first index of each id, in one pass.
    let mut firsts: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(ids.len());
    for (idx, later) in ids.iter().enumerate() {
        let Some((id, origin)) = later else { continue };
        let first = *firsts.entry(id).or_insert(idx);
        if first != idx {
            let message = format!("list id {id:?} is used twice (first by lists[{first}])");
            sink.error(origin, &format!("lists[{idx}].id"), FileRule::DuplicateList, message);
        }
    }
}

/// Reports ballots that do not add up: more votes than fit, or fewer participants than
/// valid votes. Checked here rather than left to [`Contest::new`] so that it is reported
/// together with problems of the lists.
pub(crate) fn check_ballots(sink: &mut Sink<'_>, lists: &[ListRead], ballots: BallotsRead) {
    let against_all = ballots.ballots.against_all.0;
    let total = lists.iter().try_fold(against_all, |sum, read| sum.checked_add(read.list.votes.0));
    let Some(valid) = total else {
        let message = format!("the votes add up to more than {}", u64::MAX);
        sink.error(&Origin::Whole, "lists", FileRule::Votes, message);
        return;
    };
    if let Some(participants) = ballots.ballots.participants
        && participants.0 < valid
    {
        let err = ContestError::ParticipantsBelowValid { participants, valid: Votes(valid) };
        report_contest_error(sink, lists, ballots, &err);
    }
}

/// Builds the contest when nothing has been reported so far.
pub(crate) fn contest(
    sink: &mut Sink<'_>,
    name: &str,
    seats: Seats,
    lists: &[ListRead],
    ballots: BallotsRead,
) -> Option<Contest> {
    if !sink.is_empty() {
        // Everything wrong has been reported already, and Contest::new would only repeat
        // the first of it.
        return None;
    }
    let plain: Vec<List> = lists.iter().map(|read| read.list.clone()).collect();
    Contest::new(name, seats, plain, ballots.ballots)
        .map_err(|err| report_contest_error(sink, lists, ballots, &err))
        .ok()
}

/// Reports an error of [`Contest::new`] on the field it concerns.
fn report_contest_error(
    sink: &mut Sink<'_>,
    lists: &[ListRead],
    ballots: BallotsRead,
    err: &ContestError,
) {
    let list_field = |idx: usize| {
        let origin = lists.get(idx).map_or(Origin::Whole, |read| read.id_origin);
        (origin, format!("lists[{idx}].id"))
    };
    let (origin, field, rule) = match err {
        ContestError::NoSeats => (Origin::Whole, "election.seats".to_owned(), FileRule::Count),
        ContestError::NoLists => (Origin::Whole, "lists".to_owned(), FileRule::NoLists),
        ContestError::EmptyId(position) => {
            let (origin, field) = list_field(position.saturating_sub(1));
            (origin, field, FileRule::EmptyText)
        }
        ContestError::DuplicateList(id) => {
            let idx = lists
                .iter()
                .enumerate()
                .filter(|(_, read)| read.list.id.as_str() == id)
                .nth(1)
                .map_or(0, |(idx, _)| idx);
            let (origin, field) = list_field(idx);
            (origin, field, FileRule::DuplicateList)
        }
        ContestError::ParticipantsBelowValid { .. } => (
            ballots.participants_origin,
            "ballots.participants".to_owned(),
            FileRule::ParticipantsBelowValid,
        ),
        _ => (Origin::Whole, String::new(), FileRule::NoLists),
    };
    sink.error(&origin, &field, rule, err.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse_document;

    fn check(text: &str, expect: &str) {
        let mut sink = Sink::new("c.toml", text, &[]);
        let doc = parse_document(text, &mut sink).expect("valid TOML");
        let ballots = ballots(&mut sink, doc.get("ballots"));
        let lists = lists(&mut sink, doc.get("lists"));
        let contest = match (ballots, lists) {
            (Some(ballots), Some(lists)) => {
                check_ballots(&mut sink, &lists, ballots);
                contest(&mut sink, "c", Seats(3), &lists, ballots)
            }
            _ => None,
        };
        let res = match contest {
            Some(contest) if sink.is_empty() => {
                let lists =
                    contest.lists().iter().map(|list| format!("{}={}", list.id, list.votes));
                lists.collect::<Vec<_>>().join(" ")
            }
            _ => sink.finish().to_string(),
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn reads_lists_in_order() {
        check("[[lists]]\nid = \"b\"\nvotes = 2\n[[lists]]\nid = \"a\"\nvotes = 1", "b=2 a=1");
    }

    #[test]
    fn reports_every_repeated_id_and_bad_ballots() {
        check(
            "[ballots]\nparticipants = 2\n[[lists]]\nid = \"a\"\nvotes = 2\n[[lists]]\nid = \"a\"\nvotes = 1\n[[lists]]\nid = \"a\"\nvotes = 1",
            "c.toml:2: ballots.participants: participants (2) are fewer than the valid votes (4: list votes plus against all) (rule E-16)\n\
             c.toml:7: lists[1].id: list id \"a\" is used twice (first by lists[0]) (rule E-13)\n\
             c.toml:10: lists[2].id: list id \"a\" is used twice (first by lists[0]) (rule E-13)",
        );
        check(
            "[ballots]\nparticipants = 2\nagainst_all = 1\n[[lists]]\nid = \"a\"\nvotes = 2",
            "c.toml:2: ballots.participants: participants (2) are fewer than the valid votes (3: list votes plus against all) (rule E-16)",
        );
        check(
            "[ballots]\n",
            "c.toml: lists: an election needs at least one [[lists]] entry (rule E-15)",
        );
        check(
            "[[lists]]\nid = \"\"\nvotes = 1",
            "c.toml:2: lists[0].id: must not be empty (rule E-14)",
        );
    }
}
