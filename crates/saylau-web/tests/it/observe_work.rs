//! The observers' working interface in process: copies, statuses and incident reports
//! filed by an organisation's observers through the app's use cases, signed by its
//! observer key and kept out of the official totals; the incident workflow moved only by
//! a coordinator; and the role × handler matrix of the observer routes.

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt as _;
use saylau_app::observe::deploy::{Change, deploy};
use saylau_core::count::commission::StationId;
use saylau_store::key::CommissionKey;
use saylau_store::observe::{COPY_KIND, STATUS_KIND, current_entries, observer_commission};
use saylau_store::registry;
use saylau_store::users::{self as store_users, NewUser, Role};
use saylau_store::verify::{Verification, verify};
use sha2::Digest as _;
use tower::ServiceExt as _;

use crate::fixture::{Got, get};
use crate::work::{Login, PASSWORD, World, form_of, login, post, post_json, version, world_with};

/// The world of `work` with two observer organisations, `org` (the coordinator and the
/// observer of `work`) and `other` (one observer), each with a registered key the server
/// holds, and its app.
pub(crate) async fn observers() -> (World, Router) {
    observers_on(world_with(false).await).await
}

/// The same over `world`.
async fn observers_on(world: World) -> (World, Router) {
    let store = &world.fixture.store;
    let election = world.fixture.election.id.clone();
    let mut work = world.work.clone();
    let hash = saylau_app::users::hash_password(PASSWORD).expect("a hash");
    let user = NewUser {
        name: "observer-other",
        password_hash: &hash,
        role: Role::Observer,
        territory: "observer:other",
        created_by: "test",
    };
    store_users::add_user(store, &user).await.expect("a user");
    // Each organisation's observer is deployed to the stations the tests file for.
    let stations = world.fixture.stations();
    for (org, observer) in [("org", "observer"), ("other", "observer-other")] {
        saylau_app::observe::add_organisation(store, &election, org, org, &world.fixture.key)
            .await
            .expect("an organisation");
        let key = CommissionKey::generate().expect("a key");
        let commission = observer_commission(org).expect("an id");
        // Registered by an entry signed with the CEC's key (docs/integrity.md).
        registry::register_key(store, &commission, &key.public_key(), &world.fixture.key)
            .await
            .expect("registered");
        let deployed = stations[1..=8].iter().chain([&world.inside, &world.outside]);
        for station in deployed {
            let station = station.to_string();
            deploy(store, &election, observer, &station, Change::Add, &key, "test")
                .await
                .expect("deployed");
        }
        work = work.with_key(&commission.to_string(), key);
    }
    let app = world.fixture.app_with(work);
    (world, app)
}

/// POSTs `multipart/form-data` with text `fields` and `files` (name, bytes) as `evidence`.
async fn post_multipart(
    app: &Router,
    uri: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
    cookie: &str,
) -> Got {
    let boundary = "saylau-test-boundary-7f3a";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .bytes(),
        );
    }
    for (file, bytes) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"evidence\"; \
                 filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    let req = Request::post(uri)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("cookie", cookie)
        .body(Body::from(body))
        .expect("a request");
    let res = app.clone().oneshot(req).await.expect("ok");
    let (parts, body) = res.into_parts();
    let body = body.collect().await.expect("a body").to_bytes().to_vec();
    Got { status: parts.status, headers: parts.headers, body }
}

/// The copy form of `station`: its official lines with `change`, and the CSRF token.
pub(crate) async fn copy_form(
    world: &World,
    who: &Login,
    station: StationId,
    change: &[(&str, i64)],
) -> Vec<(String, String)> {
    let mut form = form_of(world, station, change).await;
    form.push(("csrf".to_owned(), who.csrf.clone()));
    form
}

pub(crate) async fn post_copy(
    app: &Router,
    who: &Login,
    station: StationId,
    form: &[(String, String)],
) -> Got {
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post(app, &format!("/work/o/{station}/copy"), &fields, &[("cookie", &who.cookie)]).await
}

pub(crate) async fn post_status(
    app: &Router,
    who: &Login,
    station: StationId,
    status: &str,
) -> Got {
    let fields = [
        ("csrf", who.csrf.as_str()),
        ("status", status),
        ("time", "2021-01-10T20:40"),
        ("note", ""),
    ];
    post(app, &format!("/work/o/{station}/status"), &fields, &[("cookie", &who.cookie)]).await
}

/// The subjects and signing commissions of the current entries of `kind`.
async fn entries(world: &World, kind: &str) -> Vec<(String, String)> {
    let found = current_entries(&world.fixture.store, &world.fixture.election.id, kind).await;
    found.expect("entries").into_iter().map(|it| (it.subject, it.commission)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copies_and_statuses_are_the_organisations_and_leave_the_official_count() {
    let (world, app) = observers().await;
    let (inside, outside) = (world.inside, world.outside);
    let before = Official::of(&world).await;
    let observer = login(&app, "observer").await;

    let page = get(&app, &format!("/work/o/{inside}"), &[("cookie", &observer.cookie)]).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert_eq!(page.header("cache-control"), Some("no-store"));
    // A copy as given, then a second, different copy of the same station: refused.
    let got =
        post_copy(&app, &observer, inside, &copy_form(&world, &observer, inside, &[]).await).await;
    assert_eq!(got.status, 201, "{}", got.text());
    let again = copy_form(&world, &observer, inside, &[("against_all", 1)]).await;
    let got = post_copy(&app, &observer, inside, &again).await;
    assert_eq!(got.status, 422, "{}", got.text());
    assert!(got.text().contains("already holds a different copy"), "{}", got.text());
    // A copy that breaks a control relation is kept as evidence, with the rule.
    let broken = copy_form(&world, &observer, outside, &[("ballots_received", 1)]).await;
    let got = post_copy(&app, &observer, outside, &broken).await;
    assert_eq!(got.status, 201, "{}", got.text());
    assert!(got.text().contains("breaks P-1"), "{}", got.text());
    let copies = entries(&world, COPY_KIND).await;
    assert_eq!(
        copies,
        vec![
            (format!("org/{inside}"), "observer:org".to_owned()),
            (format!("org/{outside}"), "observer:org".to_owned()),
        ]
    );
    // Statuses: a refused copy; a status that is not one is refused with the list.
    assert_eq!(post_status(&app, &observer, inside, "refused").await.status, 201);
    let bad = post_status(&app, &observer, outside, "lost").await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("is not one of obtained, refused"), "{}", bad.text());
    assert_eq!(
        entries(&world, STATUS_KIND).await,
        vec![(format!("org/{inside}"), "observer:org".to_owned())]
    );

    before.unchanged(&world).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incident_reports_keep_their_evidence_and_move_only_by_a_coordinator() {
    incident_reports(observers().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incident_reports_keep_their_evidence_on_postgres() {
    let Some(fixture) = crate::fixture::fixture_postgres("incidents").await else { return };
    incident_reports(observers_on(crate::work::world_on(fixture, false).await).await).await;
}

async fn incident_reports((world, app): (World, Router)) {
    let inside = world.inside;
    let before = Official::of(&world).await;
    let observer = login(&app, "observer").await;
    // An incident with two evidence files, kept by SHA-256.
    let photo: &[u8] = b"\x89PNG not really a photo";
    let text: &[u8] = b"protocol copy refused at 20:40";
    let fields = [
        ("csrf", observer.csrf.as_str()),
        ("id", "org-0001"),
        ("time", "2021-01-10T20:40"),
        ("type", "ballot-stuffing"),
        ("note", "a pack of ballots in box 2 <script>alert(1)</script>"),
    ];
    let uri = format!("/work/o/{inside}/incident");
    let got = post_multipart(
        &app,
        &uri,
        &fields,
        &[("../box 2.png", photo), ("note.txt", text)],
        &observer.cookie,
    )
    .await;
    assert_eq!(got.status, 201, "{}", got.text());
    let export = saylau_app::incidents::export(&world.fixture.store, &world.fixture.election.id)
        .await
        .expect("an export");
    assert!(export.evidence_problems.is_empty(), "{:?}", export.evidence_problems);
    let report = export.incidents.iter().find(|it| it.id == "org-0001").expect("the report");
    assert_eq!((report.observer.as_str(), report.station.clone()), ("org", inside.to_string()));
    let hashes: Vec<(String, String)> =
        report.evidence.iter().map(|it| (it.file.clone(), it.sha256.clone())).collect();
    let sha = |bytes: &[u8]| hex::encode(sha2::Sha256::digest(bytes));
    assert_eq!(
        hashes,
        vec![("box_2.png".to_owned(), sha(photo)), ("note.txt".to_owned(), sha(text))]
    );
    assert!(report.evidence.iter().all(|it| it.check == "ok"), "{:?}", report.evidence);
    // An unknown type is refused, naming the field.
    let mut unknown = fields;
    unknown[1] = ("id", "org-0002");
    unknown[3] = ("type", "weather");
    let got = post_multipart(&app, &uri, &unknown, &[], &observer.cookie).await;
    assert_eq!(got.status, 422, "{}", got.text());
    assert!(got.text().contains("weather"), "{}", got.text());

    before.unchanged(&world).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incidents_move_along_their_workflow_only_by_the_coordinator() {
    let (world, app) = observers().await;
    let observer = login(&app, "observer").await;
    let fields = [
        ("csrf", observer.csrf.as_str()),
        ("id", "org-0001"),
        ("time", "2021-01-10T20:40"),
        ("type", "ballot-stuffing"),
        ("note", "a pack of ballots in box 2 <script>alert(1)</script>"),
    ];
    let uri = format!("/work/o/{}/incident", world.inside);
    assert_eq!(post_multipart(&app, &uri, &fields, &[], &observer.cookie).await.status, 201);
    // The workflow: the observer may not move it; the coordinator may, one step at a time.
    let list = get(&app, "/work/incidents", &[("cookie", &observer.cookie)]).await;
    assert_eq!(list.status, 200);
    assert!(list.text().contains("box 2") && !list.text().contains("<script>"), "escaped");
    assert!(!list.text().contains("/work/incidents/org-0001/state"), "no form for an observer");
    let step = |who: &Login, to: &'static str| {
        let (csrf, cookie) = (who.csrf.clone(), who.cookie.clone());
        let app = app.clone();
        async move {
            let form = [("csrf", csrf.as_str()), ("to", to), ("note", "complaint no. 7")];
            post(&app, "/work/incidents/org-0001/state", &form, &[("cookie", &cookie)]).await
        }
    };
    assert_eq!(step(&observer, "filed").await.status, 403);
    let coordinator = login(&app, "coordinator").await;
    assert_eq!(step(&coordinator, "answered").await.status, 422, "reported cannot be answered");
    assert_eq!(step(&coordinator, "filed").await.status, 303);
    let list = get(&app, "/work/incidents", &[("cookie", &coordinator.cookie)]).await;
    assert!(
        list.text().contains("<strong class=\"state\">Filed with the commission</strong>"),
        "{}",
        list.text()
    );
    // Another organisation's observer sees none of it.
    let other = login(&app, "observer-other").await;
    let list = get(&app, "/work/incidents", &[("cookie", &other.cookie)]).await;
    assert!(!list.text().contains("org-0001"), "{}", list.text());
}

/// The official count: two stations' versions and the national lists and lines.
struct Official {
    versions: (Option<u64>, Option<u64>),
    results: serde_json::Value,
}

impl Official {
    async fn of(world: &World) -> Official {
        let versions = (version(world, world.inside).await, version(world, world.outside).await);
        let results = get(&world.app, "/api/v1/results", &[]).await.json();
        assert!(results["lists"].as_array().is_some_and(|it| !it.is_empty()), "{results}");
        Official { versions, results }
    }

    /// Asserts the official count did not move, and that the log verifies.
    async fn unchanged(&self, world: &World) {
        let now = Official::of(world).await;
        assert_eq!(now.versions, self.versions);
        let pick = |it: &serde_json::Value| (it["lists"].clone(), it["lines"].clone());
        assert_eq!(pick(&now.results), pick(&self.results));
        match verify(&world.fixture.store, None).await.expect("verify runs") {
            Verification::Intact { .. } => {}
            Verification::Broken(broken) => panic!("the log is broken: {broken}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn observer_routes_by_role() {
    let (world, app) = observers().await;
    let stations = world.fixture.stations();
    // (user, may observe, may move incidents)
    let matrix = [
        ("admin", false, false),
        ("region", false, false),
        ("district", false, false),
        ("pec", false, false),
        ("pec-elsewhere", false, false),
        ("coordinator", true, true),
        ("observer", true, false),
        ("observer-other", true, false),
    ];
    for (idx, (name, observes, moves)) in matrix.into_iter().enumerate() {
        check_role(&world, &app, name, stations[idx + 1], (observes, moves)).await;
    }
    // Every copy is signed by its own organisation's key.
    let copies = entries(&world, COPY_KIND).await;
    assert_eq!(copies.len(), 3);
    assert!(
        copies.iter().all(|(subject, commission)| commission
            == &format!("observer:{}", subject.split('/').next().unwrap_or_default())),
        "{copies:?}"
    );
}

/// Every observer route as `name`, on `station`: 403 unless the role may (`observes`,
/// `moves` incidents).
async fn check_role(
    world: &World,
    app: &Router,
    name: &str,
    station: StationId,
    (observes, moves): (bool, bool),
) {
    let app = app.clone();
    let stations = world.fixture.stations();
    let who = login(&app, name).await;
    let page = get(&app, &format!("/work/o/{station}"), &[("cookie", &who.cookie)]).await;
    assert_eq!(page.status, if observes { 200 } else { 403 }, "{name} GET /work/o/");
    let copy = post_copy(&app, &who, station, &copy_form(world, &who, station, &[]).await).await;
    assert_eq!(copy.status, if observes { 201 } else { 403 }, "{name} copy: {}", copy.text());
    let status = post_status(&app, &who, station, "not-admitted").await;
    assert_eq!(status.status, if observes { 201 } else { 403 }, "{name} status");
    let fields = [
        ("csrf", who.csrf.as_str()),
        ("id", "r-1"),
        ("time", "2021-01-10T09:00"),
        ("type", "carousel"),
        ("note", ""),
    ];
    let incident =
        post_multipart(&app, &format!("/work/o/{station}/incident"), &fields, &[], &who.cookie)
            .await;
    // One report id per organisation: the second observer of `org` files it again.
    let filed = if name == "observer" { 422 } else { 201 };
    assert_eq!(
        incident.status,
        if observes { filed } else { 403 },
        "{name} incident: {}",
        incident.text()
    );
    let list = get(&app, "/work/incidents", &[("cookie", &who.cookie)]).await;
    assert_eq!(list.status, if observes { 200 } else { 403 }, "{name} incidents");
    let form = [("csrf", who.csrf.as_str()), ("to", "closed"), ("note", "done")];
    let moved = post(&app, "/work/incidents/r-1/state", &form, &[("cookie", &who.cookie)]).await;
    assert_eq!(moved.status, if moves { 303 } else { 403 }, "{name} moves: {}", moved.text());
    // Without this session's CSRF token nothing is taken.
    let forged = post_status(
        &app,
        &Login { cookie: who.cookie.clone(), csrf: "0".repeat(64) },
        stations[0],
        "refused",
    )
    .await;
    assert_eq!(forged.status, 403, "{name} forged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn observers_never_touch_official_protocols() {
    let (world, app) = observers().await;
    // Observers never touch an official protocol: the form, the API, any station.
    for name in ["coordinator", "observer"] {
        let who = login(&app, name).await;
        for station in [world.inside, world.outside] {
            let before = version(&world, station).await;
            let mut form: Vec<(String, String)> = form_of(&world, station, &[]).await;
            form.extend([
                ("csrf".to_owned(), who.csrf.clone()),
                ("reason".to_owned(), "x".to_owned()),
            ]);
            let fields: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let got =
                post(&app, &format!("/work/s/{station}"), &fields, &[("cookie", &who.cookie)])
                    .await;
            assert_eq!(got.status, 403, "{name} official form");
            let login = serde_json::json!({ "name": name, "password": PASSWORD });
            let token = post_json(&app, "/api/v1/tokens", &login, &[]).await.json()["token"]
                .as_str()
                .expect("a token")
                .to_owned();
            let lines: serde_json::Map<String, serde_json::Value> = form_of(&world, station, &[])
                .await
                .into_iter()
                .map(|(k, v)| (k, serde_json::Value::from(v.parse::<u64>().expect("n"))))
                .collect();
            let body = serde_json::json!({ "lines": lines, "reason": "x" });
            let got = post_json(
                &app,
                &format!("/api/v1/stations/{station}/protocol"),
                &body,
                &[("authorization", &format!("Bearer {token}"))],
            )
            .await;
            assert_eq!(got.status, 403, "{name} official API");
            assert_eq!(version(&world, station).await, before, "{name} changed nothing");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_working_interface_speaks_the_language_chosen_on_it() {
    let (world, app) = observers().await;
    // By the browser's language first, then by the switch, kept in a cookie.
    let form = get(&app, "/work/login", &[("accept-language", "ru-RU,ru;q=0.9")]).await;
    assert!(form.text().contains("<html lang=\"ru\">"), "{}", form.text());
    assert!(form.text().contains("Пароль"), "{}", form.text());
    let station = world.inside;
    let back = format!("/work/lang/kk?back=/work/o/{station}");
    let chosen = get(&app, &back, &[]).await;
    assert_eq!(chosen.status, 303);
    assert_eq!(chosen.header("location"), Some(format!("/work/o/{station}").as_str()));
    let cookie = chosen.header("set-cookie").expect("a cookie").to_owned();
    assert!(cookie.starts_with("saylau_lang=kk;") && cookie.contains("HttpOnly"), "{cookie}");
    // Only a /work/ path is gone back to.
    let away = get(&app, "/work/lang/en?back=//example.org/", &[]).await;
    assert_eq!(away.header("location"), Some("/work/"));
    let observer = login(&app, "observer").await;
    let both = format!("{}; saylau_lang=kk", observer.cookie);
    let page = get(&app, &format!("/work/o/{station}"), &[("cookie", &both)]).await;
    let text = page.text();
    assert!(text.contains("<html lang=\"kk\">"), "{text}");
    assert!(text.contains("Байқаушының хаттама көшірмесі"), "{text}");
    assert!(text.contains("Бюллетеньдерді жәшікке салу"), "the type labels are Kazakh too");
    // The form posted in Kazakh answers in Kazakh.
    let fields = [
        ("csrf", observer.csrf.as_str()),
        ("status", "refused"),
        ("time", "2021-01-10T20:40"),
        ("note", ""),
    ];
    let got = post(&app, &format!("/work/o/{station}/status"), &fields, &[("cookie", &both)]).await;
    assert_eq!(got.status, 201);
    assert!(got.text().contains("Жағдай: жазылды"), "{}", got.text());
    // Every work page of this user names its language in every language's switch.
    for uri in ["/work/", "/work/incidents"] {
        let page = get(&app, uri, &[("cookie", &both)]).await;
        assert!(page.text().contains("href=\"/work/lang/ru?back="), "{uri}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_checks_name_the_broken_rules_and_record_nothing() {
    let (world, app) = observers().await;
    let station = world.inside;
    let before = Official::of(&world).await;
    let check = |who: &Login, change: &'static [(&'static str, i64)]| {
        let (app, who) =
            (app.clone(), Login { cookie: who.cookie.clone(), csrf: who.csrf.clone() });
        let world = &world;
        async move {
            let mut form = form_of(world, station, change).await;
            form.extend([
                ("csrf".to_owned(), who.csrf.clone()),
                ("station".to_owned(), station.to_string()),
            ]);
            let fields: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post(&app, "/work/check", &fields, &[("cookie", &who.cookie)]).await
        }
    };
    for name in ["pec", "observer"] {
        let who = login(&app, name).await;
        let ok = check(&who, &[]).await;
        assert_eq!(ok.status, 200, "{name}: {}", ok.text());
        assert_eq!(ok.header("cache-control"), Some("no-store"));
        assert_eq!(ok.json()["broken"], serde_json::json!([]), "{name}");
        let broken = check(&who, &[("ballots_received", 1)]).await.json();
        assert_eq!(broken["broken"][0]["rule"], "P-1", "{name}: {broken}");
        // Not this session's token, or a user of another territory: 403.
        let forged = Login { cookie: who.cookie.clone(), csrf: "0".repeat(64) };
        assert_eq!(check(&forged, &[]).await.status, 403, "{name}");
    }
    let elsewhere = login(&app, "pec-elsewhere").await;
    assert_eq!(check(&elsewhere, &[]).await.status, 403);
    before.unchanged(&world).await;
    // The script is served from the portal itself, as JavaScript, and the forms load it.
    let js = get(&app, "/static/work.js", &[]).await;
    assert_eq!(js.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert!(js.text().contains("/work/check"));
    let pec = login(&app, "pec").await;
    let form = get(&app, &format!("/work/s/{station}"), &[("cookie", &pec.cookie)]).await;
    assert!(form.text().contains("<script src=\"/static/work.js\" defer></script>"));
    assert!(form.text().contains(&format!("data-check=\"{station}\"")));
}
