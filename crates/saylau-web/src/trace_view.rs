//! The allocation trace as the pages show it, built once from the app's
//! [`AllocationReport`] for the national page and for each column of the reform page: the
//! method and seats, the threshold test, the quota, the remainders' ranking or the divisor
//! awards, every tie with who won and by what rule, and the lot seed.

use saylau_app::allocate::names::method_name;
use saylau_app::allocate::{AllocationReport, ListId, TieStage};

use crate::i18n::Lang;

/// A remainder of the trace.
pub struct RemainderRow {
    pub(crate) rank: usize,
    pub(crate) name: String,
    pub(crate) floor: u32,
    pub(crate) remainder: String,
    pub(crate) remainder_exact: String,
    pub(crate) remainder_seats: i32,
}

/// The allocation trace as shown.
pub struct TraceView {
    pub(crate) method: String,
    pub(crate) seats: String,
    /// The threshold test, or `None` when there is no threshold.
    pub(crate) threshold: Option<String>,
    pub(crate) quota: Option<String>,
    pub(crate) remainders: Vec<RemainderRow>,
    pub(crate) awards: Vec<String>,
    pub(crate) ties: Vec<String>,
    pub(crate) lot_seed: String,
}

/// The list's display name, or its id when the report does not name it.
fn list_name(report: &AllocationReport, id: &ListId) -> String {
    report.lists.iter().find(|it| &it.id == id).map_or_else(|| id.to_string(), |it| it.name.clone())
}

/// The trace of `report`, in `lang`.
pub fn trace_view(lang: Lang, report: &AllocationReport) -> TraceView {
    let name = |id: &ListId| list_name(report, id);
    TraceView {
        method: method_name(report.rules.method()),
        seats: report.seats.0.to_string(),
        threshold: report.threshold.as_ref().map(|it| {
            lang.t_args(
                "threshold-votes",
                &[
                    ("percent", it.percent.to_string()),
                    ("base", lang.number(it.base_votes.0)),
                    ("min", lang.number(it.min_whole_votes.0)),
                ],
            )
        }),
        quota: report.quota.as_ref().map(|it| format!("{} ≈ {}", it.value.exact, it.value.decimal)),
        remainders: report
            .remainders
            .iter()
            .map(|it| RemainderRow {
                rank: it.rank,
                name: name(&it.id),
                floor: it.floor,
                remainder: it.remainder.decimal.clone(),
                remainder_exact: it.remainder.exact.clone(),
                remainder_seats: it.remainder_seats,
            })
            .collect(),
        awards: report
            .awards
            .iter()
            .map(|it| format!("{}: {} ({})", it.seat, name(&it.id), it.decimal))
            .collect(),
        ties: ties(lang, report),
        lot_seed: report.lot_seed.to_string(),
    }
}

/// Each tie: where, who was tied, who won, by what rule, and the lot's seed.
fn ties(lang: Lang, report: &AllocationReport) -> Vec<String> {
    let name = |id: &ListId| list_name(report, id);
    report
        .ties
        .iter()
        .map(|tie| {
            let stage = match tie.stage {
                TieStage::Quotient { seat } => format!("{} {seat}", lang.t("rf-tie-seat")),
                TieStage::Admission => lang.t("rf-tie-admission"),
                TieStage::Remainder => lang.t("rf-tie-remainder"),
                TieStage::Removal => lang.t("rf-tie-removal"),
            };
            let tied: Vec<String> = tie.tied.iter().map(&name).collect();
            let won: Vec<String> = tie.winners.iter().map(&name).collect();
            let seed = tie.lot_seed.as_ref().map(|it| format!(" ({}: {it})", lang.t("lot-seed")));
            format!(
                "{stage}: {} → {} [{}]{}",
                tied.join(", "),
                won.join(", "),
                tie.decided_by,
                seed.unwrap_or_default()
            )
        })
        .collect()
}
