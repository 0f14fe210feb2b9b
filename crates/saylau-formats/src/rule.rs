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

/// Every rule code, in order.
pub const ALL: [&str; 24] = [
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
];
