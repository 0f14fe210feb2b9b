//! The protocol image form of the working interface: `POST /work/s/{id}/image`
//! (`multipart/form-data`, works without JavaScript), by an operator of the station's PEC
//! or a commission above it, with the session's CSRF token like every form. The file is
//! checked, stored and signed by [`crate::images::record`]; the public station page shows
//! it with its hash and time.

use axum::extract::{Multipart, Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Redirect, Response};

use super::{form_session, lang, message, private, scoped};
use crate::state::AppState;

/// The file and the text fields of the form.
struct ImageForm {
    csrf: String,
    reason: String,
    file: Vec<u8>,
}

async fn read(multipart: &mut Multipart) -> Result<ImageForm, Response> {
    let mut form = ImageForm { csrf: String::new(), reason: String::new(), file: Vec::new() };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => {
                let text = format!("{}: {err}\n", err.status());
                return Err(private((err.status(), text).into_response()));
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(err) => {
                let text = format!("{}: {err}\n", err.status());
                return Err(private((err.status(), text).into_response()));
            }
        };
        match name.as_str() {
            "image" => form.file = bytes.to_vec(),
            "csrf" => form.csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "reason" => form.reason = String::from_utf8_lossy(&bytes).into_owned(),
            _ => {}
        }
    }
    Ok(form)
}

/// `POST /work/s/{id}/image`: 303 to the public station page when recorded (or the same
/// file again); 403 outside the territory or without this session's CSRF token; 413, 415,
/// 422 with the reason on the page.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    mut multipart: Multipart,
) -> Response {
    // Who may upload is known before the body is read: no file of a stranger is taken in.
    match super::session(&state, &headers).await {
        Ok(Some(_)) => {}
        Ok(None) => return super::forbidden("log in first"),
        Err(res) => return res,
    }
    let (session, _, station) = match scoped(&state, &headers, &id).await {
        Ok(it) => it,
        Err(res) => return res,
    };
    let form = match read(&mut multipart).await {
        Ok(form) => form,
        Err(res) => return res,
    };
    if let Err(res) = form_session(&state, &headers, &form.csrf).await {
        return res;
    }
    let reason = Some(form.reason.as_str()).filter(|it| !it.trim().is_empty());
    match crate::images::record(&state, &session.user, station, form.file, reason).await {
        Ok(_) => {
            let to = format!("/{}/s/{station}#images", lang::lang().code());
            private(Redirect::to(&to).into_response())
        }
        Err((status, why)) if status == StatusCode::SERVICE_UNAVAILABLE => {
            crate::http::unavailable(&why)
        }
        Err((status, why)) => message(status, &station, &why),
    }
}
