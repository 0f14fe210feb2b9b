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
use saylau_app::allocate::Indices;
use saylau_app::compare::{Variant, compare_files, json, rows, write_chart};

use crate::output;
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

/// Runs `saylau compare`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let variants = compare_files(&args.files, &args.variants).map_err(output::app_error)?;
    if let Some(chart) = &args.chart {
        write_chart(chart, &variants)
            .with_context(|| format!("writing the chart {}", chart.display()))?;
    }
    if args.json {
        output::print_json(&json(&variants))?;
    } else {
        output::print_text(&render(&variants))?;
    }
    Ok(ExitCode::SUCCESS)
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
        let percent = row.percent_of_valid().unwrap_or_else(|| "-".to_owned());
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

fn measure(value: Option<&saylau_app::allocate::Measure>) -> String {
    value.map_or("-".to_owned(), |it| it.decimal.clone())
}
