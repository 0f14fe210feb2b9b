//! `saylau lists FILE --open`: each list reordered by its preference votes, with every
//! candidate's preference votes, share of the list's votes, threshold test and final rank.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_app::law::open_list::{self, OpenListReport, OpenLists};

use crate::output;
use crate::table::{grouped, new_table, number};

/// Runs `saylau lists FILE --open [--pure]`.
pub(super) fn run(file: &Path, pure: bool, json: bool) -> anyhow::Result<ExitCode> {
    let report = open_list::reorder(file, pure).map_err(output::app_error)?;
    if json {
        output::print_json(&report)?;
    } else {
        output::print_text(&render(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn render(report: &OpenLists) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", report.meta.name);
    if report.meta.synthetic {
        let _ = writeln!(out, "SYNTHETIC lists, not real candidates.");
    }
    if let Some(note) = &report.meta.note {
        let _ = writeln!(out, "{note}");
    }
    if let Some(article) = &report.article {
        let _ = writeln!(out, "Rule: {article}");
    }
    for list in &report.lists {
        out.push_str(&list_section(list));
    }
    out
}

fn list_section(list: &OpenListReport) -> String {
    let mut out = String::new();
    let rule = match (&list.threshold_percent, &list.threshold_votes) {
        (Some(percent), Some(votes)) if list.rule == "above-average" => format!(
            "candidates with at least {percent}% more votes than the average per candidate \
             ({votes} votes) move up in order of votes; the rest keep list order"
        ),
        (Some(percent), Some(votes)) => format!(
            "candidates with at least {percent}% of the list's votes ({votes} preference votes) \
             move up in order of preference votes; the rest keep list order"
        ),
        _ => "every candidate in order of preference votes".to_owned(),
    };
    let _ = writeln!(
        out,
        "\n{}: {} votes, {} seats; {rule}; ties keep list order.",
        list.list,
        grouped(list.votes),
        list.seats
    );
    let mut table = new_table(&[
        "rank",
        "candidate",
        "list place",
        "preference votes",
        "% of list votes",
        "threshold",
        "elected",
    ]);
    for row in &list.rows {
        let reaches = match row.reaches {
            Some(true) => "reached",
            Some(false) => "not reached",
            None => "-",
        };
        table.add_row(vec![
            number(row.rank.to_string()),
            Cell::new(&row.name),
            number(row.position.to_string()),
            number(grouped(row.preferences)),
            number(row.share_percent.clone()),
            Cell::new(reaches),
            Cell::new(if row.elected { "elected" } else { "" }),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    for replacement in &list.replacements {
        let by = match (&replacement.by, &replacement.note) {
            (Some(by), _) => by.clone(),
            (None, Some(note)) => format!("nobody: {note}"),
            (None, None) => "nobody".to_owned(),
        };
        let _ = writeln!(out, "  {} leaves → {by} (a woman by the next woman)", replacement.left);
    }
    if !list.replacements.is_empty() {
        let _ = writeln!(out, "  after: {}", list.after.join(", "));
    }
    out
}
