//! `saylau lot draw|verify|commission`: verifiable lots with the published saylau-lot-v1
//! algorithm (`docs/lot.md`).
//!
//! `draw` orders any list of names from a seed (the ballot order of parties, art. 37: by
//! lot); `verify` recomputes a published draw and names the first position that differs
//! (exit 1); `commission` draws commission members stratum by stratum from an open list
//! (the seed's recommendation 7).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use comfy_table::Cell;
use saylau_core::law::sortition::{StratifiedDraw, stratified_draw};
use saylau_core::seats::lot::{LOT_ALGORITHM, LotSeed, draw_order};
use saylau_formats::{LotMeta, read_commission, read_lot};
use serde::Serialize;

use crate::output::{self, Rejected};
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

#[derive(Serialize)]
struct DrawJson<'a> {
    algorithm: &'static str,
    seed: &'a LotSeed,
    items: &'a [String],
    /// Positions (from 0) of the drawn items in `items`, first drawn first.
    positions: &'a [usize],
    order: Vec<&'a str>,
}

/// The items of `--items`: the lines of a file when one exists at that path, else the
/// comma-separated list, which must name at least two items (one name without a comma is a
/// file that is not there, such as a mistyped name, never a draw of one).
fn items_of(spec: &str) -> anyhow::Result<Vec<String>> {
    let path = Path::new(spec);
    let items: Vec<String> = if path.is_file() {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {spec}"))?;
        text.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect()
    } else {
        anyhow::ensure!(
            spec.contains(','),
            "--items {spec:?}: no such file; to give the items themselves, separate at least two \
             by commas, like a,b,c"
        );
        spec.split(',').map(str::trim).filter(|item| !item.is_empty()).map(str::to_owned).collect()
    };
    anyhow::ensure!(!items.is_empty(), "--items names no items: give a file or a list like a,b,c");
    let limit = saylau_formats::limit::MAX_ITEMS;
    anyhow::ensure!(
        items.len() <= limit,
        "--items names {} items, more than the limit of {limit} items saylau draws \
         (a limit of resources, not of the law)",
        items.len()
    );
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    for item in &items {
        anyhow::ensure!(seen.insert(item.as_str()), "--items names {item:?} twice");
    }
    Ok(items)
}

fn draw(args: &DrawArgs) -> anyhow::Result<ExitCode> {
    let items = items_of(&args.items)?;
    let seed = LotSeed::new(&args.seed);
    let count = args.count.unwrap_or(items.len());
    anyhow::ensure!(count <= items.len(), "--count {count} is more than the {} items", items.len());
    let positions: Vec<usize> = draw_order(&seed, items.len()).into_iter().take(count).collect();
    let order: Vec<&str> = positions.iter().map(|&idx| items[idx].as_str()).collect();
    if args.json {
        output::print_json(&DrawJson {
            algorithm: LOT_ALGORITHM,
            seed: &seed,
            items: &items,
            positions: &positions,
            order,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{LOT_ALGORITHM} draw of {count} of {} items, seed {:?}\n",
        items.len(),
        seed.as_str()
    );
    let mut table = new_table(&["drawn", "item", "listed as"]);
    for (rank, (&idx, item)) in positions.iter().zip(&order).enumerate() {
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

/// The first position where the claim and the recomputed draw differ.
#[derive(Serialize)]
struct Difference<'a> {
    /// The position, from 1.
    position: usize,
    claimed: Option<&'a str>,
    computed: Option<&'a str>,
}

#[derive(Serialize)]
struct VerifyJson<'a> {
    name: &'a str,
    meta: &'a LotMeta,
    algorithm: &'static str,
    seed: &'a LotSeed,
    items: &'a [String],
    claimed: &'a [String],
    computed: Vec<&'a str>,
    matches: bool,
    first_difference: Option<Difference<'a>>,
}

fn verify(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let file = read_lot(&args.file, &[]).map_err(Rejected)?;
    let computed: Vec<&str> = draw_order(&file.seed, file.items.len())
        .into_iter()
        .map(|idx| file.items[idx].as_str())
        .collect();
    let shown = &computed[..file.claimed.len().min(computed.len())];
    let first = (0..file.claimed.len())
        .find(|&idx| file.claimed.get(idx).map(String::as_str) != computed.get(idx).copied())
        .map(|idx| Difference {
            position: idx + 1,
            claimed: file.claimed.get(idx).map(String::as_str),
            computed: computed.get(idx).copied(),
        });
    let matches = first.is_none();
    if args.json {
        output::print_json(&VerifyJson {
            name: &file.meta.name,
            meta: &file.meta,
            algorithm: LOT_ALGORITHM,
            seed: &file.seed,
            items: &file.items,
            claimed: &file.claimed,
            computed: shown.to_vec(),
            matches,
            first_difference: first,
        })?;
    } else {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: seed {:?}, {} items, {} claimed",
            file.meta.name,
            file.seed.as_str(),
            file.items.len(),
            file.claimed.len()
        );
        match &first {
            None => {
                let _ = writeln!(
                    out,
                    "MATCHES: the published order is the {LOT_ALGORITHM} draw of this seed."
                );
            }
            Some(difference) => {
                let _ = writeln!(
                    out,
                    "DIFFERS at position {}: the file claims {}, the draw gives {}.",
                    difference.position,
                    difference.claimed.unwrap_or("nothing"),
                    difference.computed.unwrap_or("nothing (there are no more items)")
                );
            }
        }
        let _ = writeln!(out, "Recomputed order: {}", computed.join(", "));
        output::print_text(&out)?;
    }
    Ok(if matches { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

#[derive(Serialize)]
struct CommissionJson<'a> {
    name: &'a str,
    meta: &'a LotMeta,
    algorithm: &'static str,
    #[serde(flatten)]
    draw: &'a StratifiedDraw,
}

fn commission(args: &CommissionArgs) -> anyhow::Result<ExitCode> {
    let file = read_commission(&args.file, &[]).map_err(Rejected)?;
    let draw = stratified_draw(&file.sortition);
    if args.json {
        output::print_json(&CommissionJson {
            name: &file.meta.name,
            meta: &file.meta,
            algorithm: LOT_ALGORITHM,
            draw: &draw,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: seed {:?}, {} commissions\n",
        file.meta.name,
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
