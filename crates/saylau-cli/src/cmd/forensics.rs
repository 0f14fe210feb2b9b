//! `saylau forensics all|TEST [FILE]`: the forensic tests on station-level results, from a
//! station table (CSV or .csv.gz, columns mapped by flags or `--mapping FILE.toml`), a
//! protocol file, or the store's current protocols (`--db`, `--election`) when no file is
//! given. Prints terminal tables, or `--json`; `--out DIR` writes the HTML report and its
//! charts. The tests and their wording live in `saylau_app::forensics`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_app::forensics::input::InputSummary;
use saylau_app::forensics::report::{ForensicsOptions, Test, forensics_report};
use saylau_app::forensics::source::{self, StationColumns};
use saylau_app::forensics::{Boundary, Correction, MAX_STATION_VOTERS, StationSet};
use saylau_app::store::ElectionId;

use crate::cmd::db;
use crate::cmd::import::DEFAULT_ELECTION;
use crate::output;

mod text;

/// Arguments of `saylau forensics`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The test to run, or `all`.
    #[arg(value_enum)]
    test: TestArg,
    /// A station table (CSV, or gzip CSV) or a protocol file (`# saylau-protocols v1`, or
    /// .json); without it, the current protocols of `--election` in the store (`--db`).
    file: Option<PathBuf>,
    /// The leading list or candidate column (default: the one with the most votes).
    #[arg(long, value_name = "COLUMN")]
    leader: Option<String>,
    /// The election in the store, when no file is given.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Monte Carlo draws of the integer test.
    #[arg(long, default_value_t = 1000)]
    draws: u32,
    /// The seed of the Monte Carlo and of the histogram noise.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Histogram bin width in percentage points.
    #[arg(long, value_name = "POINTS", default_value_t = 1.0)]
    bin_width: f64,
    /// Add U(−0.5, 0.5) noise to histogram numerators (against division artifacts).
    #[arg(long)]
    noise: bool,
    /// The integer test's boundary rule: exact integers, or the authors' floating point.
    #[arg(long, value_enum, default_value = "exact")]
    boundary: BoundaryArg,
    /// Shpilkin: leave out rows with more voters (electronic voting, pseudo-stations); 0
    /// keeps every row.
    #[arg(long, value_name = "N", default_value_t = MAX_STATION_VOTERS)]
    max_station_voters: u64,
    /// A TOML column mapping for a station table (keys as the flags below).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    #[command(flatten)]
    columns: ColumnArgs,
    /// A ground truth (`saylau generate`'s ground-truth.csv): the outliers' AUC against it.
    #[arg(long, value_name = "FILE")]
    truth: Option<PathBuf>,
    /// Write the HTML report and its SVG and PNG charts into this directory.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Column names of a station table; each overrides the mapping file or the default layout.
#[derive(Debug, clap::Args)]
struct ColumnArgs {
    /// Station id column.
    #[arg(long = "id-column", value_name = "COLUMN")]
    id: Option<String>,
    /// Region column.
    #[arg(long = "region-column", value_name = "COLUMN")]
    region: Option<String>,
    /// Commission column (stations are grouped by it).
    #[arg(long = "commission-column", value_name = "COLUMN")]
    commission: Option<String>,
    /// Voters-on-roll column.
    #[arg(long = "voters-column", value_name = "COLUMN")]
    voters: Option<String>,
    /// Ballots-issued column(s), added up.
    #[arg(long = "given-column", value_name = "COLUMN", value_delimiter = ',')]
    given: Option<Vec<String>>,
    /// Valid-ballots column.
    #[arg(long = "valid-column", value_name = "COLUMN")]
    valid: Option<String>,
    /// Invalid-ballots column.
    #[arg(long = "invalid-column", value_name = "COLUMN")]
    invalid: Option<String>,
    /// List columns (default: every column starting with the list prefix).
    #[arg(long = "list-columns", value_name = "COLUMN", value_delimiter = ',')]
    lists: Option<Vec<String>>,
    /// The prefix of list columns.
    #[arg(long, value_name = "PREFIX")]
    list_prefix: Option<String>,
}

/// A boundary rule of the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum BoundaryArg {
    Exact,
    Float,
}

/// A test of the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TestArg {
    All,
    Distributions,
    Klimek,
    Integer,
    Shpilkin,
    Digits,
    Identical,
    Outliers,
    Versions,
}

impl TestArg {
    fn test(self) -> Option<Test> {
        match self {
            TestArg::All => None,
            TestArg::Distributions => Some(Test::Distributions),
            TestArg::Klimek => Some(Test::Klimek),
            TestArg::Integer => Some(Test::Integer),
            TestArg::Shpilkin => Some(Test::Shpilkin),
            TestArg::Digits => Some(Test::Digits),
            TestArg::Identical => Some(Test::Identical),
            TestArg::Outliers => Some(Test::Outliers),
            TestArg::Versions => Some(Test::Versions),
        }
    }
}

/// Runs `saylau forensics`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    if !(args.bin_width > 0.0 && args.bin_width <= 100.0) {
        anyhow::bail!("--bin-width must be above 0 and at most 100, not {}", args.bin_width);
    }
    let (set, input, corrections) = match &args.file {
        Some(path) => {
            let (set, input) = read_file(path, args)?;
            (set, input, None)
        }
        None => {
            let (set, input, corrections) = read_store(db, &args.election)?;
            (set, input, Some(corrections))
        }
    };
    let truth = args.truth.as_deref().map(read_truth).transpose()?;
    let options = ForensicsOptions {
        tests: args.test.test().map_or_else(|| Test::ALL.to_vec(), |test| vec![test]),
        leader: args.leader.clone(),
        draws: args.draws,
        seed: args.seed,
        bin_width: args.bin_width,
        noise: args.noise,
        boundary: match args.boundary {
            BoundaryArg::Exact => Boundary::Exact,
            BoundaryArg::Float => Boundary::Float,
        },
        max_station_voters: Some(args.max_station_voters).filter(|&max| max > 0),
        truth,
        corrections,
    };
    let report = forensics_report(&set, input, &options)?;
    if let Some(dir) = &args.out {
        let written = saylau_app::forensics::html::write_report(dir, &report)
            .with_context(|| format!("writing the report into {}", dir.display()))?;
        if !args.json {
            eprintln!("wrote {}", written.display());
        }
    }
    if args.json {
        match args.test.test() {
            Some(test) => output::print_json(&report.test_json(test))?,
            None => output::print_json(&report)?,
        }
    } else {
        output::print_text(&text::report_text(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn read_file(path: &Path, args: &Args) -> anyhow::Result<(StationSet, InputSummary)> {
    let mut columns = match &args.mapping {
        Some(mapping) => source::read_columns(mapping).map_err(output::app_error)?,
        None => StationColumns::default(),
    };
    apply_columns(&mut columns, &args.columns);
    source::read_file(path, &columns).map_err(output::app_error)
}

fn apply_columns(columns: &mut StationColumns, args: &ColumnArgs) {
    let set = |target: &mut String, value: &Option<String>| {
        if let Some(value) = value {
            target.clone_from(value);
        }
    };
    set(&mut columns.id, &args.id);
    set(&mut columns.region, &args.region);
    set(&mut columns.commission, &args.commission);
    set(&mut columns.voters, &args.voters);
    set(&mut columns.valid, &args.valid);
    set(&mut columns.invalid, &args.invalid);
    set(&mut columns.list_prefix, &args.list_prefix);
    if let Some(given) = &args.given {
        columns.given.clone_from(given);
    }
    if let Some(lists) = &args.lists {
        columns.lists.clone_from(lists);
    }
}

/// The current protocols of `election`, and the first version of every corrected station.
fn read_store(
    db: &str,
    election: &ElectionId,
) -> anyhow::Result<(StationSet, InputSummary, Vec<Correction>)> {
    let name = format!("store {db}, election {election}");
    db::block_on(async {
        let store = db::open(db).await?;
        let res = source::read_store(&store, election, &name).await;
        store.close().await;
        res.map_err(output::app_error)
    })?
}

/// The manipulated stations of a ground-truth file (`station,manipulated,...`).
fn read_truth(path: &Path) -> anyhow::Result<HashSet<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut res = HashSet::new();
    for line in text.lines().filter(|line| !line.starts_with('#')).skip(1) {
        let mut fields = line.split(',');
        if let (Some(station), Some("true")) = (fields.next(), fields.next()) {
            res.insert(station.to_owned());
        }
    }
    Ok(res)
}
