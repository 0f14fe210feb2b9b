//! Corrected protocols: the stations whose later versions moved turnout or the leader's
//! votes the most, from the store's history (first version against the current one).
//!
//! A correction is legitimate when a recount or a typo demands it; a pattern of late
//! corrections that raise turnout and the leader's votes is what observers watch for.

use serde::Serialize;

use super::explain::{Explanation, Selection};
use super::station::{Station, percent};

/// A corrected station: its first and current protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The first version.
    pub first: Station,
    /// The current version.
    pub current: Station,
    /// How many versions the station has.
    pub versions: u64,
}

/// How far one station's corrections moved it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    /// The station.
    pub station: String,
    /// Its versions.
    pub versions: u64,
    /// Turnout of the first version, percent.
    pub turnout_first: f64,
    /// Turnout of the current version, percent.
    pub turnout_current: f64,
    /// Current minus first turnout, percentage points.
    pub turnout_change: f64,
    /// The leader's votes in the first version.
    pub leader_first: u64,
    /// The leader's votes in the current version.
    pub leader_current: u64,
    /// Current minus first leader votes.
    pub leader_change: i64,
}

/// The result of the corrections test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Versions {
    /// Definition, assumptions and artifacts.
    pub explanation: Explanation,
    /// Corrected stations (kept) out of all.
    pub selection: Selection,
    /// Stations with more than one version.
    pub corrected: usize,
    /// Net change of the leader's votes over all corrections.
    pub leader_change_total: i64,
    /// The largest turnout moves, by absolute change.
    pub by_turnout: Vec<Moved>,
    /// The largest moves of the leader's votes, by absolute change.
    pub by_leader: Vec<Moved>,
}

/// Ranks the `corrections` of a set of `stations` stations by how far they moved turnout
/// and the votes of the list `leader`; keeps the `top` of each.
pub fn versions(
    corrections: &[Correction],
    stations: usize,
    leader: usize,
    top: usize,
) -> Versions {
    let moved: Vec<Moved> = corrections
        .iter()
        .map(|it| {
            let turnout_first = percent(it.first.given, it.first.voters);
            let turnout_current = percent(it.current.given, it.current.voters);
            let leader_first = it.first.votes[leader];
            let leader_current = it.current.votes[leader];
            Moved {
                station: it.current.id.clone(),
                versions: it.versions,
                turnout_first,
                turnout_current,
                turnout_change: turnout_current - turnout_first,
                leader_first,
                leader_current,
                leader_change: signed(leader_current) - signed(leader_first),
            }
        })
        .collect();
    let mut by_turnout = moved.clone();
    by_turnout.sort_by(|a, b| {
        b.turnout_change.abs().total_cmp(&a.turnout_change.abs()).then(a.station.cmp(&b.station))
    });
    by_turnout.truncate(top);
    let leader_change_total = moved.iter().map(|it| it.leader_change).sum();
    let mut by_leader = moved;
    by_leader.sort_by(|a, b| {
        b.leader_change
            .unsigned_abs()
            .cmp(&a.leader_change.unsigned_abs())
            .then(a.station.cmp(&b.station))
    });
    by_leader.truncate(top);
    let mut selection = Selection { kept: corrections.len(), dropped: Vec::new() };
    for _ in corrections.len()..stations {
        selection.drop_for("one version only (never corrected)");
    }
    Versions {
        explanation: explanation(),
        selection,
        corrected: corrections.len(),
        leader_change_total,
        by_turnout,
        by_leader,
    }
}

fn signed(votes: u64) -> i64 {
    i64::try_from(votes).unwrap_or(i64::MAX)
}

fn explanation() -> Explanation {
    Explanation::new(
        "for every station with more than one protocol version in the store, the change of turnout and of the leader's votes from the first version to the current one",
        &[
            "stations kept: those with a correction; the first version is what the commission first signed",
            "every version is a signed entry with its reason (saylau results --station ID --history shows them)",
        ],
        &[
            "recounts and typo fixes move numbers legitimately; read the reasons before suspecting anything",
            "a station's first version may itself be a late entry when it was imported after the count",
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::{Correction, versions};
    use crate::forensics::station::Station;

    fn station(id: &str, given: u64, leader: u64) -> Station {
        Station {
            id: id.to_owned(),
            region: "R".to_owned(),
            commission: "C".to_owned(),
            voters: 1000,
            given,
            valid: given,
            invalid: 0,
            votes: vec![leader, given - leader],
            other_lines: Vec::new(),
        }
    }

    #[test]
    fn moves_are_ranked_by_size() {
        let corrections = [
            Correction {
                first: station("a", 500, 200),
                current: station("a", 520, 230),
                versions: 2,
            },
            Correction {
                first: station("b", 500, 200),
                current: station("b", 400, 195),
                versions: 3,
            },
        ];
        let res = versions(&corrections, 10, 0, 5);
        let order: Vec<&str> = res.by_turnout.iter().map(|it| it.station.as_str()).collect();
        assert_eq!(order, ["b", "a"]);
        assert!((res.by_turnout[0].turnout_change + 10.0).abs() < 1e-9);
        assert_eq!(res.by_leader[0].station, "a");
        assert_eq!(res.leader_change_total, 25);
        assert_eq!((res.selection.kept, res.selection.dropped_total()), (2, 8));
    }
}
