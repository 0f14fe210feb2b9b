//! `saylau finance check LEDGER`: a campaign's or a party's donations and spending under
//! the law of 2021 and the seed's proposals side by side, every finding with the entry's
//! line, the rule's code and the article or recommendation behind it, and the scenario
//! behind every value the seed does not give (`docs/finance-format.md`).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_app::law::finance::{self, FinanceCheck, Scope, Source, Verdict};

use crate::output;
use crate::table::{new_table, number};

/// Arguments of `saylau finance`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: FinanceCommand,
}

#[derive(Debug, clap::Subcommand)]
enum FinanceCommand {
    /// Check a ledger (CSV) against the law and the proposals, side by side.
    Check(CheckArgs),
}

/// Whose money, for the default rule sets.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ScopeArg {
    /// A rural akim candidate's campaign.
    Akim,
    /// A political party.
    Party,
}

/// Arguments of `saylau finance check`.
#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The ledger: CSV with date, kind, donor_type, counterparty, amount_kzt, in_kind,
    /// account, reported_on, note.
    ledger: PathBuf,
    /// A rule set (repeatable): `law-2021`, `proposal`, a bundled id such as
    /// `proposal-party-rec16-23`, or a rule-set file; by default the law of 2021 and the
    /// proposal for `--scope`.
    #[arg(long = "rules", value_name = "ID_OR_FILE")]
    rules: Vec<String>,
    /// Whose money `law-2021` and `proposal` stand for.
    #[arg(long, value_enum, default_value = "akim")]
    scope: ScopeArg,
    /// Print the full report as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau finance`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        FinanceCommand::Check(args) => {
            let scope = match args.scope {
                ScopeArg::Akim => Scope::AkimCampaign,
                ScopeArg::Party => Scope::Party,
            };
            let checked = finance::check_ledger(&args.ledger, &args.rules, scope)
                .map_err(output::app_error)?;
            if args.json {
                output::print_json(&checked)?;
            } else {
                output::print_text(&render(&checked))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whole tenge with thousands grouped; totals may pass 64 bits.
fn tenge(value: u128) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (idx, ch) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn source_name(source: Source) -> &'static str {
    source.name()
}

/// The terminal view: totals, the side-by-side table, then every finding.
fn render(checked: &FinanceCheck) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({} entries)\n", checked.ledger, checked.entries);
    totals_section(&mut out, checked);
    side_by_side_section(&mut out, checked);
    findings_section(&mut out, checked);
    out
}

/// Income by source and spending (the same under every rule set).
fn totals_section(out: &mut String, checked: &FinanceCheck) {
    if let Some(first) = checked.rule_sets.first() {
        let totals = &first.report.totals;
        let mut table = new_table(&["income from", "entries", "KZT"]);
        for it in &totals.income {
            table.add_row(vec![
                Cell::new(source_name(it.source)),
                number(it.entries.to_string()),
                number(tenge(it.amount)),
            ]);
        }
        table.add_row(vec![
            Cell::new("all income"),
            Cell::new(""),
            number(tenge(totals.income_total)),
        ]);
        table.add_row(vec![Cell::new("spending"), Cell::new(""), number(tenge(totals.spending))]);
        let _ = writeln!(out, "{table}");
        if totals.unvalued_in_kind > 0 {
            let _ = writeln!(
                out,
                "{} in-kind donation(s) carry no value and count as 0 above.",
                totals.unvalued_in_kind
            );
        }
    }
}

/// One row per rule code, one column per rule set.
fn side_by_side_section(out: &mut String, checked: &FinanceCheck) {
    let mut header = vec!["rule".to_owned(), "kind".to_owned()];
    header.extend(checked.rule_sets.iter().map(|set| set.report.rules_id.clone()));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = new_table(&header);
    for row in &checked.side_by_side {
        let mut cells = vec![Cell::new(row.code), Cell::new(row.kind)];
        for cell in &row.outcomes {
            cells.push(Cell::new(match cell {
                None => "— (no such rule)".to_owned(),
                Some(cell) => {
                    let mark = if cell.scenario { " [scenario]" } else { "" };
                    match cell.verdict {
                        Verdict::Holds => format!("holds: {}{mark}", cell.required),
                        Verdict::Breached => {
                            format!("✗ {} finding(s): {}{mark}", cell.findings, cell.required)
                        }
                    }
                }
            }));
        }
        table.add_row(cells);
    }
    let mut totals = vec![Cell::new("findings"), Cell::new("")];
    totals.extend(checked.rule_sets.iter().map(|set| number(set.report.findings.to_string())));
    table.add_row(totals);
    let _ = writeln!(out, "\n{table}");
}

/// Every rule of every set with its article, scenario and findings.
fn findings_section(out: &mut String, checked: &FinanceCheck) {
    for set in &checked.rule_sets {
        let report = &set.report;
        let _ = writeln!(out, "\n{} — {} ({}):", report.rules_id, report.name, set.file);
        if report.outcomes.is_empty() {
            let description = set.description.as_deref().unwrap_or("no rule");
            let _ = writeln!(out, "  sets no limit: {description}");
            continue;
        }
        for outcome in &report.outcomes {
            let rule = &outcome.rule;
            let _ = writeln!(
                out,
                "  {} {}: {} — {} (seed {})",
                outcome.code,
                rule.limit.kind(),
                outcome.required,
                rule.article,
                rule.seed
            );
            if let Some(scenario) = &rule.scenario {
                let _ = writeln!(out, "    scenario parameter: {scenario}");
            }
            for finding in &outcome.findings {
                let place = match (finding.line, finding.date) {
                    (Some(line), Some(date)) => format!("line {line}, {date}"),
                    _ => "ledger".to_owned(),
                };
                let _ = writeln!(out, "    ✗ {place}: {}", finding.found);
            }
        }
    }
}
