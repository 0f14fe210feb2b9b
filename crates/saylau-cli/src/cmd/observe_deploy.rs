//! `saylau observe deploy`: an observer organisation's deployment plan, the stations each
//! of its observers files for, changed with the organisation's key over
//! `saylau_app::observe::deploy` (`docs/observation.md`, "Deployment").

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use saylau_app::observe::CommissionKey;
use saylau_app::observe::deploy::{self, Change, Deployed};
use saylau_app::store::ElectionId;

use crate::cmd::import::DEFAULT_ELECTION;
use crate::cmd::observe::on_store;
use crate::output;

/// Arguments of `saylau observe deploy`.
#[derive(Debug, clap::Args)]
pub(crate) struct DeployArgs {
    /// The observer's user name (a user of the working interface, role `observer`,
    /// territory `observer:ORG`).
    #[arg(long, value_name = "NAME")]
    user: String,
    /// The station, `RR-DD-SSSS`.
    #[arg(long, value_name = "ID")]
    station: String,
    /// Withdraw the observer from the station instead.
    #[arg(long)]
    remove: bool,
    /// The organisation's private key (from `saylau keys new --observer ORG`).
    #[arg(long, env = "SAYLAU_OBSERVER_KEY", hide_env_values = true, value_name = "PATH")]
    key: PathBuf,
    /// Who changes the plan; recorded in the entry.
    #[arg(long, value_name = "NAME", default_value = "saylau observe deploy")]
    author: String,
    /// The election.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau observe deploy`.
pub(crate) fn run(args: &DeployArgs, db: &str) -> anyhow::Result<ExitCode> {
    let key = CommissionKey::read_pem(&args.key).context("reading the observer's key")?;
    let change = if args.remove { Change::Remove } else { Change::Add };
    let deployed = match on_store(db, async |store| {
        deploy::deploy(store, &args.election, &args.user, &args.station, change, &key, &args.author)
            .await
    })? {
        Ok(deployed) => deployed,
        Err(code) => return Ok(code),
    };
    if args.json {
        output::print_json(&deployed)?;
    } else {
        output::print_text(&text(&deployed))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn text(deployed: &Deployed) -> String {
    let plan = &deployed.deployment;
    let what = if deployed.recorded { "recorded" } else { "unchanged" };
    let stations =
        if plan.stations.is_empty() { "none".to_owned() } else { plan.stations.join(", ") };
    format!(
        "observer {} of {}: deployment version {} {what}\n  stations  {stations}\n",
        plan.user, plan.observer, plan.version
    )
}
