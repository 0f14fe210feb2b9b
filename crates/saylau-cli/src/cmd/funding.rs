//! `saylau funding FILE`: state subsidies of parties per vote, in whole tenge, beside the
//! published amounts and the rates the file compares, and state campaign money per
//! candidate of akim races.
//!
//! `--json` prints at least `{"parties": [{"id": ..., "amount": ...}]}` with amounts as
//! integers in KZT.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_app::law::funding::FundingFile;
use saylau_app::law::funding::{self, Funded};
use saylau_app::law::funding::{Funding, Qualification, per_vote};

use crate::output;
use crate::table::{grouped, grouped_decimal, new_table, number};

/// Arguments of `saylau funding`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The funding file (TOML; see docs/funding-format.md).
    file: PathBuf,
    /// Override a field, e.g. `--set rules.rate=1%` (repeatable).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    sets: Vec<String>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau funding`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let funded = funding::funding_file(&args.file, &args.sets).map_err(output::app_error)?;
    if args.json {
        output::print_json(&funded.json())?;
    } else {
        let Funded { file, applied, compared, overridden } = &funded;
        output::print_text(&render(file, applied, compared, *overridden))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The terminal view.
fn render(file: &FundingFile, applied: &Funding, compared: &[Funding], overridden: bool) -> String {
    let mut out = String::new();
    let rules = &file.rules;
    let _ = writeln!(out, "{}", file.meta.name);
    if let Some(scenario) = &file.meta.scenario {
        let kind =
            if scenario.modelled { "MODELLED SCENARIO, not official figures" } else { "Scenario" };
        let _ = writeln!(out, "{kind}: {}", scenario.note);
    }
    let qualification = match rules.qualification {
        Qualification::Seats => "parties that won seats (the law)".to_owned(),
        Qualification::Threshold { percent, base } => {
            format!("parties with at least {percent} of {} votes", grouped(base.0))
        }
    };
    let _ = writeln!(
        out,
        "Subsidy: {} of the minimum wage {} KZT = {} KZT per vote, to {qualification}; amounts rounded down to whole tenge.",
        applied.rate,
        grouped(rules.minimum_wage.0),
        grouped_decimal(&exact_text(&per_vote(rules).to_decimal(2))),
    );
    if let (Some(note), false) = (&file.meta.rate_note, overridden) {
        let _ = writeln!(out, "Rate: {note}");
    }
    out.push('\n');
    out.push_str(&parties_table(file, applied, compared, overridden).to_string());
    out.push('\n');
    for other in compared {
        let _ = writeln!(
            out,
            "At {} ({} KZT per vote) the parties would receive {} KZT in all.",
            other.rate,
            grouped_decimal(&exact_text(&other.per_vote.decimal)),
            grouped(other.total.0)
        );
    }
    if !rules.conditions.is_empty() {
        let _ =
            writeln!(out, "\nConditional shares (paid only to a party that meets the condition):");
        for condition in &rules.conditions {
            let _ = writeln!(
                out,
                "  {} ({}): {}",
                condition.id, condition.share, condition.description
            );
        }
    }
    out.push_str(&campaign_section(file));
    out
}

/// `1275.00` → `1275`; other decimals are kept.
fn exact_text(decimal: &str) -> String {
    decimal.strip_suffix(".00").unwrap_or(decimal).to_owned()
}

fn parties_table(
    file: &FundingFile,
    applied: &Funding,
    compared: &[Funding],
    overridden: bool,
) -> comfy_table::Table {
    // Published amounts belong to the file's own rules, not to a what-if.
    let has_published = !overridden && file.published.iter().any(Option::is_some);
    let compare_titles: Vec<String> =
        compared.iter().map(|other| format!("at {}", other.rate)).collect();
    let mut header = vec!["party", "votes", "seats", "rate", "amount, KZT", "share"];
    if has_published {
        header.push("published");
    }
    header.extend(compare_titles.iter().map(String::as_str));
    let mut table = new_table(&header);
    for (idx, party) in applied.parties.iter().enumerate() {
        let rate =
            if party.qualified { applied.rate.to_string() } else { "not qualified".to_owned() };
        let mut amount = grouped(party.amount.0);
        if party.withheld.0 > 0 {
            amount.push_str(&format!(" ({} withheld)", grouped(party.withheld.0)));
        }
        let mut row = vec![
            Cell::new(&party.name),
            number(grouped(party.votes.0)),
            number(party.seats.to_string()),
            number(rate),
            number(amount),
            number(format!("{}%", party.share.decimal)),
        ];
        if has_published {
            let published = match file.published[idx] {
                Some(published) if published == party.amount => {
                    format!("{} ✓", grouped(published.0))
                }
                Some(published) => format!("{} ✗ differs", grouped(published.0)),
                None => String::new(),
            };
            row.push(number(published));
        }
        row.extend(compared.iter().map(|other| number(grouped(other.parties[idx].amount.0))));
        table.add_row(row);
    }
    let mut total = vec![
        Cell::new("total"),
        number(grouped(applied.parties.iter().map(|party| party.votes.0).sum())),
        Cell::new(""),
        Cell::new(""),
        number(grouped(applied.total.0)),
        number("100%"),
    ];
    if has_published {
        total.push(Cell::new(""));
    }
    total.extend(compared.iter().map(|other| number(grouped(other.total.0))));
    table.add_row(total);
    table
}

fn campaign_section(file: &FundingFile) -> String {
    let mut out = String::new();
    if file.campaign.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nState campaign money per candidate:");
    let mut table = new_table(&["kind of race", "per candidate, KZT", "candidates", "total, KZT"]);
    for rate in &file.campaign {
        table.add_row(vec![
            Cell::new(&rate.kind),
            number(grouped(rate.per_candidate.0)),
            number(
                rate.candidates
                    .map(|count| grouped(u64::from(count)))
                    .unwrap_or_else(|| "not published".to_owned()),
            ),
            number(rate.total().map(|total| grouped(total.0)).unwrap_or_default()),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out
}
