//! `saylau legitimacy FILE --rules RULES...`: whether a round of plurality races or a list
//! contest stands under each repeat-election rule set (turnout quorum, "against all"), with
//! the repeat elections and their calendar, winners' votes as a share of the registered
//! voters and the wasted votes (docs/legitimacy.md).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_app::legitimacy::{
    LegitimacyOptions, LegitimacyReport, Outcome, RuleSetView, Votes, legitimacy_report,
};

use crate::output;
use crate::table::{grouped, new_table, number};

/// Arguments of `saylau legitimacy`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A plurality file (`[plurality]`, TOML or CSV) or an election file with one list contest.
    file: PathBuf,
    /// Repeat-rule files, one column each (data/kz/repeat/law-2021.toml, proposal-quorum-50.toml).
    #[arg(long = "rules", required = true, value_name = "RULES_FILE")]
    rules: Vec<PathBuf>,
    /// A calendar file: the repeat election's schedule is dated from it.
    #[arg(long, value_name = "CALENDAR_FILE")]
    calendar: Option<PathBuf>,
    /// Voters on the roll of a list contest (election files do not hold them).
    #[arg(long)]
    voters: Option<u64>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau legitimacy`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let rules: Vec<&Path> = args.rules.iter().map(PathBuf::as_path).collect();
    let options = LegitimacyOptions {
        file: &args.file,
        rules: &rules,
        calendar: args.calendar.as_deref(),
        voters: args.voters.map(Votes),
    };
    let report = legitimacy_report(options).map_err(output::app_error)?;
    if args.json {
        output::print_json(&report)?;
    } else {
        output::print_text(&render(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn outcome_text(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Elected => "elected",
        Outcome::Runoff => "runoff",
        Outcome::RepeatQuorum => "✗ failed: turnout below quorum, repeat",
        Outcome::RepeatAgainstAll => "✗ vacant: \"against all\", repeat",
        Outcome::Undetermined => "? undetermined: no turnout figures",
    }
}

fn render(report: &LegitimacyReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}, {})\n", report.name, report.file, report.kind);
    let mut header = vec!["".to_owned()];
    header.extend((1..=report.rule_sets.len()).map(|idx| format!("rules ({idx})")));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut totals = new_table(&header);
    let row = |label: &str, value: &dyn Fn(&RuleSetView) -> String| {
        let mut cells = vec![Cell::new(label)];
        cells.extend(report.rule_sets.iter().map(|set| number(value(set))));
        cells
    };
    totals.add_row(row("judged", &|set| set.totals.judged.to_string()));
    totals.add_row(row("elected", &|set| set.totals.elected.to_string()));
    totals.add_row(row("runoff", &|set| set.totals.runoffs.to_string()));
    totals
        .add_row(row("repeat: turnout below quorum", &|set| set.totals.repeat_quorum.to_string()));
    totals
        .add_row(row("repeat: \"against all\"", &|set| set.totals.repeat_against_all.to_string()));
    totals.add_row(row("undetermined", &|set| set.totals.undetermined.to_string()));
    totals.add_row(row("valid votes", &|set| grouped(set.totals.valid_votes.0)));
    totals.add_row(row("wasted votes", &|set| grouped(set.totals.wasted_votes.0)));
    for (idx, set) in report.rule_sets.iter().enumerate() {
        let quorum = set
            .rules
            .quorum
            .as_ref()
            .map_or_else(|| "none".to_owned(), |q| q.min_turnout.to_string());
        let _ = writeln!(out, "({}) {} [quorum {quorum}]", idx + 1, set.rules.name);
        let _ = writeln!(out, "    quorum: {}", set.rules.quorum_source);
        let _ = writeln!(out, "    against all: {}", set.rules.against_all_source);
        if let Some(scenario) = &set.rules.scenario {
            let _ = writeln!(out, "    SCENARIO: {}", scenario.note);
        }
    }
    let _ = writeln!(out, "\n{totals}\n");
    for (idx, set) in report.rule_sets.iter().enumerate() {
        out.push_str(&render_rule_set(idx, set));
    }
    out
}

/// One rule set's races and its repeat's calendar.
fn render_rule_set(idx: usize, set: &RuleSetView) -> String {
    let mut out = String::new();
    let mut table = new_table(&[
        "race",
        "outcome",
        "turnout",
        "winner",
        "% of valid",
        "% of registered",
        "wasted",
    ]);
    for judged in &set.judged {
        let turnout = judged.quorum.as_ref().map_or_else(String::new, |check| {
            format!("{}% (min {})", check.turnout.decimal, check.min_turnout)
        });
        let first = judged.winners.first();
        table.add_row(vec![
            Cell::new(&judged.id),
            Cell::new(outcome_text(judged.outcome)),
            number(turnout),
            Cell::new(first.map_or("", |it| it.name.as_str())),
            number(
                first.map_or_else(String::new, |it| format!("{}%", it.percent_of_valid.decimal)),
            ),
            number(
                first
                    .and_then(|it| it.percent_of_registered.as_ref())
                    .map_or_else(|| "-".to_owned(), |it| format!("{}%", it.decimal)),
            ),
            number(format!(
                "{} ({}%)",
                grouped(judged.wasted_votes.0),
                judged.wasted_percent.decimal
            )),
        ]);
    }
    let _ = writeln!(out, "Rules ({}):\n{table}", idx + 1);
    if let Some(repeat) = &set.repeat {
        let _ = writeln!(
            out,
            "Repeat election {} days later ({}), calendar «{}»:",
            repeat.after_days, repeat.source, repeat.calendar
        );
        for dated in &repeat.schedule.events {
            let _ =
                writeln!(out, "  {} {}  {}", dated.date, dated.weekday.short(), dated.event.name);
        }
    }
    out.push('\n');
    out
}
