//! `saylau allocate FILE`: seats for one election file, explained step by step.
//!
//! The terminal view of a list contest shows the threshold test, the quota, floors and
//! ranked remainders (or the divisor quotients), every tie-break with its lot seed, and
//! the proportionality indices; the other systems have their views in [`crate::view`].
//! `--json` prints the same report in full.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use comfy_table::Cell;
use saylau_app::allocate::Admission;
use saylau_app::allocate::AllocationReport;
use saylau_app::allocate::Method;
use saylau_app::allocate::TieStage;
use saylau_app::allocate::{Quota, QuotaKind, QuotaRounding};

use saylau_app::allocate::names::{method_name, quota_name, tie_rule_name};
use saylau_app::allocate::{Allocated, allocate_file};
use saylau_app::compare::{Variant, write_chart};

use crate::output;
use crate::table::{grouped, grouped_decimal, new_table, number, official_cell};

/// Arguments of `saylau allocate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The election file (TOML, format v1; see docs/election-format.md).
    file: PathBuf,
    /// Override a field for a what-if, e.g. `--set rules.threshold=5%` (repeatable).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    sets: Vec<String>,
    /// Print every seat of a divisor method, not only the summary per list.
    #[arg(long)]
    seats: bool,
    /// Also draw the hemicycle and a seats-versus-votes chart to FILE (.svg or .png).
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    /// Print the full report as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau allocate`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let allocated = allocate_file(&args.file, &args.sets).map_err(output::app_error)?;
    if let Some(chart) = &args.chart {
        let label = if args.sets.is_empty() { "law".to_owned() } else { args.sets.join("; ") };
        let variant = Variant { label, sets: args.sets.clone(), allocated };
        write_chart(chart, std::slice::from_ref(&variant))
            .with_context(|| format!("writing the chart {}", chart.display()))?;
        return finish(&variant.allocated, args);
    }
    finish(&allocated, args)
}

fn finish(allocated: &Allocated, args: &Args) -> anyhow::Result<ExitCode> {
    if args.json {
        output::print_json(&allocated.json())?;
    } else {
        output::print_text(&render(allocated, args.seats))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The terminal view of one allocation.
pub(crate) fn render(allocated: &Allocated, every_seat: bool) -> String {
    let Some(report) = &allocated.report else {
        return crate::view::render(allocated);
    };
    let mut out = String::new();
    writeln!(out, "{}", headline(report)).expect("writing to a String cannot fail");
    if let Some(warning) = allocated.scenario_warning() {
        writeln!(out, "{warning}").expect("writing to a String cannot fail");
    }
    out.push('\n');
    if let Some(threshold) = &report.threshold {
        let _ = writeln!(
            out,
            "Threshold: {} of {} {} votes = {} ({}): a list needs at least {} votes",
            threshold.percent,
            grouped(threshold.base_votes.0),
            base_name(threshold.base),
            grouped_decimal(&threshold.min_votes.decimal),
            threshold.min_votes.exact,
            grouped(threshold.min_whole_votes.0),
        );
    }
    out.push_str(&lists_table(allocated, report).to_string());
    out.push('\n');
    match report.rules.method() {
        Method::LargestRemainder { .. } => out.push_str(&remainder_section(report)),
        Method::Divisor { .. } => out.push_str(&divisor_section(report, every_seat)),
    }
    out.push_str(&ties_section(report));
    out.push_str(&output::indices_text(&allocated.indices));
    out
}

/// One line naming the election, the house and the rules.
fn headline(report: &AllocationReport) -> String {
    let threshold = match report.rules.threshold() {
        Some(threshold) => {
            format!("threshold {} of {} votes", threshold.percent, base_name(threshold.base))
        }
        None => "no threshold".to_owned(),
    };
    format!(
        "{}: {} seats, {}, {}, ties: {}",
        report.election,
        report.seats,
        method_name(report.rules.method()),
        threshold,
        tie_rule_name(report.rules.ties()),
    )
}

fn base_name(base: saylau_app::allocate::ThresholdBase) -> &'static str {
    match base {
        saylau_app::allocate::ThresholdBase::Participants => "participants'",
        saylau_app::allocate::ThresholdBase::Valid => "valid",
        saylau_app::allocate::ThresholdBase::Lists => "list",
    }
}

fn lists_table(allocated: &Allocated, report: &AllocationReport) -> comfy_table::Table {
    // Published seats belong to the file's own rules, not to a what-if.
    let has_official = !allocated.overridden && allocated.official.iter().any(Option::is_some);
    let percent_title = match &report.threshold {
        Some(threshold) => format!("% of {}", base_name(threshold.base).trim_end_matches('\'')),
        None => "% of valid".to_owned(),
    };
    let mut header = vec!["#", "list", "votes", percent_title.as_str(), "admitted", "seats"];
    if has_official {
        header.push(allocated.official_label);
    }
    let mut table = new_table(&header);
    for (idx, list) in report.lists.iter().enumerate() {
        let admitted = match list.admission {
            Admission::Passed => "yes",
            Admission::RunnerUp => "runner-up (art. 97-1 p. 2)",
            Admission::BelowThreshold => "below threshold",
            Admission::NoVotes => "no votes",
        };
        let admitted = match list.own_threshold {
            Some(own) => format!("{admitted} (own threshold {own})"),
            None => admitted.to_owned(),
        };
        let mut row = vec![
            number((idx + 1).to_string()),
            Cell::new(&list.name),
            number(grouped(list.votes.0)),
            number(list.percent.decimal.clone()),
            Cell::new(admitted),
            number(list.seats.to_string()),
        ];
        if has_official {
            row.push(official_cell(allocated.official[idx], list.seats));
        }
        table.add_row(row);
    }
    if report.against_all.0 > 0 {
        table.add_row(vec![
            Cell::new(""),
            Cell::new("against all (never seated)"),
            number(grouped(report.against_all.0)),
        ]);
    }
    table
}

/// The left side of the quota's equation as the core computes it (`saylau_core`'s quota):
/// the votes over the seats plus the kind's addend, then the rounding.
fn quota_equation(rule: Quota, votes: &str, seats: u32) -> String {
    let added = match rule.kind {
        QuotaKind::Hare => 0,
        QuotaKind::Droop | QuotaKind::HagenbachBischoff => 1,
        QuotaKind::Imperiali => 2,
    };
    let ratio = match added {
        0 => format!("{votes} votes of admitted lists / {seats} seats"),
        _ => format!("{votes} votes of admitted lists / ({seats} seats + {added})"),
    };
    match rule.rounding {
        QuotaRounding::Exact => ratio,
        QuotaRounding::Floor => format!("floor({ratio})"),
        QuotaRounding::FloorPlusOne => format!("floor({ratio}) + 1"),
        QuotaRounding::Ceil => format!("ceil({ratio})"),
        QuotaRounding::Round => format!("round({ratio}, halves up)"),
    }
}

fn remainder_section(report: &AllocationReport) -> String {
    let mut out = String::new();
    if let Some(quota) = &report.quota {
        let _ = writeln!(
            out,
            "\nQuota ({}): {} = {} ≈ {}",
            quota_name(quota.rule),
            quota_equation(quota.rule, &grouped(quota.admitted_votes.0), quota.seats.0),
            quota.value.exact,
            grouped_decimal(&quota.value.decimal),
        );
    }
    let mut table = new_table(&[
        "rank",
        "list",
        "votes / quota",
        "whole seats",
        "remainder",
        "remainder seat",
        "total",
    ]);
    for row in &report.remainders {
        let total = report.lists.iter().find(|list| list.id == row.id).map(|list| list.seats.0);
        let remainder_seat = match (row.remainder_seats, row.minimum_added) {
            (_, added) if added > 0 => format!("+{added} (minimum)"),
            (0, _) => String::new(),
            (seats, _) if seats > 0 => format!("+{seats}"),
            (seats, _) => format!("{seats} (taken back)"),
        };
        table.add_row(vec![
            number(row.rank.to_string()),
            Cell::new(&row.id),
            number(grouped_decimal(&row.quotient.decimal)),
            number(row.floor.to_string()),
            number(format!("{} ({})", row.remainder.decimal, row.remainder.exact)),
            Cell::new(remainder_seat),
            number(total.map(|seats| seats.to_string()).unwrap_or_default()),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

fn divisor_section(report: &AllocationReport, every_seat: bool) -> String {
    let mut out = String::from("\n");
    if every_seat {
        let mut table = new_table(&["seat", "list", "quotient", "exact"]);
        for award in &report.awards {
            table.add_row(vec![
                number(award.seat.to_string()),
                Cell::new(&award.id),
                number(grouped_decimal(&award.decimal)),
                Cell::new(&award.quotient),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
        return out;
    }
    let mut table = new_table(&["list", "seats", "first seat at", "last seat at"]);
    for list in report.lists.iter().filter(|list| list.seats.0 > 0) {
        let mut won = report.awards.iter().filter(|award| award.id == list.id);
        let first = won.next().map(|award| award.decimal.clone()).unwrap_or_default();
        let last = report.awards.iter().rfind(|award| award.id == list.id);
        let last =
            last.map(|award| format!("seat {}: {}", award.seat, grouped_decimal(&award.decimal)));
        table.add_row(vec![
            Cell::new(&list.id),
            number(list.seats.to_string()),
            number(grouped_decimal(&first)),
            number(last.unwrap_or_default()),
        ]);
    }
    out.push_str(&table.to_string());
    if let Some(last) = report.awards.last() {
        let _ = writeln!(
            out,
            "\nThe last seat (no. {}) went to {} at quotient {} ({}). `--seats` lists every seat.",
            last.seat,
            last.id,
            grouped_decimal(&last.decimal),
            last.quotient
        );
    }
    out
}

fn ties_section(report: &AllocationReport) -> String {
    let mut out = String::new();
    if report.ties.is_empty() {
        let _ = writeln!(out, "\nTies: none. Lot seed (had one been needed): {}", report.lot_seed);
        return out;
    }
    let _ = writeln!(out, "\nTies:");
    for tie in &report.ties {
        let stage = match tie.stage {
            TieStage::Admission => "admission of the next-largest list".to_owned(),
            TieStage::Remainder => "equal remainders".to_owned(),
            TieStage::Removal => "equal remainders when taking back seats".to_owned(),
            TieStage::Quotient { seat } => format!("equal quotients for seat {seat}"),
        };
        let names = |ids: &[saylau_app::allocate::ListId]| {
            ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        };
        let _ = write!(
            out,
            "  {stage}: {} tied for {}; won by {} (decided by {:?})",
            names(&tie.tied),
            tie.needed,
            names(&tie.winners),
            tie.decided_by,
        );
        if let (Some(seed), Some(order)) = (&tie.lot_seed, &tie.lot_order) {
            let _ = write!(out, "; lot seed {:?}, drawn order {}", seed.as_str(), names(order));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Lot seed: {} (recompute with docs/lot.md)", report.lot_seed);
    out
}
