//! `saylau export --format csv|json [--out FILE]`: the current protocols as a protocol file.
//!
//! The use case is `saylau_app::export`: each station's current protocol with a
//! `base_version` column holding its current version, so that the file imports again as
//! "unchanged" and an edited copy imported with `--reason` is a correction of exactly the
//! version that was exported.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_app::export::{self, Format};
use saylau_app::store::ElectionId;

use crate::cmd::db;
use crate::cmd::import::DEFAULT_ELECTION;
use crate::output;

/// Arguments of `saylau export`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The file format.
    #[arg(long, value_enum)]
    format: FormatArg,
    /// The file to write (created or replaced); standard output without it.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The election.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Print a summary of what was written as JSON (needs `--out`).
    #[arg(long, requires = "out")]
    json: bool,
}

/// A format of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Csv,
    Json,
}

/// Runs `saylau export`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let current = db::current_protocols(db, &args.election)?;
    let format = match args.format {
        FormatArg::Csv => Format::Csv,
        FormatArg::Json => Format::Json,
    };
    let election = args.election.as_str();
    match &args.out {
        Some(path) => {
            let summary = export::to_file(&current.protocols, election, format, path)?;
            if args.json {
                output::print_json(&summary)?;
            } else {
                output::print_text(&format!(
                    "Wrote {} current protocols of {} to {}\n",
                    summary.protocols, summary.election, summary.file
                ))?;
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            export::write(&current.protocols, election, format, &mut stdout)
                .context("writing to stdout")?;
            stdout.flush().context("writing to stdout")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
