//! Cross-tables: a question's codes and nets down the side, a banner's codes across (with
//! a Total column first), column percentages of each column's base, the column-proportions
//! letters, margins of error per cell and a small-base flag; weighted or not.
//!
//! The base of a column is the respondents in it who answered the question (so a filtered
//! question has the filtered base). A multiple-response question's column percentages add
//! up to more than 100. The banner must be single response: columns that share
//! respondents would need an overlap-aware test (research note, pitfall 6).

use serde::Serialize;

use crate::codebook::{Codebook, Kind, Label, Question};
use crate::colprop::{self, Proportion, RowTest, TestOptions};
use crate::moe::z_two_sided;
use crate::respondents::{Answers, Respondents};

/// Settings of a table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TableOptions {
    /// The column-proportions test.
    pub test: TestOptions,
    /// Columns with a base below this are flagged (the seed's "22*"; default 30).
    pub small_base: f64,
}

impl Default for TableOptions {
    fn default() -> TableOptions {
        TableOptions { test: TestOptions::spss(), small_base: 30.0 }
    }
}

/// A table that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CrosstabError {
    /// The codebook has no such question.
    #[error("the codebook has no question {0}")]
    UnknownQuestion(String),
    /// The banner is a multiple-response question.
    #[error(
        "banner {0} is multiple response: its columns share respondents, which the independent column-proportions test does not allow"
    )]
    MultipleBanner(String),
    /// The weights do not match the respondents.
    #[error("{weights} weights for {respondents} respondents")]
    WeightCount {
        /// How many weights.
        weights: usize,
        /// How many respondents.
        respondents: usize,
    },
}

/// A column of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// `total` or the banner code.
    pub key: String,
    /// Its label.
    pub label: Label,
    /// Its test letter (none for Total).
    pub letter: Option<String>,
    /// Respondents in the base.
    pub base: usize,
    /// Sum of their weights (equals `base` unweighted).
    pub weighted_base: f64,
    /// Kish's effective base (equals `base` unweighted).
    pub effective_base: f64,
    /// Below the small-base limit.
    pub small_base: bool,
    /// Worst-case margin of error at 95 %, percent, from the effective base.
    pub moe95: f64,
    /// Worst-case margin of error at 99 %, percent.
    pub moe99: f64,
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Respondents with the answer.
    pub count: usize,
    /// Their weight.
    pub weighted_count: f64,
    /// Percent of the column's (weighted) base.
    pub percent: f64,
    /// Margin of error of this percent at 95 %, in points.
    pub moe95: f64,
    /// At 99 %.
    pub moe99: f64,
    /// The letters of the columns this cell is significantly above (empty for Total).
    pub letters: String,
}

/// One row: a code or a net.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The code, or the net's key.
    pub key: String,
    /// Its label.
    pub label: Label,
    /// Whether it is a net.
    pub net: bool,
    /// One cell per column, Total first.
    pub cells: Vec<Cell>,
    /// The test of the banner columns.
    pub test: RowTest,
}

/// A cross-table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crosstab {
    /// The question down the side.
    pub question: String,
    /// Its wording.
    pub text: Label,
    /// Single or multiple response.
    pub kind: Kind,
    /// The banner question.
    pub banner: String,
    /// Whether weights were used.
    pub weighted: bool,
    /// The filter, described, when the question has one.
    pub filter: Option<String>,
    /// The columns, Total first.
    pub columns: Vec<Column>,
    /// The rows: codes, then nets.
    pub rows: Vec<Row>,
    /// The settings.
    pub options: TableOptions,
    /// Warnings: empty columns, respondents without a banner answer, small bases.
    pub warnings: Vec<String>,
}

struct Accumulator {
    n_cols: usize,
    count: Vec<usize>,
    weight: Vec<f64>,
    base: Vec<usize>,
    base_weight: Vec<f64>,
    base_square: Vec<f64>,
}

impl Accumulator {
    /// Adds to Total and, for a respondent with a banner answer, to `col`.
    fn add(&mut self, row: usize, col: usize, weight: f64) {
        let targets = [0, col];
        for col in &targets[..if col == 0 { 1 } else { 2 }] {
            let col = *col;
            self.count[row * self.n_cols + col] += 1;
            self.weight[row * self.n_cols + col] += weight;
        }
    }

    fn add_base(&mut self, col: usize, weight: f64) {
        let targets = [0, col];
        for col in &targets[..if col == 0 { 1 } else { 2 }] {
            let col = *col;
            self.base[col] += 1;
            self.base_weight[col] += weight;
            self.base_square[col] += weight * weight;
        }
    }
}

/// The table of `question` by `banner`.
///
/// # Errors
/// An unknown question, a multiple-response banner, weights of the wrong length.
pub fn crosstab(
    codebook: &Codebook,
    respondents: &Respondents,
    question: &str,
    banner: &str,
    weights: Option<&[f64]>,
    options: TableOptions,
) -> Result<Crosstab, CrosstabError> {
    let find = |key: &str| {
        codebook.question_index(key).ok_or_else(|| CrosstabError::UnknownQuestion(key.to_owned()))
    };
    let (row_idx, banner_idx) = (find(question)?, find(banner)?);
    let (row_question, banner_question) =
        (&codebook.questions()[row_idx], &codebook.questions()[banner_idx]);
    let Answers::Single(banner_answers) = respondents.answers(banner_idx) else {
        return Err(CrosstabError::MultipleBanner(banner.to_owned()));
    };
    if let Some(weights) = weights.filter(|it| it.len() != respondents.len()) {
        return Err(CrosstabError::WeightCount {
            weights: weights.len(),
            respondents: respondents.len(),
        });
    }
    let (acc, no_banner) = accumulate(
        row_question,
        respondents.answers(row_idx),
        banner_answers,
        banner_question.codes.len() + 1,
        weights,
    );
    let mut warnings = Vec::new();
    if no_banner > 0 {
        warnings.push(format!(
            "{no_banner} respondents have no answer to {banner}: counted in Total only"
        ));
    }
    let columns = columns(banner_question, &acc, weights.is_some(), options, &mut warnings);
    let rows = rows(row_question, &acc, &columns, options);
    let filter =
        row_question.filter.as_ref().map(|it| format!("{} in {:?}", it.question, it.codes));
    Ok(Crosstab {
        question: question.to_owned(),
        text: row_question.text.clone(),
        kind: row_question.kind,
        banner: banner.to_owned(),
        weighted: weights.is_some(),
        filter,
        columns,
        rows,
        options,
        warnings,
    })
}

/// Counts every answer into its cell; returns the counts and the respondents without a
/// banner answer.
fn accumulate(
    question: &Question,
    answers: &Answers,
    banner_answers: &[Option<u16>],
    n_cols: usize,
    weights: Option<&[f64]>,
) -> (Accumulator, usize) {
    let n_rows = question.codes.len() + question.nets.len();
    let mut acc = Accumulator {
        n_cols,
        count: vec![0; n_rows * n_cols],
        weight: vec![0.0; n_rows * n_cols],
        base: vec![0; n_cols],
        base_weight: vec![0.0; n_cols],
        base_square: vec![0.0; n_cols],
    };
    let net_masks = net_masks(question);
    let mut no_banner = 0;
    for (row, banner_answer) in banner_answers.iter().enumerate() {
        let Some(mask) = answer_mask(answers, row) else { continue };
        // Respondents without a banner answer count in Total only (column 0).
        let col = banner_answer.map_or(0, |it| usize::from(it) + 1);
        no_banner += usize::from(col == 0);
        let weight = weights.map_or(1.0, |it| it[row]);
        acc.add_base(col, weight);
        for code in 0..question.codes.len() {
            if mask >> code & 1 == 1 {
                acc.add(code, col, weight);
            }
        }
        for (net, net_mask) in net_masks.iter().enumerate() {
            if mask & net_mask != 0 {
                acc.add(question.codes.len() + net, col, weight);
            }
        }
    }
    (acc, no_banner)
}

fn answer_mask(answers: &Answers, row: usize) -> Option<u64> {
    match answers {
        Answers::Single(values) => values[row].map(|it| 1_u64 << it),
        Answers::Multiple(values) => values[row],
    }
}

fn net_masks(question: &Question) -> Vec<u64> {
    let mask = |codes: &[u32]| {
        codes
            .iter()
            .filter_map(|code| question.code_index(*code))
            .fold(0_u64, |acc, idx| acc | 1 << idx)
    };
    question.nets.iter().map(|net| mask(&net.codes)).collect()
}

fn columns(
    banner: &Question,
    acc: &Accumulator,
    weighted: bool,
    options: TableOptions,
    warnings: &mut Vec<String>,
) -> Vec<Column> {
    let total_label =
        Label {
            kk: Some("Барлығы".to_owned()), ru: "Все".to_owned(), en: "Total".to_owned()
        };
    let (z95, z99) = (z_two_sided(0.95), z_two_sided(0.99));
    (0..acc.n_cols)
        .map(|col| {
            let (key, label, letter) = match col {
                0 => ("total".to_owned(), total_label.clone(), None),
                _ => {
                    let code = &banner.codes[col - 1];
                    (
                        code.code.to_string(),
                        code.label.clone(),
                        Some(colprop::column_letter(col - 1)),
                    )
                }
            };
            let base = acc.base[col];
            let effective_base = if weighted && acc.base_square[col] > 0.0 {
                acc.base_weight[col].powi(2) / acc.base_square[col]
            } else {
                base as f64
            };
            let small_base = col > 0 && effective_base < options.small_base;
            if col > 0 && base == 0 {
                warnings.push(format!("column {} ({}) has no respondents", key, label.en));
            } else if small_base {
                warnings.push(format!(
                    "column {} ({}) has a small base ({base}): read its percentages with care",
                    key, label.en
                ));
            }
            let worst = (0.25 / effective_base).sqrt() * 100.0;
            Column {
                key,
                label,
                letter,
                base,
                weighted_base: acc.base_weight[col],
                effective_base,
                small_base,
                moe95: z95 * worst,
                moe99: z99 * worst,
            }
        })
        .collect()
}

fn rows(
    question: &Question,
    acc: &Accumulator,
    columns: &[Column],
    options: TableOptions,
) -> Vec<Row> {
    let (z95, z99) = (z_two_sided(0.95), z_two_sided(0.99));
    let labels = question.codes.iter().map(|it| (it.code.to_string(), it.label.clone(), false));
    let nets = question.nets.iter().map(|it| (it.key.clone(), it.label.clone(), true));
    labels
        .chain(nets)
        .enumerate()
        .map(|(row, (key, label, net))| {
            let mut cells: Vec<Cell> = columns
                .iter()
                .enumerate()
                .map(|(col, column)| {
                    let weighted_count = acc.weight[row * acc.n_cols + col];
                    let share = if column.weighted_base > 0.0 {
                        weighted_count / column.weighted_base
                    } else {
                        0.0
                    };
                    let se = (share * (1.0 - share) / column.effective_base).sqrt() * 100.0;
                    Cell {
                        count: acc.count[row * acc.n_cols + col],
                        weighted_count,
                        percent: share * 100.0,
                        moe95: z95 * se,
                        moe99: z99 * se,
                        letters: String::new(),
                    }
                })
                .collect();
            let proportions: Vec<Proportion> = cells[1..]
                .iter()
                .zip(&columns[1..])
                .map(|(cell, column)| Proportion {
                    p: cell.percent / 100.0,
                    n: column.effective_base,
                })
                .collect();
            let test = colprop::test_row(&proportions, options.test);
            for (cell, letters) in cells[1..].iter_mut().zip(&test.letters) {
                cell.letters.clone_from(letters);
            }
            Row { key, label, net, cells, test }
        })
        .collect()
}
