//! The JSON API, `/api/v1/...`: the data of every page, documented by an OpenAPI 3.1
//! document generated from these handlers (utoipa), served at `/api/v1/openapi.json`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use saylau_core::count::commission::{CommissionId, Level, StationId};
use saylau_core::count::protocol::{DEFAULT_LATE_MINUTES, ExtraLine, Protocol, ProtocolLines};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::{Snap, unavailable};
use crate::results::{Snapshot, Territory, all_lines, changes, control_status};
use crate::state::AppState;

/// The API's document.
#[derive(OpenApi)]
#[openapi(info(
    title = "saylau public results API",
    description = "Election results from every polling station's signed protocol: the national \
                   result with seats, every commission's totals, every station's protocol and \
                   its versions, and the log checkpoint. Every response carries a strong ETag \
                   derived from the log head.",
    license(name = "Apache-2.0", identifier = "Apache-2.0")
))]
pub struct ApiDoc;

/// A list's votes (and seats, nationally).
#[derive(Debug, Serialize, ToSchema)]
pub struct ListJson {
    /// The list's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its votes.
    pub votes: u64,
    /// Its seats (national result only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seats: Option<u32>,
}

/// A protocol line.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineJson {
    /// Its number on the form, `6` or `10.2`.
    pub number: String,
    /// Its key: `found_in_boxes`, or `list` for a list's line.
    pub key: String,
    /// Its value.
    pub value: u64,
}

/// The log checkpoint the data was read at.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckpointJson {
    /// Position of the last entry.
    pub seq: u64,
    /// Its entry hash, hex.
    pub hash: String,
    /// `HASH@SEQ`, as `saylau log verify --checkpoint` takes it.
    pub checkpoint: String,
}

/// The national result.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsJson {
    /// The election's id.
    pub election: String,
    /// The checkpoint the result was read at.
    pub as_of: CheckpointJson,
    /// Registered polling stations.
    pub stations_expected: u64,
    /// Stations whose protocol was received.
    pub stations_counted: u64,
    /// Every list with votes and seats, in ballot order.
    pub lists: Vec<ListJson>,
    /// "Against all" votes.
    pub against_all: u64,
    /// The national protocol lines.
    pub lines: Vec<LineJson>,
    /// The allocation with every step (threshold, quota, remainders, ties, lot seed), as
    /// `saylau allocate --json` prints it; null before any protocol.
    #[schema(value_type = Object)]
    pub allocation: Option<serde_json::Value>,
}

/// A region or district commission's totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct TerritoryJson {
    /// `RR` or `RR-DD`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `region` or `district`.
    pub level: String,
    /// Registered stations below it.
    pub stations_expected: u64,
    /// Stations below it with a protocol.
    pub stations_counted: u64,
    /// Stations below it without one.
    pub not_received: Vec<String>,
    /// Votes per list.
    pub lists: Vec<ListJson>,
    /// The summed protocol lines.
    pub lines: Vec<LineJson>,
    /// The commissions or stations directly below it.
    pub children: Vec<String>,
}

/// One control relation.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleJson {
    /// `P-1` ... `P-7` (docs/protocol.md).
    pub code: String,
    /// Whether it holds.
    pub holds: bool,
}

/// A line changed by a version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeJson {
    /// The line's number.
    pub number: String,
    /// The value before.
    pub from: u64,
    /// The value after.
    pub to: u64,
}

/// One version of a station's protocol.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionJson {
    /// The version, from 1.
    pub version: u64,
    /// Its entry in the log.
    pub seq: u64,
    /// Who submitted it.
    pub author: String,
    /// The commission whose key signed it.
    pub commission: String,
    /// Why it corrected the version before.
    pub reason: Option<String>,
    /// When (UTC, RFC 3339).
    pub recorded_at: String,
    /// SHA-256 of the payload.
    pub content_hash: String,
    /// The entry hash in the chain.
    pub entry_hash: String,
    /// The lines it changed from the version before.
    pub changes: Vec<ChangeJson>,
    /// Its lines.
    pub lines: Vec<LineJson>,
}

/// A polling station.
#[derive(Debug, Serialize, ToSchema)]
pub struct StationJson {
    /// `RR-DD-SSSS`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether its protocol was received.
    pub received: bool,
    /// The current version, if any.
    pub version: Option<u64>,
    /// The current protocol's lines.
    pub lines: Vec<LineJson>,
    /// Votes per list.
    pub lists: Vec<ListJson>,
    /// The control relations of the current protocol.
    pub control: Vec<RuleJson>,
    /// Every version, oldest first.
    pub versions: Vec<VersionJson>,
    /// The current protocol's v2 lines and times (`docs/protocol.md`, "Format v2"), by
    /// key, as files write them; absent for a v1 protocol.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
    /// What the v2 lines flag on the current protocol (`P-9`, and `P-14` at the default
    /// limit of 60 minutes); absent when nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<FlagJson>,
    /// Every uploaded image of the paper protocol, oldest first (`docs/portal.md`,
    /// "Protocol images"); each file is at its `url`, `/img/{sha256}`.
    pub images: Vec<crate::images::ImageJson>,
}

/// A kept protocol's flag.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagJson {
    /// `P-9` or `P-14`.
    pub code: String,
    /// The lines and numbers.
    pub message: String,
}

/// An error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorJson {
    /// What went wrong.
    pub error: String,
}

fn lines_json(snapshot: &Snapshot, lines: &ProtocolLines) -> Vec<LineJson> {
    all_lines(lines, snapshot.ballot.len())
        .into_iter()
        .map(|(line, value)| LineJson { number: line.number(), key: line.key().to_owned(), value })
        .collect()
}

fn lists_json(snapshot: &Snapshot, lines: &ProtocolLines) -> Vec<ListJson> {
    snapshot
        .ballot
        .lists()
        .iter()
        .zip(&lines.list_votes)
        .map(|(list, votes)| ListJson {
            id: list.id.to_string(),
            name: list.name.clone(),
            votes: votes.0,
            seats: None,
        })
        .collect()
}

fn not_found(what: &str) -> Response {
    (StatusCode::NOT_FOUND, Json(ErrorJson { error: format!("no {what}") })).into_response()
}

/// The checkpoint of a snapshot.
pub fn checkpoint_json(snapshot: &Snapshot) -> CheckpointJson {
    CheckpointJson {
        seq: snapshot.head.seq.0,
        hash: snapshot.head.hash.to_hex(),
        checkpoint: snapshot.head.to_string(),
    }
}

/// The national result with seats and the allocation trace.
#[utoipa::path(get, path = "/api/v1/results", tag = "results",
    responses((status = 200, description = "The national result", body = ResultsJson)))]
pub async fn results(Snap(snapshot): Snap) -> Response {
    let Some(cec) = snapshot.territory(CommissionId::Central) else { return not_found("result") };
    let mut lists = lists_json(&snapshot, &cec.lines);
    let allocation = snapshot.national.as_ref().map(|national| {
        for (list, report) in lists.iter_mut().zip(&national.report.lists) {
            list.seats = Some(report.seats.0);
        }
        serde_json::to_value(&national.report).unwrap_or(serde_json::Value::Null)
    });
    Json(ResultsJson {
        election: snapshot.election.to_string(),
        as_of: checkpoint_json(&snapshot),
        stations_expected: cec.expected,
        stations_counted: cec.counted,
        lists,
        against_all: cec.lines.against_all.0,
        lines: lines_json(&snapshot, &cec.lines),
        allocation,
    })
    .into_response()
}

fn territory_json(snapshot: &Snapshot, territory: &Territory) -> TerritoryJson {
    TerritoryJson {
        id: territory.id.to_string(),
        name: snapshot.name(territory.id),
        level: match territory.id.level() {
            Level::Region => "region",
            _ => "district",
        }
        .to_owned(),
        stations_expected: territory.expected,
        stations_counted: territory.counted,
        not_received: territory.not_received.iter().map(ToString::to_string).collect(),
        lists: lists_json(snapshot, &territory.lines),
        lines: lines_json(snapshot, &territory.lines),
        children: territory.children.iter().map(ToString::to_string).collect(),
    }
}

fn territory_at(snapshot: &Snapshot, id: &str, level: Level) -> Response {
    match CommissionId::parse(id).ok().filter(|id| id.level() == level) {
        Some(id) => match snapshot.territory(id) {
            Some(territory) => Json(territory_json(snapshot, territory)).into_response(),
            None => not_found("such commission"),
        },
        None => not_found("such commission"),
    }
}

/// Every region's totals and reporting.
#[utoipa::path(get, path = "/api/v1/regions", tag = "results",
    responses((status = 200, description = "The regions", body = Vec<TerritoryJson>)))]
pub async fn regions(Snap(snapshot): Snap) -> Response {
    let regions: Vec<TerritoryJson> = snapshot
        .territories
        .values()
        .filter(|it| it.id.level() == Level::Region)
        .map(|it| territory_json(&snapshot, it))
        .collect();
    Json(regions).into_response()
}

/// One region's totals, reporting and missing stations.
#[utoipa::path(get, path = "/api/v1/regions/{id}", tag = "results",
    params(("id" = String, Path, description = "Region code, `RR`", example = "15")),
    responses((status = 200, description = "The region", body = TerritoryJson),
              (status = 404, description = "No such region", body = ErrorJson)))]
pub async fn region(Snap(snapshot): Snap, Path(id): Path<String>) -> Response {
    territory_at(&snapshot, &id, Level::Region)
}

/// One district commission's totals, reporting and missing stations.
#[utoipa::path(get, path = "/api/v1/districts/{id}", tag = "results",
    params(("id" = String, Path, description = "District id, `RR-DD`", example = "15-01")),
    responses((status = 200, description = "The district", body = TerritoryJson),
              (status = 404, description = "No such district", body = ErrorJson)))]
pub async fn district(Snap(snapshot): Snap, Path(id): Path<String>) -> Response {
    territory_at(&snapshot, &id, Level::District)
}

/// A polling station's current protocol and every version of it.
#[utoipa::path(get, path = "/api/v1/stations/{id}", tag = "results",
    params(("id" = String, Path, description = "Station id, `RR-DD-SSSS`", example = "15-01-0001")),
    responses((status = 200, description = "The station", body = StationJson),
              (status = 404, description = "No such station", body = ErrorJson)))]
pub async fn station(
    State(state): State<AppState>,
    Snap(snapshot): Snap,
    Path(id): Path<String>,
) -> Response {
    let Ok(station_id) = StationId::parse(&id) else { return not_found("such station") };
    let Some(station) = snapshot.stations.get(&station_id) else {
        return not_found("such station");
    };
    let history = match saylau_store::tabulation::history(
        state.store(),
        &snapshot.election,
        &station_id.to_string(),
    )
    .await
    {
        Ok(history) => history,
        Err(err) => return unavailable(&err.to_string()),
    };
    let images = match crate::images::listed(&state, station_id).await {
        Ok(images) => images.into_iter().map(Into::into).collect(),
        Err(res) => return res,
    };
    let n_lists = snapshot.ballot.len();
    let versions = versions_json(&snapshot, &history);
    let current = station.current.as_ref();
    Json(StationJson {
        id: station_id.to_string(),
        name: snapshot.name(CommissionId::Precinct(station_id)),
        received: current.is_some(),
        version: current.map(|it| it.1),
        lines: current.map(|it| lines_json(&snapshot, it.0.lines())).unwrap_or_default(),
        lists: current.map(|it| lists_json(&snapshot, it.0.lines())).unwrap_or_default(),
        control: current
            .map(|it| control_status(station_id, it.0.lines(), n_lists))
            .unwrap_or_default()
            .into_iter()
            .map(|(rule, holds)| RuleJson { code: rule.code().to_owned(), holds })
            .collect(),
        versions,
        extra: current.map(|it| extra_json(&it.0)).unwrap_or_default(),
        flags: current.map(|it| flags_json(&it.0)).unwrap_or_default(),
        images,
    })
    .into_response()
}

/// Every version of a station's protocol with its changes from the one before.
fn versions_json(
    snapshot: &Snapshot,
    history: &[saylau_store::tabulation::HistoryEntry],
) -> Vec<VersionJson> {
    let n_lists = snapshot.ballot.len();
    history
        .iter()
        .enumerate()
        .map(|(idx, entry)| {
            let before = idx.checked_sub(1).and_then(|it| history.get(it));
            VersionJson {
                version: entry.version.0,
                seq: entry.seq.0,
                author: entry.author.clone(),
                commission: entry.commission.clone(),
                reason: entry.reason.clone(),
                recorded_at: entry.recorded_at.clone(),
                content_hash: entry.content_hash.to_hex(),
                entry_hash: entry.entry_hash.to_hex(),
                changes: changes(before, entry, n_lists)
                    .into_iter()
                    .map(|it| ChangeJson { number: it.line.number(), from: it.from, to: it.to })
                    .collect(),
                lines: lines_json(snapshot, entry.protocol.lines()),
            }
        })
        .collect()
}

/// A protocol's v2 lines and times by key, as files write them.
fn extra_json(protocol: &Protocol) -> BTreeMap<String, String> {
    let extra = protocol.extra();
    ExtraLine::ALL
        .iter()
        .filter_map(|line| Some((line.key().to_owned(), extra.text(*line)?)))
        .collect()
}

/// What a protocol's v2 lines flag, at saylau's default limit of a late count.
fn flags_json(protocol: &Protocol) -> Vec<FlagJson> {
    protocol
        .flags(DEFAULT_LATE_MINUTES)
        .into_iter()
        .map(|flag| FlagJson {
            code: flag.kind.rule().code().to_owned(),
            message: flag.kind.to_string(),
        })
        .collect()
}

/// The log checkpoint the published data was read at (verify it with
/// `saylau log verify --checkpoint HASH@SEQ`).
#[utoipa::path(get, path = "/api/v1/checkpoint", tag = "log",
    responses((status = 200, description = "The checkpoint", body = CheckpointJson)))]
pub async fn checkpoint(Snap(snapshot): Snap) -> Response {
    Json(checkpoint_json(&snapshot)).into_response()
}

/// The API's routes and the OpenAPI document made from them.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(results))
        .routes(routes!(regions))
        .routes(routes!(region))
        .routes(routes!(district))
        .routes(routes!(station))
        .routes(routes!(checkpoint))
        .split_for_parts()
}
