//! `saylau serve`: the public results portal and JSON API of saylau-web over the store of
//! the global `--db`, on `--addr`, until SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use saylau_app::store::{ElectionId, Location, Store};
use saylau_web::work::Work;
use saylau_web::{AppState, Config};

use crate::cmd::import::DEFAULT_ELECTION;

/// Arguments of `saylau serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    addr: SocketAddr,
    /// The election to publish.
    #[arg(long, value_name = "ID", default_value = DEFAULT_ELECTION)]
    election: ElectionId,
    /// `max-age` of public responses in seconds (one short TTL for every cache layer).
    #[arg(long, default_value_t = 5)]
    max_age: u32,
    /// A directory of commission private keys (`*.pem`, registered in the store) with
    /// which the working interface signs its operators' entries (`docs/portal.md`).
    #[arg(long, value_name = "DIR")]
    keys: Option<std::path::PathBuf>,
    /// One entry of a protocol makes its version (default: double entry, blind, by two
    /// users; a supervisor resolves a difference).
    #[arg(long)]
    single_entry: bool,
    /// A quick count to publish on `/{lang}/quick-count`: the directory of its published
    /// files `plan.toml`, `stations.csv` (the frame), `draw.toml`, `reports.csv` and, for
    /// the verdicts, `official.csv` (`docs/observation.md`).
    #[arg(long, value_name = "DIR")]
    quick_count: Option<std::path::PathBuf>,
}

/// Runs `saylau serve`.
pub(crate) fn run(args: &Args, db: &str) -> anyhow::Result<ExitCode> {
    let keys = args.keys.as_deref();
    let estimate = match &args.quick_count {
        Some(dir) => Some(crate::cmd::observe_report::estimate_in(dir)?),
        None => None,
    };
    serve_with(
        db,
        args.addr,
        args.election.clone(),
        args.max_age,
        keys,
        !args.single_entry,
        estimate,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Serves the store at `db` on `addr` until SIGTERM or Ctrl-C.
pub(crate) fn serve(
    db: &str,
    addr: SocketAddr,
    election: ElectionId,
    max_age: u32,
) -> anyhow::Result<()> {
    serve_with(db, addr, election, max_age, None, true, None)
}

/// Serves the store at `db` on `addr`, signing entries with the keys of `keys` and
/// publishing the quick count `estimate` if any.
fn serve_with(
    db: &str,
    addr: SocketAddr,
    election: ElectionId,
    max_age: u32,
    keys: Option<&std::path::Path>,
    double_entry: bool,
    estimate: Option<saylau_app::pvt::estimate::EstimateView>,
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let store = Store::open(&Location::parse(db))
            .await
            .with_context(|| format!("opening the store {db}"))?;
        // The head is read again at most every 200 ms: a version accepted by any instance
        // on the same store is published within that time.
        let config = Config { election, max_age, head_ttl: Duration::from_millis(200) };
        // Cookies are `Secure` except on plain HTTP to loopback (a browser would not send
        // them back over HTTP otherwise).
        let mut work = Work::default();
        work.secure_cookies = !addr.ip().is_loopback();
        work.double_entry = double_entry;
        if let Some(dir) = keys {
            work = work.load_keys(&store, dir).await.map_err(anyhow::Error::msg)?;
        }
        let state = AppState::with_work(store.clone(), config, work);
        if let Some(estimate) = estimate {
            state.set_quick_count(estimate);
        }
        eprintln!("saylau serve: http://{addr}/ (store {db}); stop with Ctrl-C or SIGTERM");
        saylau_web::serve(addr, state).await.with_context(|| format!("serving on {addr}"))?;
        store.close().await;
        anyhow::Ok(())
    })
}
