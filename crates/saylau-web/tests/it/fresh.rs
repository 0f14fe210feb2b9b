//! An accepted version is visible at once: on the instance that accepted it (the write
//! drops the cached log head), and on PostgreSQL on every other instance on the same store
//! within a second (the store's notification, `AppState::follow`), though each trusts its
//! cached head for an hour here. With the PEC's entry on PostgreSQL through the form and
//! the bearer API, read back through the API.

use std::time::{Duration, Instant};

use axum::Router;
use saylau_core::count::commission::StationId;
use saylau_store::store::Store;
use saylau_web::app;

use crate::fixture::{fixture_postgres, get};
use crate::work::{PASSWORD, World, form_of, login, post, post_json, world_on, world_with};

/// Longer than any test: only a dropped head explains a fresh read.
const TRUSTED: Duration = Duration::from_secs(3600);

/// The current version of `station` and the author of its last version, by `app`'s API.
async fn current(app: &Router, station: StationId) -> (u64, String) {
    let json = get(app, &format!("/api/v1/stations/{station}"), &[]).await.json();
    let author = json["versions"]
        .as_array()
        .and_then(|it| it.last())
        .map(|it| it["author"].as_str().unwrap_or_default().to_owned());
    (json["version"].as_u64().expect("a version"), author.unwrap_or_default())
}

/// The station's lines with one vote moved from the first list to against-all, as form
/// fields with the CSRF token, base and reason.
async fn moved(world: &World, station: StationId, base: u64) -> Vec<(String, String)> {
    let mut form = form_of(world, station, &[("against_all", 1)]).await;
    let list = form.iter_mut().find(|(k, _)| k == "list_1").expect("list 1");
    list.1 = (list.1.parse::<i64>().expect("n") - 1).to_string();
    form.extend([("base".to_owned(), base.to_string()), ("reason".to_owned(), "recount".into())]);
    form
}

/// A PEC operator's form entry on `app`: 303 to the public page.
async fn enter(app: &Router, world: &World, station: StationId, base: u64) {
    let pec = login(app, "pec").await;
    let mut form = moved(world, station, base).await;
    form.push(("csrf".to_owned(), pec.csrf.clone()));
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let got = post(app, &format!("/work/s/{station}"), &fields, &[("cookie", &pec.cookie)]).await;
    assert_eq!(got.status, 303, "{}", got.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_shows_its_own_accepted_version_at_once() {
    let world = world_with(false).await;
    let store = world.fixture.store.clone();
    let app = app(world.fixture.state_with(store, world.work.clone(), TRUSTED));
    let station = world.inside;
    let (before, _) = current(&app, station).await;
    enter(&app, &world, station, before).await;
    let (after, author) = current(&app, station).await;
    assert_eq!(after, before + 1, "the accepted version, read right after the write");
    assert!(author.starts_with("web:pec ("), "{author}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_every_instance_shows_an_accepted_version_within_a_second() {
    let Some(fixture) = fixture_postgres("fresh").await else { return };
    let world = world_on(fixture, false).await;
    let station = world.inside;
    // Two instances, each with its own connections to the one database.
    let second = Store::open(&world.fixture.location).await.expect("a second connection pool");
    let one = world.fixture.state_with(world.fixture.store.clone(), world.work.clone(), TRUSTED);
    let two = world.fixture.state_with(second.clone(), world.work.clone(), TRUSTED);
    one.follow().await.expect("instance one listens");
    two.follow().await.expect("instance two listens");
    let (one, two) = (app(one), app(two));
    let (before, _) = current(&two, station).await;
    assert_eq!(current(&one, station).await.0, before, "both have cached the head");

    // A PEC entry by the form on instance one, read back through the API of both.
    enter(&one, &world, station, before).await;
    let (after, author) = current(&one, station).await;
    assert_eq!(after, before + 1);
    assert!(author.starts_with("web:pec ("), "{author}");
    let waited = seen(&two, station, before + 1).await;
    eprintln!("instance two showed instance one's version after {waited:?}");
    assert!(waited < Duration::from_secs(1), "instance two showed it after {waited:?}");

    // A bearer-token entry on instance two, seen by instance one.
    let login = serde_json::json!({ "name": "pec", "password": PASSWORD });
    let token = post_json(&two, "/api/v1/tokens", &login, &[]).await.json()["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let lines: serde_json::Map<String, serde_json::Value> = moved(&world, station, after)
        .await
        .into_iter()
        .filter(|(k, _)| k != "base" && k != "reason")
        .map(|(k, v)| (k, serde_json::Value::from(v.parse::<u64>().expect("n"))))
        .collect();
    let body = serde_json::json!({ "lines": lines, "base": after, "reason": "recount" });
    let uri = format!("/api/v1/stations/{station}/protocol");
    let got = post_json(&two, &uri, &body, &[("authorization", &format!("Bearer {token}"))]).await;
    assert_eq!(got.status, 201, "{}", got.text());
    assert_eq!(current(&two, station).await.0, after + 1);
    let waited = seen(&one, station, after + 1).await;
    eprintln!("instance one showed instance two's version after {waited:?}");
    assert!(waited < Duration::from_secs(1), "instance one showed it after {waited:?}");
    second.close().await;
}

/// How long until `app`'s API shows `version` of `station` (asked every 10 ms, for at most
/// five seconds, so that a failure says how late it was).
async fn seen(app: &Router, station: StationId, version: u64) -> Duration {
    let start = Instant::now();
    while current(app, station).await.0 != version {
        assert!(start.elapsed() < Duration::from_secs(5), "never shown");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    start.elapsed()
}
