//! Incidents that observers report at a polling station: a taxonomy with stable codes and
//! trilingual labels, and the follow-up workflow of a report (`docs/observation.md`,
//! "Incidents").
//!
//! The taxonomy covers the violations the seed document names for the 2021 Mazhilis
//! election (ballot stuffing, inflated turnout, extra-list entries, unsealed boxes,
//! unauthorised persons, counts started late or hidden, protocols not posted, copies
//! refused, observers not admitted or removed) and the kinds observer groups of the
//! region log besides (carousel voting, voting without documents or for others, pressure
//! on voters), with [`IncidentType::Other`] for the rest, which needs a note.
//!
//! The workflow is a small state machine ([`IncidentState::can_move_to`]): a report is
//! filed with the commission, the commission answers, the answer may be taken to court,
//! and any open report may be closed.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// A kind of violation. The code ([`IncidentType::code`]) is stable: files, the log's
/// payloads and `--json` use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "&'static str")]
pub enum IncidentType {
    /// Ballots put into the box by others than voters (вброс бюллетеней).
    BallotStuffing,
    /// The same people voting at several stations (карусель).
    Carousel,
    /// More voters recorded than came (завышение явки, signatures missing on the roll).
    InflatedTurnout,
    /// Ballots issued without an identity document, or to one person for others.
    VotingWithoutDocuments,
    /// Voters added on the day to the extra list in numbers that suggest abuse.
    ExtraListEntries,
    /// A ballot box not sealed as the law requires.
    UnsealedBox,
    /// Persons with no right to be there present in the station.
    UnauthorisedPersons,
    /// An observer removed from the station.
    ObserverRemoved,
    /// An observer not let into the station.
    ObserverNotAdmitted,
    /// A certified copy of the protocol refused to an observer.
    CopyRefused,
    /// The count not started at once after the close, or hidden from observers.
    CountLateOrHidden,
    /// The protocol not posted for public view at the station.
    ProtocolNotPosted,
    /// Voters pressed or bribed to vote, or to vote one way.
    VoterPressure,
    /// Anything else; the report must say what in its note.
    Other,
}

/// Every incident type, in the order of the taxonomy.
pub const INCIDENT_TYPES: [IncidentType; 14] = [
    IncidentType::BallotStuffing,
    IncidentType::Carousel,
    IncidentType::InflatedTurnout,
    IncidentType::VotingWithoutDocuments,
    IncidentType::ExtraListEntries,
    IncidentType::UnsealedBox,
    IncidentType::UnauthorisedPersons,
    IncidentType::ObserverRemoved,
    IncidentType::ObserverNotAdmitted,
    IncidentType::CopyRefused,
    IncidentType::CountLateOrHidden,
    IncidentType::ProtocolNotPosted,
    IncidentType::VoterPressure,
    IncidentType::Other,
];

/// A label in the three languages users read: Kazakh, Russian, English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Labels {
    /// Kazakh.
    pub kk: &'static str,
    /// Russian.
    pub ru: &'static str,
    /// English.
    pub en: &'static str,
}

impl IncidentType {
    /// The stable code, such as `ballot-stuffing`.
    pub fn code(self) -> &'static str {
        match self {
            IncidentType::BallotStuffing => "ballot-stuffing",
            IncidentType::Carousel => "carousel",
            IncidentType::InflatedTurnout => "inflated-turnout",
            IncidentType::VotingWithoutDocuments => "voting-without-documents",
            IncidentType::ExtraListEntries => "extra-list-entries",
            IncidentType::UnsealedBox => "unsealed-box",
            IncidentType::UnauthorisedPersons => "unauthorised-persons",
            IncidentType::ObserverRemoved => "observer-removed",
            IncidentType::ObserverNotAdmitted => "observer-not-admitted",
            IncidentType::CopyRefused => "copy-refused",
            IncidentType::CountLateOrHidden => "count-late-or-hidden",
            IncidentType::ProtocolNotPosted => "protocol-not-posted",
            IncidentType::VoterPressure => "voter-pressure",
            IncidentType::Other => "other",
        }
    }

    /// The label in Kazakh, Russian and English.
    pub fn labels(self) -> Labels {
        let (kk, ru, en) = match self {
            IncidentType::BallotStuffing => {
                ("Бюллетеньдерді жәшікке салу", "Вброс бюллетеней", "Ballot stuffing")
            }
            IncidentType::Carousel => ("«Карусель»", "«Карусель»", "Carousel voting"),
            IncidentType::InflatedTurnout => {
                ("Сайлаушылар белсенділігін арттыру", "Завышение явки", "Inflated turnout")
            }
            IncidentType::VotingWithoutDocuments => (
                "Құжатсыз немесе басқа адам үшін дауыс беру",
                "Голосование без документов или за других",
                "Voting without documents or for others",
            ),
            IncidentType::ExtraListEntries => {
                ("Қосымша тізімге жазбалар", "Записи в дополнительном списке", "Extra-list entries")
            }
            IncidentType::UnsealedBox => {
                ("Мөрленбеген жәшік", "Неопечатанная урна", "Unsealed ballot box")
            }
            IncidentType::UnauthorisedPersons => (
                "Бөгде адамдардың болуы",
                "Присутствие посторонних лиц",
                "Unauthorised persons present",
            ),
            IncidentType::ObserverRemoved => {
                ("Байқаушыны шығарып жіберу", "Удаление наблюдателя", "Observer removed")
            }
            IncidentType::ObserverNotAdmitted => {
                ("Байқаушыны кіргізбеу", "Наблюдатель не допущен", "Observer not admitted")
            }
            IncidentType::CopyRefused => (
                "Хаттама көшірмесін беруден бас тарту",
                "Отказ в выдаче копии протокола",
                "Protocol copy refused",
            ),
            IncidentType::CountLateOrHidden => (
                "Санау кешіктірілді немесе жасырын өтті",
                "Подсчёт начат с опозданием или скрыт",
                "Count started late or hidden",
            ),
            IncidentType::ProtocolNotPosted => {
                ("Хаттама ілінбеді", "Протокол не вывешен", "Protocol not posted")
            }
            IncidentType::VoterPressure => {
                ("Сайлаушыларға қысым", "Давление на избирателей", "Pressure on voters")
            }
            IncidentType::Other => ("Басқа", "Другое", "Other"),
        };
        Labels { kk, ru, en }
    }

    /// Whether a report of this type needs a note saying what happened (only `other`).
    pub fn needs_note(self) -> bool {
        self == IncidentType::Other
    }
}

/// A code that is not an incident type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code:?} is not an incident type; the types are {}", codes(&INCIDENT_TYPES))]
pub struct UnknownType {
    /// The code as given.
    pub code: String,
}

fn codes(types: &[IncidentType]) -> String {
    types.iter().map(|it| it.code()).collect::<Vec<_>>().join(", ")
}

impl FromStr for IncidentType {
    type Err = UnknownType;

    fn from_str(code: &str) -> Result<IncidentType, UnknownType> {
        INCIDENT_TYPES
            .into_iter()
            .find(|it| it.code() == code)
            .ok_or_else(|| UnknownType { code: code.to_owned() })
    }
}

impl From<IncidentType> for &'static str {
    fn from(kind: IncidentType) -> &'static str {
        kind.code()
    }
}

impl fmt::Display for IncidentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Where a report is in its follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "&'static str")]
pub enum IncidentState {
    /// Recorded by the observer organisation.
    Reported,
    /// Filed as a complaint with the election commission.
    Filed,
    /// The commission answered.
    Answered,
    /// Taken to court.
    InCourt,
    /// Closed: nothing more will be done.
    Closed,
}

/// Every state, in the workflow's order.
pub const INCIDENT_STATES: [IncidentState; 5] = [
    IncidentState::Reported,
    IncidentState::Filed,
    IncidentState::Answered,
    IncidentState::InCourt,
    IncidentState::Closed,
];

impl IncidentState {
    /// The stable code: `reported`, `filed`, `answered`, `in-court`, `closed`.
    pub fn code(self) -> &'static str {
        match self {
            IncidentState::Reported => "reported",
            IncidentState::Filed => "filed",
            IncidentState::Answered => "answered",
            IncidentState::InCourt => "in-court",
            IncidentState::Closed => "closed",
        }
    }

    /// The label in Kazakh, Russian and English.
    pub fn labels(self) -> Labels {
        let (kk, ru, en) = match self {
            IncidentState::Reported => ("Тіркелді", "Зафиксировано", "Reported"),
            IncidentState::Filed => (
                "Комиссияға шағым берілді",
                "Жалоба подана в комиссию",
                "Filed with the commission",
            ),
            IncidentState::Answered => ("Комиссия жауап берді", "Комиссия ответила", "Answered"),
            IncidentState::InCourt => ("Сотқа берілді", "Передано в суд", "Taken to court"),
            IncidentState::Closed => ("Жабылды", "Закрыто", "Closed"),
        };
        Labels { kk, ru, en }
    }

    /// Whether a report may move from this state to `to`: reported → filed → answered →
    /// in court, a filed complaint left unanswered may go to court, and every open state
    /// may be closed. Nothing leaves `closed`, and no state moves to itself or back.
    pub fn can_move_to(self, to: IncidentState) -> bool {
        use IncidentState::{Answered, Closed, Filed, InCourt, Reported};
        matches!(
            (self, to),
            (Reported, Filed)
                | (Filed, Answered)
                | (Filed, InCourt)
                | (Answered, InCourt)
                | (Reported | Filed | Answered | InCourt, Closed)
        )
    }

    /// The states this one may move to.
    pub fn next_states(self) -> Vec<IncidentState> {
        INCIDENT_STATES.into_iter().filter(|to| self.can_move_to(*to)).collect()
    }
}

/// A code that is not a workflow state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{code:?} is not an incident state; the states are reported, filed, answered, in-court, closed"
)]
pub struct UnknownState {
    /// The code as given.
    pub code: String,
}

impl FromStr for IncidentState {
    type Err = UnknownState;

    fn from_str(code: &str) -> Result<IncidentState, UnknownState> {
        INCIDENT_STATES
            .into_iter()
            .find(|it| it.code() == code)
            .ok_or_else(|| UnknownState { code: code.to_owned() })
    }
}

impl From<IncidentState> for &'static str {
    fn from(state: IncidentState) -> &'static str {
        state.code()
    }
}

impl fmt::Display for IncidentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A time of day as reports give it: `YYYY-MM-DDTHH:MM[:SS]` and an optional zone
/// (`Z`, `+06:00`). Returns the hour (0-23) written in the time, which is the local hour
/// of the station when no zone is given.
pub fn hour_of(time: &str) -> Option<u8> {
    let bytes = time.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range.clone())
            .filter(|it| it.iter().all(u8::is_ascii_digit))
            .map(|_| time[range].parse::<u32>().unwrap_or(u32::MAX))
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute) = (digits(11..13)?, digits(14..16)?);
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') || bytes.get(10) != Some(&b'T') {
        return None;
    }
    if bytes.get(13) != Some(&b':') || year < 1900 || !(1..=12).contains(&month) {
        return None;
    }
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let mut rest = &time[16..];
    if let Some(seconds) = rest.strip_prefix(':') {
        let ok = seconds.len() >= 2
            && seconds.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && seconds[..2].parse::<u8>().is_ok_and(|it| it < 60);
        if !ok {
            return None;
        }
        rest = &seconds[2..];
    }
    let zone_ok = rest.is_empty()
        || rest == "Z"
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':'
            && rest.as_bytes()[1..3].iter().chain(&rest.as_bytes()[4..6]).all(u8::is_ascii_digit));
    zone_ok.then(|| u8::try_from(hour).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::{INCIDENT_STATES, INCIDENT_TYPES, IncidentState, IncidentType, hour_of};

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut codes: Vec<&str> = INCIDENT_TYPES.iter().map(|it| it.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), INCIDENT_TYPES.len());
        for kind in INCIDENT_TYPES {
            assert_eq!(kind.code().parse::<IncidentType>(), Ok(kind));
            let labels = kind.labels();
            assert!(!labels.kk.is_empty() && !labels.ru.is_empty() && !labels.en.is_empty());
            let json = serde_json::to_string(&kind).expect("a code");
            assert_eq!(json, format!("\"{}\"", kind.code()));
        }
        assert!("stuffing".parse::<IncidentType>().is_err());
        assert!(IncidentType::Other.needs_note() && !IncidentType::Carousel.needs_note());
    }

    #[test]
    fn the_workflow_moves_only_forward() {
        use IncidentState::{Answered, Closed, Filed, InCourt, Reported};
        assert_eq!(Reported.next_states(), [Filed, Closed]);
        assert_eq!(Filed.next_states(), [Answered, InCourt, Closed]);
        assert_eq!(Answered.next_states(), [InCourt, Closed]);
        assert_eq!(InCourt.next_states(), [Closed]);
        assert!(Closed.next_states().is_empty());
        for state in INCIDENT_STATES {
            assert!(!state.can_move_to(state), "{state} to itself");
            assert!(!state.can_move_to(Reported), "{state} back to reported");
            assert_eq!(state.code().parse::<IncidentState>(), Ok(state));
        }
        assert!(!Reported.can_move_to(Answered) && !Reported.can_move_to(InCourt));
    }

    #[test]
    fn hours_are_read_from_valid_times_only() {
        assert_eq!(hour_of("2021-01-10T20:40"), Some(20));
        assert_eq!(hour_of("2021-01-10T07:05:09+06:00"), Some(7));
        assert_eq!(hour_of("2021-01-10T23:59:59Z"), Some(23));
        for bad in [
            "2021-01-10 20:40",
            "2021-13-10T20:40",
            "2021-01-10T24:00",
            "2021-01-10T20",
            "2021-01-10T20:40+6",
            "2021-01-10T20:40:61",
            "",
            "２０２１-01-10T20:40",
        ] {
            assert_eq!(hour_of(bad), None, "{bad}");
        }
    }
}
