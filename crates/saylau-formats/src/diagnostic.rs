//! Diagnostics: every problem found in an input, with its file, line, field and rule.
//!
//! Readers in this crate do not stop at the first problem: they collect all of them in a
//! [`Diagnostics`] and return it as the `Err` of their `Result`. Each [`Diagnostic`] names
//! a stable rule code (see [`crate::rule`] and `docs/election-format.md`) so that tools can
//! react to a kind of problem without parsing the message.

use std::fmt;

use serde::Serialize;

use crate::document::Origin;
use crate::r#override::Override;
use crate::rule::Rule;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Severity {
    /// The input is rejected.
    Error,
    /// The input is kept, and the problem is flagged (a protocol's `P-9` or `P-14`).
    Warning,
}

/// One problem in an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Where the problem comes from: a file path, or the override that set the field
    /// (`--set rules.threshold`).
    pub source: String,
    /// The line in `source`, from 1, when the problem has one.
    pub line: Option<u32>,
    /// The dotted path of the field, such as `lists[3].votes`; empty for the whole input.
    pub field: String,
    /// The stable rule code, such as `E-12` (see [`crate::rule`]).
    pub rule: Rule,
    /// What is wrong, lowercase and without a trailing period.
    pub message: String,
    /// How serious it is.
    pub severity: Severity,
}

impl Diagnostic {
    /// An error at `line` of `source`, in `field`, breaking `rule`.
    pub fn error(
        source: &str,
        line: Option<u32>,
        field: &str,
        rule: impl Into<Rule>,
        message: String,
    ) -> Diagnostic {
        Diagnostic {
            source: source.to_owned(),
            line,
            field: field.to_owned(),
            rule: rule.into(),
            message,
            severity: Severity::Error,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        write!(f, "{} (rule {})", self.message, self.rule)
    }
}

impl std::error::Error for Diagnostic {}

/// All the problems found in one input, in the order of their lines.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (idx, diagnostic) in self.0.iter().enumerate() {
            if idx > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Collects the diagnostics of one input and turns origins into sources and lines.
pub(crate) struct Sink<'a> {
    source: &'a str,
    text: &'a str,
    overrides: &'a [Override],
    /// Each diagnostic with its place in the output: the file's lines (whole-file problems
    /// first), then the overrides in the order given.
    found: Vec<((u8, usize), Diagnostic)>,
    /// The offset of each line's start, made on the first diagnostic with a line: counting
    /// newlines from the start for each diagnostic was quadratic (found by `bench-fuzz`).
    line_starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Sink<'a> {
    /// A sink for the file `source` with contents `text`, read with `overrides`.
    pub(crate) fn new(source: &'a str, text: &'a str, overrides: &'a [Override]) -> Sink<'a> {
        Sink { source, text, overrides, found: Vec::new(), line_starts: std::cell::OnceCell::new() }
    }

    /// Records an error at `origin`.
    pub(crate) fn error(
        &mut self,
        origin: &Origin,
        field: &str,
        rule: impl Into<Rule>,
        message: String,
    ) {
        let (source, line, place) = match origin {
            Origin::Whole => (self.source.to_owned(), None, (0, 0)),
            Origin::File(offset) => {
                let line = self.line_of(*offset);
                (self.source.to_owned(), Some(line), (1, usize::try_from(line).unwrap_or(0)))
            }
            Origin::Override(idx) => {
                let key = self.overrides.get(*idx).map_or("?", Override::key);
                (format!("--set {key}"), None, (2, *idx))
            }
        };
        let diagnostic = Diagnostic {
            source,
            line,
            field: field.to_owned(),
            rule: rule.into(),
            message,
            severity: Severity::Error,
        };
        self.found.push((place, diagnostic));
    }

    /// True when nothing has been recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The diagnostics in order: the file's, by line, then the overrides'. Problems at
    /// the same place keep the order in which they were found.
    pub(crate) fn finish(mut self) -> Diagnostics {
        self.found.sort_by_key(|(place, _)| *place);
        Diagnostics(self.found.into_iter().map(|(_, diagnostic)| diagnostic).collect())
    }

    /// The line (from 1) of a byte offset in the text.
    fn line_of(&self, offset: usize) -> u32 {
        let starts = self.line_starts.get_or_init(|| {
            let newlines = self.text.bytes().enumerate().filter(|(_, byte)| *byte == b'\n');
            newlines.map(|(idx, _)| idx + 1).collect()
        });
        // The newlines before `offset`: the line starts at or before it.
        let newlines = starts.partition_point(|&start| start <= offset.min(self.text.len()));
        u32::try_from(newlines + 1).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::FileRule;

    fn check(origin: Origin, expect: &str) {
        let overrides = [Override::parse("rules.threshold=5%").expect("a valid override")];
        let mut sink = Sink::new("data/x.toml", "a\nb\nc", &overrides);
        sink.error(
            &origin,
            "lists[3].votes",
            FileRule::Votes,
            "expected a whole number".to_owned(),
        );
        assert_eq!(sink.finish().to_string(), expect);
    }

    #[test]
    fn displays_source_line_field_and_rule() {
        check(
            Origin::File(0),
            "data/x.toml:1: lists[3].votes: expected a whole number (rule E-12)",
        );
        check(
            Origin::File(4),
            "data/x.toml:3: lists[3].votes: expected a whole number (rule E-12)",
        );
        check(Origin::Whole, "data/x.toml: lists[3].votes: expected a whole number (rule E-12)");
        check(
            Origin::Override(0),
            "--set rules.threshold: lists[3].votes: expected a whole number (rule E-12)",
        );
    }

    #[test]
    fn serialises_the_rule_as_its_code() {
        let mut sink = Sink::new("data/x.toml", "a\nb", &[]);
        sink.error(&Origin::File(2), "lists[0].votes", FileRule::Votes, "bad".to_owned());
        let json = serde_json::to_string(&sink.finish()).expect("serialisable");
        assert_eq!(
            json,
            r#"[{"source":"data/x.toml","line":2,"field":"lists[0].votes","rule":"E-12","message":"bad","severity":"error"}]"#
        );
    }
}
