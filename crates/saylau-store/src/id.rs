//! Validated text identifiers of the store: elections, commissions, stations, party lists,
//! and the kind and subject of a log entry.
//!
//! Identifiers are codes, not names: 1 to 128 bytes, no control characters and no
//! whitespace at either end, so that they print and compare without surprises.

use std::fmt;
use std::str::FromStr;

/// The longest identifier, in bytes.
pub const MAX_ID_BYTES: usize = 128;

/// A text that cannot be an identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} id `{text}` {problem}")]
pub struct IdError {
    /// What the identifier was for, such as `station`.
    pub what: &'static str,
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
    pub problem: &'static str,
}

fn check(text: &str, what: &'static str) -> Result<(), IdError> {
    let problem = if text.is_empty() {
        "is empty"
    } else if text.len() > MAX_ID_BYTES {
        "is longer than 128 bytes"
    } else if text.chars().any(char::is_control) {
        "contains a control character"
    } else if text.trim() != text {
        "starts or ends with whitespace"
    } else {
        return Ok(());
    };
    Err(IdError { what, text: text.to_owned(), problem })
}

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Checks `text` (see the module doc) and wraps it.
            pub fn new(text: &str) -> Result<$name, IdError> {
                check(text, $what)?;
                Ok($name(text.to_owned()))
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(text: &str) -> Result<$name, IdError> {
                $name::new(text)
            }
        }
    };
}

text_id!(
    /// An election, such as `mazhilis-2026`.
    ElectionId,
    "election"
);
text_id!(
    /// An election commission (избирательная комиссия): the CEC, a territorial commission
    /// (ТИК) or a precinct commission (УИК).
    CommissionId,
    "commission"
);
text_id!(
    /// A polling station (избирательный участок), such as `12-034`.
    StationId,
    "station"
);
text_id!(
    /// A party list registered for an election.
    ListId,
    "list"
);
text_id!(
    /// What a log entry's payload is, such as `protocol`.
    Kind,
    "kind"
);
text_id!(
    /// What a log entry is about: for a protocol, the id of its polling station. Versions
    /// are numbered per election, kind and subject.
    Subject,
    "subject"
);

#[cfg(test)]
mod tests {
    use super::StationId;

    fn check(input: &str, expect: &str) {
        let res = match StationId::new(input) {
            Ok(id) => format!("ok {id}"),
            Err(err) => err.to_string(),
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn identifiers_are_printable_codes() {
        check("12-034", "ok 12-034");
        check("Алматы 1", "ok Алматы 1");
        check("", "station id `` is empty");
        check(" 12", "station id ` 12` starts or ends with whitespace");
        check("a\nb", "station id `a\nb` contains a control character");
        check(
            &"x".repeat(129),
            &format!("station id `{}` is longer than 128 bytes", "x".repeat(129)),
        );
    }
}
