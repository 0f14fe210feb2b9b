//! Lot files, format v1 (TOML): a published draw to verify, and a stratified draw of
//! commission members.
//!
//! A draw file (`[lot]`: seed, items, the claimed order) lets anyone recompute a lot the
//! authority published, such as the ballot order of the parties (art. 37); a commission
//! file (`[commission]`: seed, commissions, `[[strata]]` with their volunteers) is the
//! input of a stratified draw (`saylau_core::sortition`). Both are specified in
//! `docs/lot.md`.

use std::path::Path;

use saylau_core::lot::LotSeed;
use saylau_core::sortition::{Sortition, SortitionError, Stratum};
use serde::Serialize;

use crate::diagnostic::{Diagnostics, Sink};
use crate::document::{Node, Origin, Table, Value};
use crate::election::{DataSource, Scenario};
use crate::field::{Fields, count, filled_text, if_present, text, texts};
use crate::header::{self, entries, entry_fields, report_duplicates, root_fields};
use crate::r#override::Override;
use crate::rule;

/// A published draw, read: what to recompute and what was claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotFile {
    /// The published seed.
    pub seed: LotSeed,
    /// The items in their published order (the draw's positions 0, 1, ...).
    pub items: Vec<String>,
    /// The order the authority claims the lot gave (all the items or the first few).
    pub claimed: Vec<String>,
    /// Name and provenance.
    pub meta: LotMeta,
}

/// What a lot or commission file says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LotMeta {
    /// The header's `name`.
    pub name: String,
    /// The header's `description`.
    pub description: Option<String>,
    /// `[source]`.
    pub source: Option<DataSource>,
    /// `[scenario]`.
    pub scenario: Option<Scenario>,
}

/// A stratified draw, read and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommissionFile {
    /// The draw.
    pub sortition: Sortition,
    /// Name and provenance.
    pub meta: LotMeta,
}

/// Reads a draw file from `text`; `source` names it in diagnostics.
pub fn parse_lot(source: &str, text: &str, overrides: &[Override]) -> Result<LotFile, Diagnostics> {
    header::parse_with(source, text, overrides, lot_file)
}

/// Reads the draw file at `path`.
pub fn read_lot(path: &Path, overrides: &[Override]) -> Result<LotFile, Diagnostics> {
    let (source, text) = header::read_text(path)?;
    parse_lot(&source, &text, overrides)
}

/// Reads a commission file from `text`; `source` names it in diagnostics.
pub fn parse_commission(
    source: &str,
    text: &str,
    overrides: &[Override],
) -> Result<CommissionFile, Diagnostics> {
    header::parse_with(source, text, overrides, commission_file)
}

/// Reads the commission file at `path`.
pub fn read_commission(path: &Path, overrides: &[Override]) -> Result<CommissionFile, Diagnostics> {
    let (source, text) = header::read_text(path)?;
    parse_commission(&source, &text, overrides)
}

/// The header table `[kind]`, its seed, and the provenance.
fn meta_and_seed(
    sink: &mut Sink<'_>,
    root: &Table,
    kind: &'static str,
    extra_keys: &[&str],
) -> Option<(LotMeta, LotSeed)> {
    let keys: &[&str] = if kind == "lot" {
        &["lot", "source", "scenario"]
    } else {
        &["commission", "strata", "source", "scenario"]
    };
    let fields = root_fields(sink, root, keys);
    let mut keys = vec!["seed"];
    keys.extend_from_slice(extra_keys);
    let header = header::header(sink, fields, kind, &keys);
    let seed = header_fields(root, kind).and_then(|fields| {
        let node = fields.required(sink, "seed")?;
        text(sink, node, &fields.field("seed")).map(|seed| LotSeed::new(&seed))
    });
    let provenance = header::provenance(sink, root);
    let (header, seed, (source, scenario)) = (header?, seed?, provenance?);
    let meta = LotMeta { name: header.name, description: header.description, source, scenario };
    Some((meta, seed))
}

/// The fields of the header table `[kind]`, when it is a table (else already reported).
fn header_fields<'t>(root: &'t Table, kind: &'t str) -> Option<Fields<'t>> {
    let node = root.get(kind)?;
    match &node.value {
        Value::Table(table) => Some(Fields { table, path: kind, origin: node.origin }),
        _ => None,
    }
}

/// Reads a draw file.
fn lot_file(sink: &mut Sink<'_>, root: &Table) -> Option<LotFile> {
    let meta_seed = meta_and_seed(sink, root, "lot", &["items", "order"]);
    let fields = header_fields(root, "lot")?;
    let items =
        fields.required(sink, "items").and_then(|node| names(sink, node, &fields.field("items")));
    let claimed = fields.required(sink, "order").and_then(|node| {
        let claimed = texts(sink, node, &fields.field("order"))?;
        if claimed.is_empty() {
            let message = "the claimed order names no item".to_owned();
            sink.error(&node.origin, &fields.field("order"), rule::NO_ENTRIES, message);
            return None;
        }
        Some(claimed)
    });
    let (meta, seed) = meta_seed?;
    Some(LotFile { seed, items: items?, claimed: claimed?, meta })
}

/// A non-empty array of distinct, non-empty names.
fn names(sink: &mut Sink<'_>, node: &Node, field: &str) -> Option<Vec<String>> {
    let names = texts(sink, node, field)?;
    if names.is_empty() {
        sink.error(&node.origin, field, rule::NO_ENTRIES, "at least one name is needed".to_owned());
        return None;
    }
    let mut ok = true;
    // The first position of each name: a quick-count draw lists 100,000 stations, too many
    // to compare pairwise.
    let mut first_at: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(names.len());
    for (idx, name) in names.iter().enumerate() {
        let earlier = *first_at.entry(name.as_str()).or_insert(idx);
        if name.trim().is_empty() {
            let item_field = format!("{field}[{idx}]");
            sink.error(&node.origin, &item_field, rule::EMPTY_TEXT, "must not be empty".to_owned());
            ok = false;
        } else if let Some(first) = (earlier < idx).then_some(earlier) {
            let item_field = format!("{field}[{idx}]");
            let message = format!("{name:?} is listed twice (first at {field}[{first}])");
            sink.error(&node.origin, &item_field, rule::DUPLICATE_ID, message);
            ok = false;
        }
    }
    ok.then_some(names)
}

/// Reads a commission file.
fn commission_file(sink: &mut Sink<'_>, root: &Table) -> Option<CommissionFile> {
    let meta_seed = meta_and_seed(sink, root, "commission", &["commissions"]);
    let commissions = header_fields(root, "commission").and_then(|fields| {
        if_present(fields.optional("commissions"), |node| {
            names(sink, node, &fields.field("commissions"))
        })
    });
    let strata = strata(sink, root.get("strata"));
    let ((meta, seed), commissions, strata) = (meta_seed?, commissions?, strata?);
    let commissions = commissions.unwrap_or_else(|| vec!["commission".to_owned()]);
    if let Some(Value::Array(items)) = root.get("strata").map(|node| &node.value) {
        check_enough(sink, commissions.len(), items, &strata);
    }
    if !sink.is_empty() {
        return None;
    }
    let sortition = Sortition::new(seed, commissions, strata)
        .map_err(|err| {
            let rule = match err {
                SortitionError::TooFew { .. } => rule::TOO_FEW_VOLUNTEERS,
                _ => rule::DUPLICATE_ID,
            };
            sink.error(&Origin::Whole, "strata", rule, err.to_string());
        })
        .ok()?;
    Some(CommissionFile { sortition, meta })
}

/// `[[strata]]`: names may appear in only one stratum, once.
fn strata(sink: &mut Sink<'_>, node: Option<&Node>) -> Option<Vec<Stratum>> {
    let items = entries(sink, node, "strata", "at least one [[strata]] entry")?;
    let mut res = Vec::with_capacity(items.len());
    for (idx, item) in items.iter().enumerate() {
        let path = format!("strata[{idx}]");
        let Some(fields) = entry_fields(sink, item, &path) else {
            res.push(None);
            continue;
        };
        fields.check_keys(sink, &["id", "seats", "pool"]);
        let id = fields
            .required(sink, "id")
            .and_then(|node| filled_text(sink, node, &fields.field("id")));
        let seats = fields
            .required(sink, "seats")
            .and_then(|node| count(sink, node, &fields.field("seats"), "seats", 0));
        let pool =
            fields.required(sink, "pool").and_then(|node| names(sink, node, &fields.field("pool")));
        res.push(id.zip(seats).zip(pool).map(|((id, seats), pool)| Stratum { id, seats, pool }));
    }
    report_duplicates(sink, items, "strata", "id");
    let res: Vec<Stratum> = res.into_iter().collect::<Option<_>>()?;
    report_shared_names(sink, items, &res);
    Some(res)
}

/// A name in two strata is reported at the later stratum's pool.
fn report_shared_names(sink: &mut Sink<'_>, items: &[Node], strata: &[Stratum]) {
    for (idx, stratum) in strata.iter().enumerate() {
        for name in &stratum.pool {
            if let Some(first) =
                strata[..idx].iter().position(|earlier| earlier.pool.contains(name))
            {
                let message =
                    format!("{name:?} is also in strata[{first}]; strata must not overlap");
                sink.error(
                    &pool_origin(&items[idx]),
                    &format!("strata[{idx}].pool"),
                    rule::DUPLICATE_ID,
                    message,
                );
            }
        }
    }
}

/// A stratum with fewer volunteers than its seats in all the commissions.
fn check_enough(sink: &mut Sink<'_>, commissions: usize, items: &[Node], strata: &[Stratum]) {
    for (idx, stratum) in strata.iter().enumerate() {
        let needed =
            usize::try_from(stratum.seats).unwrap_or(usize::MAX).saturating_mul(commissions);
        if stratum.pool.len() < needed {
            let message = if commissions == 1 {
                format!("{} on the list for {needed} seats", stratum.pool.len())
            } else {
                format!(
                    "{} on the list for {needed} seats ({} in each of {commissions} commissions)",
                    stratum.pool.len(),
                    stratum.seats
                )
            };
            sink.error(
                &pool_origin(&items[idx]),
                &format!("strata[{idx}].pool"),
                rule::TOO_FEW_VOLUNTEERS,
                message,
            );
        }
    }
}

fn pool_origin(item: &Node) -> Origin {
    match &item.value {
        Value::Table(table) => table.get("pool").map_or(item.origin, |node| node.origin),
        _ => item.origin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_lot(text: &str, expect: &str) {
        let res = match parse_lot("l.toml", text, &[]) {
            Ok(file) => {
                format!("{} [{}] [{}]", file.seed, file.items.join(","), file.claimed.join(","))
            }
            Err(diagnostics) => diagnostics.to_string(),
        };
        assert_eq!(res, expect);
    }

    fn check_commission(text: &str, expect: &str) {
        let res = match parse_commission("c.toml", text, &[]) {
            Ok(file) => {
                let strata: Vec<String> = file
                    .sortition
                    .strata()
                    .iter()
                    .map(|it| format!("{} {} [{}]", it.id, it.seats, it.pool.join(",")))
                    .collect();
                format!(
                    "{} {:?}: {}",
                    file.sortition.seed(),
                    file.sortition.commissions(),
                    strata.join("; ")
                )
            }
            Err(diagnostics) => diagnostics.to_string(),
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn reads_and_checks_draw_files() {
        check_lot(
            "[lot]\nname = \"n\"\nseed = \"s\"\nitems = [\"a\", \"b\"]\norder = [\"b\"]\n",
            "s [a,b] [b]",
        );
        check_lot(
            "[lot]\nname = \"n\"\nitems = [\"a\", \"a\", \"\"]\norder = [\"b\"]\ncolour = 1\n",
            "l.toml:1: lot.seed: missing key seed (rule E-4)\n\
             l.toml:3: lot.items[1]: \"a\" is listed twice (first at lot.items[0]) (rule E-33)\n\
             l.toml:3: lot.items[2]: must not be empty (rule E-14)\n\
             l.toml:5: lot.colour: unknown key colour (expected one of: format, name, description, seed, items, order) (rule E-3)",
        );
    }

    #[test]
    fn reads_and_checks_commission_files() {
        let head = "[commission]\nname = \"n\"\nseed = \"s\"\ncommissions = [\"x\", \"y\"]\n";
        check_commission(
            &format!("{head}[[strata]]\nid = \"lawyers\"\nseats = 1\npool = [\"a\", \"b\"]\n"),
            "s [\"x\", \"y\"]: lawyers 1 [a,b]",
        );
        check_commission(
            &format!(
                "{head}[[strata]]\nid = \"lawyers\"\nseats = 2\npool = [\"a\", \"b\"]\n\
                 [[strata]]\nid = \"lawyers\"\nseats = 1\npool = [\"b\", \"c\"]\n"
            ),
            "c.toml:8: strata[0].pool: 2 on the list for 4 seats (2 in each of 2 commissions) (rule E-39)\n\
             c.toml:10: strata[1].id: id \"lawyers\" is used twice (first by strata[0]) (rule E-33)\n\
             c.toml:12: strata[1].pool: \"b\" is also in strata[0]; strata must not overlap (rule E-33)",
        );
    }
}
