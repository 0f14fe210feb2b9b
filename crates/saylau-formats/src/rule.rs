//! The stable rule codes of election-file diagnostics.
//!
//! A code never changes meaning once published; a new kind of problem gets a new code.
//! `docs/election-format.md` explains each one, and a test checks that every code here is
//! documented there.

/// The file is not valid TOML.
pub const SYNTAX: &str = "E-1";
/// The file cannot be read.
pub const UNREADABLE: &str = "E-2";
/// A key the format does not define.
pub const UNKNOWN_KEY: &str = "E-3";
/// A required key is missing.
pub const MISSING_KEY: &str = "E-4";
/// A value of the wrong kind: a string where a table is expected, for example.
pub const WRONG_TYPE: &str = "E-5";
/// A TOML float: floats are never read, exact numbers are written as quoted strings.
pub const FLOAT: &str = "E-6";
/// An unsupported `[election] format` version.
pub const FORMAT_VERSION: &str = "E-7";
/// A name outside its list of choices (method, quota, base, tie criterion, rounding).
pub const UNKNOWN_CHOICE: &str = "E-8";
/// Not a percentage between 0% and 100%.
pub const PERCENT: &str = "E-9";
/// Not an exact non-negative decimal number or fraction, or not a usable one.
pub const EXACT_NUMBER: &str = "E-10";
/// A count of seats or lists that is not a whole number in its range.
pub const COUNT: &str = "E-11";
/// Not a whole number of votes, or votes whose total does not fit.
pub const VOTES: &str = "E-12";
/// Two lists share an id.
pub const DUPLICATE_LIST: &str = "E-13";
/// Empty text where a value is needed (a list id, a name, a citation).
pub const EMPTY_TEXT: &str = "E-14";
/// No lists at all.
pub const NO_LISTS: &str = "E-15";
/// Fewer participants than valid votes.
pub const PARTICIPANTS_BELOW_VALID: &str = "E-16";
/// An option that does not apply to the chosen method or that needs another option.
pub const NOT_APPLICABLE: &str = "E-17";
/// A tie rule that is empty or repeats a criterion.
pub const TIE_RULE: &str = "E-18";
/// The 2009 runner-up rule (art. 97-1 p. 3) set up inconsistently.
pub const RUNNER_UP: &str = "E-19";
/// The threshold base is participants, but the number of participants is not given.
pub const MISSING_PARTICIPANTS: &str = "E-20";
/// Official seats in a `[scenario]` file, whose rules or numbers are not the real ones.
pub const OFFICIAL_IN_SCENARIO: &str = "E-21";
/// Official or expected seats given for only some lists, or not adding up to the seats.
pub const SEAT_TOTAL: &str = "E-22";
/// An override that is not of the form `key.path=value`.
pub const OVERRIDE_SYNTAX: &str = "E-23";
/// An override whose path leads nowhere: an unknown list id, or through a non-table.
pub const OVERRIDE_PATH: &str = "E-24";
/// Not a calendar date written `YYYY-MM-DD` (candidate and list files).
pub const DATE: &str = "E-25";
/// A CSV file whose structure is broken: an unterminated quote, a row with the wrong
/// number of fields, or a column named twice.
pub const CSV_STRUCTURE: &str = "E-26";
/// A candidate's age given both as a birth date and as an age, or neither, or a birth
/// date after election day.
pub const AGE: &str = "E-27";
/// Candidates of one race give different numbers of voters on its roll.
pub const RACE_VOTERS: &str = "E-28";
/// A name or identifier repeated where it must be unique: a candidate on a list, a list,
/// a rule kind, a regime, a region set or a region.
pub const DUPLICATE_NAME: &str = "E-29";
/// Chosen or leaving deputies who are not candidates of the list or are named twice, or
/// chosen deputies not as many as the seats.
pub const LIST_NAMES: &str = "E-30";
/// An unknown region set or region, or a region of the set missing from a membership.
pub const REGION: &str = "E-31";
/// More seats, women or group members than candidates, or a women percentage that no
/// whole number of women fits.
pub const COUNT_EXCEEDS: &str = "E-32";

/// Two entries of one kind share an id in a plurality, funding, table or lot file: races,
/// parties, conditions, columns, rows, strata, commissions or lot items.
pub const DUPLICATE_ID: &str = "E-33";
/// A reference to an id the file does not define: a party missing from `[parties]`, a
/// condition a party meets, a column a relation names.
pub const UNKNOWN_REFERENCE: &str = "E-34";
/// Nothing to work on: a race without candidates, or a file without races, parties,
/// columns, rows, lot items or strata.
pub const NO_ENTRIES: &str = "E-35";
/// A race whose participants exceed its voters on the roll.
pub const VOTERS_BELOW_PARTICIPANTS: &str = "E-36";
/// Conditional shares of a party subsidy that add up to more than 100%.
pub const SHARES_ABOVE_WHOLE: &str = "E-37";
/// A published table whose parts do not fit: a cell of the wrong kind for its column or
/// row, two total or shares rows, or a relation that needs a missing row or adds percentages.
pub const TABLE_STRUCTURE: &str = "E-38";
/// A stratum with fewer volunteers than the seats it must fill in all commissions.
pub const TOO_FEW_VOLUNTEERS: &str = "E-39";
/// CSV rows of one race that disagree on a field of the race (region, seats, against_all,
/// voters, participants).
pub const RACE_FIELDS: &str = "E-40";
/// Not a whole, non-negative amount of money in tenge.
pub const AMOUNT: &str = "E-41";
/// A key, table or value that does not fit the file's `system`: districts in a list file,
/// electorates outside a mixed system, a national threshold in a biproportional one.
pub const SYSTEM_MISMATCH: &str = "E-42";
/// District magnitudes that cannot be found or do not add up: seats given for some
/// districts only, no population to apportion by, a house that is not their sum, a
/// minimum the house cannot give.
pub const MAGNITUDES: &str = "E-43";
/// Votes or recorded seats in the wrong shape: one number where the system needs them
/// per district, or per district where it needs one number.
pub const VOTE_SHAPE: &str = "E-44";
/// Single-member seats that do not add up: electorates won plus vacant seats differ from
/// `single_member_seats`, or a mixed house without list seats.
pub const SINGLE_MEMBER_SEATS: &str = "E-45";
/// A `[model]` of modelled numbers that is not labelled or lacks its data: no
/// `[scenario] modelled = true`, or a district without a population to split votes by.
pub const MODEL: &str = "E-46";
/// Every rule code, in order.
pub const ALL: [&str; 46] = [
    SYNTAX,
    UNREADABLE,
    UNKNOWN_KEY,
    MISSING_KEY,
    WRONG_TYPE,
    FLOAT,
    FORMAT_VERSION,
    UNKNOWN_CHOICE,
    PERCENT,
    EXACT_NUMBER,
    COUNT,
    VOTES,
    DUPLICATE_LIST,
    EMPTY_TEXT,
    NO_LISTS,
    PARTICIPANTS_BELOW_VALID,
    NOT_APPLICABLE,
    TIE_RULE,
    RUNNER_UP,
    MISSING_PARTICIPANTS,
    OFFICIAL_IN_SCENARIO,
    SEAT_TOTAL,
    OVERRIDE_SYNTAX,
    OVERRIDE_PATH,
    DATE,
    CSV_STRUCTURE,
    AGE,
    RACE_VOTERS,
    DUPLICATE_NAME,
    LIST_NAMES,
    REGION,
    COUNT_EXCEEDS,
    DUPLICATE_ID,
    UNKNOWN_REFERENCE,
    NO_ENTRIES,
    VOTERS_BELOW_PARTICIPANTS,
    SHARES_ABOVE_WHOLE,
    TABLE_STRUCTURE,
    TOO_FEW_VOLUNTEERS,
    RACE_FIELDS,
    AMOUNT,
    SYSTEM_MISMATCH,
    MAGNITUDES,
    VOTE_SHAPE,
    SINGLE_MEMBER_SEATS,
    MODEL,
];

/// A protocol file without its marker (`# saylau-protocols v1`, or JSON `"format":
/// "saylau-protocols"` with `"version": 1`), or of another version (`docs/protocol.md`).
pub const PROTOCOL_FORMAT_MARKER: &str = "F-1";
/// A protocol file's header or list table is unusable: a required column missing or
/// named twice, an unknown column, no list column, a named list without a column.
pub const PROTOCOL_HEADER: &str = "F-2";
/// A protocol row that is not a row: the wrong number of fields, text that is not UTF-8,
/// a JSON protocol that is not an object or a field of the wrong JSON type.
pub const PROTOCOL_ROW: &str = "F-3";
/// A protocol line that is not a whole number (digits only, at most 64 bits).
pub const PROTOCOL_NUMBER: &str = "F-4";
/// A station id that is not `RR-DD-SSSS` (see `saylau_core::commission`).
pub const STATION_ID: &str = "F-5";
/// A region or district id that is not the station's commission.
pub const COMMISSION_MISMATCH: &str = "F-6";
/// A commission named differently than on an earlier good row.
pub const COMMISSION_NAME: &str = "F-7";
/// A station on more than one row: every row after its first is rejected.
pub const DUPLICATE_STATION: &str = "F-8";
/// A protocol file that cannot be read, or a JSON file that is not UTF-8.
pub const PROTOCOL_UNREADABLE: &str = "F-9";
/// A JSON protocol file that is not valid JSON.
pub const PROTOCOL_JSON: &str = "F-10";
/// A JSON key missing or unknown, at the top level or in a protocol object.
pub const PROTOCOL_KEY: &str = "F-11";

/// Every protocol file rule code, in order. The control relations of the protocols
/// themselves have the codes of `saylau_core::protocol::rule` (`P-1` ...).
pub const PROTOCOL_ALL: [&str; 11] = [
    PROTOCOL_FORMAT_MARKER,
    PROTOCOL_HEADER,
    PROTOCOL_ROW,
    PROTOCOL_NUMBER,
    STATION_ID,
    COMMISSION_MISMATCH,
    COMMISSION_NAME,
    DUPLICATE_STATION,
    PROTOCOL_UNREADABLE,
    PROTOCOL_JSON,
    PROTOCOL_KEY,
];

/// A station table that cannot be read (file, gzip stream or header).
pub const STATION_UNREADABLE: &str = "S-1";
/// A station table's header lacks a mapped column, or the mapping names no ballots-issued or
/// list column.
pub const STATION_HEADER: &str = "S-2";
/// A column mapping (TOML) that cannot be read: bad syntax, an unknown key, a wrong type.
pub const STATION_MAPPING: &str = "S-3";
/// A station row that is not a row: bad CSV, or the wrong number of fields.
pub const STATION_ROW: &str = "S-4";
/// An empty cell where a number or the station id is needed.
pub const STATION_EMPTY: &str = "S-5";
/// A cell that is not a whole, non-negative number.
pub const STATION_NUMBER: &str = "S-6";
/// A station with no voters on the roll.
pub const STATION_NO_VOTERS: &str = "S-7";
/// A station whose lists' votes add up to more than its valid ballots.
pub const STATION_VOTES_ABOVE_BALLOTS: &str = "S-8";
/// A station id on more than one row: every row after its first is rejected.
pub const STATION_DUPLICATE: &str = "S-9";

/// Every station table rule code, in order.
pub const STATION_ALL: [&str; 9] = [
    STATION_UNREADABLE,
    STATION_HEADER,
    STATION_MAPPING,
    STATION_ROW,
    STATION_EMPTY,
    STATION_NUMBER,
    STATION_NO_VOTERS,
    STATION_VOTES_ABOVE_BALLOTS,
    STATION_DUPLICATE,
];
