//! `saylau compare FILE [FILE...] --set ... --set ...`: the law, other files and what-if
//! variants side by side.
//!
//! Each further FILE is a column of its own: another system for the same votes, such as
//! the seed's reform scenarios, with lists matched by id. Each `--set` is one variant of
//! the first file; a variant may change several fields at once, separated by `;` (`--set
//! 'rules.method=dhondt;rules.threshold=3%'`). The table shows seats per list under each
//! column, then the seats in all, the proportionality indices and wasted votes.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use comfy_table::Cell;
use saylau_core::seats::fraction::Fraction;
use saylau_core::seats::index::Indices;
use saylau_core::seats::votes::Votes;
use serde::Serialize;

use crate::output::{self, Allocated, Rejected};
use crate::table::{grouped, new_table, number};

/// Arguments of `saylau compare`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Election files (TOML, format v1): the first is the law, each further file one more
    /// column, lists matched by id.
    #[arg(required = true, num_args = 1..)]
    files: Vec<PathBuf>,
    /// One variant of the first file: `FIELD=VALUE`, or several joined by `;` (repeatable).
    #[arg(long = "set", value_name = "FIELD=VALUE[;...]")]
    variants: Vec<String>,
    /// Also draw hemicycles and a seats-versus-votes chart to FILE (.svg or .png).
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    /// Print the comparison as JSON.
    #[arg(long)]
    json: bool,
}

/// One column of a comparison.
pub(crate) struct Variant {
    /// Its label: `law`, or the overrides it applies.
    pub(crate) label: String,
    /// The `--set` texts it applies.
    pub(crate) sets: Vec<String>,
    /// The result.
    pub(crate) allocated: Allocated,
}

/// Runs `saylau compare`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let (first, others) = args.files.split_first().expect("clap requires one file");
    let source = first.display().to_string();
    let text = std::fs::read_to_string(first).with_context(|| format!("reading {source}"))?;
    let mut variants = variants(&source, &text, &args.variants)?;
    if !others.is_empty() {
        variants[0].label = file_label(first);
        let mut files = Vec::with_capacity(others.len());
        for path in others {
            let allocated = output::allocate_file(path, &[])?;
            files.push(Variant { label: file_label(path), sets: Vec::new(), allocated });
        }
        variants.splice(1..1, files);
    }
    if let Some(chart) = &args.chart {
        write_chart(chart, &variants)?;
    }
    if args.json {
        output::print_json(&json(&variants))?;
    } else {
        output::print_text(&render(&variants))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A file's column label: its name without `.toml`.
fn file_label(path: &std::path::Path) -> String {
    path.file_stem()
        .map_or_else(|| path.display().to_string(), |it| it.to_string_lossy().into_owned())
}

/// One column per file, each under its own rules, labelled with `label`: files given as
/// `(source, text)` so that the demo can compare the files bundled into the binary.
pub(crate) fn file_variant(source: &str, text: &str, label: &str) -> anyhow::Result<Variant> {
    let file = saylau_formats::parse_election(source, text, &[]).map_err(Rejected)?;
    let allocated =
        output::allocate_election(file, false).with_context(|| format!("allocating {source}"))?;
    Ok(Variant { label: label.to_owned(), sets: Vec::new(), allocated })
}

/// Allocates the file's own rules ("law") and each variant.
pub(crate) fn variants(source: &str, text: &str, specs: &[String]) -> anyhow::Result<Vec<Variant>> {
    let mut res = Vec::with_capacity(specs.len() + 1);
    let law = saylau_formats::parse_election(source, text, &[]).map_err(Rejected)?;
    res.push(Variant {
        label: "law".to_owned(),
        sets: Vec::new(),
        allocated: output::allocate_election(law, false)?,
    });
    for spec in specs {
        let sets: Vec<String> = spec
            .split(';')
            .map(str::trim)
            .filter(|set| !set.is_empty())
            .map(str::to_owned)
            .collect();
        let overrides = output::parse_overrides(&sets)?;
        let file = saylau_formats::parse_election(source, text, &overrides).map_err(Rejected)?;
        let allocated =
            output::allocate_election(file, true).with_context(|| format!("variant {spec}"))?;
        let label =
            sets.iter().map(|set| set.trim_start_matches("rules.")).collect::<Vec<_>>().join("; ");
        res.push(Variant { label, sets, allocated });
    }
    Ok(res)
}

/// Draws the comparison chart to `path`.
pub(crate) fn write_chart(path: &std::path::Path, variants: &[Variant]) -> anyhow::Result<()> {
    let chart_variants: Vec<saylau_charts::ChartVariant> = variants
        .iter()
        .map(|variant| {
            let allocated = &variant.allocated;
            let valid = allocated.valid_votes().0;
            let parties = allocated
                .summary
                .lists
                .iter()
                .map(|list| saylau_charts::ChartParty {
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
            saylau_charts::ChartVariant { label: variant.label.clone(), parties }
        })
        .collect();
    let title = variants[0].allocated.name();
    saylau_charts::write_comparison_chart(path, title, &chart_variants)
        .with_context(|| format!("writing the chart {}", path.display()))
}

/// One row of the comparison: a list, wherever it first appears.
struct Row<'a> {
    id: &'a str,
    name: &'a str,
    votes: Votes,
    valid: Votes,
}

/// The lists of every column, matched by id, in the order they first appear.
fn rows(variants: &[Variant]) -> Vec<Row<'_>> {
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

/// The comparison table.
pub(crate) fn render(variants: &[Variant]) -> String {
    let mut header: Vec<String> = vec!["list".to_owned(), "votes".to_owned(), "% valid".to_owned()];
    header.extend(variants.iter().map(|variant| variant.label.clone()));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = new_table(&header_refs);
    let mut differ = Vec::new();
    let all_rows = rows(variants);
    let row_count = all_rows.len();
    for row in all_rows {
        let percent = if row.valid.0 == 0 {
            "-".to_owned()
        } else {
            Fraction::new(u128::from(row.votes.0) * 100, u128::from(row.valid.0)).to_decimal(2)
        };
        let mut cells = vec![Cell::new(row.name), number(grouped(row.votes.0)), number(percent)];
        for variant in variants {
            let list =
                variant.allocated.summary.lists.iter().find(|list| list.id.as_str() == row.id);
            let cell = match list {
                Some(list) => {
                    if list.votes != row.votes && !differ.contains(&row.name) {
                        differ.push(row.name);
                    }
                    let mark = if list.qualified { "" } else { " ·" };
                    format!("{}{mark}", list.seats)
                }
                None => "–".to_owned(),
            };
            cells.push(number(cell));
        }
        table.add_row(cells);
    }
    let mut seats_row = vec![Cell::new("seats in all"), Cell::new(""), Cell::new("")];
    seats_row.extend(variants.iter().map(|variant| number(variant.allocated.seats().to_string())));
    table.add_row(seats_row);
    add_index_rows(&mut table, variants);
    let mut out = headline(variants);
    out.push_str(&table.to_string());
    out.push_str("\n· = not admitted (below the threshold)");
    if variants.iter().any(|variant| variant.allocated.summary.lists.len() < row_count) {
        out.push_str("; – = not in that file");
    }
    out.push('\n');
    if !differ.is_empty() {
        out.push_str(&format!(
            "The columns give different votes for: {} (the row shows the first).\n",
            differ.join(", ")
        ));
    }
    out
}

/// The proportionality indices of every column, one row each.
fn add_index_rows(table: &mut comfy_table::Table, variants: &[Variant]) {
    let rows: [IndexRow; 7] = [
        ("Gallagher", |it| it.gallagher.as_ref().map_or("-".to_owned(), |g| g.decimal.clone())),
        ("Loosemore-Hanby", |it| measure(it.loosemore_hanby.as_ref())),
        ("Sainte-Laguë index", |it| measure(it.sainte_lague.as_ref())),
        ("D'Hondt index", |it| measure(it.dhondt.as_ref())),
        ("eff. parties (votes)", |it| measure(it.effective_parties_votes.as_ref())),
        ("eff. parties (seats)", |it| measure(it.effective_parties_seats.as_ref())),
        ("wasted votes %", |it| measure(it.wasted_percent.as_ref())),
    ];
    for (name, value) in rows {
        let mut row = vec![Cell::new(name), Cell::new(""), Cell::new("")];
        row.extend(variants.iter().map(|variant| number(value(&variant.allocated.indices))));
        table.add_row(row);
    }
}

/// What is compared, and the warning of every modelled file.
fn headline(variants: &[Variant]) -> String {
    let law = &variants[0].allocated;
    let mut out = format!("{}: {} seats\n", law.name(), law.seats());
    let mut warned: Vec<&str> = Vec::new();
    for variant in variants {
        let allocated = &variant.allocated;
        if warned.contains(&allocated.name()) {
            continue;
        }
        warned.push(allocated.name());
        if std::ptr::eq(allocated, law) {
            if let Some(warning) = allocated.scenario_warning() {
                out.push_str(&warning);
                out.push('\n');
            }
            continue;
        }
        let modelled = allocated.file.meta.scenario.as_ref().is_some_and(|it| it.modelled);
        out.push_str(&format!(
            "{}: {} ({} seats, system {}){}\n",
            variant.label,
            allocated.name(),
            allocated.seats(),
            allocated.file.meta.system.as_str(),
            if modelled {
                ": MODELLED SCENARIO, not official figures (`saylau allocate` says how)"
            } else {
                ""
            }
        ));
    }
    out
}

/// A row of the indices part of the table: its name and how to read it.
type IndexRow = (&'static str, fn(&Indices) -> String);

fn measure(value: Option<&saylau_core::seats::index::Measure>) -> String {
    value.map_or("-".to_owned(), |it| it.decimal.clone())
}

/// The JSON of a comparison.
#[derive(Serialize)]
pub(crate) struct ComparisonJson<'a> {
    election: &'a str,
    variants: Vec<VariantJson<'a>>,
}

#[derive(Serialize)]
struct VariantJson<'a> {
    label: &'a str,
    sets: &'a [String],
    #[serde(flatten)]
    allocation: output::AllocatedJson<'a>,
}

/// The comparison as a serialisable value.
pub(crate) fn json(variants: &[Variant]) -> ComparisonJson<'_> {
    ComparisonJson {
        election: variants[0].allocated.name(),
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
