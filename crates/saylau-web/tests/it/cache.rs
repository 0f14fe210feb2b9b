//! Election night: ETags from the log head, 304, compression, security headers.

use crate::fixture::{fixture, get, public_routes};

#[tokio::test]
async fn every_public_route_has_an_etag_and_answers_304_to_it() {
    let fixture = fixture().await;
    for route in public_routes(&fixture) {
        let first = get(&fixture.app, &route, &[]).await;
        assert_eq!(first.status, 200, "{route}");
        assert!(!first.body.is_empty(), "{route}");
        let etag = first.header("etag").unwrap_or_else(|| panic!("{route}: no ETag")).to_owned();
        assert!(etag.starts_with('"') && !etag.starts_with("W/"), "{route}: {etag} is not strong");
        let cache = first.header("cache-control").unwrap_or_default();
        assert!(cache.starts_with("public, max-age="), "{route}: {cache}");
        let again = get(&fixture.app, &route, &[("if-none-match", &etag)]).await;
        assert_eq!(again.status, 304, "{route}");
        assert!(again.body.is_empty(), "{route}: a 304 has no body");
        assert_eq!(again.header("etag"), Some(etag.as_str()), "{route}");
        let other = get(&fixture.app, &route, &[("if-none-match", "\"something-else\"")]).await;
        assert_eq!(other.status, 200, "{route}: a stale ETag gets the page");
    }
}

#[tokio::test]
async fn an_accepted_version_changes_the_etag_of_the_results() {
    let fixture = fixture().await;
    let routes: Vec<String> =
        public_routes(&fixture).into_iter().filter(|it| it != "/static/site.css").collect();
    let mut before = Vec::new();
    for route in &routes {
        before.push(get(&fixture.app, route, &[]).await.header("etag").map(str::to_owned));
    }
    fixture.correct().await;
    for (route, old) in routes.iter().zip(before) {
        let old = old.expect("an ETag");
        let revalidated = get(&fixture.app, route, &[("if-none-match", &old)]).await;
        assert_eq!(
            revalidated.status, 200,
            "{route}: the old ETag must not match after a new version"
        );
        assert_ne!(revalidated.header("etag"), Some(old.as_str()), "{route}");
    }
    // The result is published as of the new head.
    let results = get(&fixture.app, "/api/v1/results", &[]).await.json();
    let checkpoint = get(&fixture.app, "/api/v1/checkpoint", &[]).await.json();
    assert_eq!(results["as_of"], checkpoint);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let fixture = fixture().await;
    let mut routes = public_routes(&fixture);
    routes.extend(["/".to_owned(), "/kk/s/99-99-9999".to_owned(), "/nowhere".to_owned()]);
    routes.push("/api/v1/stations/not-an-id".to_owned());
    for route in routes {
        let got = get(&fixture.app, &route, &[]).await;
        let csp = got.header("content-security-policy").unwrap_or_default();
        assert!(csp.starts_with("default-src 'self'"), "{route}: {csp}");
        assert!(!csp.contains("http"), "{route}: no outside origin in {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{route}");
        assert_eq!(got.header("x-content-type-options"), Some("nosniff"), "{route}");
        assert_eq!(got.header("x-frame-options"), Some("DENY"), "{route}");
        assert!(got.header("referrer-policy").is_some(), "{route}");
    }
}

#[tokio::test]
async fn pages_are_compressed_with_gzip_or_brotli_and_vary_on_encoding_only() {
    let fixture = fixture().await;
    for (accept, encoding) in [("br", "br"), ("gzip", "gzip"), ("gzip, br", "br")] {
        for route in ["/kk/", "/api/v1/results", "/open-data/protocols.csv"] {
            let plain = get(&fixture.app, route, &[]).await;
            let packed = get(&fixture.app, route, &[("accept-encoding", accept)]).await;
            assert_eq!(packed.header("content-encoding"), Some(encoding), "{route} {accept}");
            assert!(packed.body.len() < plain.body.len(), "{route} {accept}: smaller");
            let vary = packed.header("vary").unwrap_or_default().to_ascii_lowercase();
            assert!(vary.contains("accept-encoding"), "{route}: {vary}");
            assert!(!vary.contains("accept-language"), "{route}: the language is in the path");
            assert_eq!(packed.header("etag"), plain.header("etag"), "{route}");
        }
    }
}

#[tokio::test]
async fn the_root_redirects_by_accept_language() {
    let fixture = fixture().await;
    for (accept, to) in [
        ("kk-KZ,kk;q=0.9", "/kk/"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "/ru/"),
        ("de-DE,de;q=0.9", "/en/"),
        ("fr, ru;q=0.5", "/ru/"),
    ] {
        let got = get(&fixture.app, "/", &[("accept-language", accept)]).await;
        assert_eq!(got.status, 303, "{accept}");
        assert_eq!(got.header("location"), Some(to), "{accept}");
        assert_eq!(got.header("cache-control"), Some("no-store"), "{accept}");
    }
    let got = get(&fixture.app, "/", &[]).await;
    assert_eq!(got.header("location"), Some("/en/"));
}
