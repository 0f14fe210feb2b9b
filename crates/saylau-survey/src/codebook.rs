//! The codebook: a study's questions, their codes and trilingual labels, filters, nets
//! and recodes (such as the seed's region -> macro-region map), read from TOML.
//!
//! Format (`docs/survey.md`): a `[study]` table and one `[[question]]` per question with
//! `key`, `kind` (`single` or `multiple`), `text` and `codes` (`code`, `label`, optional
//! `exclusive` for "none"/"don't know" in a multiple-response question). A question may
//! have a `filter` (asked only of respondents with one of the given codes of another
//! question), `nets` (named sums of codes) and `recode` (derived from another question:
//! each code lists the source codes it takes in `from`).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostics;

/// The most codes a multiple-response question may have (answers are bit sets).
pub const MAX_MULTIPLE_CODES: usize = 64;

/// A label in Kazakh, Russian and English; Kazakh may be missing (then Russian is shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Kazakh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kk: Option<String>,
    /// Russian.
    pub ru: String,
    /// English.
    pub en: String,
}

impl Label {
    /// The label in `lang` (`kk`, `ru` or anything else for English).
    #[must_use]
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "kk" => self.kk.as_deref().unwrap_or(&self.ru),
            "ru" => &self.ru,
            _ => &self.en,
        }
    }
}

/// Single or multiple response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// One code per respondent.
    Single,
    /// Any set of codes per respondent; exclusive codes stand alone.
    Multiple,
}

/// One answer code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    /// The value stored in the respondent file.
    pub code: u32,
    /// What it means.
    pub label: Label,
    /// In a multiple-response question: this code cannot be combined with another.
    #[serde(default)]
    pub exclusive: bool,
    /// For a recoded question: the codes of the source question mapped to this code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<u32>,
}

/// A net category: respondents with any of `codes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Net {
    /// Its key.
    pub key: String,
    /// Its label.
    pub label: Label,
    /// The codes it sums.
    pub codes: Vec<u32>,
}

/// Asked only of respondents who gave one of `codes` to `question`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// The filtering question's key.
    pub question: String,
    /// The codes that open this question.
    pub codes: Vec<u32>,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Its key: the column of the respondent file.
    pub key: String,
    /// Single or multiple response.
    pub kind: Kind,
    /// The wording.
    pub text: Label,
    /// The codes, in display order.
    pub codes: Vec<Code>,
    /// Net categories shown after the codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nets: Vec<Net>,
    /// Who is asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    /// Derived from this question (no column in the respondent file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recode: Option<String>,
}

impl Question {
    /// The index of `code` among this question's codes.
    #[must_use]
    pub fn code_index(&self, code: u32) -> Option<usize> {
        self.codes.iter().position(|it| it.code == code)
    }
}

/// The study.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// A short key.
    pub key: String,
    /// Its title.
    pub title: Label,
    /// Whether the respondents are synthetic (then every output says so).
    #[serde(default)]
    pub synthetic: bool,
    /// Where the questionnaire comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodebookFile {
    study: Study,
    question: Vec<Question>,
}

/// A validated codebook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Codebook {
    study: Study,
    questions: Vec<Question>,
}

impl Codebook {
    /// Reads and validates a codebook from TOML text; `source` names it in diagnostics.
    ///
    /// # Errors
    /// Every problem found, each with its field path and rule (`K-*`).
    pub fn from_toml(source: &str, text: &str) -> Result<Codebook, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let file: CodebookFile = match toml::from_str(text) {
            Ok(file) => file,
            Err(err) => {
                let line = err.span().map(|span| line_of(text, span.start));
                diagnostics.push(source, line, "", "K-1", err.message().to_owned());
                return Err(diagnostics);
            }
        };
        validate(source, &file, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(Codebook { study: file.study, questions: file.question })
    }

    /// The study.
    #[must_use]
    pub fn study(&self) -> &Study {
        &self.study
    }

    /// The questions in file order.
    #[must_use]
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The index of the question `key`.
    #[must_use]
    pub fn question_index(&self, key: &str) -> Option<usize> {
        self.questions.iter().position(|it| it.key == key)
    }

    /// The question `key`.
    #[must_use]
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|it| it.key == key)
    }
}

fn line_of(text: &str, offset: usize) -> u64 {
    let before = text.get(..offset).unwrap_or(text);
    u64::try_from(before.matches('\n').count()).unwrap_or(u64::MAX) + 1
}

fn validate(source: &str, file: &CodebookFile, diagnostics: &mut Diagnostics) {
    let mut keys = BTreeSet::new();
    for (idx, question) in file.question.iter().enumerate() {
        let field = format!("question[{idx}]");
        if question.key.is_empty() || question.key == "id" || question.key == "weight" {
            let message = format!("question key {:?} is empty or reserved", question.key);
            diagnostics.push(source, None, &field, "K-2", message);
        }
        if !keys.insert(question.key.as_str()) {
            let message = format!("question {} is defined twice", question.key);
            diagnostics.push(source, None, &field, "K-2", message);
        }
        validate_codes(source, &field, question, diagnostics);
    }
    let by_key: BTreeMap<&str, &Question> =
        file.question.iter().map(|it| (it.key.as_str(), it)).collect();
    for (idx, question) in file.question.iter().enumerate() {
        let field = format!("question[{idx}]");
        if let Some(filter) = &question.filter {
            validate_reference(
                source,
                &field,
                "filter",
                &filter.question,
                &filter.codes,
                &by_key,
                diagnostics,
            );
            if filter.question == question.key {
                let message = format!("{} filters on itself", question.key);
                diagnostics.push(source, None, &field, "K-5", message);
            }
        }
        if let Some(recode) = &question.recode {
            let from: Vec<u32> = question.codes.iter().flat_map(|it| it.from.clone()).collect();
            validate_reference(source, &field, "recode", recode, &from, &by_key, diagnostics);
            if by_key
                .get(recode.as_str())
                .is_some_and(|it| it.kind != Kind::Single || it.recode.is_some())
            {
                let message = format!(
                    "recode source {recode} must be a single-response question read from the file"
                );
                diagnostics.push(source, None, &field, "K-6", message);
            }
            if question.kind != Kind::Single {
                let message = "a recoded question must be single response".to_owned();
                diagnostics.push(source, None, &field, "K-6", message);
            }
        }
    }
}

fn validate_codes(source: &str, field: &str, question: &Question, diagnostics: &mut Diagnostics) {
    if question.codes.is_empty() {
        diagnostics.push(source, None, field, "K-3", format!("{} has no codes", question.key));
    }
    if question.kind == Kind::Multiple && question.codes.len() > MAX_MULTIPLE_CODES {
        let message = format!(
            "{} has {} codes; a multiple-response question may have at most {MAX_MULTIPLE_CODES}",
            question.key,
            question.codes.len()
        );
        diagnostics.push(source, None, field, "K-3", message);
    }
    let mut seen = BTreeSet::new();
    for code in &question.codes {
        if !seen.insert(code.code) {
            let message = format!("{}: code {} is defined twice", question.key, code.code);
            diagnostics.push(source, None, field, "K-3", message);
        }
        if code.exclusive && question.kind == Kind::Single {
            let message = format!(
                "{}: code {} is exclusive in a single-response question",
                question.key, code.code
            );
            diagnostics.push(source, None, field, "K-3", message);
        }
    }
    for net in &question.nets {
        for code in &net.codes {
            if !seen.contains(code) {
                let message = format!(
                    "net {} names code {code}, which {} does not have",
                    net.key, question.key
                );
                diagnostics.push(source, None, &format!("{field}.nets"), "K-4", message);
            }
        }
    }
}

fn validate_reference(
    source: &str,
    field: &str,
    what: &str,
    target: &str,
    codes: &[u32],
    by_key: &BTreeMap<&str, &Question>,
    diagnostics: &mut Diagnostics,
) {
    let Some(other) = by_key.get(target) else {
        let message = format!("{what} names question {target}, which the codebook does not have");
        diagnostics.push(source, None, &format!("{field}.{what}"), "K-5", message);
        return;
    };
    for code in codes {
        if other.code_index(*code).is_none() {
            let message = format!("{what} names code {code}, which {target} does not have");
            diagnostics.push(source, None, &format!("{field}.{what}"), "K-5", message);
        }
    }
}
