//! Bulk downloads at stable addresses: the current protocols of every station as the
//! protocol file formats of saylau-formats (CSV and JSON, which `saylau import` reads
//! back), and a manifest with the SHA-256 and size of each file and the log checkpoint.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use saylau_core::count::commission::StationId;
use saylau_formats::{ProtocolSet, write_protocols_csv, write_protocols_json};
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use utoipa::ToSchema;

use crate::api::{CheckpointJson, ErrorJson, checkpoint_json};
use crate::http::Snap;
use crate::results::Snapshot;

/// A file of the manifest.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileJson {
    /// Its name under `/open-data/`.
    pub name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
}

/// The manifest of the open data.
#[derive(Debug, Serialize, ToSchema)]
pub struct ManifestJson {
    /// The election.
    pub election: String,
    /// The checkpoint the files were made at.
    pub as_of: CheckpointJson,
    /// Stations with a current protocol in the files.
    pub protocols: u64,
    /// The files.
    pub files: Vec<FileJson>,
}

/// The open data of one snapshot, made once.
#[derive(Debug)]
pub struct OpenData {
    csv: Vec<u8>,
    json: Vec<u8>,
    manifest: Vec<u8>,
}

const CSV: &str = "protocols.csv";
const JSON: &str = "protocols.json";

fn file(name: &str, media_type: &str, bytes: &[u8]) -> FileJson {
    FileJson {
        name: name.to_owned(),
        media_type: media_type.to_owned(),
        bytes: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
    }
}

impl OpenData {
    /// The files of `snapshot`.
    pub fn of(snapshot: &Snapshot) -> Result<OpenData, std::io::Error> {
        let current = &snapshot.current;
        let protocols: Vec<_> = current.protocols.iter().map(|it| it.protocol.clone()).collect();
        let base_versions = current
            .protocols
            .iter()
            .map(|it| (it.protocol.station(), it.version.0))
            .collect::<std::collections::BTreeMap<StationId, u64>>();
        let notes = vec![format!(
            "the current protocols of election {} at log checkpoint {}; base_version is each station's current version",
            snapshot.election, snapshot.head
        )];
        let set = ProtocolSet {
            ballot: &current.ballot,
            hierarchy: &current.hierarchy,
            protocols: &protocols,
            base_versions: Some(&base_versions),
            notes: &notes,
        };
        let (mut csv, mut json) = (Vec::new(), Vec::new());
        write_protocols_csv(&mut csv, &set)?;
        write_protocols_json(&mut json, &set)?;
        let manifest = ManifestJson {
            election: snapshot.election.to_string(),
            as_of: checkpoint_json(snapshot),
            protocols: protocols.len() as u64,
            files: vec![file(CSV, "text/csv", &csv), file(JSON, "application/json", &json)],
        };
        let manifest = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
        Ok(OpenData { csv, json, manifest })
    }
}

/// The open data of the snapshot, made on first use.
fn open_data(snapshot: &Snapshot) -> Result<&OpenData, &str> {
    let cell: &OnceLock<Result<OpenData, String>> = &snapshot.open_data;
    cell.get_or_init(|| OpenData::of(snapshot).map_err(|err| err.to_string()))
        .as_ref()
        .map_err(String::as_str)
}

/// The manifest: every file with its SHA-256, and the checkpoint.
#[utoipa::path(get, path = "/open-data/manifest.json", tag = "open data",
    responses((status = 200, description = "The manifest", body = ManifestJson)))]
pub async fn manifest(Snap(snapshot): Snap) -> Response {
    match open_data(&snapshot) {
        Ok(data) => {
            ([(header::CONTENT_TYPE, "application/json")], data.manifest.clone()).into_response()
        }
        Err(err) => crate::http::unavailable(err),
    }
}

/// A file of the open data (`protocols.csv` or `protocols.json`).
#[utoipa::path(get, path = "/open-data/{file}", tag = "open data",
    params(("file" = String, Path, description = "`protocols.csv` or `protocols.json`")),
    responses((status = 200, description = "The file", content_type = "text/csv"),
              (status = 404, description = "No such file", body = ErrorJson)))]
pub async fn download(Snap(snapshot): Snap, Path(name): Path<String>) -> Response {
    let data = match open_data(&snapshot) {
        Ok(data) => data,
        Err(err) => return crate::http::unavailable(err),
    };
    let (media_type, bytes) = match name.as_str() {
        CSV => ("text/csv; charset=utf-8", &data.csv),
        JSON => ("application/json", &data.json),
        "manifest.json" => ("application/json", &data.manifest),
        _ => {
            let error = ErrorJson { error: format!("no file {name}") };
            return (StatusCode::NOT_FOUND, axum::Json(error)).into_response();
        }
    };
    let disposition = format!("attachment; filename=\"{}-{name}\"", snapshot.election);
    (
        [(header::CONTENT_TYPE, media_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        bytes.clone(),
    )
        .into_response()
}
