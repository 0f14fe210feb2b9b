//! `saylau demo`: the 2021 Mazhilis under the law and under the seed's reforms (thresholds,
//! districts, the cube-root house, the 50/50 mixed plan), from the data bundled into the
//! binary, so it runs anywhere with no arguments. First it imports the synthetic country
//! into a fresh protocol store (`saylau-demo.sqlite` in the current directory, recreated
//! by every run), verifies the log and tabulates the national result with its seats.

use std::path::PathBuf;
use std::process::ExitCode;

use saylau_app::demo;
use saylau_app::demo::store::{DemoStore, demo_store};
use serde::Serialize;

use crate::cmd::compare;
use crate::cmd::results::render_national;
use crate::output;
use crate::table::grouped;

/// Arguments of `saylau demo`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print the demo's results as JSON.
    #[arg(long)]
    json: bool,
    /// The SQLite protocol store the synthetic country is imported into (recreated; an
    /// existing file only when the demo made it, or with `--force`).
    #[arg(long, value_name = "PATH", default_value = "saylau-demo.sqlite")]
    store: PathBuf,
    /// Replace the file at `--store` even when it is not a store the demo made.
    #[arg(long)]
    force: bool,
    /// Polling stations of the synthetic country.
    #[arg(long, default_value_t = 10_000)]
    stations: u32,
    /// Then serve the imported country's results portal and API (until Ctrl-C).
    #[arg(long)]
    serve: bool,
    /// With `--serve`: the address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT", requires = "serve")]
    addr: std::net::SocketAddr,
}

#[derive(Serialize)]
struct DemoJson<'a> {
    protocol_store: DemoStore,
    #[serde(flatten)]
    comparisons: demo::ComparisonsJson<'a>,
}

/// Runs `saylau demo`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let store = crate::cmd::db::block_on(demo_store(&args.store, args.stations, args.force))??;
    let comparisons = demo::comparisons().map_err(output::app_error)?;
    let demo::Comparisons {
        mazhilis_2021: mazhilis,
        observers_2021: observers,
        threshold_base_2004: base_2004,
        reform_plans_2021: plans,
    } = &comparisons;
    if args.json {
        output::print_json(&DemoJson { protocol_store: store, comparisons: comparisons.json() })?;
        return serve_after(args);
    }
    let mut out = String::from(
        "saylau demo: every number below is exact and explained by `saylau allocate FILE`\n\n",
    );
    out.push_str("From polling stations to seats: protocols signed into the store's log, verified, summed up the hierarchy\n\n");
    out.push_str(&render_demo_store(&store));
    out.push_str(&format!(
        "Explore: saylau --db {} results --level region\n\n",
        args.store.display()
    ));
    out.push_str("1. The 2021 Mazhilis election as the law counts it\n\n");
    out.push_str(&crate::cmd::allocate::render(&mazhilis[0].allocated, false));
    out.push_str("\n2. The same votes under the reforms the seed proposes\n\n");
    out.push_str(&compare::render(mazhilis));
    out.push_str(
        "\n3. The observers' protocol shares (505 stations) instead of the official count\n\n",
    );
    out.push_str(&compare::render(observers));
    out.push_str("\n4. 2004: the law's threshold base (participants) against the CEC's practice (valid votes)\n\n");
    out.push_str(&compare::render(base_2004));
    out.push_str(
        "\n5. The seed's districts, the cube-root house and the 50/50 plan, on the 2021 votes \
         (modelled: regional votes were never published)\n\n",
    );
    out.push_str(&compare::render(plans));
    out.push_str(
        "\nTry: saylau allocate data/kz/mazhilis-2021.toml --set rules.threshold=5% --json\n",
    );
    output::print_text(&out)?;
    serve_after(args)
}

/// With `--serve`, serves the demo's store.
fn serve_after(args: &Args) -> anyhow::Result<ExitCode> {
    if args.serve {
        let db = args.store.display().to_string();
        let election = crate::cmd::import::DEFAULT_ELECTION.parse()?;
        crate::cmd::serve::serve(&db, args.addr, election, 5)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The demo's store as text.
fn render_demo_store(demo: &DemoStore) -> String {
    let stations = grouped(u64::try_from(demo.stations).unwrap_or(u64::MAX));
    let verified = if demo.intact { "intact" } else { "BROKEN" };
    format!(
        "SYNTHETIC DATA: {stations} modelled polling stations with the official 2021 totals, imported into {} \
         in {} ms ({} signed batches), with {} members of commissions (`saylau commissions report`); \
         the log is {verified}, checkpoint {}\n\n{}",
        demo.store,
        demo.import_ms,
        demo.batches,
        grouped(u64::try_from(demo.commission_members).unwrap_or(u64::MAX)),
        demo.checkpoint,
        render_national(&demo.national)
    )
}
