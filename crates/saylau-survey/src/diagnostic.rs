//! Diagnostics: every problem found in a codebook or respondent file, with its source,
//! line, field and a stable rule code.
//!
//! Readers collect all problems instead of stopping at the first. Rule codes are
//! documented in `docs/survey.md`: `K-*` for codebooks, `R-*` for respondent files,
//! `W-*` for weights.

use std::fmt;

use serde::Serialize;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Severity {
    /// The record (or the whole file, for a file-level problem) is rejected.
    Error,
    /// Reported and kept.
    Warning,
}

/// One problem in an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file (or other source) the problem is in.
    pub source: String,
    /// The line in `source`, from 1, when the problem has one.
    pub line: Option<u64>,
    /// The field: a question key, a column, or a dotted codebook path.
    pub field: String,
    /// The stable rule code, such as `R-2`.
    pub rule: &'static str,
    /// What is wrong, lowercase and without a trailing period.
    pub message: String,
    /// How serious it is.
    pub severity: Severity,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if self.severity == Severity::Warning {
            f.write_str("warning: ")?;
        }
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        write!(f, "{} (rule {})", self.message, self.rule)
    }
}

/// All the problems found in one input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether any diagnostic is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|it| it.severity == Severity::Error)
    }

    pub(crate) fn push(
        &mut self,
        source: &str,
        line: Option<u64>,
        field: &str,
        rule: &'static str,
        message: String,
    ) {
        self.0.push(Diagnostic {
            source: source.to_owned(),
            line,
            field: field.to_owned(),
            rule,
            message,
            severity: Severity::Error,
        });
    }

    pub(crate) fn warn(
        &mut self,
        source: &str,
        line: Option<u64>,
        field: &str,
        rule: &'static str,
        message: String,
    ) {
        self.0.push(Diagnostic {
            source: source.to_owned(),
            line,
            field: field.to_owned(),
            rule,
            message,
            severity: Severity::Warning,
        });
    }
}

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
