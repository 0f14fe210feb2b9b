//! `saylau generate --seed N --out DIR`: a synthetic Kazakhstan of polling-station
//! protocols whose national totals are the official 2021 ones (`docs/synthetic.md`).
//!
//! Writes `DIR/protocols.csv` (the published protocols), `DIR/observer-copies.csv` (the
//! true figures of the sampled stations, same format), `DIR/ground-truth.csv` (which
//! stations were manipulated, and by how much) and `DIR/stations.csv` (the frame of a
//! quick count: each station's roll and settlement, `docs/pvt.md`). The same seed and options write the same
//! bytes. Every file says in its first lines that the data is synthetic.

use std::fs::File;
use std::io::{BufWriter, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use saylau_app::pvt::frame_file::frame_csv;
use saylau_formats::{ProtocolSet, write_protocols_csv};
use saylau_stats::synthetic::{
    Seed, Summary, SyntheticCountry, SyntheticOptions, synthetic_country,
};
use serde::Serialize;

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

/// The names of the files written, in `DIR`.
const FILES: [&str; 4] =
    ["protocols.csv", "observer-copies.csv", "ground-truth.csv", "stations.csv"];

/// The JSON of `saylau generate --json`.
#[derive(Serialize)]
struct GenerateJson<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    files: Vec<String>,
}

/// Runs `saylau generate`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let options = SyntheticOptions {
        stations: args.stations,
        anomaly_share: args.anomalies,
        observer_sample: args.observer_sample,
    };
    let progress = progress_bar(!args.json && std::io::stderr().is_terminal());
    progress.set_message("modelling stations");
    let started = Instant::now();
    let country = synthetic_country(Seed(args.seed), &options)?;
    let generated = started.elapsed();
    progress.inc(1);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let paths: Vec<PathBuf> = FILES.iter().map(|name| args.out.join(name)).collect();
    let published = ProtocolSet {
        ballot: &country.ballot,
        hierarchy: &country.hierarchy,
        protocols: &country.protocols,
        base_versions: None,
        notes: &country.notes,
    };
    progress.set_message(FILES[0]);
    write_file(&paths[0], |out| write_protocols_csv(out, &published))?;
    progress.inc(1);
    let notes = observer_notes(&country);
    let observed = ProtocolSet { protocols: &country.observer_copies, notes: &notes, ..published };
    progress.set_message(FILES[1]);
    write_file(&paths[1], |out| write_protocols_csv(out, &observed))?;
    progress.inc(1);
    progress.set_message(FILES[2]);
    write_file(&paths[2], |out| out.write_all(country.ground_truth_csv().as_bytes()))?;
    progress.inc(1);
    progress.set_message(FILES[3]);
    let frame = frame_csv(&country.frame(), &country.notes);
    write_file(&paths[3], |out| out.write_all(frame.as_bytes()))?;
    progress.finish_and_clear();
    let summary = country.summary();
    if args.json {
        let files = paths.iter().map(|path| path.display().to_string()).collect();
        output::print_json(&GenerateJson { summary: &summary, files })?;
    } else {
        output::print_text(&render(&summary, &paths, generated.as_millis()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The notes of the observer copies' file.
fn observer_notes(country: &SyntheticCountry) -> Vec<String> {
    let mut notes = country.notes.clone();
    notes.push(format!(
        "observer copies: the true figures of {} randomly sampled stations",
        country.observer_copies.len()
    ));
    notes
}

/// A bar of the four steps on stderr, or a hidden one.
fn progress_bar(visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(5);
    let style = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// Creates `path` and writes it with `write`.
fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::new(file);
    write(&mut out).with_context(|| format!("writing {}", path.display()))?;
    out.flush().with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// The summary as a terminal table.
fn render(summary: &Summary, paths: &[PathBuf], millis: u128) -> String {
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
    let files: Vec<String> = paths.iter().map(|path| format!("  {}", path.display())).collect();
    format!(
        "SYNTHETIC DATA, NOT REAL RESULTS: a modelled Kazakhstan with the official 2021 totals (seed {}, generated in {millis} ms)\n\n{table}\n\nWrote:\n{}\n",
        summary.seed.0,
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
