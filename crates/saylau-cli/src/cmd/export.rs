//! `saylau export --format csv|json [--out FILE]`: the current protocols as a protocol file.
//!
//! Each station's current protocol is written in the protocol file format v1 with a
//! `base_version` column (key) holding its current version, so that the file imports
//! again as "unchanged", and a copy edited and imported with `--reason` is a correction
//! based on exactly the version that was exported.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_core::count::commission::StationId;
use saylau_formats::{ProtocolSet, write_protocols_csv, write_protocols_json};
use saylau_store::id::ElectionId;
use serde::Serialize;

use crate::cmd::import::DEFAULT_ELECTION;
use crate::cmd::trust::{self, TrustArgs};
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
    #[command(flatten)]
    trust: TrustArgs,
}

/// A format of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Csv,
    Json,
}

#[derive(Serialize)]
struct ExportJson {
    election: String,
    file: String,
    format: &'static str,
    protocols: usize,
}

/// Runs `saylau export`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let current = trust::current_protocols(db, &args.election, &args.trust)?.value;
    let protocols: Vec<_> = current.protocols.iter().map(|it| it.protocol.clone()).collect();
    let base_versions = current
        .protocols
        .iter()
        .map(|it| (it.protocol.station(), it.version.0))
        .collect::<std::collections::BTreeMap<StationId, u64>>();
    let notes = vec![format!(
        "the current protocols of election {} exported from the protocol store; base_version is each station's current version",
        args.election
    )];
    let set = ProtocolSet {
        ballot: &current.ballot,
        hierarchy: &current.hierarchy,
        protocols: &protocols,
        base_versions: Some(&base_versions),
        notes: &notes,
    };
    let write = |out: &mut dyn std::io::Write| match args.format {
        FormatArg::Csv => write_protocols_csv(out, &set),
        FormatArg::Json => write_protocols_json(out, &set),
    };
    match &args.out {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("creating {}", path.display()))?;
            let mut out = BufWriter::new(file);
            write(&mut out).with_context(|| format!("writing {}", path.display()))?;
            out.flush().with_context(|| format!("writing {}", path.display()))?;
            let format = match args.format {
                FormatArg::Csv => "csv",
                FormatArg::Json => "json",
            };
            let summary = ExportJson {
                election: args.election.to_string(),
                file: path.display().to_string(),
                format,
                protocols: protocols.len(),
            };
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
            write(&mut stdout).context("writing to stdout")?;
            stdout.flush().context("writing to stdout")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
