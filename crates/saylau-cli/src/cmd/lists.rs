//! `saylau lists FILE`: party lists under the 30 % combined quota (art. 89 p. 4), the
//! 2021 draft and the proposed zipper, women's share of lists and of seats, and seats
//! assigned by the party's choice (art. 97-1 p. 5) or in list order with a woman replaced
//! by the next woman (the proposal).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_app::law::lists::ListsMeta;
use saylau_app::law::lists::SeatAssignment;
use saylau_app::law::lists::{Count, ListReport, ListsReport, QuotaOutcome, Share};

use saylau_app::law::lists;

mod open;

use crate::output;
use crate::table::{new_table, number};

/// Arguments of `saylau lists`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The lists file (TOML; see docs/lists-format.md).
    file: PathBuf,
    /// Print the full report as JSON.
    #[arg(long)]
    json: bool,
    /// Reorder the lists by their preference votes under the rule of the file's open_list table
    /// (docs/open-lists.md).
    #[arg(long)]
    open: bool,
    /// With --open: pure order by preference votes instead of the file's rule.
    #[arg(long, requires = "open")]
    pure: bool,
}

/// Runs `saylau lists`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if args.open {
        return open::run(&args.file, args.pure, args.json);
    }
    let checked = lists::check(&args.file).map_err(output::app_error)?;
    if args.json {
        output::print_json(&checked)?;
    } else {
        output::print_text(&render(
            &checked.meta,
            &checked.report,
            checked.women_in_house.as_ref(),
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn count_text(count: Count) -> String {
    if count.is_exact() { count.min.to_string() } else { format!("{}-{}", count.min, count.max) }
}

fn outcome_text(outcome: QuotaOutcome) -> &'static str {
    match outcome {
        QuotaOutcome::Met => "met",
        QuotaOutcome::NotMet => "✗ not met",
        QuotaOutcome::Undetermined => "? undetermined",
    }
}

fn render(meta: &ListsMeta, report: &ListsReport, house: Option<&Share>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", meta.name);
    if meta.synthetic {
        let _ = writeln!(out, "SYNTHETIC lists, not real candidates.");
    }
    if let Some(note) = &meta.note {
        let _ = writeln!(out, "{note}");
    }
    out.push('\n');
    let mut header =
        vec!["list".to_owned(), "candidates".to_owned(), "women".to_owned(), "women %".to_owned()];
    header.extend(report.quotas.iter().map(|quota| quota.id.clone()));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = new_table(&header);
    for list in &report.lists {
        let percent = if list.women.is_exact() {
            list.women_percent.min.clone()
        } else {
            format!("{}-{}", list.women_percent.min, list.women_percent.max)
        };
        let mut row = vec![
            Cell::new(&list.name),
            number(list.candidates.to_string()),
            number(count_text(list.women)),
            number(percent),
        ];
        row.extend(list.quotas.iter().map(|check| Cell::new(outcome_text(check.outcome))));
        table.add_row(row);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    let _ = writeln!(
        out,
        "Women on all lists: {} of {} candidates.",
        count_text(report.women_on_lists),
        report.candidates
    );
    out.push_str("\nQuotas:\n");
    for quota in &report.quotas {
        let _ = writeln!(out, "  {}: {} ({})", quota.id, quota.name, quota.article);
    }
    for list in &report.lists {
        for (quota, check) in report.quotas.iter().zip(&list.quotas) {
            if check.outcome != QuotaOutcome::Met {
                let _ = writeln!(out, "  {} under {}: {}", list.name, quota.id, check.detail);
            }
        }
    }
    out.push_str(&seats_section(report, house));
    out
}

fn seats_section(report: &ListsReport, house: Option<&Share>) -> String {
    let mut out = String::new();
    let with_seats: Vec<&ListReport> =
        report.lists.iter().filter(|list| list.seats.is_some()).collect();
    if !with_seats.is_empty() {
        out.push_str("\nSeats (law: the party chooses, art. 97-1 p. 5; proposal: list order):\n");
        let mut table = new_table(&[
            "list",
            "seats",
            "women seated (published)",
            "women, law",
            "women, proposal",
        ]);
        for list in &with_seats {
            let women = |regime: &str| {
                let found = list.assignments.iter().find(|it| it.regime == regime);
                match found.and_then(|it| it.women_after.as_ref()) {
                    Some(share) => format!("{} ({}%)", share.count, share.percent),
                    None if list.named => "not known: no choice given".to_owned(),
                    None => "names not published".to_owned(),
                }
            };
            let published = list.women_seats.as_ref().map_or("not published".to_owned(), |share| {
                format!("{} ({}%)", share.count, share.percent)
            });
            table.add_row(vec![
                Cell::new(&list.name),
                number(list.seats.unwrap_or(0).to_string()),
                Cell::new(published),
                Cell::new(women("law")),
                Cell::new(women("proposal")),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
        for list in with_seats {
            for assignment in &list.assignments {
                let _ = writeln!(
                    out,
                    "  {}, {}: {}",
                    list.name,
                    assignment.regime,
                    assignment_text(assignment)
                );
            }
        }
    }
    if let Some(share) = house {
        let _ = writeln!(
            out,
            "Women in the house: {} of {} ({}%).",
            share.count, share.of, share.percent
        );
    }
    out
}

fn assignment_text(assignment: &SeatAssignment) -> String {
    let (Some(seated), Some(women), Some(after), Some(women_after)) =
        (&assignment.seated, &assignment.women, &assignment.after, &assignment.women_after)
    else {
        return "not known: the file does not say whom the party chose".to_owned();
    };
    let mut text = format!("{} ({} women)", seated.join(", "), women.count);
    for replacement in &assignment.replacements {
        let by = match (&replacement.by, &replacement.note) {
            (Some(by), _) => by.clone(),
            (None, Some(note)) => format!("nobody: {note}"),
            (None, None) => "nobody".to_owned(),
        };
        let _ = write!(text, "; {} leaves → {}", replacement.left, by);
    }
    if !assignment.replacements.is_empty() {
        let _ = write!(text, "; after: {} ({} women)", after.join(", "), women_after.count);
    }
    text
}
