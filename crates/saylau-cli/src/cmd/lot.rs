//! `saylau lot draw|verify|commission`: verifiable lots with the published saylau-lot-v1
//! algorithm (`docs/lot.md`).
//!
//! `draw` orders any list of names from a seed (the ballot order of parties, art. 37: by
//! lot); `verify` recomputes a published draw and names the first position that differs
//! (exit 1); `commission` draws commission members stratum by stratum from an open list
//! (the seed's recommendation 7).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use saylau_app::lot::{self, Draw};

use crate::output;
use crate::table::{new_table, number};

/// Arguments of `saylau lot`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: LotCommand,
}

#[derive(Debug, clap::Subcommand)]
enum LotCommand {
    /// Draw an order of items from a seed.
    Draw(DrawArgs),
    /// Recompute a published draw and say whether it matches (exit 1 if not).
    Verify(VerifyArgs),
    /// Draw commission members stratum by stratum from an open list.
    Commission(CommissionArgs),
}

/// Arguments of `saylau lot draw`.
#[derive(Debug, clap::Args)]
struct DrawArgs {
    /// The published seed (any text: a date and lottery numbers, a hash).
    #[arg(long)]
    seed: String,
    /// A file with one item per line, or the items separated by commas.
    #[arg(long, value_name = "FILE_OR_LIST")]
    items: String,
    /// Draw only the first K items.
    #[arg(long, value_name = "K")]
    count: Option<usize>,
    /// Print the draw as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `saylau lot verify`.
#[derive(Debug, clap::Args)]
struct VerifyArgs {
    /// The published draw (TOML: `[lot]` with seed, items and order; see docs/lot.md).
    file: PathBuf,
    /// Print the verification as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `saylau lot commission`.
#[derive(Debug, clap::Args)]
struct CommissionArgs {
    /// The commission file (TOML: `[commission]` and `[[strata]]`; see docs/lot.md).
    file: PathBuf,
    /// Print the draw as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `saylau lot`.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        LotCommand::Draw(args) => draw(args),
        LotCommand::Verify(args) => verify(args),
        LotCommand::Commission(args) => commission(args),
    }
}

fn draw(args: &DrawArgs) -> anyhow::Result<ExitCode> {
    let drawn = lot::draw(&args.seed, &args.items, args.count).map_err(output::app_error)?;
    if args.json {
        output::print_json(&drawn)?;
        return Ok(ExitCode::SUCCESS);
    }
    let Draw { seed, items, positions, order, .. } = &drawn;
    let count = positions.len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} draw of {count} of {} items, seed {:?}\n",
        drawn.algorithm,
        items.len(),
        seed.as_str()
    );
    let mut table = new_table(&["drawn", "item", "listed as"]);
    for (rank, (&idx, item)) in positions.iter().zip(order.iter()).enumerate() {
        table.add_row(vec![
            number((rank + 1).to_string()),
            Cell::new(item),
            number(format!("#{}", idx + 1)),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    let _ = writeln!(
        out,
        "\nRecompute it with docs/lot.md (Python: draw_order(seed, {})).",
        items.len()
    );
    output::print_text(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn verify(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let file = lot::verify(&args.file).map_err(output::app_error)?;
    let matches = file.matches;
    if args.json {
        output::print_json(&file)?;
    } else {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: seed {:?}, {} items, {} claimed",
            file.name,
            file.seed.as_str(),
            file.items.len(),
            file.claimed.len()
        );
        match &file.first_difference {
            None => {
                let _ = writeln!(
                    out,
                    "MATCHES: the published order is the {} draw of this seed.",
                    file.algorithm
                );
            }
            Some(difference) => {
                let _ = writeln!(
                    out,
                    "DIFFERS at position {}: the file claims {}, the draw gives {}.",
                    difference.position,
                    difference.claimed.as_deref().unwrap_or("nothing"),
                    difference.computed.as_deref().unwrap_or("nothing (there are no more items)")
                );
            }
        }
        let _ = writeln!(out, "Recomputed order: {}", file.recomputed.join(", "));
        output::print_text(&out)?;
    }
    Ok(if matches { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn commission(args: &CommissionArgs) -> anyhow::Result<ExitCode> {
    let drawn = lot::commission(&args.file).map_err(output::app_error)?;
    if args.json {
        output::print_json(&drawn)?;
        return Ok(ExitCode::SUCCESS);
    }
    let draw = &drawn.draw;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: seed {:?}, {} commissions\n",
        drawn.name,
        draw.seed.as_str(),
        draw.commissions.len()
    );
    let mut table = new_table(&["commission", "member", "stratum"]);
    for commission in &draw.commissions {
        for (idx, member) in commission.members.iter().enumerate() {
            let id = if idx == 0 { commission.id.as_str() } else { "" };
            table.add_row(vec![Cell::new(id), Cell::new(&member.name), Cell::new(&member.stratum)]);
        }
    }
    out.push_str(&table.to_string());
    out.push('\n');
    for stratum in &draw.strata {
        let reserves = if stratum.reserves.is_empty() {
            "none".to_owned()
        } else {
            stratum.reserves.join(", ")
        };
        let _ = writeln!(
            out,
            "Stratum {} (seed {:?}): reserves in order: {reserves}",
            stratum.id,
            stratum.seed.as_str()
        );
    }
    output::print_text(&out)?;
    Ok(ExitCode::SUCCESS)
}
