//! `saylau protocol image add STATION FILE`: an image of a station's paper protocol (JPEG,
//! PNG or PDF, at most 10 MiB), stored by SHA-256 and recorded as a signed entry of the
//! station over `saylau_app::images` (`docs/portal.md`, "Protocol images").

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_app::images::{self, Added, Upload};
use saylau_app::store::ElectionId;

use crate::cmd::db;
use crate::cmd::import::DEFAULT_ELECTION;
use crate::output;

/// Arguments of `saylau protocol`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: ProtocolCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ProtocolCommand {
    /// Images of a station's paper protocol.
    Image(ImageArgs),
}

#[derive(Debug, clap::Args)]
struct ImageArgs {
    #[command(subcommand)]
    command: ImageCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ImageCommand {
    /// Upload an image (JPEG, PNG or PDF by its first bytes, at most 10 MiB) of a station's protocol.
    Add(AddArgs),
}

#[derive(Debug, clap::Args)]
struct AddArgs {
    /// The station, `RR-DD-SSSS`.
    #[arg(value_name = "STATION")]
    station: String,
    /// The file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The private key of the station's commission or one above it (PKCS#8 PEM).
    #[arg(long, env = "SAYLAU_KEY", hide_env_values = true, value_name = "PATH")]
    key: PathBuf,
    /// Who uploads it; recorded in the entry and its payload.
    #[arg(long, value_name = "NAME", default_value = "saylau protocol image add")]
    author: String,
    /// Why, when the station has an image already.
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// The election.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau protocol`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let ProtocolCommand::Image(image) = &args.command;
    let ImageCommand::Add(add) = &image.command;
    let bytes =
        std::fs::read(&add.file).with_context(|| format!("reading {}", add.file.display()))?;
    let key = saylau_app::import::read_key(&add.key).context("reading the key")?;
    let added = db::block_on(async {
        let store = db::open(db).await?;
        let upload = Upload {
            election: &add.election,
            station: &add.station,
            bytes,
            operator: &add.author,
            author: &add.author,
            reason: add.reason.as_deref(),
        };
        let res = images::add(&store, upload, &key).await;
        store.close().await;
        anyhow::Ok(res)
    })??;
    let added = match added {
        Ok(added) => added,
        Err(err) if err.refused() => {
            eprintln!("error: {}: {err}", add.file.display());
            return Ok(ExitCode::from(1));
        }
        Err(err) => return Err(err.into()),
    };
    if add.json {
        return output::print_json(&added).map(|()| ExitCode::SUCCESS);
    }
    output::print_text(&text(&added))?;
    Ok(ExitCode::SUCCESS)
}

fn text(added: &Added) -> String {
    let image = &added.image;
    let what = if added.recorded { "recorded" } else { "unchanged (the current image)" };
    format!(
        "station {}: image version {} {what}\n  sha256  {}\n  type    {}, {} bytes\n  \
         entry   {} by {}\n  url     /img/{}\n",
        added.station,
        image.version,
        image.sha256,
        image.media_type,
        image.size,
        image.seq,
        image.author,
        image.sha256
    )
}
