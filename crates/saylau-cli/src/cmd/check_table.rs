//! `saylau check-table FILE`: checks a published table of totals against its declared
//! relations and reports every row whose parts do not add up.
//!
//! `--json` prints at least `{"problems": [{"row": ..., "expected": ..., "found": ...}]}`.
//! Like a linter, the command exits with 1 when it finds a problem, so scripts can stop on
//! an inconsistent table; blank (unpublished) cells are noted, never guessed.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_app::law::check_table::{self, Checked, Figure};

use crate::output;
use crate::table::{new_table, number};

/// Arguments of `saylau check-table`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The table file (TOML; see docs/table-format.md).
    file: PathBuf,
    /// List every note about blank cells, not only their number.
    #[arg(long)]
    notes: bool,
    /// Print the problems and notes as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau check-table`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let checked = check_table::check(&args.file).map_err(output::app_error)?;
    if args.json {
        output::print_json(&checked.json())?;
    } else {
        output::print_text(&render(&checked, args.notes))?;
    }
    Ok(if checked.consistent() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn figure(figure: &Figure) -> String {
    match figure {
        Figure::Count(value) => crate::table::grouped(*value),
        Figure::Text(text) => text.clone(),
    }
}

/// The terminal view.
fn render(checked: &Checked, every_note: bool) -> String {
    let Checked { file, check } = checked;
    let mut out = String::new();
    let relations = file.table.relations().len();
    let rows = file.table.rows().len();
    let _ = writeln!(
        out,
        "{}: {rows} rows, {relations} relations, {} comparisons",
        file.meta.name, check.checked
    );
    if let Some(source) = &file.meta.source {
        let _ = writeln!(out, "Source: {}", source.citation);
    }
    out.push('\n');
    if check.problems.is_empty() {
        let _ = writeln!(out, "Every relation holds.");
    } else {
        let noun = if check.problems.len() == 1 { "problem" } else { "problems" };
        let _ = writeln!(out, "{} {noun}:", check.problems.len());
        let mut table = new_table(&["row", "column", "relation", "stated", "parts give"]);
        for problem in &check.problems {
            let row_name = file
                .table
                .rows()
                .iter()
                .find(|row| row.id == problem.row)
                .map_or(problem.row.as_str(), |row| row.name.as_str());
            table.add_row(vec![
                Cell::new(row_name),
                Cell::new(problem.column.as_deref().unwrap_or("")),
                Cell::new(&problem.relation),
                number(figure(&problem.expected)),
                number(figure(&problem.found)),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    if !check.notes.is_empty() {
        if every_note {
            let _ = writeln!(out, "\nNotes (blank cells are not published and never guessed):");
            for note in &check.notes {
                let column =
                    note.column.as_deref().map(|column| format!(", {column}")).unwrap_or_default();
                let _ =
                    writeln!(out, "  {}{column}: {} ({})", note.row, note.message, note.relation);
            }
        } else {
            let _ = writeln!(
                out,
                "\n{} comparisons were skipped or made on published cells only, because of blank cells; `--notes` lists them.",
                check.notes.len()
            );
        }
    }
    out
}
