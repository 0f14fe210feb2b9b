//! `saylau eligibility FILE`: which candidates may run (rural akims, the Mazhilis, the
//! maslikhats, the President), under the law and the proposal for their office side by
//! side, naming every failed rule and its article, and which akim races need the district
//! akim to nominate (art. 113-3 p. 6).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_app::law::eligibility::CandidatesMeta;
use saylau_app::law::eligibility::RaceOutcome;
use saylau_app::law::eligibility::{EligibilityReport, Nomination, Office};

use saylau_app::law::eligibility;

use crate::output;
use crate::table::{grouped, new_table, number};

/// Arguments of `saylau eligibility`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The candidates file: TOML, or CSV with `--election-day` (docs/candidates-format.md).
    file: PathBuf,
    /// A rule-set file (repeatable); by default the bundled law and proposal for the
    /// candidates' office.
    #[arg(long = "rules", value_name = "RULES_FILE")]
    rules: Vec<PathBuf>,
    /// Election day for a CSV file, such as 2021-07-25.
    #[arg(long, value_name = "YYYY-MM-DD")]
    election_day: Option<String>,
    /// The office a CSV file's candidates stand for: akim (default), mazhilis, maslikhat
    /// or president (a TOML file names its own).
    #[arg(long, value_name = "OFFICE")]
    office: Option<String>,
    /// Print the full report as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau eligibility`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let checked = eligibility::check(
        &args.file,
        &args.rules,
        args.election_day.as_deref(),
        args.office.as_deref(),
    )
    .map_err(output::app_error)?;
    if args.json {
        output::print_json(&checked)?;
    } else {
        output::print_text(&render(&checked.election, &checked.rule_sets))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The terminal view: candidates by rule set, the failures with their articles, races.
fn render(meta: &CandidatesMeta, reports: &[EligibilityReport]) -> String {
    let mut out = String::new();
    let day = reports.first().map(|report| report.election_day.to_string()).unwrap_or_default();
    let _ = writeln!(out, "{} ({}, election day {day})", meta.name, meta.office.as_str());
    if meta.synthetic {
        let _ = writeln!(out, "SYNTHETIC candidates, not real people.");
    }
    out.push('\n');
    out.push_str(&candidates_table(reports));
    for report in reports {
        let _ = writeln!(out, "\n{} — {}:", report.rule_set, report.name);
        let failing: Vec<_> = report
            .candidates
            .iter()
            .filter(|check| !check.eligible || !check.corrections.is_empty())
            .collect();
        if failing.is_empty() {
            let _ = writeln!(out, "  every candidate is eligible");
        }
        for check in failing {
            for correction in &check.corrections {
                let _ = writeln!(
                    out,
                    "  {}: {} — {}, to be corrected within {} days, not a refusal ({})",
                    check.name,
                    correction.rule,
                    correction.found,
                    correction.within_days,
                    correction.article
                );
            }
            for failure in &check.failures {
                let _ = writeln!(
                    out,
                    "  {}: {} — needs {}, has {} ({})",
                    check.name, failure.rule, failure.required, failure.found, failure.article
                );
            }
        }
    }
    if meta.office == Office::Akim {
        out.push_str(&races_section(reports));
    }
    out
}

/// Every candidate under every rule set, with the eligible counts.
fn candidates_table(reports: &[EligibilityReport]) -> String {
    let mut header = vec![
        "candidate".to_owned(),
        "race".to_owned(),
        "age".to_owned(),
        "nominated by".to_owned(),
    ];
    header.extend(reports.iter().map(|report| report.rule_set.clone()));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = new_table(&header);
    let n_candidates = reports.first().map_or(0, |report| report.candidates.len());
    for idx in 0..n_candidates {
        let first = &reports[0].candidates[idx];
        let mut row = vec![
            Cell::new(&first.name),
            Cell::new(first.race.as_str()),
            number(first.age.to_string()),
            Cell::new(nomination_name(first.nomination)),
        ];
        for report in reports {
            let check = &report.candidates[idx];
            let cell = if check.eligible && check.corrections.is_empty() {
                "eligible".to_owned()
            } else if check.eligible {
                let rules: Vec<&str> = check.corrections.iter().map(|it| it.rule).collect();
                format!("eligible once corrected: {}", rules.join(", "))
            } else {
                let rules: Vec<&str> = check.failures.iter().map(|failure| failure.rule).collect();
                format!("✗ {}", rules.join(", "))
            };
            row.push(Cell::new(cell));
        }
        table.add_row(row);
    }
    let mut totals = vec![Cell::new("eligible"), Cell::new(""), Cell::new(""), Cell::new("")];
    totals.extend(
        reports
            .iter()
            .map(|report| number(format!("{} of {}", report.eligible, report.candidates.len()))),
    );
    table.add_row(totals);
    let mut out = table.to_string();
    out.push('\n');
    out
}

fn races_section(reports: &[EligibilityReport]) -> String {
    let mut out = String::from(
        "\nRaces (art. 113-3 p. 6: with fewer than two nominees the district akim nominates):\n",
    );
    let mut header = vec![
        "race".to_owned(),
        "voters".to_owned(),
        "nominated".to_owned(),
        "by the akim".to_owned(),
    ];
    header
        .extend(reports.iter().map(|report| format!("{}: eligible, nomination", report.rule_set)));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = new_table(&header);
    let n_races = reports.first().map_or(0, |report| report.races.len());
    for idx in 0..n_races {
        let first = &reports[0].races[idx];
        let mut row = vec![
            Cell::new(first.race.as_str()),
            number(grouped(first.voters.0)),
            number(first.nominated.to_string()),
            number(first.akim_nominated.to_string()),
        ];
        for report in reports {
            let race = &report.races[idx];
            row.push(Cell::new(format!("{}, {}", race.eligible, outcome_name(race.outcome))));
        }
        table.add_row(row);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

fn nomination_name(nomination: Nomination) -> &'static str {
    match nomination {
        Nomination::Party => "party",
        Nomination::SelfNominated => "self",
        Nomination::Akim => "district akim",
    }
}

fn outcome_name(outcome: RaceOutcome) -> String {
    match outcome {
        RaceOutcome::Contested => "contested".to_owned(),
        RaceOutcome::AkimNominated => "akim nominated (allowed)".to_owned(),
        RaceOutcome::AkimMustNominate { missing } => format!("akim must nominate {missing}"),
        RaceOutcome::AkimNotEntitled => "akim not entitled".to_owned(),
        RaceOutcome::NoRule => "no nomination rule".to_owned(),
    }
}
