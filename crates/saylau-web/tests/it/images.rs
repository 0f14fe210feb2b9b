//! Protocol images: uploaded by the station's commission through the form (multipart,
//! CSRF) and the write API (bearer token), checked by their first bytes and size, kept by
//! SHA-256, signed into the log naming the operator, and published on the station's page
//! and JSON at `/img/{sha256}` with the hash as a strong ETag; the role × territory matrix
//! of the upload.

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt as _;
use saylau_core::count::commission::StationId;
use saylau_store::verify::{Verification, verify};
use sha2::Digest as _;
use tower::ServiceExt as _;

use crate::fixture::{Got, get};
use crate::work::{Login, PASSWORD, World, login, post_json, world_with};

const PNG: &[u8] = include_bytes!("data/protocol.png");
const PDF: &[u8] = include_bytes!("data/protocol.pdf");

fn sha256(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

/// POSTs the image form of `station`: `image` as a file part (with the client's claimed
/// name and type) and the text `fields`.
async fn post_image(
    app: &Router,
    station: StationId,
    fields: &[(&str, &str)],
    file: (&str, &str, &[u8]),
    cookie: Option<&str>,
) -> Got {
    let boundary = "saylau-image-boundary-41c9";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .bytes(),
        );
    }
    let (name, claimed, bytes) = file;
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; \
             filename=\"{name}\"\r\nContent-Type: {claimed}\r\n\r\n"
        )
        .bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    let mut req = Request::post(format!("/work/s/{station}/image"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"));
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    let res =
        app.clone().oneshot(req.body(Body::from(body)).expect("a request")).await.expect("ok");
    let (parts, body) = res.into_parts();
    let body = body.collect().await.expect("a body").to_bytes().to_vec();
    Got { status: parts.status, headers: parts.headers, body }
}

async fn upload(world: &World, who: &Login, station: StationId, bytes: &[u8], reason: &str) -> Got {
    let fields = [("csrf", who.csrf.as_str()), ("reason", reason)];
    post_image(
        &world.app,
        station,
        &fields,
        ("protocol.png", "image/png", bytes),
        Some(&who.cookie),
    )
    .await
}

async fn images(world: &World, station: StationId) -> Vec<serde_json::Value> {
    let json = get(&world.app, &format!("/api/v1/stations/{station}"), &[]).await.json();
    json["images"].as_array().expect("images").clone()
}

async fn intact(world: &World) {
    match verify(&world.fixture.store, None).await.expect("verify runs") {
        Verification::Intact { .. } => {}
        Verification::Broken(broken) => panic!("the log is broken: {broken}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[expect(clippy::too_many_lines, reason = "one scenario, read top to bottom")]
async fn an_operator_uploads_a_protocol_image_that_the_station_page_publishes() {
    let world = world_with(false).await;
    let station = world.inside;
    let pec = login(&world.app, "pec").await;
    let got = upload(&world, &pec, station, PNG, "").await;
    assert_eq!(got.status, 303, "{}", got.text());
    assert_eq!(got.header("location"), Some(format!("/en/s/{station}#images").as_str()));
    let hash = sha256(PNG);

    // The station's JSON names it, with the operator, size and type; the log verifies.
    let listed = images(&world, station).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    let image = &listed[0];
    assert_eq!(image["sha256"], hash.as_str());
    assert_eq!(image["url"], format!("/img/{hash}"));
    assert_eq!(image["media_type"], "image/png");
    assert_eq!(image["size"], PNG.len());
    assert_eq!(image["operator"], "pec");
    assert!(image["author"].as_str().expect("an author").starts_with("web:pec "), "{image}");
    intact(&world).await;

    // The page shows it, in every language, with its hash and time.
    for lang in ["kk", "ru", "en"] {
        let page = get(&world.app, &format!("/{lang}/s/{station}"), &[]).await;
        let html = page.text();
        assert!(html.contains(&format!("<img src=\"/img/{hash}\"")), "{lang}");
        assert!(html.contains(&format!("<code class=\"hash\">{hash}</code>")), "{lang}");
        let recorded = image["recorded_at"].as_str().expect("a time");
        assert!(html.contains(recorded), "{lang}");
    }

    // The file: its bytes, type, the hash as a strong ETag, immutable, sandboxed; 304.
    let file = get(&world.app, &format!("/img/{hash}"), &[]).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.body, PNG);
    assert_eq!(file.header("content-type"), Some("image/png"));
    assert_eq!(file.header("etag"), Some(format!("\"{hash}\"").as_str()));
    assert_eq!(file.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(file.header("content-security-policy"), Some("default-src 'none'; sandbox"));
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));
    let again =
        get(&world.app, &format!("/img/{hash}"), &[("if-none-match", &format!("\"{hash}\""))])
            .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    // A file in the store that no signed entry names (an upload the log refused), an
    // address that is no stored file, or no hash at all: 404.
    let orphan = [PNG, b"refused"].concat();
    saylau_store::images::put_image(&world.fixture.store, orphan.clone()).await.expect("stored");
    assert_eq!(get(&world.app, &format!("/img/{}", sha256(&orphan)), &[]).await.status, 404);
    assert_eq!(get(&world.app, &format!("/img/{}", sha256(b"none")), &[]).await.status, 404);
    assert_eq!(get(&world.app, "/img/..%2F..%2Fetc%2Fpasswd", &[]).await.status, 404);
    assert_eq!(get(&world.app, &format!("/img/{}", hash.to_uppercase()), &[]).await.status, 404);

    // The same file again is unchanged; another one needs a reason, then is version 2,
    // and both versions are listed. A PDF is served as an attachment.
    assert_eq!(upload(&world, &pec, station, PNG, "").await.status, 303);
    assert_eq!(images(&world, station).await.len(), 1);
    let refused = upload(&world, &pec, station, PDF, "").await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("needs a reason"), "{}", refused.text());
    assert_eq!(upload(&world, &pec, station, PDF, "a sharper scan").await.status, 303);
    let listed = images(&world, station).await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1]["version"], 2);
    assert_eq!(listed[1]["reason"], "a sharper scan");
    assert_eq!(listed[1]["media_type"], "application/pdf");
    let pdf = get(&world.app, &format!("/img/{}", sha256(PDF)), &[]).await;
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    let disposition = pdf.header("content-disposition").expect("a disposition");
    assert!(disposition.starts_with("attachment; filename=\"protocol-"), "{disposition}");
    let page = get(&world.app, &format!("/ru/s/{station}"), &[]).await.text();
    assert!(page.contains("a sharper scan") && page.contains(&sha256(PDF)), "both versions");
    intact(&world).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_files_of_the_accepted_types_and_size_are_taken() {
    let world = world_with(false).await;
    let station = world.inside;
    let pec = login(&world.app, "pec").await;
    let fields = [("csrf", pec.csrf.as_str()), ("reason", "")];
    // A text file claiming to be a JPEG: the first bytes decide.
    let fake = ("protocol.jpg", "image/jpeg", b"<html><script>alert(1)</script></html>".as_slice());
    let got = post_image(&world.app, station, &fields, fake, Some(&pec.cookie)).await;
    assert_eq!(got.status, 415, "{}", got.text());
    assert!(got.text().contains("not a JPEG, PNG or PDF"), "{}", got.text());
    // Empty.
    let got =
        post_image(&world.app, station, &fields, ("a.png", "image/png", b""), Some(&pec.cookie))
            .await;
    assert_eq!(got.status, 422, "{}", got.text());
    // Over 10 MiB: a PNG's magic followed by padding.
    let mut big = PNG.to_vec();
    big.resize(saylau_app::images::MAX_IMAGE_BYTES + 1, 0);
    let got = upload(&world, &pec, station, &big, "").await;
    assert_eq!(got.status, 413, "{}", got.text());
    // A JPEG by its magic bytes, whatever its name.
    let jpeg = [&[0xFF, 0xD8, 0xFF, 0xE0][..], b"\x00\x10JFIF\x00 a photo"].concat();
    let got = post_image(
        &world.app,
        station,
        &fields,
        ("scan.bin", "text/plain", &jpeg),
        Some(&pec.cookie),
    )
    .await;
    assert_eq!(got.status, 303, "{}", got.text());
    let listed = images(&world, station).await;
    assert_eq!(listed.len(), 1, "only the JPEG");
    assert_eq!(listed[0]["media_type"], "image/jpeg");
    intact(&world).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_stations_commission_attaches_its_image() {
    let world = world_with(false).await;
    let (inside, outside) = (world.inside, world.outside);
    // (user, may attach to inside, may attach to outside)
    let matrix = [
        ("pec", true, false),
        ("pec-elsewhere", false, true),
        ("district", true, false),
        ("region", true, false),
        ("admin", true, true),
        ("coordinator", false, false),
        ("observer", false, false),
    ];
    let mut uploaded = std::collections::BTreeMap::<StationId, usize>::new();
    for (name, may_inside, may_outside) in matrix {
        let who = login(&world.app, name).await;
        for (station, may) in [(inside, may_inside), (outside, may_outside)] {
            // A distinct file per upload: every allowed one is a new version.
            let n = uploaded.get(&station).copied().unwrap_or(0);
            let file = [PNG, name.as_bytes()].concat();
            let got = upload(&world, &who, station, &file, "another photo").await;
            let expected = if may { 303 } else { 403 };
            assert_eq!(got.status, expected, "{name} at {station}: {}", got.text());
            if may {
                uploaded.insert(station, n + 1);
            }
            assert_eq!(
                images(&world, station).await.len(),
                uploaded.get(&station).copied().unwrap_or(0)
            );
        }
    }
    // Anonymous, no CSRF token, another session's token: 403, nothing recorded.
    let pec = login(&world.app, "pec").await;
    let other = login(&world.app, "district").await;
    let file = ("p.png", "image/png", PNG);
    let before = images(&world, inside).await.len();
    let anonymous = post_image(&world.app, inside, &[("csrf", "x")], file, None).await;
    assert_eq!(anonymous.status, 403);
    let no_csrf = post_image(&world.app, inside, &[], file, Some(&pec.cookie)).await;
    assert_eq!(no_csrf.status, 403);
    let foreign =
        post_image(&world.app, inside, &[("csrf", &other.csrf)], file, Some(&pec.cookie)).await;
    assert_eq!(foreign.status, 403);
    assert_eq!(images(&world, inside).await.len(), before);
    intact(&world).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_write_api_takes_images_with_bearer_tokens() {
    let world = world_with(false).await;
    let (inside, outside) = (world.inside, world.outside);
    let token = |name: &'static str| {
        let app = world.app.clone();
        async move {
            let login = serde_json::json!({ "name": name, "password": PASSWORD });
            let got = post_json(&app, "/api/v1/tokens", &login, &[]).await;
            format!("Bearer {}", got.json()["token"].as_str().expect("a token"))
        }
    };
    let post_raw = |uri: String, bytes: Vec<u8>, auth: Option<String>| {
        let app = world.app.clone();
        async move {
            let mut req = Request::post(uri).header("content-type", "application/octet-stream");
            if let Some(auth) = auth {
                req = req.header("authorization", auth);
            }
            let res =
                app.oneshot(req.body(Body::from(bytes)).expect("a request")).await.expect("ok");
            let (parts, body) = res.into_parts();
            let body = body.collect().await.expect("a body").to_bytes().to_vec();
            Got { status: parts.status, headers: parts.headers, body }
        }
    };
    let pec = token("pec").await;
    let uri = format!("/api/v1/stations/{inside}/image");
    let got = post_raw(uri.clone(), PNG.to_vec(), Some(pec.clone())).await;
    assert_eq!(got.status, 201, "{}", got.text());
    assert_eq!(got.json()["image"]["sha256"], sha256(PNG));
    assert_eq!(got.json()["image"]["operator"], "pec");
    assert_eq!(post_raw(uri.clone(), PNG.to_vec(), Some(pec.clone())).await.status, 200);
    let got = post_raw(uri.clone(), PDF.to_vec(), Some(pec.clone())).await;
    assert_eq!(got.status, 422, "a further image needs a reason");
    let got = post_raw(format!("{uri}?reason=rescanned"), PDF.to_vec(), Some(pec.clone())).await;
    assert_eq!(got.status, 201, "{}", got.text());
    assert_eq!(got.json()["image"]["version"], 2);
    let got = post_raw(uri.clone(), b"GIF89a".to_vec(), Some(pec.clone())).await;
    assert_eq!(got.status, 415, "{}", got.text());
    // Another station's operator, an observer, no token, a cookie: refused.
    let elsewhere = token("pec-elsewhere").await;
    assert_eq!(post_raw(uri.clone(), PNG.to_vec(), Some(elsewhere.clone())).await.status, 403);
    let observer = token("observer").await;
    assert_eq!(post_raw(uri.clone(), PNG.to_vec(), Some(observer)).await.status, 403);
    assert_eq!(post_raw(uri.clone(), PNG.to_vec(), None).await.status, 401);
    let outside_uri = format!("/api/v1/stations/{outside}/image");
    assert_eq!(post_raw(outside_uri, PNG.to_vec(), Some(elsewhere)).await.status, 201);
    assert_eq!(images(&world, inside).await.len(), 2);
    intact(&world).await;
}
