//! The working interface's language: Kazakh, Russian or English, chosen with the switch on
//! every page and kept in the cookie `saylau_lang` (the public pages keep it in the path;
//! a form's URL stays one for every language here), else the browser's `Accept-Language`.
//! A layer on the `/work/` routes ([`scope`]) puts the language and the page's path where
//! every page of the request reads them ([`lang`], [`here`]).

use axum::extract::{Path, Query, Request};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::i18n::{LANGS, Lang};

/// The cookie that keeps the chosen language.
pub const LANG_COOKIE: &str = "saylau_lang";

tokio::task_local! {
    static CHROME: (Lang, String);
}

/// The language of a request: its cookie, else its `Accept-Language`, else English.
pub fn of_request(headers: &HeaderMap) -> Lang {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|it| it.to_str().ok())
        .flat_map(|it| it.split(';'))
        .find_map(|it| it.trim().strip_prefix(&format!("{LANG_COOKIE}=")).map(str::to_owned));
    if let Some(lang) = cookie.as_deref().and_then(Lang::from_code) {
        return lang;
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|it| it.to_str().ok());
    accept.map_or(Lang::En, Lang::negotiate)
}

/// Runs the rest of a `/work/` request with its language and path at hand.
pub async fn scope(req: Request, next: Next) -> Response {
    let lang = of_request(req.headers());
    let path = req.uri().path().to_owned();
    CHROME.scope((lang, path), next.run(req)).await
}

/// The language of the page being rendered (English outside a `/work/` request).
pub fn lang() -> Lang {
    CHROME.try_with(|it| it.0).unwrap_or(Lang::En)
}

/// The page to come back to after the language switch: the path being rendered, or the
/// page a form was posted from when the path takes only POST.
pub fn here() -> String {
    let path = CHROME.try_with(|it| it.1.clone()).unwrap_or_else(|_| "/work/".to_owned());
    if path == "/work/logout" {
        return "/work/login".to_owned();
    }
    if path.starts_with("/work/incidents/") {
        return "/work/incidents".to_owned();
    }
    if let Some(form) = path.strip_suffix("/image").filter(|it| it.starts_with("/work/s/")) {
        return form.to_owned();
    }
    for action in ["/copy", "/status", "/incident"] {
        if let Some(form) = path.strip_suffix(action).filter(|it| it.starts_with("/work/o/")) {
            return form.to_owned();
        }
    }
    path
}

/// A language of the switch: code, own name and whether it is the page's.
pub struct Choice {
    /// `kk`, `ru`, `en`.
    pub code: &'static str,
    /// Its own name.
    pub name: &'static str,
    /// Whether the page is in it.
    pub current: bool,
}

impl Lang {
    /// The working interface's language switch for a page in this language.
    pub fn switch(self) -> Vec<Choice> {
        LANGS
            .into_iter()
            .map(|it| Choice { code: it.code(), name: it.native_name(), current: it == self })
            .collect()
    }
}

/// Where the switch comes back to.
#[derive(Debug, serde::Deserialize)]
pub struct Back {
    #[serde(default)]
    back: String,
}

/// `GET /work/lang/{code}?back=PATH`: keeps the language in a cookie (a year, `HttpOnly`,
/// `SameSite=Lax`) and goes back to `PATH` (a `/work/` path only, else `/work/`).
pub async fn choose(Path(code): Path<String>, Query(back): Query<Back>) -> Response {
    let back = Some(back.back)
        .filter(|it| it.starts_with("/work/") && !it.contains("//") && !it.contains('\\'))
        .unwrap_or_else(|| "/work/".to_owned());
    let mut res = Redirect::to(&back).into_response();
    if let Some(lang) = Lang::from_code(&code) {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/work; HttpOnly; SameSite=Lax; Max-Age=31536000",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            res.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
