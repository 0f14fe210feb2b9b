//! Reading the mixed systems, `parallel` and `mmp`: list seats next to single-member seats.
//!
//! `[election] seats` is always the number of seats allocated on the list votes: the list
//! seats of a parallel system, and the whole house of a mixed-member proportional one
//! (whose list seats are that house minus the single-member seats). Each list gives the
//! single-member seats it won as `electorates`; independents are a list with no votes.
//! `single_member_seats` defaults to the electorates won plus the `vacant` seats (races
//! "against all" won, which stay empty).

use saylau_core::seats::contest::Ballots;
use saylau_core::seats::method::Rules;
use saylau_core::seats::votes::Seats;
use saylau_core::systems::mixed::{
    MixedContest, MixedError, MixedParty, MixedRules, MixedRulesConfig, MixedSeats, MixedSystem,
    Overhang,
};
use saylau_core::systems::system::System;

use crate::contest::ListRead;
use crate::diagnostic::Sink;
use crate::document::Origin;
use crate::rule::FileRule;
use crate::system::{SystemName, SystemRules};

/// `[election] single_member_seats` and `vacant`, with where they were written.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SingleMemberRead {
    /// `single_member_seats`.
    pub(crate) seats: Option<(Seats, Origin)>,
    /// `vacant`.
    pub(crate) vacant: Option<(Seats, Origin)>,
}

/// Everything a mixed system needs, read and checked.
pub(crate) struct MixedParts<'a> {
    /// `parallel` or `mmp`.
    pub(crate) system: SystemName,
    /// The election's name.
    pub(crate) name: &'a str,
    /// `[election] seats`.
    pub(crate) seats: Seats,
    /// Where `[election]` was written.
    pub(crate) election_origin: Origin,
    /// The single-member seats.
    pub(crate) single_member: SingleMemberRead,
    /// The lists.
    pub(crate) lists: &'a [ListRead],
    /// The ballot totals of the list vote.
    pub(crate) ballots: Ballots,
    /// The list tier's rules.
    pub(crate) rules: Rules,
    /// The system keys of `[rules]`.
    pub(crate) system_rules: &'a SystemRules,
}

/// The core system of a `parallel` or `mmp` file.
pub(crate) fn mixed_system(sink: &mut Sink<'_>, parts: MixedParts<'_>) -> Option<System> {
    let vacant = parts.single_member.vacant.map_or(Seats(0), |(seats, _)| seats);
    let single_member = single_member_seats(sink, &parts, vacant)?;
    let list_seats = match parts.system {
        SystemName::Mmp if parts.seats.0 <= single_member.0 => {
            let message = format!(
                "the house of {} seats leaves no list seat beside {single_member} single-member \
                 seats (under mmp, [election] seats is the whole house)",
                parts.seats
            );
            let origin = parts.single_member.seats.map_or(parts.election_origin, |(_, it)| it);
            sink.error(&origin, "election.seats", FileRule::SingleMemberSeats, message);
            return None;
        }
        SystemName::Mmp => Seats(parts.seats.0 - single_member.0),
        _ => parts.seats,
    };
    let parties = parts
        .lists
        .iter()
        .map(|read| MixedParty {
            id: read.list.id.clone(),
            name: read.list.name.clone(),
            list_votes: read.list.votes,
            electorate_seats: read.electorates.map_or(Seats(0), |(seats, _)| seats),
        })
        .collect();
    let seats = MixedSeats { list: list_seats, single_member, vacant };
    let contest = MixedContest::new(parts.name, seats, parties, parts.ballots)
        .map_err(|err| report(sink, parts.election_origin, &err))
        .ok()?;
    let system = match parts.system {
        SystemName::Mmp => MixedSystem::Compensatory {
            overhang: parts.system_rules.overhang.unwrap_or(Overhang::Keep),
        },
        _ => MixedSystem::Parallel,
    };
    let config = MixedRulesConfig {
        system,
        list_rules: parts.rules,
        electorate_exemption: parts.system_rules.electorate_exemption,
    };
    let rules =
        MixedRules::new(config).map_err(|err| report(sink, parts.election_origin, &err)).ok()?;
    Some(System::Mixed { contest, rules })
}

/// The single-member seats: as given, if they are the electorates won plus the vacant
/// seats, or else that sum.
fn single_member_seats(
    sink: &mut Sink<'_>,
    parts: &MixedParts<'_>,
    vacant: Seats,
) -> Option<Seats> {
    let won: u64 =
        parts.lists.iter().filter_map(|read| read.electorates).map(|(it, _)| u64::from(it.0)).sum();
    let filled = won + u64::from(vacant.0);
    match parts.single_member.seats {
        Some((seats, _)) if filled == u64::from(seats.0) => Some(seats),
        Some((seats, origin)) => {
            let message = format!(
                "{won} electorates won and {vacant} vacant, but single_member_seats is {seats}"
            );
            let field = "election.single_member_seats";
            sink.error(&origin, field, FileRule::SingleMemberSeats, message);
            None
        }
        None => {
            let seats = u32::try_from(filled).ok().map(Seats);
            if seats.is_none() {
                let message = format!("{won} electorates won are more than fit");
                sink.error(&parts.election_origin, "lists", FileRule::SingleMemberSeats, message);
            }
            seats
        }
    }
}

/// Reports an error the checks above should have caught first.
fn report(sink: &mut Sink<'_>, origin: Origin, err: &MixedError) {
    sink.error(&origin, "", FileRule::SingleMemberSeats, err.to_string());
}
