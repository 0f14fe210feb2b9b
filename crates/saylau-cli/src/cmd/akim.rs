//! `saylau akim council FILE [--rules R]... [--seed TEXT] [--json]`: a maslikhat's vote on
//! an oblast akim under each council rule file, round by round, beside the law of 2021
//! (`docs/council.md`).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_app::law::council::{
    CouncilOutcome, CouncilReport, RoundDecision, RuleColumn, council_report,
};

use crate::output;
use crate::table::{new_table, number};

/// Arguments of `saylau akim`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: AkimCommand,
}

#[derive(Debug, clap::Subcommand)]
enum AkimCommand {
    /// An oblast akim elected by the maslikhat: the vote under each rule file, round by round.
    Council(CouncilArgs),
}

/// Arguments of `saylau akim council`.
#[derive(Debug, clap::Args)]
struct CouncilArgs {
    /// The council-vote file (`[council]`, TOML).
    file: PathBuf,
    /// Council rule files, one column each; by default the two bundled scenarios of the
    /// seed's recommendation 12 (data/kz/council/).
    #[arg(long = "rules", value_name = "RULES_FILE")]
    rules: Vec<PathBuf>,
    /// The lot seed of any tie (else the file's `lot_seed`, else the SHA-256 of the file).
    #[arg(long)]
    seed: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau akim`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let AkimCommand::Council(args) = &args.command;
    let report =
        council_report(&args.file, &args.rules, args.seed.as_deref()).map_err(output::app_error)?;
    if args.json {
        output::print_json(&report)?;
    } else {
        output::print_text(&render(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn outcome_text(outcome: &CouncilOutcome) -> String {
    match outcome {
        CouncilOutcome::Elected { candidate, round } => format!("{candidate}, round {round}"),
        CouncilOutcome::Pending { candidates } => {
            format!("another round: {}", candidates.join(", "))
        }
        CouncilOutcome::NoneElected => "✗ nobody elected".to_owned(),
    }
}

fn render(report: &CouncilReport) -> String {
    let mut out = String::new();
    let synthetic = if report.synthetic { ", SYNTHETIC" } else { "" };
    let _ =
        writeln!(out, "{} ({}, {} members{synthetic})\n", report.name, report.file, report.members);
    let mut who = new_table(&["akim of", "law of 2021", "the seed's proposal (rec. 12)"]);
    for row in &report.who_chooses {
        who.add_row(vec![Cell::new(row.akim_of), Cell::new(row.law_2021), Cell::new(row.proposal)]);
    }
    let _ = writeln!(out, "{who}");
    for row in &report.who_chooses {
        let _ = writeln!(out, "  source: {}", row.source);
    }
    for (idx, column) in report.columns.iter().enumerate() {
        render_column(&mut out, idx + 1, column);
    }
    let _ = writeln!(out, "\nLot seed: {}", report.lot_seed);
    out
}

fn render_column(out: &mut String, idx: usize, column: &RuleColumn) {
    let scenario = if column.scenario { " (scenario)" } else { "" };
    let _ = writeln!(out, "\nRules ({idx}): {}{scenario}\n  {}", column.name, column.file);
    let _ = writeln!(
        out,
        "  majority {} ({}); after a round without one: {} ({}); at most {} rounds ({})",
        column.majority,
        column.sources[0],
        column.after_failed_round,
        column.sources[1],
        column.max_rounds,
        column.sources[2]
    );
    let mut table = new_table(&["round", "present", "needed", "votes", "decision"]);
    for round in &column.result.rounds {
        let votes: Vec<String> =
            round.votes.iter().map(|(name, votes)| format!("{name} {votes}")).collect();
        let decision = match &round.decision {
            RoundDecision::Elected { candidate } => format!("elected: {candidate}"),
            RoundDecision::NextRound { candidates, dropped } => {
                format!("next round: {}; out: {}", candidates.join(", "), dropped.join(", "))
            }
            RoundDecision::NoneElected => "nobody elected".to_owned(),
        };
        let decision = match &round.lot {
            Some(lot) => format!(
                "{decision} (lot among {}, seed {:?}: {})",
                lot.among.join(", "),
                lot.seed.as_str(),
                lot.order.join(", ")
            ),
            None => decision,
        };
        table.add_row(vec![
            number(round.number.to_string()),
            number(round.present.to_string()),
            number(format!("{} of {}", round.needed, round.base)),
            Cell::new(votes.join(", ")),
            Cell::new(decision),
        ]);
    }
    let _ = writeln!(out, "{table}");
    if let Some(not_counted) = &column.result.not_counted {
        let _ = writeln!(
            out,
            "  rounds from {} not counted: {}",
            not_counted.from_round, not_counted.why
        );
    }
    let _ = writeln!(out, "  outcome: {}", outcome_text(&column.result.outcome));
}
