//! `saylau survey ...`: opinion surveys. `moe` (margin of error), `sigtest` (the
//! column-proportions test on a published table), `table` (a cross-table of a respondent
//! file), `rake` (weights to population margins), `segment` (k-means), `poll` (a poll
//! against an official figure), `synthetic` (the seed's synthetic respondent file) and
//! `report` (the seed's study regenerated, with its claims checked).
//!
//! Stable for scripts: `moe --json` prints `moe` in percent; `sigtest --json` prints
//! `rows[]` with `label_ru` and `letters` (column key -> letters).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_app::survey::{self, Study, SurveyError};
use saylau_app::survey::{Adjust, KMeansOptions, RakeOptions, TableOptions, TestOptions};

use crate::output;
use crate::survey_view;

/// Arguments of `saylau survey`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Margin of error of a proportion (worst case p = 0.5 unless --p).
    Moe(MoeArgs),
    /// Column-proportions test (SPSS Custom Tables) on a published table (JSON).
    Sigtest(SigtestArgs),
    /// Cross-table of a question by a banner, with letters and margins of error.
    Table(TableArgs),
    /// Rake a respondent file to population margins; write it with a weight column.
    Rake(RakeArgs),
    /// k-means segments on chosen questions, with bootstrap stability.
    Segment(SegmentArgs),
    /// A poll's estimate beside an official figure: consistent or not.
    Poll(PollArgs),
    /// Write the seed's synthetic respondent file and codebook (labelled synthetic).
    Synthetic(SyntheticArgs),
    /// Regenerate the seed's survey tables and charts from the synthetic file.
    Report(ReportArgs),
}

#[derive(Debug, clap::Args)]
struct MoeArgs {
    /// Respondents.
    #[arg(long)]
    n: f64,
    /// Confidence level.
    #[arg(long, default_value_t = 0.95)]
    confidence: f64,
    /// The proportion.
    #[arg(long, default_value_t = 0.5)]
    p: f64,
    /// Design effect (Kish's 1 + CV² of the weights).
    #[arg(long, default_value_t = 1.0)]
    deff: f64,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct TestArgs {
    /// Significance level.
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// No Bonferroni adjustment within a row.
    #[arg(long)]
    no_adjust: bool,
}

impl TestArgs {
    fn options(&self) -> TestOptions {
        TestOptions {
            alpha: self.alpha,
            adjust: if self.no_adjust { Adjust::None } else { Adjust::Bonferroni },
        }
    }
}

#[derive(Debug, clap::Args)]
struct SigtestArgs {
    /// One published table as JSON (`columns`, `bases`, `rows[].values`).
    file: PathBuf,
    #[command(flatten)]
    test: TestArgs,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct StudyArgs {
    /// The codebook (TOML).
    #[arg(long)]
    codebook: PathBuf,
    /// The respondent file (CSV, or SPSS `.sav`).
    #[arg(long)]
    data: PathBuf,
}

#[derive(Debug, clap::Args)]
struct TableArgs {
    #[command(flatten)]
    study: StudyArgs,
    /// The question down the side.
    #[arg(long)]
    question: String,
    /// The banner question across.
    #[arg(long)]
    banner: String,
    /// Weight by the file's weight column.
    #[arg(long)]
    weighted: bool,
    /// Flag columns with a base below this.
    #[arg(long, default_value_t = 30.0)]
    small_base: f64,
    #[command(flatten)]
    test: TestArgs,
    /// Labels in kk, ru or en.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Write the table with its chart as an HTML page here.
    #[arg(long)]
    html: Option<PathBuf>,
    /// Print CSV.
    #[arg(long, conflicts_with = "json")]
    csv: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct RakeArgs {
    #[command(flatten)]
    study: StudyArgs,
    /// The population margins (TOML: `[[margin]] question, targets`).
    #[arg(long)]
    targets: PathBuf,
    /// Most iterations.
    #[arg(long, default_value_t = 50)]
    max_iterations: u32,
    /// Convergence bound in weighted counts (below 1: a fraction of the total).
    #[arg(long, default_value_t = 1e-6)]
    epsilon: f64,
    /// Trim the weights to LOWER,UPPER after raking (as R's trimWeights, strict).
    #[arg(long, value_name = "LOWER,UPPER")]
    trim: Option<String>,
    /// Write the respondents with their weights here (CSV).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct SegmentArgs {
    #[command(flatten)]
    study: StudyArgs,
    /// The questions to segment on (each code a 0/1 indicator, standardised).
    #[arg(long, value_delimiter = ',', required = true)]
    on: Vec<String>,
    /// Segments.
    #[arg(long, default_value_t = 3)]
    k: usize,
    /// k-means++ restarts.
    #[arg(long, default_value_t = 20)]
    restarts: u32,
    /// The seed of every random choice.
    #[arg(long, default_value_t = 2021)]
    seed: u64,
    /// Bootstrap resamples for the stability.
    #[arg(long, default_value_t = 20)]
    bootstrap: u32,
    /// Compare with this single-response question (adjusted Rand index).
    #[arg(long)]
    compare: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct PollArgs {
    /// The poll's estimate, 0-1.
    #[arg(long)]
    estimate: f64,
    /// Respondents.
    #[arg(long)]
    n: f64,
    /// The official figure, 0-1.
    #[arg(long)]
    official: f64,
    /// Confidence level.
    #[arg(long, default_value_t = 0.99)]
    confidence: f64,
    /// Design effect.
    #[arg(long, default_value_t = 1.0)]
    deff: f64,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct SyntheticArgs {
    /// The generator's seed.
    #[arg(long, default_value_t = 2021)]
    seed: u64,
    /// Directory to write `codebook.toml` and `synthetic-respondents.csv` (and `.sav`) into.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// The generator's seed.
    #[arg(long, default_value_t = 2021)]
    seed: u64,
    /// The k-means seed.
    #[arg(long, default_value_t = 7)]
    segment_seed: u64,
    /// Write the HTML report (tables, letters, claims, charts) here.
    #[arg(long)]
    html: Option<PathBuf>,
    /// Labels in kk, ru or en.
    #[arg(long, default_value = "ru")]
    lang: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau survey`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        Command::Moe(args) => {
            let view = survey::moe(args.n, args.confidence, args.p, args.deff);
            if args.json {
                output::print_json(&view)?
            } else {
                output::print_text(&survey_view::moe(&view))?
            }
        }
        Command::Sigtest(args) => {
            let text = read(&args.file)?;
            let tested = match survey::sigtest(&text, args.test.options()) {
                Ok(tested) => tested,
                Err(err) => return rejected(&err, &args.file),
            };
            if args.json {
                output::print_json(&tested)?
            } else {
                output::print_text(&survey_view::sigtest(&tested))?
            }
        }
        Command::Table(args) => return table(args),
        Command::Rake(args) => return rake(args),
        Command::Segment(args) => return segment(args),
        Command::Poll(args) => {
            let view =
                survey::poll(args.estimate, args.n, args.official, args.confidence, args.deff);
            if args.json {
                output::print_json(&view)?
            } else {
                output::print_text(&survey_view::poll(&view))?
            }
        }
        Command::Synthetic(args) => synthetic(args)?,
        Command::Report(args) => report(args)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// A TOML file (a codebook, weighting targets), at most
/// [`saylau_app::MAX_TOML_BYTES`] long.
fn read_toml(path: &Path) -> anyhow::Result<String> {
    saylau_app::read_toml(path).with_context(|| format!("reading {}", path.display()))
}

fn rejected(err: &SurveyError, path: &Path) -> anyhow::Result<ExitCode> {
    eprintln!("{}: {err}", path.display());
    Ok(ExitCode::from(1))
}

fn load(args: &StudyArgs) -> anyhow::Result<Result<Study, SurveyError>> {
    let (codebook_name, data_name) =
        (args.codebook.display().to_string(), args.data.display().to_string());
    let codebook = read_toml(&args.codebook)?;
    let study = if args.data.extension().is_some_and(|it| it.eq_ignore_ascii_case("sav")) {
        let bytes = std::fs::read(&args.data).with_context(|| format!("reading {data_name}"))?;
        survey::load_sav_study(&codebook_name, &codebook, &data_name, &bytes)
    } else {
        survey::load_study(&codebook_name, &codebook, &data_name, &read(&args.data)?)
    };
    if let Ok(study) = &study {
        for diagnostic in &study.diagnostics.0 {
            eprintln!("{diagnostic}");
        }
        if study.rejected > 0 {
            eprintln!(
                "{} rows rejected, {} respondents kept",
                study.rejected,
                study.respondents.len()
            );
        }
    }
    Ok(study)
}

fn table(args: &TableArgs) -> anyhow::Result<ExitCode> {
    let study = match load(&args.study)? {
        Ok(study) => study,
        Err(err) => return rejected(&err, &args.study.data),
    };
    let options = TableOptions { test: args.test.options(), small_base: args.small_base };
    let table = match survey::table(&study, &args.question, &args.banner, args.weighted, options) {
        Ok(table) => table,
        Err(err) => return rejected(&err, &args.study.data),
    };
    if let Some(path) = &args.html {
        let page = survey::table_html(&table, &args.lang, study.codebook.study().synthetic);
        std::fs::write(path, page).with_context(|| format!("writing {}", path.display()))?;
    }
    if args.json {
        output::print_json(&table)?;
    } else if args.csv {
        output::print_text(&survey::table_csv(&table, &args.lang))?;
    } else {
        output::print_text(&survey_view::crosstab(
            &table,
            &args.lang,
            study.codebook.study().synthetic,
        ))?;
    }
    Ok(if study.rejected > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn rake(args: &RakeArgs) -> anyhow::Result<ExitCode> {
    let study = match load(&args.study)? {
        Ok(study) => study,
        Err(err) => return rejected(&err, &args.study.data),
    };
    let trim = match &args.trim {
        Some(text) => {
            let (lower, upper) = text.split_once(',').context("--trim takes LOWER,UPPER")?;
            Some((
                lower.trim().parse().context("--trim LOWER")?,
                upper.trim().parse().context("--trim UPPER")?,
            ))
        }
        None => None,
    };
    let targets = read_toml(&args.targets)?;
    let options = RakeOptions { max_iterations: args.max_iterations, epsilon: args.epsilon };
    let view = match survey::rake_study(
        &study,
        &args.targets.display().to_string(),
        &targets,
        options,
        trim,
    ) {
        Ok(view) => view,
        Err(err) => return rejected(&err, &args.targets),
    };
    for warning in &view.warnings.0 {
        eprintln!("{warning}");
    }
    if let Some(out) = &args.out {
        let csv = study.respondents.to_csv(&study.codebook, Some(&view.weights));
        std::fs::write(out, csv).with_context(|| format!("writing {}", out.display()))?;
    }
    if args.json {
        output::print_json(&view)?
    } else {
        output::print_text(&survey_view::rake(&view))?
    }
    Ok(if view.converged { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn segment(args: &SegmentArgs) -> anyhow::Result<ExitCode> {
    let study = match load(&args.study)? {
        Ok(study) => study,
        Err(err) => return rejected(&err, &args.study.data),
    };
    let options =
        KMeansOptions { k: args.k, restarts: args.restarts, max_iterations: 100, seed: args.seed };
    let view =
        match survey::segment(&study, &args.on, options, args.bootstrap, args.compare.as_deref()) {
            Ok(view) => view,
            Err(err) => return rejected(&err, &args.study.data),
        };
    if args.json {
        output::print_json(&view)?
    } else {
        output::print_text(&survey_view::segments(&view))?
    }
    Ok(ExitCode::SUCCESS)
}

fn synthetic(args: &SyntheticArgs) -> anyhow::Result<()> {
    let written = survey::synthetic::write_synthetic(args.seed, &args.out)?;
    eprintln!(
        "SYNTHETIC: {written} respondents (seed {}) written to {}",
        args.seed,
        args.out.display()
    );
    Ok(())
}

fn report(args: &ReportArgs) -> anyhow::Result<()> {
    let report = survey::seed_report(args.seed, args.segment_seed)
        .map_err(|err| anyhow::anyhow!("{err}"))?;
    if let Some(path) = &args.html {
        std::fs::write(path, survey::report_html(&report, &args.lang))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if args.json {
        output::print_json(&report)
    } else {
        output::print_text(&survey_view::report(&report, &args.lang))
    }
}
