//! Protocol images (`docs/portal.md`, "Protocol images"): the files at `/img/{sha256}`,
//! their upload with a bearer token (`POST /api/v1/stations/{id}/image`), and the rows
//! the station's page and JSON show. The form of the working interface is
//! [`crate::work::image`].
//!
//! A file's address is its SHA-256, so its bytes never change: the response carries the
//! hash as a strong ETag and `Cache-Control: public, max-age=31536000, immutable`, outside
//! the log head's ETag. The bytes are hashed again on every read; a file changed in the
//! database is never served (`saylau log verify` names its entry). Each response has its
//! own CSP (`default-src 'none'; sandbox`): an uploaded PDF can run nothing, and a PDF is
//! sent as an attachment.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saylau_app::images::{self, File, ImageError, ImageView, Upload};
use saylau_app::users::{self, User};
use saylau_core::count::commission::StationId;
use saylau_store::users::SessionKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// How long a client keeps a file: a year (its address is its hash).
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The CSP of a served file: it loads and runs nothing.
const FILE_CSP: &str = "default-src 'none'; sandbox";

/// A protocol image as `/api/v1/stations/{id}` lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImageJson {
    /// The version of the station's image (1 for the first upload).
    pub version: u64,
    /// The log entry that records it.
    pub seq: u64,
    /// The file's SHA-256, lowercase hex.
    pub sha256: String,
    /// Where the file is: `/img/{sha256}`.
    pub url: String,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// Who uploaded it.
    pub operator: String,
    /// The log entry's author.
    pub author: String,
    /// Why it replaced the version before.
    pub reason: Option<String>,
    /// When it was recorded (UTC, RFC 3339).
    pub recorded_at: String,
}

impl From<ImageView> for ImageJson {
    fn from(view: ImageView) -> ImageJson {
        ImageJson {
            url: format!("/img/{}", view.sha256),
            version: view.version,
            seq: view.seq,
            sha256: view.sha256,
            media_type: view.media_type,
            size: view.size,
            operator: view.operator,
            author: view.author,
            reason: view.reason,
            recorded_at: view.recorded_at,
        }
    }
}

/// Every image version of `station`, oldest first; 503 when the store cannot be read.
pub async fn listed(state: &AppState, station: StationId) -> Result<Vec<ImageView>, Response> {
    let election = &state.config().election;
    images::station_images(state.store(), election, &station.to_string())
        .await
        .map_err(|err| crate::http::unavailable(&err.to_string()))
}

/// A protocol image file, by its SHA-256: the bytes, whose hash is checked on every read.
#[utoipa::path(get, path = "/img/{sha256}", tag = "images",
    params(("sha256" = String, Path, description = "The file's SHA-256, 64 lowercase hex digits")),
    responses((status = 200, description = "The file (JPEG, PNG or PDF)",
                content_type = "application/octet-stream"),
              (status = 304, description = "The client holds it (If-None-Match)"),
              (status = 404, description = "No such file", body = crate::api::ErrorJson)))]
pub async fn file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(sha256): Path<String>,
) -> Response {
    let etag = format!("\"{sha256}\"");
    let found = match images::file(state.store(), &state.config().election, &sha256).await {
        Ok(found) => found,
        Err(err) => return crate::http::unavailable(&err.to_string()),
    };
    let (media_type, bytes) = match found {
        File::Found(media_type, bytes) => (media_type, bytes),
        File::Missing => {
            return json_error(StatusCode::NOT_FOUND, "no protocol image has that SHA-256");
        }
        File::Changed => {
            return crate::http::unavailable(&format!(
                "the stored protocol image {sha256} no longer hashes to its address"
            ));
        }
    };
    let mut res = if crate::http::matches(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, media_type.as_str())], bytes).into_response()
    };
    let name = format!("protocol-{}.{}", &sha256[..16], media_type.extension());
    let disposition = match media_type {
        images::MediaType::Pdf => format!("attachment; filename=\"{name}\""),
        _ => format!("inline; filename=\"{name}\""),
    };
    let out = res.headers_mut();
    for (name, value) in [
        (header::ETAG, etag.as_str()),
        (header::CACHE_CONTROL, IMMUTABLE),
        (header::CONTENT_SECURITY_POLICY, FILE_CSP),
        (header::CONTENT_DISPOSITION, disposition.as_str()),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            out.insert(name, value);
        }
    }
    res
}

fn json_error(status: StatusCode, message: &str) -> Response {
    let mut res =
        (status, axum::Json(crate::api::ErrorJson { error: message.to_owned() })).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// What an upload came to.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadedJson {
    /// Whether a new version was recorded (`false`: the same file by the same operator is
    /// the current one already).
    pub recorded: bool,
    /// The station's current image.
    pub image: ImageJson,
}

/// The query of an upload.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct UploadQuery {
    /// Why, for a further image of a station that has one.
    pub reason: Option<String>,
}

/// The status of a refused or failed upload.
pub fn status_of(err: &ImageError) -> StatusCode {
    match err {
        ImageError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        ImageError::Type { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ImageError::Append(saylau_store::ledger::AppendError::NotAuthorised { .. }) => {
            StatusCode::FORBIDDEN
        }
        ImageError::Append(saylau_store::ledger::AppendError::Conflict { .. }) => {
            StatusCode::CONFLICT
        }
        err if err.refused() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Records `bytes` as the image of `station` uploaded by `user`, signed by its
/// commission's key the server holds; the caller has checked the territory.
pub async fn record(
    state: &AppState,
    user: &User,
    station: StationId,
    bytes: Vec<u8>,
    reason: Option<&str>,
) -> Result<images::Added, (StatusCode, String)> {
    let Some(key) = state.work().signing_key(&user.territory) else {
        return Err((
            StatusCode::SERVICE_UNAVAILABLE,
            format!("this server holds no key of commission {}", user.territory),
        ));
    };
    let author = saylau_app::entry::author(user, &user.name);
    let station = station.to_string();
    let upload = Upload {
        election: &state.config().election,
        station: &station,
        bytes,
        operator: &user.name,
        author: &author,
        reason,
    };
    let added = images::add(state.store(), upload, &key).await;
    state.forget_head();
    added.map_err(|err| (status_of(&err), err.to_string()))
}

/// A protocol image of a station uploaded with a bearer token: the body is the file
/// (JPEG, PNG or PDF, told by its first bytes; at most 10 MiB); 201 recorded, 200 the same
/// file again, 403 outside the user's territory, 413 too large, 415 another type, 422
/// a further image without a reason.
#[utoipa::path(post, path = "/api/v1/stations/{id}/image", tag = "work",
    params(("id" = String, Path, description = "Station id, `RR-DD-SSSS`", example = "01-01-0001"),
           UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
                 description = "The file"),
    responses((status = 201, description = "Recorded", body = UploadedJson),
              (status = 200, description = "Unchanged", body = UploadedJson),
              (status = 401, description = "No bearer token", body = crate::api::ErrorJson),
              (status = 403, description = "Outside the territory", body = crate::api::ErrorJson),
              (status = 413, description = "Over 10 MiB", body = crate::api::ErrorJson),
              (status = 415, description = "Not a JPEG, PNG or PDF", body = crate::api::ErrorJson),
              (status = 422, description = "Refused", body = crate::api::ErrorJson)))]
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<UploadQuery>,
    body: Bytes,
) -> Response {
    let session = match crate::work::session(&state, &headers).await {
        Ok(Some(session)) if session.kind == SessionKind::Bearer => session,
        Ok(_) => return json_error(StatusCode::UNAUTHORIZED, "a bearer token is required"),
        Err(res) => return res,
    };
    let snapshot = match state.snapshot().await {
        Ok(snapshot) => snapshot,
        Err(err) => return json_error(StatusCode::SERVICE_UNAVAILABLE, &err.to_string()),
    };
    let Some(station) = StationId::parse(&id).ok().filter(|it| snapshot.stations.contains_key(it))
    else {
        return json_error(StatusCode::NOT_FOUND, "no such station");
    };
    if !users::may_write_station(&session.user, &id) {
        return json_error(StatusCode::FORBIDDEN, "outside the user's territory");
    }
    match record(&state, &session.user, station, body.to_vec(), query.reason.as_deref()).await {
        Ok(added) => {
            let status = if added.recorded { StatusCode::CREATED } else { StatusCode::OK };
            let body = UploadedJson { recorded: added.recorded, image: added.image.into() };
            let mut res = (status, axum::Json(body)).into_response();
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err((status, message)) => json_error(status, &message),
    }
}

/// The routes of the files and of the upload with a token, outside the log head's ETag,
/// and their OpenAPI paths.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new()
        .routes(routes!(file))
        .routes(routes!(upload))
        .layer(axum::extract::DefaultBodyLimit::max(images::MAX_IMAGE_BYTES + 64 * 1024))
        .split_for_parts()
}
