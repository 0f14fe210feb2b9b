//! Verifiable lots with the published saylau-lot-v1 algorithm (`saylau lot`,
//! `docs/lot.md`).
//!
//! [`draw`] orders any list of names from a seed (the ballot order of parties, art. 37: by
//! lot); [`verify`] recomputes a published draw and names the first position that
//! differs; [`commission`] draws commission members stratum by stratum from an open list
//! (the seed's recommendation 7).

use std::collections::HashSet;
use std::path::Path;

use saylau_core::law::sortition::{StratifiedDraw, stratified_draw};
use saylau_core::seats::lot::{LOT_ALGORITHM, LotSeed, draw_order};
use saylau_formats::{Diagnostics, LotMeta, read_commission, read_lot};
use serde::Serialize;

use crate::Rejection;

/// A lot that cannot be drawn or verified.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LotError {
    /// The file was rejected; its diagnostics say why.
    #[error("{0}")]
    Rejected(Diagnostics),
    /// The items or the count are not a draw.
    #[error("{0}")]
    Items(String),
    /// The items' file could not be read.
    #[error("reading {file}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
}

impl Rejection for LotError {
    fn into_rejected(self) -> Result<Diagnostics, Self> {
        match self {
            LotError::Rejected(diagnostics) => Ok(diagnostics),
            other => Err(other),
        }
    }
}

/// A draw: the JSON of `saylau lot draw --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Draw {
    /// `saylau-lot-v1`.
    pub algorithm: &'static str,
    /// The published seed.
    pub seed: LotSeed,
    /// The items as listed.
    pub items: Vec<String>,
    /// Positions (from 0) of the drawn items in `items`, first drawn first.
    pub positions: Vec<usize>,
    /// The drawn items, first drawn first.
    pub order: Vec<String>,
}

/// The items of `spec`: the lines of a file when one exists at that path, else the
/// comma-separated list, which must name at least two items (one name without a comma is
/// a file that is not there, such as a mistyped name, never a draw of one).
fn items_of(spec: &str) -> Result<Vec<String>, LotError> {
    let invalid = |message: String| Err(LotError::Items(message));
    let path = Path::new(spec);
    let items: Vec<String> = if path.is_file() {
        let text = std::fs::read_to_string(path)
            .map_err(|source| LotError::Read { file: spec.to_owned(), source })?;
        text.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect()
    } else {
        if !spec.contains(',') {
            return invalid(format!(
                "--items {spec:?}: no such file; to give the items themselves, separate at least \
                 two by commas, like a,b,c"
            ));
        }
        spec.split(',').map(str::trim).filter(|item| !item.is_empty()).map(str::to_owned).collect()
    };
    if items.is_empty() {
        return invalid("--items names no items: give a file or a list like a,b,c".to_owned());
    }
    let limit = saylau_formats::limit::MAX_ITEMS;
    if items.len() > limit {
        return invalid(format!(
            "--items names {} items, more than the limit of {limit} items saylau draws \
             (a limit of resources, not of the law)",
            items.len()
        ));
    }
    let mut seen = HashSet::with_capacity(items.len());
    for item in &items {
        if !seen.insert(item.as_str()) {
            return invalid(format!("--items names {item:?} twice"));
        }
    }
    Ok(items)
}

/// Draws `count` (default all) of the items of `items` (a file, or names separated by
/// commas) in order from `seed`.
pub fn draw(seed: &str, items: &str, count: Option<usize>) -> Result<Draw, LotError> {
    let items = items_of(items)?;
    let seed = LotSeed::new(seed);
    let count = count.unwrap_or(items.len());
    if count > items.len() {
        return Err(LotError::Items(format!(
            "--count {count} is more than the {} items",
            items.len()
        )));
    }
    let positions: Vec<usize> = draw_order(&seed, items.len()).into_iter().take(count).collect();
    let order = positions.iter().map(|&idx| items[idx].clone()).collect();
    Ok(Draw { algorithm: LOT_ALGORITHM, seed, items, positions, order })
}

/// The first position where the claim and the recomputed draw differ.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    /// The position, from 1.
    pub position: usize,
    /// What the file claims there.
    pub claimed: Option<String>,
    /// What the draw gives there.
    pub computed: Option<String>,
}

/// A verified draw: the JSON of `saylau lot verify --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    /// The draw's name.
    pub name: String,
    /// Its provenance.
    pub meta: LotMeta,
    /// `saylau-lot-v1`.
    pub algorithm: &'static str,
    /// The published seed.
    pub seed: LotSeed,
    /// The items as listed.
    pub items: Vec<String>,
    /// The order the file claims.
    pub claimed: Vec<String>,
    /// The recomputed order, as long as the claim.
    pub computed: Vec<String>,
    /// Whether the claim is the draw.
    pub matches: bool,
    /// Where they first differ.
    pub first_difference: Option<Difference>,
    /// The whole recomputed order (for people; not in JSON).
    #[serde(skip)]
    pub recomputed: Vec<String>,
}

/// Recomputes the published draw of the file at `path`.
pub fn verify(path: &Path) -> Result<Verified, LotError> {
    let file = read_lot(path, &[]).map_err(LotError::Rejected)?;
    let recomputed: Vec<String> = draw_order(&file.seed, file.items.len())
        .into_iter()
        .map(|idx| file.items[idx].clone())
        .collect();
    let shown = recomputed[..file.claimed.len().min(recomputed.len())].to_vec();
    let first_difference = (0..file.claimed.len())
        .find(|&idx| file.claimed.get(idx) != recomputed.get(idx))
        .map(|idx| Difference {
            position: idx + 1,
            claimed: file.claimed.get(idx).cloned(),
            computed: recomputed.get(idx).cloned(),
        });
    Ok(Verified {
        name: file.meta.name.clone(),
        meta: file.meta,
        algorithm: LOT_ALGORITHM,
        seed: file.seed,
        items: file.items,
        claimed: file.claimed,
        computed: shown,
        matches: first_difference.is_none(),
        first_difference,
        recomputed,
    })
}

/// Commission members drawn: the JSON of `saylau lot commission --json`.
#[derive(Debug, Clone, Serialize)]
pub struct CommissionDraw {
    /// The draw's name.
    pub name: String,
    /// Its provenance.
    pub meta: LotMeta,
    /// `saylau-lot-v1`.
    pub algorithm: &'static str,
    /// The members and reserves of every commission, stratum by stratum.
    #[serde(flatten)]
    pub draw: StratifiedDraw,
}

/// Draws the commission members of the file at `path`.
pub fn commission(path: &Path) -> Result<CommissionDraw, LotError> {
    let file = read_commission(path, &[]).map_err(LotError::Rejected)?;
    let draw = stratified_draw(&file.sortition);
    Ok(CommissionDraw {
        name: file.meta.name.clone(),
        meta: file.meta,
        algorithm: LOT_ALGORITHM,
        draw,
    })
}
