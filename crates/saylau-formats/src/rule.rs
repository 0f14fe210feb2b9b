//! The stable rule codes of diagnostics: one enum per family of codes.
//!
//! [`FileRule`] (`E-1` ...) is broken by election, candidate, list, plurality, funding,
//! table and lot files (`docs/election-format.md`); [`ProtocolFileRule`] (`F-1` ...) by
//! protocol files, and [`ProtocolRule`] (`P-1` ...) by the protocols themselves
//! (`docs/protocol.md`). A code never changes meaning once published; a new kind of
//! problem gets a new variant and a new code. A test checks the docs' tables against these
//! enums both ways.

use std::fmt;

use saylau_core::count::protocol::rule::ProtocolRule;
use serde::{Serialize, Serializer};
use strum::{AsRefStr, Display, EnumIter, IntoStaticStr};

/// A rule of the election file format and the other TOML/CSV input files; its
/// [`Display`](std::fmt::Display) is its code (`E-1` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Display, AsRefStr, IntoStaticStr, EnumIter)]
#[non_exhaustive]
pub enum FileRule {
    /// The file is not valid TOML.
    #[strum(serialize = "E-1")]
    Syntax,
    /// The file cannot be read.
    #[strum(serialize = "E-2")]
    Unreadable,
    /// A key the format does not define.
    #[strum(serialize = "E-3")]
    UnknownKey,
    /// A required key is missing.
    #[strum(serialize = "E-4")]
    MissingKey,
    /// A value of the wrong kind: a string where a table is expected, for example.
    #[strum(serialize = "E-5")]
    WrongType,
    /// A TOML float: floats are never read, exact numbers are written as quoted strings.
    #[strum(serialize = "E-6")]
    Float,
    /// An unsupported `[election] format` version.
    #[strum(serialize = "E-7")]
    FormatVersion,
    /// A name outside its list of choices (method, quota, base, tie criterion, rounding).
    #[strum(serialize = "E-8")]
    UnknownChoice,
    /// Not a percentage between 0% and 100%.
    #[strum(serialize = "E-9")]
    Percent,
    /// Not an exact non-negative decimal number or fraction, or not a usable one.
    #[strum(serialize = "E-10")]
    ExactNumber,
    /// A count of seats or lists that is not a whole number in its range.
    #[strum(serialize = "E-11")]
    Count,
    /// Not a whole number of votes, or votes whose total does not fit.
    #[strum(serialize = "E-12")]
    Votes,
    /// Two lists share an id.
    #[strum(serialize = "E-13")]
    DuplicateList,
    /// Empty text where a value is needed (a list id, a name, a citation).
    #[strum(serialize = "E-14")]
    EmptyText,
    /// No lists at all.
    #[strum(serialize = "E-15")]
    NoLists,
    /// Fewer participants than valid votes.
    #[strum(serialize = "E-16")]
    ParticipantsBelowValid,
    /// An option that does not apply to the chosen method or that needs another option.
    #[strum(serialize = "E-17")]
    NotApplicable,
    /// A tie rule that is empty or repeats a criterion.
    #[strum(serialize = "E-18")]
    TieRule,
    /// The 2009 runner-up rule (art. 97-1 p. 3) set up inconsistently.
    #[strum(serialize = "E-19")]
    RunnerUp,
    /// The threshold base is participants, but the number of participants is not given.
    #[strum(serialize = "E-20")]
    MissingParticipants,
    /// Official seats in a `[scenario]` file, whose rules or numbers are not the real ones.
    #[strum(serialize = "E-21")]
    OfficialInScenario,
    /// Official or expected seats given for only some lists, or not adding up to the seats.
    #[strum(serialize = "E-22")]
    SeatTotal,
    /// An override that is not of the form `key.path=value`.
    #[strum(serialize = "E-23")]
    OverrideSyntax,
    /// An override whose path leads nowhere: an unknown list id, or through a non-table.
    #[strum(serialize = "E-24")]
    OverridePath,
    /// Not a calendar date written `YYYY-MM-DD` (candidate and list files).
    #[strum(serialize = "E-25")]
    Date,
    /// A CSV file whose structure is broken: an unterminated quote, a row with the wrong
    /// number of fields, or a column named twice.
    #[strum(serialize = "E-26")]
    CsvStructure,
    /// A candidate's age given both as a birth date and as an age, or neither, or a birth
    /// date after election day.
    #[strum(serialize = "E-27")]
    Age,
    /// Candidates of one race give different numbers of voters on its roll.
    #[strum(serialize = "E-28")]
    RaceVoters,
    /// A name or identifier repeated where it must be unique: a candidate on a list, a list,
    /// a rule kind, a regime, a region set or a region.
    #[strum(serialize = "E-29")]
    DuplicateName,
    /// Chosen or leaving deputies who are not candidates of the list or are named twice, or
    /// chosen deputies not as many as the seats.
    #[strum(serialize = "E-30")]
    ListNames,
    /// An unknown region set or region, or a region of the set missing from a membership.
    #[strum(serialize = "E-31")]
    Region,
    /// More seats, women or group members than candidates, or a women percentage that no
    /// whole number of women fits.
    #[strum(serialize = "E-32")]
    CountExceeds,
    /// Two entries of one kind share an id in a plurality, funding, table or lot file: races,
    /// parties, conditions, columns, rows, strata, commissions or lot items.
    #[strum(serialize = "E-33")]
    DuplicateId,
    /// A reference to an id the file does not define: a party missing from `[parties]`, a
    /// condition a party meets, a column a relation names.
    #[strum(serialize = "E-34")]
    UnknownReference,
    /// Nothing to work on: a race without candidates, or a file without races, parties,
    /// columns, rows, lot items or strata.
    #[strum(serialize = "E-35")]
    NoEntries,
    /// A race whose participants exceed its voters on the roll.
    #[strum(serialize = "E-36")]
    VotersBelowParticipants,
    /// Conditional shares of a party subsidy that add up to more than 100%.
    #[strum(serialize = "E-37")]
    SharesAboveWhole,
    /// A published table whose parts do not fit: a cell of the wrong kind for its column or
    /// row, two total or shares rows, or a relation that needs a missing row or adds percentages.
    #[strum(serialize = "E-38")]
    TableStructure,
    /// A stratum with fewer volunteers than the seats it must fill in all commissions.
    #[strum(serialize = "E-39")]
    TooFewVolunteers,
    /// CSV rows of one race that disagree on a field of the race (region, seats, against_all,
    /// voters, participants).
    #[strum(serialize = "E-40")]
    RaceFields,
    /// Not a whole, non-negative amount of money in tenge.
    #[strum(serialize = "E-41")]
    Amount,
    /// A key, table or value that does not fit the file's `system`: districts in a list file,
    /// electorates outside a mixed system, a national threshold in a biproportional one.
    #[strum(serialize = "E-42")]
    SystemMismatch,
    /// District magnitudes that cannot be found or do not add up: seats given for some
    /// districts only, no population to apportion by, a house that is not their sum, a
    /// minimum the house cannot give.
    #[strum(serialize = "E-43")]
    Magnitudes,
    /// Votes or recorded seats in the wrong shape: one number where the system needs them
    /// per district, or per district where it needs one number.
    #[strum(serialize = "E-44")]
    VoteShape,
    /// Single-member seats that do not add up: electorates won plus vacant seats differ from
    /// `single_member_seats`, or a mixed house without list seats.
    #[strum(serialize = "E-45")]
    SingleMemberSeats,
    /// A `[model]` of modelled numbers that is not labelled or lacks its data: no
    /// `[scenario] modelled = true`, or a district without a population to split votes by.
    #[strum(serialize = "E-46")]
    Model,
    /// An id with a character other than a letter, a digit or one of `-_.:/+`: no spaces, line
    /// breaks or markup, so that an id prints safely in a table, a CSV cell or a web page.
    #[strum(serialize = "E-47")]
    IdCharacters,
    /// More than a limit allows: seats, lists, districts, races or items past what saylau
    /// computes (a limit of resources, not of the law).
    #[strum(serialize = "E-48")]
    Limit,
    /// A calendar whose events or periods do not fit: an event with both or neither of
    /// `days_before` and `days_after`, more than ten years from election day, a time that
    /// is not `HH:MM`, or a period that ends before it starts.
    #[strum(serialize = "E-49")]
    Calendar,
    /// Preference votes that do not fit an open list: given for some candidates of a list
    /// only, without the list's `votes` (or `votes` without them), more than the list's
    /// votes for one candidate, on a summary list, or without an `[open_list]` rule (or a
    /// rule without them).
    #[strum(serialize = "E-50")]
    Preferences,
    /// A council vote's round whose counts do not fit: more members present than the
    /// council has, or more votes than members present (`docs/council.md`).
    #[strum(serialize = "E-51")]
    CouncilCount,
}

/// A rule of the protocol file format (`# saylau-protocols v1` CSV, or JSON); its
/// [`Display`](std::fmt::Display) is its code (`F-1` ...). The control relations of the
/// protocols themselves are [`ProtocolRule`]s (`P-1` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Display, AsRefStr, IntoStaticStr, EnumIter)]
#[non_exhaustive]
pub enum ProtocolFileRule {
    /// A protocol file without its marker (`# saylau-protocols v1`, or JSON `"format":
    /// "saylau-protocols"` with `"version": 1`), or of another version (`docs/protocol.md`).
    #[strum(serialize = "F-1")]
    FormatMarker,
    /// A protocol file's header or list table is unusable: a required column missing or
    /// named twice, an unknown column, no list column, a named list without a column.
    #[strum(serialize = "F-2")]
    Header,
    /// A protocol row that is not a row: the wrong number of fields, text that is not UTF-8,
    /// a JSON protocol that is not an object or a field of the wrong JSON type.
    #[strum(serialize = "F-3")]
    Row,
    /// A protocol line that is not a whole number (digits only, at most 64 bits).
    #[strum(serialize = "F-4")]
    Number,
    /// A station id that is not `RR-DD-SSSS` (see `saylau_core::count::commission`).
    #[strum(serialize = "F-5")]
    StationId,
    /// A region or district id that is not the station's commission.
    #[strum(serialize = "F-6")]
    CommissionMismatch,
    /// A commission named differently than on an earlier good row.
    #[strum(serialize = "F-7")]
    CommissionName,
    /// A station on more than one row: every row after its first is rejected.
    #[strum(serialize = "F-8")]
    DuplicateStation,
    /// A protocol file that cannot be read, or a JSON file that is not UTF-8.
    #[strum(serialize = "F-9")]
    Unreadable,
    /// A JSON protocol file that is not valid JSON.
    #[strum(serialize = "F-10")]
    Json,
    /// A JSON key missing or unknown, at the top level or in a protocol object.
    #[strum(serialize = "F-11")]
    Key,
    /// A protocol file past a limit of resources ([`crate::ProtocolLimits`]): a row or a
    /// line before the header longer than 1 MiB, more than 1 MiB before the header, or a
    /// JSON file larger than 512 MiB.
    #[strum(serialize = "F-12")]
    Limit,
    /// A v2 field that is not what it records: a time that is not `YYYY-MM-DDTHH:MM`, a
    /// video SHA-256 that is not 64 hexadecimal digits, or a video without its SHA-256
    /// (or a SHA-256 without a video).
    #[strum(serialize = "F-13")]
    ExtraValue,
}

/// A rule of the generic station table (`docs/forensics.md`); its
/// [`Display`](std::fmt::Display) is its code (`S-1` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Display, AsRefStr, IntoStaticStr, EnumIter)]
#[non_exhaustive]
pub enum StationRule {
    /// A station table that cannot be read (file, gzip stream or header).
    #[strum(serialize = "S-1")]
    Unreadable,
    /// A station table's header lacks a mapped column, or the mapping names no ballots-issued or
    /// list column.
    #[strum(serialize = "S-2")]
    Header,
    /// A column mapping (TOML) that cannot be read: bad syntax, an unknown key, a wrong type.
    #[strum(serialize = "S-3")]
    Mapping,
    /// A station row that is not a row: bad CSV, or the wrong number of fields.
    #[strum(serialize = "S-4")]
    Row,
    /// An empty cell where a number or the station id is needed.
    #[strum(serialize = "S-5")]
    Empty,
    /// A cell that is not a whole, non-negative number.
    #[strum(serialize = "S-6")]
    Number,
    /// A station with no voters on the roll.
    #[strum(serialize = "S-7")]
    NoVoters,
    /// A station whose lists' votes add up to more than its valid ballots.
    #[strum(serialize = "S-8")]
    VotesAboveBallots,
    /// A station id on more than one row: every row after its first is rejected.
    #[strum(serialize = "S-9")]
    Duplicate,
}

/// A rule of the quick count's inputs (frame, plan, draw and reports files, `docs/pvt.md`);
/// its [`Display`](std::fmt::Display) is its code (`Q-1` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Display, AsRefStr, IntoStaticStr, EnumIter)]
#[non_exhaustive]
pub enum QuickCountRule {
    /// The frame file cannot be read, or does not start with `# saylau-stations v1`.
    #[strum(serialize = "Q-1")]
    FrameFile,
    /// A frame row is bad: its station id, its roll, its number of fields, or a repeated
    /// station.
    #[strum(serialize = "Q-2")]
    FrameRow,
    /// The plan file cannot be read or has a bad field.
    #[strum(serialize = "Q-3")]
    PlanFile,
    /// The plan's strata do not cover the frame's stations, or its counts differ from the
    /// frame's.
    #[strum(serialize = "Q-4")]
    PlanCoverage,
    /// The frame is not the one the plan was made from (its SHA-256 differs).
    #[strum(serialize = "Q-5")]
    FrameMismatch,
    /// The draw file is not the lot of its seed over the frame, or not the plan's sample.
    #[strum(serialize = "Q-6")]
    DrawMismatch,
    /// A report is for a station that is not in the frame.
    #[strum(serialize = "Q-7")]
    UnknownStation,
    /// A report is for a station that was not drawn into the sample.
    #[strum(serialize = "Q-8")]
    NotSampled,
    /// The reports' or the official file's lists are not the same lists.
    #[strum(serialize = "Q-9")]
    ListsDiffer,
    /// The design cannot be made (too little history, a bad margin or size).
    #[strum(serialize = "Q-10")]
    Design,
    /// The seat rules cannot be applied to the estimates.
    #[strum(serialize = "Q-11")]
    SeatRules,
    /// The official protocols do not cover exactly the frame's stations.
    #[strum(serialize = "Q-12")]
    OfficialCoverage,
}

/// A rule of observers' input (organisations, keys, copies and statuses,
/// `docs/observation.md`); its [`Display`](std::fmt::Display) is its code (`O-1` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Display, AsRefStr, IntoStaticStr, EnumIter)]
#[non_exhaustive]
pub enum ObservationRule {
    /// A copy or status names a station that is not registered in the election.
    #[strum(serialize = "O-1")]
    UnknownStation,
    /// The key is not registered, or is a commission's key, not an observer's.
    #[strum(serialize = "O-2")]
    NotObserverKey,
    /// The observer key was revoked.
    #[strum(serialize = "O-3")]
    RevokedKey,
    /// The organisation already holds a different copy (or status) of the station.
    #[strum(serialize = "O-4")]
    DuplicateCopy,
    /// A status row is bad: an unknown status, a missing or malformed time.
    #[strum(serialize = "O-5")]
    StatusRow,
    /// The observer organisation is not registered, or is registered already.
    #[strum(serialize = "O-6")]
    Organisation,
    /// Registering an organisation or revoking a key needs the CEC's key.
    #[strum(serialize = "O-7")]
    NotCecKey,
    /// An incident file cannot be read: not CSV or JSON, or not the incident columns.
    #[strum(serialize = "O-8")]
    IncidentFile,
    /// An incident row is bad: an id, type, time, note or evidence field breaks its rule.
    #[strum(serialize = "O-9")]
    IncidentRow,
    /// An evidence file cannot be read, or a stored one's SHA-256 is not the one its
    /// report names.
    #[strum(serialize = "O-10")]
    Evidence,
    /// A change of an incident's state that the workflow does not allow, or has no note.
    #[strum(serialize = "O-11")]
    Workflow,
    /// The organisation has no incident of that id.
    #[strum(serialize = "O-12")]
    UnknownIncident,
    /// The organisation holds a different report under the same incident id.
    #[strum(serialize = "O-13")]
    DuplicateIncident,
    /// A deployment names a user who is not an active observer of the organisation, or
    /// withdraws one from a station they are not deployed to; or an observer files for a
    /// station they are not deployed to.
    #[strum(serialize = "O-14")]
    Deployment,
}

/// A rule of the commissions register (`docs/commissions.md`); its
/// [`Display`](std::fmt::Display) is its code (`C-1` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Display, AsRefStr, IntoStaticStr, EnumIter)]
#[non_exhaustive]
pub enum CommissionRule {
    /// The file cannot be read, or is not a register file (its first line, its header).
    #[strum(serialize = "C-1")]
    File,
    /// A field breaks its rule: an empty id or name, an unknown role, a nominator not of
    /// the form `KIND:NAME` or `self`, a date that is not a day of the calendar.
    #[strum(serialize = "C-2")]
    Field,
    /// The commission is not registered in the election.
    #[strum(serialize = "C-3")]
    UnknownCommission,
    /// The term ends before it begins.
    #[strum(serialize = "C-4")]
    TermOrder,
    /// The person sits on two commissions of the same level at once.
    #[strum(serialize = "C-5")]
    TwoCommissions,
    /// The person is on the same commission twice at once.
    #[strum(serialize = "C-6")]
    Twice,
    /// The commission has more members at once than the law allows.
    #[strum(serialize = "C-7")]
    OverSize,
    /// A party has two nominees on the commission at once (art. 10 p. 3).
    #[strum(serialize = "C-8")]
    PartyTwice,
    /// Two chairs, deputies or secretaries at once.
    #[strum(serialize = "C-9")]
    RoleTwice,
    /// The key is neither the CEC's nor that of a commission above the member's.
    #[strum(serialize = "C-10")]
    NotAuthorised,
}

/// The rule a diagnostic names: a code of any family. It displays and serialises as the
/// code alone (`"E-12"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// A rule of an input file (`E-`).
    File(FileRule),
    /// A rule of a protocol file (`F-`).
    ProtocolFile(ProtocolFileRule),
    /// A control relation of a protocol (`P-`).
    Protocol(ProtocolRule),
    /// A rule of a station table (`S-`).
    Station(StationRule),
    /// A rule of the quick count's inputs (`Q-`).
    QuickCount(QuickCountRule),
    /// A rule of observers' input (`O-`).
    Observation(ObservationRule),
    /// A rule of the commissions register (`C-`).
    Commission(CommissionRule),
}

impl Rule {
    /// The code, such as `E-12`.
    pub fn code(self) -> &'static str {
        match self {
            Rule::File(rule) => rule.into(),
            Rule::ProtocolFile(rule) => rule.into(),
            Rule::Protocol(rule) => rule.code(),
            Rule::Station(rule) => rule.into(),
            Rule::QuickCount(rule) => rule.into(),
            Rule::Observation(rule) => rule.into(),
            Rule::Commission(rule) => rule.into(),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl From<FileRule> for Rule {
    fn from(rule: FileRule) -> Rule {
        Rule::File(rule)
    }
}

impl From<ProtocolFileRule> for Rule {
    fn from(rule: ProtocolFileRule) -> Rule {
        Rule::ProtocolFile(rule)
    }
}

impl From<ProtocolRule> for Rule {
    fn from(rule: ProtocolRule) -> Rule {
        Rule::Protocol(rule)
    }
}

impl From<StationRule> for Rule {
    fn from(rule: StationRule) -> Rule {
        Rule::Station(rule)
    }
}

impl From<QuickCountRule> for Rule {
    fn from(rule: QuickCountRule) -> Rule {
        Rule::QuickCount(rule)
    }
}

impl From<ObservationRule> for Rule {
    fn from(rule: ObservationRule) -> Rule {
        Rule::Observation(rule)
    }
}

impl From<CommissionRule> for Rule {
    fn from(rule: CommissionRule) -> Rule {
        Rule::Commission(rule)
    }
}
