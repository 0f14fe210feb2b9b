//! `saylau observe report`: the observer report as one self-contained HTML file with its
//! charts (also written as SVG files) and the same numbers as JSON
//! (`saylau_app::observe::report`, rendered by `saylau_web::observation`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_app::observe::report::{ReportError, ReportView, report};
use saylau_app::pvt::estimate::EstimateView;
use saylau_app::pvt::files::{QuickCountFiles, estimate_files};
use saylau_app::store::ElectionId;
use saylau_web::i18n::Lang;

use crate::cmd::db;
use crate::cmd::import::DEFAULT_ELECTION;
use crate::output::{self, Rejected};

/// Arguments of `saylau observe report`.
#[derive(Debug, clap::Args)]
pub(crate) struct ReportArgs {
    /// The directory to write `report.html`, `report.json` and the charts' SVG files into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The language of the labels.
    #[arg(long, value_parser = ["kk", "ru", "en"], default_value = "en")]
    lang: String,
    /// The election.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// A quick count's plan file (with --frame, --draw and --reports, as `saylau pvt
    /// estimate` takes them).
    #[arg(long, value_name = "FILE", requires_all = ["frame", "draw", "reports"])]
    plan: Option<PathBuf>,
    /// The plan's frame.
    #[arg(long, value_name = "FILE", requires = "plan")]
    frame: Option<PathBuf>,
    /// The published draw (`saylau pvt draw --out`).
    #[arg(long, value_name = "FILE", requires = "plan")]
    draw: Option<PathBuf>,
    /// The sampled stations' reports: a protocol file (CSV or JSON).
    #[arg(long, value_name = "FILE", requires = "plan")]
    reports: Option<PathBuf>,
    /// The official protocols for the quick count's verdicts (a protocol file; `saylau
    /// export` writes the store's).
    #[arg(long, value_name = "FILE", requires = "plan")]
    official: Option<PathBuf>,
    /// An election file whose rules make the seat projections.
    #[arg(long, value_name = "FILE", requires = "plan")]
    rules: Option<PathBuf>,
    /// The threshold the lists' verdicts test, percent of valid votes.
    #[arg(long, value_name = "PERCENT", default_value_t = 7.0)]
    threshold: f64,
    /// Print the report's numbers as JSON.
    #[arg(long)]
    json: bool,
}

/// The estimate of `files`; refused input as diagnostics.
pub(crate) fn estimate_of(files: &QuickCountFiles<'_>) -> anyhow::Result<EstimateView> {
    Ok(estimate_files(files).map_err(Rejected)?)
}

/// The estimate of the quick count published in `dir` (`saylau serve --quick-count`).
pub(crate) fn estimate_in(dir: &Path) -> anyhow::Result<EstimateView> {
    let official = dir.join("official.csv");
    let (plan, frame, draw, reports) = (
        dir.join("plan.toml"),
        dir.join("stations.csv"),
        dir.join("draw.toml"),
        dir.join("reports.csv"),
    );
    estimate_of(&QuickCountFiles {
        plan: &plan,
        frame: &frame,
        draw: &draw,
        reports: &reports,
        official: official.exists().then_some(official.as_path()),
        rules: None,
        threshold: 7.0,
    })
}

/// Runs `saylau observe report`.
pub(crate) fn run(args: &ReportArgs, db: &str) -> anyhow::Result<ExitCode> {
    let estimate = match &args.plan {
        Some(plan) => Some(estimate_of(&QuickCountFiles {
            plan,
            frame: args.frame.as_deref().context("--frame")?,
            draw: args.draw.as_deref().context("--draw")?,
            reports: args.reports.as_deref().context("--reports")?,
            official: args.official.as_deref(),
            rules: args.rules.as_deref(),
            threshold: args.threshold,
        })?),
        None => None,
    };
    let view = build(db, &args.election, estimate)?;
    let view = match view {
        Ok(view) => view,
        Err(ReportError::QuickCount(diagnostics)) => return Err(Rejected(diagnostics).into()),
        Err(err) => return Err(err.into()),
    };
    let written = write_files(args, &view)?;
    if args.json {
        output::print_json(&view)?;
    } else {
        let mut text = format!(
            "Observer report of election {} written to {}:\n",
            view.election,
            args.out.display()
        );
        for name in &written {
            text.push_str(&format!("  {name}\n"));
        }
        text.push_str(&format!(
            "{} stations compared; official turnout {} %, copies {} %.\n",
            view.reconcile.totals.stations_compared,
            view.reconcile.totals.official.turnout,
            view.reconcile.totals.copy.turnout
        ));
        output::print_text(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the report's files into `--out`; their names.
fn write_files(args: &ReportArgs, view: &ReportView) -> anyhow::Result<Vec<&'static str>> {
    let lang = Lang::from_code(&args.lang).unwrap_or(Lang::En);
    let files = saylau_web::observation::report_html(view, lang)
        .map_err(|err| anyhow::anyhow!("rendering the report: {err}"))?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let json = serde_json::to_string_pretty(view).context("the report as JSON")?;
    let mut written = vec![("report.html", files.html), ("report.json", json)];
    written.extend(files.svgs);
    for (name, text) in &written {
        let path = args.out.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(written.into_iter().map(|(name, _)| name).collect())
}

fn build(
    db: &str,
    election: &ElectionId,
    estimate: Option<EstimateView>,
) -> anyhow::Result<Result<ReportView, ReportError>> {
    db::block_on(async {
        let store = db::open(db).await?;
        let res = report(&store, election, estimate).await;
        store.close().await;
        anyhow::Ok(res)
    })?
}
