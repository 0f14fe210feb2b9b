//! `saylau pvt plan|draw|estimate|published`: the quick count (parallel vote tabulation)
//! as a published design (`docs/pvt.md`).
//!
//! `plan` sizes a stratified sample of stations from the between-station variance of a
//! past election and writes the plan file; `draw` draws it with the verifiable lot from a
//! public seed and writes a lot file that `saylau lot verify` recomputes; `estimate`
//! turns the sampled stations' reports into estimates, intervals, verdicts against the
//! official figures and seat projections; `published` shows the seats implied by the
//! observers' published aggregate of 2021.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use comfy_table::Cell;
use saylau_app::pvt::draw::{DrawView, draw};
use saylau_app::pvt::estimate::EstimateView;
use saylau_app::pvt::files::{QuickCountFiles, estimate_files, plan_files};
use saylau_app::pvt::frame_file::read_frame;
use saylau_app::pvt::plan::{PlanOptions, PlanSize, PlanView};
use saylau_app::pvt::plan_file::{plan_toml, read_plan};
use saylau_app::pvt::published::{PublishedView, published};

use crate::output::{self, Rejected};
use crate::table::{new_table, number};

/// Arguments of `saylau pvt`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: PvtCommand,
}

#[derive(Debug, clap::Subcommand)]
enum PvtCommand {
    /// Size a stratified sample of stations from a past election and write the plan.
    Plan(PlanArgs),
    /// Draw the plan's sample with the verifiable lot from a public seed.
    Draw(DrawArgs),
    /// Estimate turnout and shares from the sampled stations' reports, with verdicts.
    Estimate(EstimateArgs),
    /// The seats implied by the observers' published aggregate of 2021 (505 copies).
    Published(PublishedArgs),
}

/// Arguments of `saylau pvt plan`.
#[derive(Debug, clap::Args)]
struct PlanArgs {
    /// The frame: a stations file (`# saylau-stations v1`) or a protocol file.
    #[arg(long, value_name = "FILE")]
    frame: PathBuf,
    /// A past (or synthetic) election's protocols, for the between-station variance.
    #[arg(long, value_name = "FILE")]
    past: PathBuf,
    /// The attributes to stratify by, comma-separated (region, district, or a frame
    /// column such as settlement).
    #[arg(long, value_delimiter = ',', default_value = "region")]
    strata: Vec<String>,
    /// The target half-width of every interval, in percentage points.
    #[arg(long, value_name = "POINTS", conflicts_with = "size", default_value_t = 1.0)]
    margin: f64,
    /// A sample of this many stations instead of one sized from `--margin`.
    #[arg(long, value_name = "N")]
    size: Option<u64>,
    /// The confidence of the intervals.
    #[arg(long, default_value_t = 0.95)]
    confidence: f64,
    /// The plan's name.
    #[arg(long, default_value = "Quick count")]
    name: String,
    /// Where to write the plan file (TOML).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Print the plan as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `saylau pvt draw`.
#[derive(Debug, clap::Args)]
struct DrawArgs {
    /// The plan file.
    plan: PathBuf,
    /// The plan's frame.
    #[arg(long, value_name = "FILE")]
    frame: PathBuf,
    /// The public seed (announced after the plan: a date and lottery numbers, a hash).
    #[arg(long)]
    seed: String,
    /// Where to write the draw (a lot file for `saylau lot verify`).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Print the sample as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `saylau pvt estimate`.
#[derive(Debug, clap::Args)]
struct EstimateArgs {
    /// The plan file.
    #[arg(long, value_name = "FILE")]
    plan: PathBuf,
    /// The plan's frame.
    #[arg(long, value_name = "FILE")]
    frame: PathBuf,
    /// The published draw (`saylau pvt draw --out`).
    #[arg(long, value_name = "FILE")]
    draw: PathBuf,
    /// The sampled stations' reports: a protocol file (CSV or JSON).
    #[arg(long, value_name = "FILE")]
    reports: PathBuf,
    /// The official protocols (a protocol file; `saylau export` writes the store's).
    #[arg(long, value_name = "FILE")]
    official: Option<PathBuf>,
    /// An election file whose rules make the seat projections (default: the bundled
    /// data/kz/mazhilis-2021.toml).
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// The threshold the lists' verdicts test, percent of valid votes.
    #[arg(long, value_name = "PERCENT", default_value_t = 7.0)]
    threshold: f64,
    /// Print the estimate as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `saylau pvt published`.
#[derive(Debug, clap::Args)]
struct PublishedArgs {
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau pvt`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        PvtCommand::Plan(args) => run_plan(args),
        PvtCommand::Draw(args) => run_draw(args),
        PvtCommand::Estimate(args) => run_estimate(args),
        PvtCommand::Published(args) => run_published(args),
    }
}

fn run_plan(args: &PlanArgs) -> anyhow::Result<ExitCode> {
    let options = PlanOptions {
        name: args.name.clone(),
        strata_by: args.strata.clone(),
        confidence: args.confidence,
        size: args.size.map_or(PlanSize::Margin(args.margin), PlanSize::Stations),
    };
    let view = plan_files(&args.frame, &args.past, &options).map_err(Rejected)?;
    std::fs::write(&args.out, plan_toml(&view.plan))
        .with_context(|| format!("writing {}", args.out.display()))?;
    if args.json {
        output::print_json(&view)?;
    } else {
        output::print_text(&render_plan(&view, &args.out.display().to_string()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn render_plan(view: &PlanView, out: &str) -> String {
    let mut res = format!("{}: plan written to {out}\n\n", view.plan.plan.name);
    let mut table =
        new_table(&["stratum", "stations", "sample", "past stations", "turnout spread (pts)"]);
    for it in &view.strata {
        table.add_row(vec![
            Cell::new(&it.id),
            number(it.stations.to_string()),
            number(it.sample.to_string()),
            number(it.past_stations.to_string()),
            number(it.turnout_spread.clone()),
        ]);
    }
    let _ = writeln!(res, "{table}\n");
    let mut margins = new_table(&["figure", "past value %", "expected margin ± pts"]);
    for it in &view.expected_margins {
        margins.add_row(vec![
            Cell::new(&it.figure),
            number(it.past_value.clone()),
            number(it.margin.clone()),
        ]);
    }
    let _ = writeln!(res, "{margins}\n");
    for line in &view.explanation {
        let _ = writeln!(res, "{line}");
    }
    res
}

fn run_draw(args: &DrawArgs) -> anyhow::Result<ExitCode> {
    let plan_file = read_plan(&args.plan).map_err(Rejected)?;
    let frame = read_frame(&args.frame).map_err(Rejected)?;
    let (view, lot) =
        draw(&plan_file, &args.plan.display().to_string(), &frame, &args.seed).map_err(Rejected)?;
    std::fs::write(&args.out, lot).with_context(|| format!("writing {}", args.out.display()))?;
    if args.json {
        output::print_json(&view)?;
    } else {
        output::print_text(&render_draw(&view, &args.out.display().to_string()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn render_draw(view: &DrawView, out: &str) -> String {
    let mut res = format!(
        "{}: {} of {} stations drawn with {}, seed {:?}\n\n",
        view.plan,
        view.sample.len(),
        view.stations,
        view.algorithm,
        view.seed
    );
    let mut table = new_table(&["station", "stratum", "drawn"]);
    for it in &view.sample {
        table.add_row(vec![
            Cell::new(&it.station),
            Cell::new(&it.stratum),
            number(it.drawn.to_string()),
        ]);
    }
    let _ = writeln!(res, "{table}\n");
    let _ = writeln!(
        res,
        "Rule: {}.\nThe draw order up to position {} is in {out}; check it with `saylau lot verify {out}`.",
        view.rule, view.order_length
    );
    res
}

fn run_estimate(args: &EstimateArgs) -> anyhow::Result<ExitCode> {
    let files = QuickCountFiles {
        plan: &args.plan,
        frame: &args.frame,
        draw: &args.draw,
        reports: &args.reports,
        official: args.official.as_deref(),
        rules: args.rules.as_deref(),
        threshold: args.threshold,
    };
    let view = estimate_files(&files).map_err(Rejected)?;
    if args.json {
        output::print_json(&view)?;
    } else {
        output::print_text(&render_estimate(&view))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn render_estimate(view: &EstimateView) -> String {
    let mut res = format!(
        "{}: {} of {} sampled stations reported (seed {:?}), {} % intervals\n\n",
        view.plan, view.sample.reports, view.sample.planned, view.seed, view.confidence
    );
    let mut table = new_table(&[
        "figure",
        "estimate %",
        "interval %",
        "official %",
        "checked against",
        "threshold",
        "verdict",
    ]);
    for it in &view.estimates {
        let checked = it.checked_against.as_ref().map_or_else(String::new, |check| {
            format!("{} {}–{}", check.method, check.lower, check.upper)
        });
        table.add_row(vec![
            Cell::new(&it.name),
            number(it.estimate.clone()),
            number(format!("{}–{}", it.lower, it.upper)),
            number(it.official.clone().unwrap_or_default()),
            Cell::new(checked),
            Cell::new(it.threshold.unwrap_or("")),
            Cell::new(it.verdict.unwrap_or("-")),
        ]);
    }
    let _ = writeln!(res, "{table}\n");
    let mut seats = new_table(&["list", "seats", "range", "official"]);
    for it in &view.seats.lists {
        seats.add_row(vec![
            Cell::new(&it.id),
            number(it.seats.to_string()),
            number(format!("{}–{}", it.low, it.high)),
            number(it.official.map_or_else(String::new, |seats| seats.to_string())),
        ]);
    }
    let _ = writeln!(res, "Seats ({}):\n{seats}\n{}\n", view.seats.rules, view.seats.method);
    let merged: Vec<String> = view
        .strata
        .iter()
        .filter(|it| it.merged.is_some())
        .map(|it| format!("{} ({} reports)", it.members.join(" + "), it.reports))
        .collect();
    if !merged.is_empty() {
        let _ = writeln!(res, "Merged for missing reports: {}\n", merged.join("; "));
    }
    for line in &view.method {
        let _ = writeln!(res, "{line}");
    }
    res
}

fn run_published(args: &PublishedArgs) -> anyhow::Result<ExitCode> {
    let view = published().map_err(Rejected)?;
    if args.json {
        output::print_json(&view)?;
    } else {
        output::print_text(&render_published(&view))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn render_published(view: &PublishedView) -> String {
    let mut res = format!(
        "{} ({})\nTurnout in the copies {} % against the official {} %.\n\n",
        view.name, view.kind, view.turnout, view.official_turnout
    );
    let mut table = new_table(&[
        "list",
        "copies %",
        "seats at 7 %",
        "seats at 5 %",
        "official %",
        "official seats at 7 %",
        "at 5 %",
    ]);
    for it in &view.lists {
        table.add_row(vec![
            Cell::new(&it.name),
            number(it.observed_share.clone()),
            number(it.observed_seats[0].to_string()),
            number(it.observed_seats[1].to_string()),
            number(it.official_share.clone()),
            number(it.official_seats[0].to_string()),
            number(it.official_seats[1].to_string()),
        ]);
    }
    let _ = writeln!(res, "{table}\n");
    for note in &view.notes {
        let _ = writeln!(res, "{note}");
    }
    let _ = writeln!(res, "Source: {} ({}).", view.source.citation, view.source.document);
    res
}
