//! Comparing the law, other files and what-if variants side by side (`saylau compare`).
//!
//! The first file's own rules are the "law"; each `--set` spec is one variant of it (a
//! spec may change several fields at once, separated by `;`), and each further file is a
//! column of its own under its own rules, with lists matched by id. [`json`] is the JSON
//! of `saylau compare --json`; [`rows`] lines the lists of every column up; [`write_chart`]
//! draws hemicycles and a seats-versus-votes chart.

use std::path::{Path, PathBuf};

use saylau_charts::{ChartError, ChartParty, ChartVariant, write_comparison_chart};
use saylau_core::seats::fraction::Fraction;
use saylau_core::seats::votes::Votes;
use serde::Serialize;

use crate::Diagnostics;
use crate::Rejection;
use crate::allocate::{
    AllocateError, Allocated, AllocatedJson, allocate_election, allocate_file, parse_file,
    parse_overrides,
};

/// One column of a comparison.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Its label: `law`, a file's name, or the overrides it applies.
    pub label: String,
    /// The `--set` texts it applies.
    pub sets: Vec<String>,
    /// The result.
    pub allocated: Allocated,
}

/// A comparison that cannot be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CompareError {
    /// The first file could not be read.
    #[error("reading {file}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// A file or a variant could not be allocated.
    #[error(transparent)]
    Allocate(#[from] AllocateError),
}

impl Rejection for CompareError {
    fn into_rejected(self) -> Result<Diagnostics, Self> {
        match self {
            CompareError::Allocate(err) => err.into_rejected().map_err(CompareError::Allocate),
            other => Err(other),
        }
    }
}

/// The law of the first of `files` and each of its `specs`, then each further file as a
/// column labelled with its name.
pub fn compare_files(files: &[PathBuf], specs: &[String]) -> Result<Vec<Variant>, CompareError> {
    let Some((first, others)) = files.split_first() else { return Ok(Vec::new()) };
    let source = first.display().to_string();
    let text = crate::read_toml(first)
        .map_err(|source_err| CompareError::Read { file: source.clone(), source: source_err })?;
    let mut res = variants(&source, &text, specs)?;
    if !others.is_empty() {
        res[0].label = file_label(first);
        let mut columns = Vec::with_capacity(others.len());
        for path in others {
            let allocated = allocate_file(path, &[])?;
            columns.push(Variant { label: file_label(path), sets: Vec::new(), allocated });
        }
        res.splice(1..1, columns);
    }
    Ok(res)
}

/// A file's column label: its name without `.toml`.
fn file_label(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| path.display().to_string(), |it| it.to_string_lossy().into_owned())
}

/// One column of a file under its own rules, labelled with `label`: files given as
/// `(source, text)`, so that the demo can compare the files bundled into the binary.
pub fn file_variant(source: &str, text: &str, label: &str) -> Result<Variant, AllocateError> {
    let file = parse_file(source, text, &[])?;
    let allocated = allocate_election(file, false).map_err(|err| AllocateError::System {
        context: format!("allocating {source}"),
        source: err,
    })?;
    Ok(Variant { label: label.to_owned(), sets: Vec::new(), allocated })
}

/// Allocates the file's own rules ("law") and each variant spec (`FIELD=VALUE[;...]`).
pub fn variants(source: &str, text: &str, specs: &[String]) -> Result<Vec<Variant>, AllocateError> {
    let mut res = Vec::with_capacity(specs.len() + 1);
    let law = parse_file(source, text, &[])?;
    res.push(Variant {
        label: "law".to_owned(),
        sets: Vec::new(),
        allocated: allocate_election(law, false).map_err(AllocateError::Unnamed)?,
    });
    for spec in specs {
        let sets: Vec<String> = spec
            .split(';')
            .map(str::trim)
            .filter(|set| !set.is_empty())
            .map(str::to_owned)
            .collect();
        let overrides = parse_overrides(&sets).map_err(AllocateError::Rejected)?;
        let file = parse_file(source, text, &overrides)?;
        let allocated = allocate_election(file, true).map_err(|err| AllocateError::System {
            context: format!("variant {spec}"),
            source: err,
        })?;
        let label =
            sets.iter().map(|set| set.trim_start_matches("rules.")).collect::<Vec<_>>().join("; ");
        res.push(Variant { label, sets, allocated });
    }
    Ok(res)
}

/// Draws the comparison chart of `variants` to `path` (`.svg` or `.png`).
pub fn write_chart(path: &Path, variants: &[Variant]) -> Result<(), ChartError> {
    let chart_variants: Vec<ChartVariant> = variants
        .iter()
        .map(|variant| {
            let allocated = &variant.allocated;
            let valid = allocated.valid_votes().0;
            let parties = allocated
                .summary
                .lists
                .iter()
                .map(|list| ChartParty {
                    label: list.name.clone(),
                    seats: list.seats.0,
                    // Only for drawing: the exact share is in the report.
                    votes_percent: if valid == 0 {
                        0.0
                    } else {
                        100.0 * list.votes.0 as f64 / valid as f64
                    },
                    color: None,
                })
                .collect();
            ChartVariant { label: variant.label.clone(), parties }
        })
        .collect();
    let title = variants.first().map_or("", |it| it.allocated.name());
    write_comparison_chart(path, title, &chart_variants)
}

/// One row of a comparison: a list, from the first column it appears in.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// The list's id.
    pub id: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its votes in that column.
    pub votes: Votes,
    /// The valid votes of that column.
    pub valid: Votes,
}

impl Row<'_> {
    /// Its votes as a percentage of the valid votes with two decimals, exact; `None`
    /// without valid votes.
    pub fn percent_of_valid(&self) -> Option<String> {
        (self.valid.0 != 0).then(|| {
            Fraction::new(u128::from(self.votes.0) * 100, u128::from(self.valid.0)).to_decimal(2)
        })
    }
}

/// The lists of every column, matched by id, in the order they first appear.
pub fn rows(variants: &[Variant]) -> Vec<Row<'_>> {
    let mut rows: Vec<Row<'_>> = Vec::new();
    for variant in variants {
        let valid = variant.allocated.valid_votes();
        for list in &variant.allocated.summary.lists {
            if !rows.iter().any(|row| row.id == list.id.as_str()) {
                rows.push(Row { id: list.id.as_str(), name: &list.name, votes: list.votes, valid });
            }
        }
    }
    rows
}

/// The JSON of a comparison.
#[derive(Debug, Serialize)]
pub struct ComparisonJson<'a> {
    election: &'a str,
    variants: Vec<VariantJson<'a>>,
}

#[derive(Debug, Serialize)]
struct VariantJson<'a> {
    label: &'a str,
    sets: &'a [String],
    #[serde(flatten)]
    allocation: AllocatedJson<'a>,
}

/// The comparison as a serialisable value.
pub fn json(variants: &[Variant]) -> ComparisonJson<'_> {
    ComparisonJson {
        election: variants.first().map_or("", |it| it.allocated.name()),
        variants: variants
            .iter()
            .map(|variant| VariantJson {
                label: &variant.label,
                sets: &variant.sets,
                allocation: variant.allocated.json(),
            })
            .collect(),
    }
}
