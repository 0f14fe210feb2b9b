//! Election-night HTTP: a strong ETag from the log head on every public response, compared
//! with `If-None-Match` before anything is rendered (304), one short `max-age`, and the
//! security headers of every response.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::results::Snapshot;
use crate::state::AppState;

/// `Content-Security-Policy` of every response: nothing but this origin, no framing.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The security headers set on every response.
pub const SECURITY_HEADERS: [(&str, &str); 6] = [
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
];

/// Whether an `If-None-Match` header matches `etag` (a list of tags, or `*`).
pub fn matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|it| it.to_str().ok())
        .any(|value| value.split(',').map(str::trim).any(|tag| tag == "*" || tag == etag))
}

/// Middleware of the public routes: reads the snapshot at the log head, answers 304 when
/// the client holds its ETag, else hands the snapshot to the handler and stamps the
/// response with the ETag and `Cache-Control`.
pub async fn public(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let snapshot = match state.snapshot().await {
        Ok(snapshot) => snapshot,
        Err(err) => return unavailable(&err.to_string()),
    };
    // A query (the reform form's parameters) is part of what the response says: it is in
    // the ETag, and such responses are rendered per request, never kept, so that strangers'
    // queries cannot crowd the pages out of the budget.
    let query = req.uri().query().filter(|it| !it.is_empty()).map(str::to_owned);
    let etag = match &query {
        Some(query) => with_query(&snapshot.etag(), query),
        None => snapshot.etag(),
    };
    let cache = format!("public, max-age={}", state.config().max_age);
    if matches(req.headers(), &etag) {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        stamp(res.headers_mut(), &etag, &cache);
        return res;
    }
    let path = req.uri().path().to_owned();
    if let Some(mut res) = snapshot.rendered.get(&path).filter(|_| query.is_none()) {
        stamp(res.headers_mut(), &etag, &cache);
        return res;
    }
    req.extensions_mut().insert(Snap(Arc::clone(&snapshot)));
    let mut res = next.run(req).await;
    if res.status() == StatusCode::OK && query.is_none() {
        res = snapshot.rendered.keep(&path, res).await;
    }
    if res.status().is_success() || res.status() == StatusCode::NOT_FOUND {
        stamp(res.headers_mut(), &etag, &cache);
    } else {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// The ETag of a response to `query` at the head of `etag`: the head's tag with the
/// query's SHA-256 (its first 16 hex digits).
pub fn with_query(etag: &str, query: &str) -> String {
    use sha2::Digest as _;
    let digest = hex::encode(sha2::Sha256::digest(query.as_bytes()));
    format!("\"{}-q{}\"", etag.trim_matches('"'), &digest[..16])
}

/// The most bytes of responses kept per snapshot: the pages people open on election
/// night are a few hundred (the country, 17 regions, their districts, the API); a crawl of
/// every station fills the budget and the rest is rendered per request.
const RENDERED_BUDGET: usize = 64 << 20;

/// The responses rendered from one snapshot, by path, kept until the log head moves: the
/// rendering is done once per head, and every later request is a copy of bytes.
#[derive(Debug, Default)]
pub struct Rendered {
    kept: Mutex<(usize, HashMap<String, Kept>)>,
}

/// A kept response: its headers and body.
type Kept = (HeaderMap, Bytes);

impl Rendered {
    fn get(&self, path: &str) -> Option<Response> {
        let kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (headers, body) = kept.1.get(path)?;
        let mut res = Response::new(Body::from(body.clone()));
        *res.headers_mut() = headers.clone();
        Some(res)
    }

    /// Keeps `res` (a 200) for `path` while the budget lasts, and gives it back.
    async fn keep(&self, path: &str, res: Response) -> Response {
        let (parts, body) = res.into_parts();
        // The handlers' bodies are whole in memory already: this only collects them.
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
            return unavailable("a response body could not be read");
        };
        {
            let mut kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if kept.0 + bytes.len() <= RENDERED_BUDGET && !kept.1.contains_key(path) {
                kept.0 += bytes.len();
                kept.1.insert(path.to_owned(), (parts.headers.clone(), bytes.clone()));
            }
        }
        Response::from_parts(parts, Body::from(bytes))
    }
}

fn stamp(headers: &mut HeaderMap, etag: &str, cache: &str) {
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(cache) {
        headers.insert(header::CACHE_CONTROL, value);
    }
}

/// The snapshot a public handler renders, put in the request by [`public`].
#[derive(Clone)]
pub struct Snap(pub Arc<Snapshot>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Snap {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Snap, Response> {
        parts
            .extensions
            .get::<Snap>()
            .cloned()
            .ok_or_else(|| unavailable("the public route has no snapshot"))
    }
}

/// 503 with a plain message: the store could not be read (it is logged, not detailed).
pub fn unavailable(detail: &str) -> Response {
    eprintln!("saylau-web: {detail}");
    let mut res =
        (StatusCode::SERVICE_UNAVAILABLE, "the results are unavailable; try again").into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Adds the security headers that a response does not set itself.
pub async fn security(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    res
}
