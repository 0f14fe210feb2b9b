//! `saylau demo`: the 2021 Mazhilis under the law and under the seed's reforms (thresholds,
//! districts, the cube-root house, the 50/50 mixed plan), from the data bundled into the
//! binary, so it runs anywhere with no arguments. First it imports the synthetic country
//! into a fresh protocol store (`saylau-demo.sqlite` in the current directory, recreated
//! by every run), verifies the log and tabulates the national result with its seats.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use crate::cmd::compare;
use crate::output;

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

const MAZHILIS_2021: (&str, &str) =
    ("data/kz/mazhilis-2021.toml", include_str!("../../../../data/kz/mazhilis-2021.toml"));
const OBSERVERS_2021: (&str, &str) = (
    "data/kz/mazhilis-2021-observers.toml",
    include_str!("../../../../data/kz/mazhilis-2021-observers.toml"),
);
const MAZHILIS_2004: (&str, &str) =
    ("data/kz/mazhilis-2004.toml", include_str!("../../../../data/kz/mazhilis-2004.toml"));

/// The seed's district, house-size and mixed plans on the 2021 votes (modelled), with the
/// column label of each.
const REFORM_FILES: [(&str, &str, &str); 4] = [
    (
        "data/kz/reform-17-districts.toml",
        include_str!("../../../../data/kz/reform-17-districts.toml"),
        "17 districts",
    ),
    (
        "data/kz/reform-7-regions.toml",
        include_str!("../../../../data/kz/reform-7-regions.toml"),
        "7 regions",
    ),
    (
        "data/kz/reform-265-cube-root.toml",
        include_str!("../../../../data/kz/reform-265-cube-root.toml"),
        "265, cube-root law",
    ),
    (
        "data/kz/reform-mixed-50-50.toml",
        include_str!("../../../../data/kz/reform-mixed-50-50.toml"),
        "50/50 parallel",
    ),
];

/// The seed's reform variants for 2021 (thresholds, bases, methods).
const REFORMS_2021: [&str; 6] = [
    "rules.threshold=5%",
    "rules.threshold=3%",
    "rules.threshold=1.5%",
    "rules.threshold_base=participants",
    "rules.method=dhondt",
    "rules.method=sainte-lague;rules.threshold=3%",
];

#[derive(Serialize)]
struct DemoJson<'a> {
    protocol_store: crate::country::DemoStore,
    mazhilis_2021: compare::ComparisonJson<'a>,
    observers_2021: compare::ComparisonJson<'a>,
    threshold_base_2004: compare::ComparisonJson<'a>,
    reform_plans_2021: compare::ComparisonJson<'a>,
}

/// Runs `saylau demo`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let store = crate::country::demo_store(&args.store, args.stations, args.force)?;
    let reforms: Vec<String> = REFORMS_2021.iter().map(|set| (*set).to_owned()).collect();
    let mazhilis = compare::variants(MAZHILIS_2021.0, MAZHILIS_2021.1, &reforms)?;
    let observers =
        compare::variants(OBSERVERS_2021.0, OBSERVERS_2021.1, &["rules.threshold=5%".to_owned()])?;
    let base_2004 = compare::variants(
        MAZHILIS_2004.0,
        MAZHILIS_2004.1,
        &["rules.threshold_base=participants".to_owned()],
    )?;
    let mut plans = vec![compare::file_variant(MAZHILIS_2021.0, MAZHILIS_2021.1, "law")?];
    for (source, text, label) in REFORM_FILES {
        plans.push(compare::file_variant(source, text, label)?);
    }
    if args.json {
        output::print_json(&DemoJson {
            protocol_store: store,
            mazhilis_2021: compare::json(&mazhilis),
            observers_2021: compare::json(&observers),
            threshold_base_2004: compare::json(&base_2004),
            reform_plans_2021: compare::json(&plans),
        })?;
        return serve_after(args);
    }
    let mut out = String::from(
        "saylau demo: every number below is exact and explained by `saylau allocate FILE`\n\n",
    );
    out.push_str("From polling stations to seats: protocols signed into the store's log, verified, summed up the hierarchy\n\n");
    out.push_str(&crate::country::render_demo_store(&store));
    out.push_str(&format!(
        "Explore: saylau --db {} results --level region\n\n",
        args.store.display()
    ));
    out.push_str("1. The 2021 Mazhilis election as the law counts it\n\n");
    out.push_str(&crate::cmd::allocate::render(&mazhilis[0].allocated, false));
    out.push_str("\n2. The same votes under the reforms the seed proposes\n\n");
    out.push_str(&compare::render(&mazhilis));
    out.push_str(
        "\n3. The observers' protocol shares (505 stations) instead of the official count\n\n",
    );
    out.push_str(&compare::render(&observers));
    out.push_str("\n4. 2004: the law's threshold base (participants) against the CEC's practice (valid votes)\n\n");
    out.push_str(&compare::render(&base_2004));
    out.push_str(
        "\n5. The seed's districts, the cube-root house and the 50/50 plan, on the 2021 votes \
         (modelled: regional votes were never published)\n\n",
    );
    out.push_str(&compare::render(&plans));
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
