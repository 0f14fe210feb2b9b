//! `saylau generate --seed N --out DIR`: a synthetic Kazakhstan of polling-station
//! protocols whose national totals are the official 2021 ones (`docs/synthetic.md`).
//!
//! The use case is `saylau_app::generate`, which writes `DIR/protocols.csv`,
//! `DIR/observer-copies.csv`, `DIR/ground-truth.csv`, `DIR/stations.csv` and
//! `DIR/observer-incidents.csv`; this file is its arguments, progress bar and summary table.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use saylau_app::generate::{Generated, SyntheticOptions, generate};

use crate::output;
use crate::table::{grouped, new_table, number};

/// Arguments of `saylau generate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The seed: the same seed and options write the same files, byte for byte.
    #[arg(long)]
    seed: u64,
    /// The directory to write the files into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Polling stations in the country (17 to 200,000).
    #[arg(long, default_value_t = 10_000)]
    stations: u32,
    /// The share of stations whose turnout is inflated by stuffed ballots (0 to 0.5).
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    anomalies: f64,
    /// How many randomly chosen stations get an observer's copy of the true figures.
    #[arg(long, value_name = "N", default_value_t = 0)]
    observer_sample: u32,
    /// Print a summary as JSON, without a progress bar.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau generate`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let options = SyntheticOptions {
        stations: args.stations,
        anomaly_share: args.anomalies,
        observer_sample: args.observer_sample,
    };
    let progress = progress_bar(!args.json && std::io::stderr().is_terminal());
    let mut steps = 0;
    let mut step = |message: &str| {
        if steps > 0 {
            progress.inc(1);
        }
        steps += 1;
        progress.set_message(message.to_owned());
    };
    let generated = generate(args.seed, &options, &args.out, &mut step)?;
    progress.finish_and_clear();
    if args.json {
        output::print_json(&generated)?;
    } else {
        output::print_text(&render(&generated))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A bar of the seven steps on stderr, or a hidden one.
fn progress_bar(visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(7);
    let style = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// The summary as a terminal table.
fn render(generated: &Generated) -> String {
    let summary = &generated.summary;
    let mut table = new_table(&["", "value"]);
    let turnout = percent(summary.participants, summary.voters_on_roll);
    let rows: Vec<(String, String)> = vec![
        ("regions".to_owned(), grouped(to_u64(summary.regions))),
        ("district and city commissions".to_owned(), grouped(to_u64(summary.districts))),
        ("polling stations".to_owned(), grouped(to_u64(summary.stations))),
        (
            "voters on a station's roll".to_owned(),
            format!("{} to {}", grouped(summary.roll_range.0), grouped(summary.roll_range.1)),
        ),
        ("voters on the rolls".to_owned(), grouped(summary.voters_on_roll)),
        (
            "ballots found in the boxes".to_owned(),
            format!("{} ({turnout}%)", grouped(summary.participants)),
        ),
        ("invalid ballots".to_owned(), grouped(summary.invalid)),
        ("manipulated stations".to_owned(), grouped(to_u64(summary.manipulated))),
        ("observer copies".to_owned(), grouped(to_u64(summary.observer_copies))),
    ];
    for (label, value) in rows {
        table.add_row(vec![comfy_table::Cell::new(label), number(value)]);
    }
    for list in &summary.list_votes {
        let label = comfy_table::Cell::new(format!("votes for {}", list.id));
        table.add_row(vec![label, number(grouped(list.votes))]);
    }
    let files: Vec<String> = generated.files.iter().map(|path| format!("  {path}")).collect();
    format!(
        "SYNTHETIC DATA, NOT REAL RESULTS: a modelled Kazakhstan with the official 2021 totals (seed {}, generated in {} ms)\n\n{table}\n\nWrote:\n{}\n",
        summary.seed.0,
        generated.millis,
        files.join("\n")
    )
}

/// `part / whole` as a percentage with two decimals, rounded half up.
fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0.00".to_owned();
    }
    let hundredths = (u128::from(part) * 10_000 + u128::from(whole) / 2) / u128::from(whole);
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

fn to_u64(count: usize) -> u64 {
    u64::try_from(count).unwrap_or(u64::MAX)
}
