//! Overrides: `--set key.path=value` changes to an election file, applied before validation.
//!
//! An analyst asks "what if the threshold were 5 %?" with `--set rules.threshold=5%`
//! rather than by editing the file. The value is read as a TOML value when it is one
//! (`2` is an integer, `true` a boolean, `["votes", "lot"]` an array) and as a string
//! otherwise, so `5%` needs no quotes; a float such as `1.4` is kept as its text, which is
//! what exact fields want. `lists.<id>.<field>` addresses a list by its id, and
//! `districts.<id>.<field>` a district. A diagnostic on an overridden value names the
//! `--set` as its source instead of a line.

use std::fmt;
use std::str::FromStr;

use crate::diagnostic::{Diagnostic, Severity, Sink};
use crate::document::{Node, Origin, Table, Value, parse_key, parse_value};
use crate::rule::FileRule;

/// One `key.path=value` override.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    key: String,
    path: Vec<String>,
    value: Value,
    text: String,
}

impl Override {
    /// Parses `key.path=value`; the key is a TOML dotted key.
    pub fn parse(text: &str) -> Result<Override, Diagnostic> {
        let malformed = |message: String| Diagnostic {
            source: format!("--set {text}"),
            line: None,
            field: String::new(),
            rule: FileRule::OverrideSyntax.into(),
            message,
            severity: Severity::Error,
        };
        let Some((key, value_text)) = text.split_once('=') else {
            return Err(malformed(format!(
                "expected key.path=value, such as rules.threshold=5%, found {text:?}"
            )));
        };
        let key = key.trim();
        let Some(path) = parse_key(key) else {
            return Err(malformed(format!(
                "{key:?} is not a key path (expected dotted names, such as rules.threshold)"
            )));
        };
        let value_text = value_text.trim();
        let value = match parse_value(value_text) {
            // Kept as text so that exact fields read it exactly; never an f64.
            Some(Value::Float(float)) => Value::String(float),
            Some(value) => value,
            None => Value::String(value_text.to_owned()),
        };
        Ok(Override { key: key.to_owned(), path, value, text: value_text.to_owned() })
    }

    /// The key as written: `rules.threshold`.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The value as written: `5%`.
    pub fn value_text(&self) -> &str {
        &self.text
    }
}

impl FromStr for Override {
    type Err = Diagnostic;

    fn from_str(text: &str) -> Result<Override, Diagnostic> {
        Override::parse(text)
    }
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.text)
    }
}

/// Applies `overrides` to the document in order; paths that lead nowhere are reported.
pub(crate) fn apply(root: &mut Table, overrides: &[Override], sink: &mut Sink<'_>) {
    for (idx, item) in overrides.iter().enumerate() {
        let origin = Origin::Override(idx);
        if let Err(message) = apply_one(root, item, origin) {
            sink.error(&origin, &item.key, FileRule::OverridePath, message);
        }
    }
}

/// Sets one value, creating missing tables on the way.
fn apply_one(root: &mut Table, item: &Override, origin: Origin) -> Result<(), String> {
    let (mut table, rest) = match item.path.as_slice() {
        [array] if is_by_id(array) => {
            let (noun, field) = by_id_example(array);
            return Err(format!(
                "an override sets one field of a {noun}, like {array}.<id>.{field}"
            ));
        }
        [array, id] if is_by_id(array) => {
            let (noun, field) = by_id_example(array);
            return Err(format!(
                "an override sets one field of a {noun}, like {array}.{id}.{field}"
            ));
        }
        [array, id, rest @ ..] if is_by_id(array) => (entry_by_id(root, array, id)?, rest),
        path => (root, path),
    };
    let (last, parents) = rest.split_last().expect("a parsed key has at least one part");
    for part in parents {
        table = child_table(table, part, origin)
            .ok_or_else(|| format!("{part} is not a table, so it has no fields to set"))?;
    }
    let mut node = Node { value: item.value.clone(), origin };
    node.set_origin(origin);
    table.set(last, node);
    Ok(())
}

/// True for the arrays of tables whose entries an override addresses by id.
fn is_by_id(array: &str) -> bool {
    array == "lists" || array == "districts"
}

/// What an entry of `array` is, and a field to set in an example.
fn by_id_example(array: &str) -> (&'static str, &'static str) {
    if array == "districts" { ("district", "seats") } else { ("list", "votes") }
}

/// The table of the entry of `array` (`lists` or `districts`) whose id is `id`.
fn entry_by_id<'t>(root: &'t mut Table, array: &str, id: &str) -> Result<&'t mut Table, String> {
    let entries = match root.get_mut(array).map(|node| &mut node.value) {
        Some(Value::Array(items)) => items.as_mut_slice(),
        _ => &mut [],
    };
    entries
        .iter_mut()
        .find_map(|item| match &mut item.value {
            Value::Table(table) => {
                let matches = matches!(table.get("id"), Some(Node { value: Value::String(own), .. }) if own == id);
                matches.then_some(table)
            }
            _ => None,
        })
        .ok_or_else(|| format!("no {} has the id {id:?}", by_id_example(array).0))
}

/// The sub-table `key`, created if missing; `None` if `key` holds something else.
fn child_table<'t>(table: &'t mut Table, key: &str, origin: Origin) -> Option<&'t mut Table> {
    if table.get(key).is_none() {
        table.set(key, Node { value: Value::Table(Table::default()), origin });
    }
    match table.get_mut(key).map(|node| &mut node.value) {
        Some(Value::Table(inner)) => Some(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &str) {
        let res = match Override::parse(text) {
            Ok(item) => format!("{:?} = {:?}", item.path, item.value),
            Err(diagnostic) => diagnostic.to_string(),
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn values_are_toml_when_they_parse_and_strings_otherwise() {
        check("rules.threshold=5%", r#"["rules", "threshold"] = String("5%")"#);
        check("rules.admit_at_least = 2", r#"["rules", "admit_at_least"] = Integer(2)"#);
        check("scenario.modelled=true", r#"["scenario", "modelled"] = Boolean(true)"#);
        check("rules.first_divisor=1.4", r#"["rules", "first_divisor"] = String("1.4")"#);
        check("election.name=Mazhilis 2021", r#"["election", "name"] = String("Mazhilis 2021")"#);
        check("lists.nur-otan.votes=123", r#"["lists", "nur-otan", "votes"] = Integer(123)"#);
        check("rules.method=\"dhondt\"", r#"["rules", "method"] = String("dhondt")"#);
    }

    #[test]
    fn malformed_overrides_are_diagnostics() {
        check(
            "rules.threshold",
            r#"--set rules.threshold: expected key.path=value, such as rules.threshold=5%, found "rules.threshold" (rule E-23)"#,
        );
        check(
            "rules..x=1",
            r#"--set rules..x=1: "rules..x" is not a key path (expected dotted names, such as rules.threshold) (rule E-23)"#,
        );
    }
}
