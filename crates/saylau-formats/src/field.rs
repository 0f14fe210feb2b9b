//! Reading typed fields out of the document tree, reporting every bad value.
//!
//! Each reader returns `None` after recording a diagnostic, so a caller reads every field
//! of a file and then builds core types only from the ones that were good. Numbers are
//! exact: percentages and fractions are quoted strings read with `Percent::parse` and
//! `Rational::parse_decimal`, and a TOML float is always an error (rule `E-6`).

use std::cmp::Ordering;

use saylau_core::seats::fraction::Fraction;
use saylau_core::seats::rational::Rational;
use saylau_core::seats::threshold::Percent;
use saylau_core::seats::votes::Votes;

use crate::diagnostic::Sink;
use crate::document::{Node, Origin, Table, Value};
use crate::rule::FileRule;

/// A table being read: its path for field names and its origin for missing keys.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'t> {
    /// The table.
    pub(crate) table: &'t Table,
    /// Its dotted path (empty for the root).
    pub(crate) path: &'t str,
    /// Where it was written.
    pub(crate) origin: Origin,
}

impl<'t> Fields<'t> {
    /// The dotted path of `key` in this table.
    pub(crate) fn field(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) }
    }

    /// The value of `key`, if present.
    pub(crate) fn optional(&self, key: &str) -> Option<&'t Node> {
        self.table.get(key)
    }

    /// The value of `key`, reported when missing.
    pub(crate) fn required(&self, sink: &mut Sink<'_>, key: &str) -> Option<&'t Node> {
        let node = self.table.get(key);
        if node.is_none() {
            let message = format!("missing key {key}");
            sink.error(&self.origin, &self.field(key), FileRule::MissingKey, message);
        }
        node
    }

    /// Reports every key that is not in `allowed`.
    pub(crate) fn check_keys(&self, sink: &mut Sink<'_>, allowed: &[&str]) {
        for entry in &self.table.entries {
            if !allowed.contains(&entry.key.as_str()) {
                let message =
                    format!("unknown key {} (expected one of: {})", entry.key, allowed.join(", "));
                sink.error(
                    &entry.key_origin,
                    &self.field(&entry.key),
                    FileRule::UnknownKey,
                    message,
                );
            }
        }
    }
}

/// Reads `node` with `read` when it is present: `Some(None)` when absent, `None` when
/// present but bad (already reported).
pub(crate) fn if_present<T>(
    node: Option<&Node>,
    read: impl FnOnce(&Node) -> Option<T>,
) -> Option<Option<T>> {
    match node {
        None => Some(None),
        Some(node) => read(node).map(Some),
    }
}

/// The table in `node`, reported when it is something else.
pub(crate) fn table<'t>(sink: &mut Sink<'_>, node: &'t Node, field: &str) -> Option<&'t Table> {
    match &node.value {
        Value::Table(table) => Some(table),
        _ => unexpected(sink, node, field, "a table", None),
    }
}

/// A string.
pub(crate) fn text(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<String> {
    match &node.value {
        Value::String(text) => Some(text.clone()),
        _ => unexpected(sink, node, field, "a string", None),
    }
}

/// A string that is not blank.
pub(crate) fn filled_text(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<String> {
    let text = text(sink, node, field)?;
    if text.trim().is_empty() {
        sink.error(&node.origin, field, FileRule::EmptyText, "must not be empty".to_owned());
        return None;
    }
    Some(text)
}

/// An id: non-empty text of letters, digits and `-_.:/+` only (rule `E-47`).
pub(crate) fn id_text(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<String> {
    let text = filled_text(sink, node, field)?;
    if let Err(message) = id_characters(&text) {
        sink.error(&node.origin, field, FileRule::IdCharacters, message);
        return None;
    }
    Some(text)
}

/// Checks that an id has letters, digits and `-_.:/+` only: no spaces, line breaks or
/// markup, so that it prints safely in a table, a CSV cell or a web page.
pub(crate) fn id_characters(id: &str) -> Result<(), String> {
    match id.chars().find(|it| !it.is_alphanumeric() && !"-_.:/+".contains(*it)) {
        Some(bad) => Err(format!(
            "{id:?} has the character {bad:?}; an id is letters, digits and -_.:/+ only"
        )),
        None => Ok(()),
    }
}

/// A boolean.
pub(crate) fn boolean(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<bool> {
    match &node.value {
        Value::Boolean(value) => Some(*value),
        _ => unexpected(sink, node, field, "true or false", None),
    }
}

/// An array of strings.
pub(crate) fn texts(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<Vec<String>> {
    let Value::Array(items) = &node.value else {
        return unexpected(sink, node, field, "an array of strings", None);
    };
    let mut res = Vec::with_capacity(items.len());
    for (idx, item) in items.iter().enumerate() {
        res.push(text(sink, item, &format!("{field}[{idx}]")));
    }
    res.into_iter().collect()
}

/// A whole number of votes (rule `E-12`).
pub(crate) fn votes(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<Votes> {
    let expected = "a whole number of votes";
    match &node.value {
        Value::Integer(number) => match u64::try_from(*number) {
            Ok(votes) => Some(Votes(votes)),
            Err(_) => {
                let message = format!("expected {expected}, found {number}");
                sink.error(&node.origin, field, FileRule::Votes, message);
                None
            }
        },
        Value::Oversized(text) => {
            let message = format!("expected {expected}, found {text}");
            sink.error(&node.origin, field, FileRule::Votes, message);
            None
        }
        Value::Float(_) => unexpected(sink, node, field, expected, Some("write digits only")),
        _ => unexpected(sink, node, field, expected, None),
    }
}

/// A whole count (of seats or lists) of at least `min` (rule `E-11`).
pub(crate) fn count(
    sink: &mut Sink<'_>,
    node: &Node,
    field: &str,
    noun: &str,
    min: u32,
) -> Option<u32> {
    let expected = format!("a whole number of {noun}");
    let found = match &node.value {
        Value::Integer(number) => match u32::try_from(*number) {
            Ok(count) if count >= min && noun == "seats" => {
                let bounds = (u64::from(count), u64::from(crate::limit::MAX_SEATS));
                return crate::limit::within(sink, &node.origin, field, bounds, "seats")
                    .then_some(count);
            }
            Ok(count) if count >= min => return Some(count),
            _ => number.to_string(),
        },
        Value::Oversized(text) => text.clone(),
        _ => return unexpected(sink, node, field, &expected, None),
    };
    let range = if min > 0 { format!(" of at least {min}") } else { String::new() };
    let message = format!("expected {expected}{range}, found {found}");
    sink.error(&node.origin, field, FileRule::Count, message);
    None
}

/// A percentage written as a string with `%` (rule `E-9`).
pub(crate) fn percent(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<Percent> {
    let Value::String(text) = &node.value else {
        let hint = bare_number(&node.value).map(|number| percent_hint(last_key(field), &number));
        return unexpected(sink, node, field, "a percentage such as \"7%\"", hint.as_deref());
    };
    match Percent::parse(text) {
        Ok(percent) => Some(percent),
        Err(err) => {
            sink.error(&node.origin, field, FileRule::Percent, err.to_string());
            None
        }
    }
}

/// How to write a bare number as a percentage; a number below one may be a share of one
/// (`0.05` for 5 %), so both readings are offered.
fn percent_hint(key: &str, number: &str) -> String {
    let as_share = Rational::parse_decimal(number)
        .ok()
        .filter(|value| value.compare(&Rational::from_integer(1)).is_lt() && !value.is_zero());
    match as_share {
        Some(share) => {
            let percent = share.mul(&Rational::from_integer(100));
            let percent = percent_text(&percent);
            format!("write {key} = \"{percent}%\" if {number} is a share of one, or \"{number}%\"")
        }
        None => format!("write {key} = \"{number}%\""),
    }
}

/// The shortest exact decimal of a terminating rational, else its fraction.
fn percent_text(value: &Rational) -> String {
    (0..=6)
        .map(|places| value.to_decimal(places))
        .find(|text| Rational::parse_decimal(text).is_ok_and(|back| &back == value))
        .unwrap_or_else(|| value.to_string())
}

/// An exact non-negative number written as a decimal or fraction string, such as `"1.4"`
/// or `"7/5"`; whole integers are accepted too (rule `E-10`).
pub(crate) fn exact(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<Fraction> {
    let text = match &node.value {
        Value::String(text) => text.clone(),
        Value::Integer(number) => number.to_string(),
        _ => {
            let hint = bare_number(&node.value)
                .map(|number| format!("write {} = \"{number}\"", last_key(field)));
            return unexpected(
                sink,
                node,
                field,
                "an exact number such as \"1.4\"",
                hint.as_deref(),
            );
        }
    };
    let res = match Rational::parse_decimal(&text) {
        Ok(value) if value.compare(&Rational::zero()) == Ordering::Less => {
            Err(format!("{text:?} is negative"))
        }
        Ok(value) => match (u128::try_from(value.numer()), u128::try_from(value.denom())) {
            (Ok(num), Ok(den)) => Ok(Fraction::new(num, den)),
            _ => Err(format!("{text:?} has too many digits")),
        },
        Err(err) => Err(err.to_string()),
    };
    res.map_err(|message| sink.error(&node.origin, field, FileRule::ExactNumber, message)).ok()
}

/// One of a fixed set of names, such as a method (rule `E-8`); `noun` names the kind.
pub(crate) fn choice<T: Copy>(
    sink: &mut Sink<'_>,
    node: &Node,
    field: &str,
    noun: &str,
    options: &[(&str, T)],
) -> Option<T> {
    let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
    let expected = format!("one of {}", names.join(", "));
    let Value::String(text) = &node.value else {
        return unexpected(sink, node, field, &expected, None);
    };
    match options.iter().find(|(name, _)| name == text) {
        Some((_, value)) => Some(*value),
        None => {
            let message = format!("unknown {noun} {text:?} (expected {expected})");
            sink.error(&node.origin, field, FileRule::UnknownChoice, message);
            None
        }
    }
}

/// Reports a value of the wrong kind, with rule `E-6` for floats and `E-5` otherwise.
fn unexpected<T>(
    sink: &mut Sink<'_>,
    node: &Node,
    field: &str,
    expected: &str,
    hint: Option<&str>,
) -> Option<T> {
    let found = node.value.describe();
    let hint = hint.map(|hint| format!(": {hint}")).unwrap_or_default();
    let (rule, message) = match &node.value {
        Value::Float(_) => (
            FileRule::Float,
            format!("expected {expected}, found {found}; floats are inexact{hint}"),
        ),
        _ => (FileRule::WrongType, format!("expected {expected}, found {found}{hint}")),
    };
    sink.error(&node.origin, field, rule, message);
    None
}

/// The last key of a dotted field path: `threshold` of `lists[3].threshold`.
fn last_key(field: &str) -> &str {
    field.rsplit('.').next().unwrap_or(field)
}

/// A number as written, for hints: `1.4` of a float, `7` of an integer.
fn bare_number(value: &Value) -> Option<String> {
    match value {
        Value::Float(text) => Some(text.clone()),
        Value::Integer(number) => Some(number.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse_value;

    type Reader = fn(&mut Sink<'_>, &Node, &str) -> Option<String>;

    fn check(read: Reader, value: &str, expect: &str) {
        let value = parse_value(value).expect("a TOML value");
        let node = Node { value, origin: Origin::File(0) };
        let mut sink = Sink::new("f.toml", "", &[]);
        let res = read(&mut sink, &node, "rules.x");
        let res = res.unwrap_or_else(|| sink.finish().to_string());
        assert_eq!(res, expect);
    }

    fn as_percent(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<String> {
        percent(sink, node, field).map(|percent| percent.to_string())
    }

    fn as_exact(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<String> {
        exact(sink, node, field).map(|fraction| fraction.to_string())
    }

    fn as_votes(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<String> {
        votes(sink, node, field).map(|votes| votes.to_string())
    }

    fn as_seats(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<String> {
        count(sink, node, field, "seats", 1).map(|seats| seats.to_string())
    }

    #[test]
    fn percentages_are_quoted_with_a_sign() {
        check(as_percent, "\"7%\"", "7%");
        check(as_percent, "\"1.5%\"", "1.5%");
        check(
            as_percent,
            "7.5",
            r#"f.toml:1: rules.x: expected a percentage such as "7%", found the float 7.5; floats are inexact: write x = "7.5%" (rule E-6)"#,
        );
        check(
            as_percent,
            "7",
            r#"f.toml:1: rules.x: expected a percentage such as "7%", found the integer 7: write x = "7%" (rule E-5)"#,
        );
        check(
            as_percent,
            "\"0.07\"",
            r#"f.toml:1: rules.x: "0.07" is not a percentage (expected a number followed by %, like 5% or 1.5%) (rule E-9)"#,
        );
    }

    #[test]
    fn exact_numbers_never_go_through_floats() {
        check(as_exact, "\"1.4\"", "7/5");
        check(as_exact, "\"7/10\"", "7/10");
        check(as_exact, "2", "2");
        check(
            as_exact,
            "1.4",
            r#"f.toml:1: rules.x: expected an exact number such as "1.4", found the float 1.4; floats are inexact: write x = "1.4" (rule E-6)"#,
        );
        check(as_exact, "\"-0.5\"", r#"f.toml:1: rules.x: "-0.5" is negative (rule E-10)"#);
        check(
            as_exact,
            "\"1e3\"",
            r#"f.toml:1: rules.x: "1e3" is not a number (expected digits like 5, 1.5 or 7/5) (rule E-10)"#,
        );
    }

    #[test]
    fn whole_numbers_of_votes_and_seats() {
        check(as_votes, "5148074", "5148074");
        check(
            as_votes,
            "-5",
            "f.toml:1: rules.x: expected a whole number of votes, found -5 (rule E-12)",
        );
        check(
            as_votes,
            "\"12\"",
            r#"f.toml:1: rules.x: expected a whole number of votes, found the string "12" (rule E-5)"#,
        );
        check(
            as_votes,
            "12.0",
            "f.toml:1: rules.x: expected a whole number of votes, found the float 12.0; floats are inexact: write digits only (rule E-6)",
        );
        check(as_seats, "98", "98");
        check(
            as_seats,
            "0",
            "f.toml:1: rules.x: expected a whole number of seats of at least 1, found 0 (rule E-11)",
        );
    }
}
