//! The working interface in process: login and its cookie, the role × territory × handler
//! matrix, CSRF refusals, tampered and anonymous sessions, control relations named by
//! rule, corrections only with a reason, injection in every text field, login timing and
//! the rate limit (shared by two portal instances on one store), and a log that verifies
//! after every accepted entry, with the operator named in it.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt as _;
use saylau_core::count::commission::{CommissionId, StationId};
use saylau_store::id::CommissionId as StoreCommissionId;
use saylau_store::key::CommissionKey;
use saylau_store::registry;
use saylau_store::users::{self, NewUser, Role};
use saylau_store::verify::{Verification, verify};
use saylau_web::work::Work;
use tower::ServiceExt as _;

use crate::fixture::{Fixture, Got, fixture, get};

pub(crate) const PASSWORD: &str = "correct horse battery";

pub(crate) struct World {
    pub(crate) fixture: Fixture,
    pub(crate) app: Router,
    /// The working interface's keys, for another portal instance.
    pub(crate) work: Work,
    /// A station with a protocol, and one in another region.
    pub(crate) inside: StationId,
    pub(crate) outside: StationId,
}

async fn world() -> World {
    world_with(false).await
}

pub(crate) async fn world_with(double_entry: bool) -> World {
    world_on(fixture().await, double_entry).await
}

/// The users, keys and portal of the working interface over `fixture`.
pub(crate) async fn world_on(fixture: Fixture, double_entry: bool) -> World {
    let inside = fixture.station;
    let outside = fixture
        .stations()
        .into_iter()
        .find(|it| it.region() != inside.region())
        .expect("a station in another region");
    let commissions = [
        "CEC".to_owned(),
        CommissionId::Region(inside.region()).to_string(),
        CommissionId::District(inside.district()).to_string(),
        inside.to_string(),
        outside.to_string(),
    ];
    let mut work = Work::default();
    work.double_entry = double_entry;
    for commission in &commissions {
        let key = CommissionKey::generate().expect("a key");
        let id: StoreCommissionId = commission.parse().expect("an id");
        registry::register_key(&fixture.store, &id, &key.public_key(), &fixture.key)
            .await
            .expect("registered");
        work = work.with_key(commission, key);
    }
    let hash = saylau_app::users::hash_password(PASSWORD).expect("a hash");
    let people = [
        ("admin", Role::CecAdmin, commissions[0].as_str()),
        ("region", Role::TecOperator, &commissions[1]),
        ("district", Role::TecOperator, &commissions[2]),
        ("pec", Role::PecOperator, &commissions[3]),
        ("pec-second", Role::PecOperator, &commissions[3]),
        ("pec-elsewhere", Role::PecOperator, &commissions[4]),
        ("coordinator", Role::ObserverCoordinator, "observer:org"),
        ("observer", Role::Observer, "observer:org"),
    ];
    for (name, role, territory) in people {
        let user = NewUser { name, password_hash: &hash, role, territory, created_by: "test" };
        users::add_user(&fixture.store, &user).await.expect("a user");
    }
    let app = fixture.app_with(work.clone());
    World { fixture, app, work, inside, outside }
}

/// POSTs a form (`application/x-www-form-urlencoded`) with `headers`.
pub(crate) async fn post(
    app: &Router,
    uri: &str,
    form: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> Got {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut req = Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res =
        app.clone().oneshot(req.body(Body::from(body)).expect("a request")).await.expect("ok");
    let (parts, body) = res.into_parts();
    let body = body.collect().await.expect("a body").to_bytes().to_vec();
    Got { status: parts.status, headers: parts.headers, body }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A logged-in user: its cookie header and its CSRF token.
pub(crate) struct Login {
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

pub(crate) async fn login(app: &Router, name: &str) -> Login {
    let got = post(app, "/work/login", &[("name", name), ("password", PASSWORD)], &[]).await;
    assert_eq!(got.status, 303, "{name}: {}", got.text());
    let set = got.header("set-cookie").expect("a cookie").to_owned();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(part), "{set}");
    }
    let cookie = set.split(';').next().expect("name=value").to_owned();
    let home = get(app, "/work/", &[("cookie", &cookie)]).await;
    assert_eq!(home.status, 200);
    assert_eq!(home.header("cache-control"), Some("no-store"));
    let csrf = field(&home.text(), "csrf").expect("a CSRF token");
    Login { cookie, csrf }
}

/// The value of the hidden input `name` in `html`.
fn field(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    Some(html[at..].split('"').next()?.to_owned())
}

/// The current lines of `station` as form fields (from the public API), with `change`
/// applied to the fields by key.
pub(crate) async fn form_of(
    world: &World,
    station: StationId,
    change: &[(&str, i64)],
) -> Vec<(String, String)> {
    let got = get(&world.app, &format!("/api/v1/stations/{station}"), &[]).await;
    let json = got.json();
    let lines = json["lines"].as_array().expect("lines").clone();
    let mut form = Vec::new();
    for line in lines {
        let mut key = line["key"].as_str().expect("a key").to_owned();
        if key == "list" {
            let number = line["number"].as_str().expect("a number");
            key = format!("list_{}", number.trim_start_matches("10."));
        }
        let value = line["value"].as_i64().expect("a value");
        let delta = change.iter().find(|(k, _)| *k == key).map_or(0, |(_, d)| *d);
        form.push((key, (value + delta).to_string()));
    }
    form
}

pub(crate) async fn version(world: &World, station: StationId) -> Option<u64> {
    get(&world.app, &format!("/api/v1/stations/{station}"), &[]).await.json()["version"].as_u64()
}

/// Submits `form` for `station` as `who`, as a correction with `reason`.
pub(crate) async fn submit(
    world: &World,
    who: &Login,
    station: StationId,
    form: &[(String, String)],
    reason: &str,
) -> Got {
    let base = version(world, station).await.map(|it| it.to_string()).unwrap_or_default();
    let mut fields: Vec<(&str, &str)> =
        form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.extend([("csrf", who.csrf.as_str()), ("base", base.as_str()), ("reason", reason)]);
    post(&world.app, &format!("/work/s/{station}"), &fields, &[("cookie", &who.cookie)]).await
}

async fn log_intact(world: &World) {
    match verify(&world.fixture.store, None).await.expect("verify runs") {
        Verification::Intact { .. } => {}
        Verification::Broken(broken) => panic!("the log is broken: {broken}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_are_scoped_to_their_territory() {
    let world = world().await;
    // (user, may write inside, may write outside)
    let matrix = [
        ("admin", true, true),
        ("region", true, false),
        ("district", true, false),
        ("pec", true, false),
        ("pec-elsewhere", false, true),
        ("coordinator", false, false),
        ("observer", false, false),
    ];
    for (name, inside, outside) in matrix {
        let who = login(&world.app, name).await;
        for (station, allowed) in [(world.inside, inside), (world.outside, outside)] {
            let page =
                get(&world.app, &format!("/work/s/{station}"), &[("cookie", &who.cookie)]).await;
            assert_eq!(page.status, if allowed { 200 } else { 403 }, "{name} GET {station}");
            assert_eq!(page.header("cache-control"), Some("no-store"));
            let before = version(&world, station).await.expect("a version");
            // Moves one vote from the first list to against-all: still consistent.
            let form = form_of(&world, station, &[("against_all", 1), ("valid", 0)]).await;
            let form: Vec<_> = form
                .into_iter()
                .enumerate()
                .map(|(idx, (k, v))| {
                    if idx == 9 {
                        (k, (v.parse::<i64>().expect("n") - 1).to_string())
                    } else {
                        (k, v)
                    }
                })
                .collect();
            let got = submit(&world, &who, station, &form, &format!("recount by {name}")).await;
            let after = version(&world, station).await.expect("a version");
            if allowed {
                assert_eq!(got.status, 303, "{name} POST {station}: {}", got.text());
                assert_eq!(after, before + 1, "{name} POST {station}");
                let history = get(&world.app, &format!("/api/v1/stations/{station}"), &[]).await;
                assert!(history.text().contains(&format!("web:{name} (")), "{name} is named");
            } else {
                assert_eq!(got.status, 403, "{name} POST {station}");
                assert_eq!(after, before, "{name} POST {station} recorded nothing");
            }
        }
    }
    log_intact(&world).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_without_this_sessions_csrf_token_are_refused() {
    let world = world().await;
    let (pec, admin) = (login(&world.app, "pec").await, login(&world.app, "admin").await);
    let form = form_of(&world, world.inside, &[]).await;
    let station = format!("/work/s/{}", world.inside);
    let mut fields: Vec<(&str, &str)> =
        form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.push(("reason", "x"));
    let none = post(&world.app, &station, &fields, &[("cookie", &pec.cookie)]).await;
    assert_eq!(none.status, 403, "no token");
    let mut other = fields.clone();
    other.push(("csrf", &admin.csrf));
    let other = post(&world.app, &station, &other, &[("cookie", &pec.cookie)]).await;
    assert_eq!(other.status, 403, "another session's token");
    let logout = post(&world.app, "/work/logout", &[], &[("cookie", &pec.cookie)]).await;
    assert_eq!(logout.status, 403, "logout without a token");
    // The session survived the refused logout, and ends with its token.
    let logout =
        post(&world.app, "/work/logout", &[("csrf", &pec.csrf)], &[("cookie", &pec.cookie)]).await;
    assert_eq!(logout.status, 303);
    let home = get(&world.app, "/work/", &[("cookie", &pec.cookie)]).await;
    assert_eq!((home.status.as_u16(), home.header("location")), (303, Some("/work/login")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_and_tampered_sessions_cannot_write() {
    let world = world().await;
    let pec = login(&world.app, "pec").await;
    let before = version(&world, world.inside).await;
    let form = form_of(&world, world.inside, &[]).await;
    let mut fields: Vec<(&str, &str)> =
        form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.extend([("csrf", pec.csrf.as_str()), ("reason", "x")]);
    let station = format!("/work/s/{}", world.inside);
    let anonymous = post(&world.app, &station, &fields, &[]).await;
    assert_eq!(anonymous.status, 403);
    let mut tampered = pec.cookie.clone().into_bytes();
    let last = tampered.len() - 1;
    tampered[last] = if tampered[last] == b'0' { b'1' } else { b'0' };
    let tampered = String::from_utf8(tampered).expect("ASCII");
    let got = post(&world.app, &station, &fields, &[("cookie", &tampered)]).await;
    assert_eq!(got.status, 403, "tampered cookie");
    let home = get(&world.app, "/work/", &[("cookie", &tampered)]).await;
    assert_eq!(home.status, 303, "tampered cookie is no session");
    // A session token as a bearer header is not a cookie session, and needs no CSRF.
    let token = pec.cookie.split('=').nth(1).expect("a token");
    let bearer =
        post(&world.app, &station, &fields, &[("authorization", &format!("Bearer {token}"))]).await;
    assert_eq!(bearer.status, 403, "a cookie session's token is not a bearer token");
    assert_eq!(version(&world, world.inside).await, before, "nothing recorded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_name_the_rule_they_break_and_corrections_need_a_reason() {
    let world = world().await;
    let pec = login(&world.app, "pec").await;
    let before = version(&world, world.inside).await;
    let broken = form_of(&world, world.inside, &[("ballots_received", 1)]).await;
    let got = submit(&world, &pec, world.inside, &broken, "typo").await;
    assert_eq!(got.status, 422);
    assert!(got.text().contains("P-1"), "{}", got.text());
    assert!(got.text().contains("ballots received"), "{}", got.text());
    let not_a_number = [("voters_on_roll".to_owned(), "12a".to_owned())];
    let got = submit(&world, &pec, world.inside, &not_a_number, "typo").await;
    assert_eq!(got.status, 422);
    assert!(got.text().contains("is not a whole number"), "{}", got.text());
    let mut moved = form_of(&world, world.inside, &[("against_all", 1)]).await;
    let list = moved.get_mut(9).expect("a list line");
    list.1 = (list.1.parse::<i64>().expect("n") - 1).to_string();
    let got = submit(&world, &pec, world.inside, &moved, "  ").await;
    assert_eq!(got.status, 422, "a correction without a reason");
    assert!(got.text().contains("reason_required"), "{}", got.text());
    assert_eq!(version(&world, world.inside).await, before, "nothing recorded");
    log_intact(&world).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injection_in_every_text_field_is_inert() {
    let world = world().await;
    let evil_sql = "1'); DROP TABLE users; --";
    let evil_html = "<script>alert(1)</script>";
    // The login fields.
    for (name, password) in [(evil_sql, evil_html), (evil_html, evil_sql)] {
        let got =
            post(&world.app, "/work/login", &[("name", name), ("password", password)], &[]).await;
        assert_eq!(got.status, 401);
        assert!(!got.text().contains("<script>"), "{}", got.text());
    }
    // The reason and every number field.
    let pec = login(&world.app, "pec").await;
    let mut moved = form_of(&world, world.inside, &[("against_all", 1)]).await;
    let list = moved.get_mut(9).expect("a list line");
    list.1 = (list.1.parse::<i64>().expect("n") - 1).to_string();
    let reason = format!("{evil_html} {evil_sql}");
    let got = submit(&world, &pec, world.inside, &moved, &reason).await;
    assert_eq!(got.status, 303, "{}", got.text());
    let page = get(&world.app, &format!("/en/s/{}", world.inside), &[]).await;
    assert!(!page.text().contains(evil_html), "escaped on the public page");
    assert!(page.text().contains("&#60;script&#62;alert(1)"), "shown as text");
    let numbers: Vec<(String, String)> =
        moved.iter().map(|(k, _)| (k.clone(), format!("{evil_html}{evil_sql}"))).collect();
    let got = submit(&world, &pec, world.inside, &numbers, "x").await;
    assert_eq!(got.status, 422);
    assert!(!got.text().contains(evil_html), "the refused form echoes the input escaped");
    assert_eq!(
        users::users(&world.fixture.store).await.expect("users").len(),
        8,
        "the users are intact"
    );
    log_intact(&world).await;
}

/// How long a login of `name` with a wrong password takes.
async fn wrong_login(app: &Router, name: &str) -> Duration {
    let start = Instant::now();
    let got =
        post(app, "/work/login", &[("name", name), ("password", "wrong password")], &[]).await;
    let took = start.elapsed();
    assert_eq!(got.status, 401, "{name}");
    took
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_takes_as_long_for_an_unknown_name_and_is_limited() {
    let world = world().await;
    // One failure per existing name, so that no name reaches the limit.
    let known = ["admin", "region", "district", "pec", "pec-elsewhere"];
    // Interleaved, so that both kinds share whatever else the machine is doing.
    let (mut wrong, mut unknown) = (Vec::new(), Vec::new());
    for (idx, name) in known.iter().enumerate() {
        wrong.push(wrong_login(&world.app, name).await);
        unknown.push(wrong_login(&world.app, &format!("nobody-{idx}")).await);
    }
    wrong.sort();
    unknown.sort();
    let (wrong, unknown) = (wrong[known.len() / 2], unknown[known.len() / 2]);
    let ratio = unknown.as_secs_f64() / wrong.as_secs_f64();
    assert!((0.5..2.0).contains(&ratio), "unknown {unknown:?} vs wrong password {wrong:?}");
    // The limit: after 5 failures even the right password gets 429, on another instance
    // of the portal over the same store too.
    for _ in 1..5 {
        let got =
            post(&world.app, "/work/login", &[("name", "observer"), ("password", "nope")], &[])
                .await;
        assert_eq!(got.status, 401);
    }
    let got =
        post(&world.app, "/work/login", &[("name", "observer"), ("password", "nope")], &[]).await;
    assert_eq!(got.status, 401, "the fifth failure");
    let right = [("name", "observer"), ("password", PASSWORD)];
    assert_eq!(post(&world.app, "/work/login", &right, &[]).await.status, 429);
    let other = world.fixture.app_with(Work::default());
    assert_eq!(post(&other, "/work/login", &right, &[]).await.status, 429, "another instance");
    assert_eq!(
        post(&other, "/work/login", &[("name", "coordinator"), ("password", PASSWORD)], &[])
            .await
            .status,
        303
    );
}

/// POSTs JSON with `headers`.
pub(crate) async fn post_json(
    app: &Router,
    uri: &str,
    body: &serde_json::Value,
    headers: &[(&str, &str)],
) -> Got {
    let mut req = Request::post(uri).header("content-type", "application/json");
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let body = Body::from(body.to_string());
    let res = app.clone().oneshot(req.body(body).expect("a request")).await.expect("ok");
    let (parts, body) = res.into_parts();
    let body = body.collect().await.expect("a body").to_bytes().to_vec();
    Got { status: parts.status, headers: parts.headers, body }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_write_api_takes_bearer_tokens_for_the_same_roles() {
    let world = world().await;
    let login = serde_json::json!({ "name": "district", "password": PASSWORD });
    let got = post_json(&world.app, "/api/v1/tokens", &login, &[]).await;
    assert_eq!(got.status, 201, "{}", got.text());
    assert_eq!(got.header("cache-control"), Some("no-store"));
    let token = got.json()["token"].as_str().expect("a token").to_owned();
    let bearer = format!("Bearer {token}");
    let wrong = serde_json::json!({ "name": "district", "password": "nope" });
    assert_eq!(post_json(&world.app, "/api/v1/tokens", &wrong, &[]).await.status, 401);
    let body = |station: StationId, form: Vec<(String, String)>, reason: &str| {
        let lines: serde_json::Map<String, serde_json::Value> = form
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::from(v.parse::<u64>().expect("n"))))
            .collect();
        let _ = station;
        serde_json::json!({ "lines": lines, "reason": reason })
    };
    let inside = format!("/api/v1/stations/{}/protocol", world.inside);
    let before = version(&world, world.inside).await.expect("a version");
    let mut moved = form_of(&world, world.inside, &[("against_all", 1)]).await;
    let list = moved.iter_mut().find(|(k, _)| k == "list_1").expect("list 1");
    list.1 = (list.1.parse::<i64>().expect("n") - 1).to_string();
    let mut request = body(world.inside, moved.clone(), "recount");
    request["base"] = serde_json::Value::from(before);
    let got = post_json(&world.app, &inside, &request, &[("authorization", &bearer)]).await;
    assert_eq!(got.status, 201, "{}", got.text());
    assert_eq!(version(&world, world.inside).await, Some(before + 1));
    // No token, a cookie instead of a token, another territory, a broken protocol.
    assert_eq!(post_json(&world.app, &inside, &request, &[]).await.status, 401);
    let cookie = login_cookie(&world.app, "district").await;
    assert_eq!(post_json(&world.app, &inside, &request, &[("cookie", &cookie)]).await.status, 401);
    let outside = format!("/api/v1/stations/{}/protocol", world.outside);
    let other = body(world.outside, form_of(&world, world.outside, &[]).await, "x");
    let got = post_json(&world.app, &outside, &other, &[("authorization", &bearer)]).await;
    assert_eq!(got.status, 403);
    let broken = body(world.inside, form_of(&world, world.inside, &[("cancelled", 1)]).await, "x");
    let got = post_json(&world.app, &inside, &broken, &[("authorization", &bearer)]).await;
    assert_eq!(got.status, 422);
    assert_eq!(got.json()["broken"][0]["rule"], "P-1", "{}", got.text());
    log_intact(&world).await;
}

async fn login_cookie(app: &Router, name: &str) -> String {
    login(app, name).await.cookie
}
