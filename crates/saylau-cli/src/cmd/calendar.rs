//! `saylau calendar FILE...`: an election's schedule from its day and the law's deadlines
//! (docs/calendar-format.md); with several files (the law and a proposal), their periods
//! side by side.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_app::calendar::{CalendarReport, CalendarView, Date, calendar_report};

use crate::output;
use crate::table::{new_table, number};

/// Arguments of `saylau calendar`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Calendar files (TOML; see docs/calendar-format.md), such as
    /// data/kz/calendar/akim-2021.toml.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Date every file for this election day (YYYY-MM-DD) instead of its own.
    #[arg(long, value_parser = parse_day)]
    day: Option<Date>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

fn parse_day(text: &str) -> Result<Date, String> {
    Date::parse(text).map_err(|err| err.to_string())
}

/// Runs `saylau calendar`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let files: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
    let report = calendar_report(&files, args.day).map_err(output::app_error)?;
    if args.json {
        output::print_json(&report)?;
    } else {
        output::print_text(&render(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn render(report: &CalendarReport) -> String {
    let mut out = String::new();
    for view in &report.calendars {
        out.push_str(&render_one(view));
        out.push('\n');
    }
    if !report.comparison.is_empty() {
        let names: Vec<String> =
            (1..=report.calendars.len()).map(|idx| format!("days ({idx})")).collect();
        let mut header = vec!["period"];
        header.extend(names.iter().map(String::as_str));
        let mut table = new_table(&header);
        for row in &report.comparison {
            let mut cells = vec![Cell::new(&row.name)];
            cells.extend(
                row.days.iter().map(|days| {
                    number(days.map_or_else(|| "-".to_owned(), |days| days.to_string()))
                }),
            );
            table.add_row(cells);
        }
        let _ = writeln!(out, "Side by side:");
        for (idx, view) in report.calendars.iter().enumerate() {
            let _ = writeln!(out, "  ({}) {}", idx + 1, view.meta.name);
        }
        let _ = writeln!(out, "{table}");
    }
    out
}

fn render_one(view: &CalendarView) -> String {
    let mut out = String::new();
    let schedule = &view.schedule;
    let _ = writeln!(out, "{} ({})", view.meta.name, view.file);
    if let Some(scenario) = &view.meta.scenario {
        let _ = writeln!(out, "SCENARIO, not the law: {}", scenario.note);
    }
    let given = if view.day_given { " (given with --day)" } else { "" };
    let _ = writeln!(out, "Election day {}{given}\n", schedule.election_day);
    let mut events = new_table(&["date", "day", "time", "from election day", "event", "article"]);
    for dated in &schedule.events {
        let offset = match dated.event.offset {
            0 => "election day".to_owned(),
            -1 => "1 day before".to_owned(),
            1 => "1 day after".to_owned(),
            days if days < 0 => format!("{} days before", -days),
            days => format!("{days} days after"),
        };
        events.add_row(vec![
            Cell::new(dated.date),
            Cell::new(dated.weekday.short()),
            Cell::new(dated.event.time.as_deref().unwrap_or("")),
            number(offset),
            Cell::new(&dated.event.name),
            Cell::new(&dated.event.article),
        ]);
    }
    let _ = writeln!(out, "{events}\n");
    let mut periods = new_table(&["period", "from", "to", "days", "minimum", "article"]);
    for dated in &schedule.periods {
        let minimum = match (&dated.period.minimum, dated.short_by) {
            (None, _) => String::new(),
            (Some(minimum), None) => format!("{} days: met", minimum.days),
            (Some(minimum), Some(short)) => {
                format!("{} days: ✗ short by {short} ({})", minimum.days, minimum.source)
            }
        };
        periods.add_row(vec![
            Cell::new(&dated.period.name),
            Cell::new(dated.start),
            Cell::new(dated.end),
            number(dated.days.to_string()),
            Cell::new(minimum),
            Cell::new(&dated.period.article),
        ]);
    }
    let _ = writeln!(out, "{periods}");
    out
}
