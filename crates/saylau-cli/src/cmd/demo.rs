//! `saylau demo`: the 2021 Mazhilis under the law and under the seed's reforms, from the
//! data bundled into the binary, so it runs anywhere with no arguments.

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
}

const MAZHILIS_2021: (&str, &str) =
    ("data/kz/mazhilis-2021.toml", include_str!("../../../../data/kz/mazhilis-2021.toml"));
const OBSERVERS_2021: (&str, &str) = (
    "data/kz/mazhilis-2021-observers.toml",
    include_str!("../../../../data/kz/mazhilis-2021-observers.toml"),
);
const MAZHILIS_2004: (&str, &str) =
    ("data/kz/mazhilis-2004.toml", include_str!("../../../../data/kz/mazhilis-2004.toml"));

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
    mazhilis_2021: compare::ComparisonJson<'a>,
    observers_2021: compare::ComparisonJson<'a>,
    threshold_base_2004: compare::ComparisonJson<'a>,
}

/// Runs `saylau demo`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let reforms: Vec<String> = REFORMS_2021.iter().map(|set| (*set).to_owned()).collect();
    let mazhilis = compare::variants(MAZHILIS_2021.0, MAZHILIS_2021.1, &reforms)?;
    let observers =
        compare::variants(OBSERVERS_2021.0, OBSERVERS_2021.1, &["rules.threshold=5%".to_owned()])?;
    let base_2004 = compare::variants(
        MAZHILIS_2004.0,
        MAZHILIS_2004.1,
        &["rules.threshold_base=participants".to_owned()],
    )?;
    if args.json {
        output::print_json(&DemoJson {
            mazhilis_2021: compare::json(&mazhilis),
            observers_2021: compare::json(&observers),
            threshold_base_2004: compare::json(&base_2004),
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::from(
        "saylau demo: every number below is exact and explained by `saylau allocate FILE`\n\n",
    );
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
        "\nTry: saylau allocate data/kz/mazhilis-2021.toml --set rules.threshold=5% --json\n",
    );
    output::print_text(&out)?;
    Ok(ExitCode::SUCCESS)
}
