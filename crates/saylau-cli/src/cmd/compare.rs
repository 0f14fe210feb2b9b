//! `saylau compare FILE --set ... --set ...`: the law and what-if variants side by side.
//!
//! Each `--set` is one variant; a variant may change several fields at once, separated by
//! `;` (`--set 'rules.method=dhondt;rules.threshold=3%'`). The table shows seats per list
//! under each variant, then the proportionality indices and wasted votes.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use comfy_table::Cell;
use saylau_core::index::Indices;
use serde::Serialize;

use crate::output::{self, Allocated, Rejected};
use crate::table::{grouped, new_table, number};

/// Arguments of `saylau compare`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The election file (TOML, format v1).
    file: PathBuf,
    /// One variant: `FIELD=VALUE`, or several joined by `;` (repeatable).
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
    let source = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("reading {source}"))?;
    let variants = variants(&source, &text, &args.variants)?;
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
            let report = &variant.allocated.report;
            let valid =
                report.lists.iter().map(|list| list.votes.0).sum::<u64>() + report.against_all.0;
            let parties = report
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
    let title = &variants[0].allocated.report.election;
    saylau_charts::write_comparison_chart(path, title, &chart_variants)
        .with_context(|| format!("writing the chart {}", path.display()))
}

/// The comparison table.
pub(crate) fn render(variants: &[Variant]) -> String {
    let law = &variants[0].allocated.report;
    let mut header: Vec<String> = vec!["list".to_owned(), "votes".to_owned(), "% valid".to_owned()];
    header.extend(variants.iter().map(|variant| variant.label.clone()));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = new_table(&header_refs);
    let valid = law.lists.iter().map(|list| list.votes.0).sum::<u64>() + law.against_all.0;
    for (idx, list) in law.lists.iter().enumerate() {
        let percent = if valid == 0 {
            "-".to_owned()
        } else {
            saylau_core::fraction::Fraction::new(u128::from(list.votes.0) * 100, u128::from(valid))
                .to_decimal(2)
        };
        let mut row = vec![Cell::new(&list.name), number(grouped(list.votes.0)), number(percent)];
        for variant in variants {
            let other = &variant.allocated.report.lists[idx];
            let mark = if other.qualified { "" } else { " ·" };
            row.push(number(format!("{}{mark}", other.seats)));
        }
        table.add_row(row);
    }
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
    let mut out = format!("{}: {} seats\n", law.election, law.seats);
    if let Some(warning) = variants[0].allocated.scenario_warning() {
        out.push_str(&warning);
        out.push('\n');
    }
    out.push_str(&table.to_string());
    out.push_str("\n· = not admitted (below the threshold)\n");
    out
}

/// A row of the indices part of the table: its name and how to read it.
type IndexRow = (&'static str, fn(&Indices) -> String);

fn measure(value: Option<&saylau_core::index::Measure>) -> String {
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
    allocation: output::AllocatedJsonOwned<'a>,
}

/// The comparison as a serialisable value.
pub(crate) fn json(variants: &[Variant]) -> ComparisonJson<'_> {
    ComparisonJson {
        election: &variants[0].allocated.report.election,
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
