//! The document tree an election file is read from: TOML values that remember their origin.
//!
//! The `toml` parser gives spanned values; this module copies them into an owned tree whose
//! every value and key carries an [`Origin`] (a byte offset in the file, or the override
//! that set it), so that [`crate::r#override`] can change the tree before validation and a
//! diagnostic still points at the right line or `--set`. Table entries keep file order.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::Sink;
use crate::rule::FileRule;

/// Where a value or key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A byte offset in the file.
    File(usize),
    /// The file as a whole (something missing from it).
    Whole,
    /// The override with this index.
    Override(usize),
}

/// A TOML value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A string.
    String(String),
    /// An integer (TOML's are 64-bit; wider ones up to 128 bits are kept to be reported).
    Integer(i128),
    /// An integer too wide even for 128 bits, as written.
    Oversized(String),
    /// A float, as written; never converted to a number.
    Float(String),
    /// A boolean.
    Boolean(bool),
    /// A date or time, as written.
    Datetime(String),
    /// An array.
    Array(Vec<Node>),
    /// A table.
    Table(Table),
}

impl Value {
    /// What the value is, for messages: `the integer -5`, `the string "x"`, `a table`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Value::String(text) => format!("the string {text:?}"),
            Value::Integer(number) => format!("the integer {number}"),
            Value::Oversized(text) => format!("the integer {text}"),
            Value::Float(text) => format!("the float {text}"),
            Value::Boolean(value) => format!("the boolean {value}"),
            Value::Datetime(text) => format!("the datetime {text}"),
            Value::Array(_) => "an array".to_owned(),
            Value::Table(_) => "a table".to_owned(),
        }
    }
}

/// A value with its origin.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// The value.
    pub(crate) value: Value,
    /// Where it came from.
    pub(crate) origin: Origin,
}

impl Node {
    /// Gives this node and everything inside it the same origin.
    pub(crate) fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
        match &mut self.value {
            Value::Array(items) => items.iter_mut().for_each(|item| item.set_origin(origin)),
            Value::Table(table) => {
                for entry in &mut table.entries {
                    entry.key_origin = origin;
                    entry.node.set_origin(origin);
                }
            }
            _ => {}
        }
    }
}

/// One `key = value` of a table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// The key.
    pub(crate) key: String,
    /// Where the key was written.
    pub(crate) key_origin: Origin,
    /// The value.
    pub(crate) node: Node,
}

/// A table, its entries in the order they were written.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Table {
    /// The entries.
    pub(crate) entries: Vec<Entry>,
}

impl Table {
    /// The value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entries.iter().find(|entry| entry.key == key).map(|entry| &entry.node)
    }

    /// The value of `key`, mutable.
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.entries.iter_mut().find(|entry| entry.key == key).map(|entry| &mut entry.node)
    }

    /// Sets `key` to `node`, keeping the key's place and origin if it exists.
    pub(crate) fn set(&mut self, key: &str, node: Node) {
        match self.get_mut(key) {
            Some(existing) => *existing = node,
            None => {
                let key_origin = node.origin;
                self.entries.push(Entry { key: key.to_owned(), key_origin, node });
            }
        }
    }
}

/// Parses `text` as TOML into a tree; syntax errors are reported and give `None`.
pub(crate) fn parse_document(text: &str, sink: &mut Sink<'_>) -> Option<Table> {
    let (root, errors) = DeTable::parse_recoverable(text);
    for error in &errors {
        let origin = error.span().map_or(Origin::Whole, |span| Origin::File(span.start));
        sink.error(&origin, "", FileRule::Syntax, error.message().to_owned());
    }
    if !errors.is_empty() {
        return None;
    }
    Some(table_from(root.into_inner(), &mut |offset| Origin::File(offset)))
}

/// Parses one TOML value (an override's right-hand side); `None` if it is not one.
pub(crate) fn parse_value(text: &str) -> Option<Value> {
    let value = DeValue::parse(text).ok()?;
    Some(node_from(value, &mut |_| Origin::Whole).value)
}

/// Parses a dotted key (`rules.threshold`, `lists."a.b".votes`) into its parts.
pub(crate) fn parse_key(text: &str) -> Option<Vec<String>> {
    let line = format!("{text} = 0");
    let mut table = DeTable::parse(&line).ok()?.into_inner();
    let mut parts = Vec::new();
    loop {
        let mut entries = table.into_iter();
        let (key, value) = entries.next()?;
        if entries.next().is_some() {
            return None;
        }
        parts.push(key.into_inner().into_owned());
        match value.into_inner() {
            DeValue::Table(inner) => table = inner,
            DeValue::Integer(_) => return Some(parts),
            _ => return None,
        }
    }
}

/// Copies a parsed table, ordering its entries as written.
fn table_from(table: DeTable<'_>, origin: &mut dyn FnMut(usize) -> Origin) -> Table {
    let mut entries: Vec<(usize, Entry)> = table
        .into_iter()
        .map(|(key, value)| {
            let start = key.span().start;
            let key_origin = origin(start);
            let node = node_from(value, origin);
            (start, Entry { key: key.into_inner().into_owned(), key_origin, node })
        })
        .collect();
    entries.sort_by_key(|(start, _)| *start);
    Table { entries: entries.into_iter().map(|(_, entry)| entry).collect() }
}

/// Copies a parsed value.
fn node_from(value: Spanned<DeValue<'_>>, origin: &mut dyn FnMut(usize) -> Origin) -> Node {
    let node_origin = origin(value.span().start);
    let value = match value.into_inner() {
        DeValue::String(text) => Value::String(text.into_owned()),
        DeValue::Integer(integer) => {
            match i128::from_str_radix(integer.as_str(), integer.radix()) {
                Ok(number) => Value::Integer(number),
                Err(_) => Value::Oversized(integer.to_string()),
            }
        }
        DeValue::Float(float) => Value::Float(float.as_str().to_owned()),
        DeValue::Boolean(value) => Value::Boolean(value),
        DeValue::Datetime(datetime) => Value::Datetime(datetime.to_string()),
        DeValue::Array(items) => {
            Value::Array(items.into_iter().map(|item| node_from(item, origin)).collect())
        }
        DeValue::Table(table) => Value::Table(table_from(table, origin)),
    };
    Node { value, origin: node_origin }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(key: &str, expect: Option<&[&str]>) {
        let parts = parse_key(key);
        let expect = expect.map(|parts| parts.iter().map(|part| part.to_string()).collect());
        assert_eq!(parts, expect, "{key}");
    }

    #[test]
    fn parses_dotted_keys() {
        check("rules.threshold", Some(&["rules", "threshold"]));
        check(" lists.nur-otan.votes ", Some(&["lists", "nur-otan", "votes"]));
        check("lists.\"a.b\".votes", Some(&["lists", "a.b", "votes"]));
        check("rules.", None);
        check("", None);
        check("a\nb", None);
    }
}
