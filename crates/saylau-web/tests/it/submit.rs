//! Election night in small (`bench/web/submit.sh` is the same at 10,000 stations over
//! HTTP): stations registered before their first protocol
//! (`saylau_store::import::register_only`), then every station's protocol entered over the
//! write API by many operators at once, a few twice. Every submission is answered 201
//! (none lost, no store error surfacing as a 5xx), every station has exactly one version
//! holding the numbers entered, the log grew by one entry per station and verifies. On
//! SQLite, and on PostgreSQL when `SAYLAU_TEST_POSTGRES_URL` is set.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use saylau_core::count::protocol::{Line, Protocol};
use saylau_stats::synthetic::{Seed, SyntheticOptions, synthetic_country};
use saylau_store::import::{ImportInput, register_only};
use saylau_store::key::CommissionKey;
use saylau_store::location::Location;
use saylau_store::registry::{self, Election};
use saylau_store::store::Store;
use saylau_store::users::{self, NewUser, Role};
use saylau_store::verify::{Verification, verify};
use saylau_web::work::Work;
use saylau_web::{AppState, Config, app};

use crate::fixture::get;
use crate::work::{PASSWORD, post_json};

const STATIONS: u32 = 120;
const CLIENTS: usize = 12;

/// The API's `lines` of `protocol`: every fixed line by key, `list_N` for the lists.
fn lines_json(protocol: &Protocol) -> serde_json::Value {
    let lines = protocol.lines();
    let mut json = serde_json::Map::new();
    for line in Line::FIXED {
        json.insert(line.key().to_owned(), lines.get(line).into());
    }
    for (idx, votes) in lines.list_votes.iter().enumerate() {
        json.insert(format!("list_{}", idx + 1), votes.0.into());
    }
    serde_json::json!({ "lines": json })
}

async fn seq(app: &Router) -> u64 {
    get(app, "/api/v1/checkpoint", &[]).await.json()["seq"].as_u64().expect("a seq")
}

/// The store's stations registered with no protocol, `CLIENTS` users of the CEC's desk,
/// and the portal over it (single entry, the CEC's key): the app, the users' names and
/// the protocols to enter.
async fn desk(store: &Store) -> (Router, Vec<String>, Vec<Protocol>) {
    let country = synthetic_country(Seed(21), &SyntheticOptions::new(STATIONS)).expect("a country");
    let election = Election { id: "mazhilis-2021".parse().expect("an id"), name: "M".into() };
    let key = CommissionKey::generate().expect("a key");
    registry::bootstrap(store, &"CEC".parse().expect("an id"), &key).await.expect("genesis");
    let input = ImportInput {
        election: &election,
        ballot: &country.ballot,
        hierarchy: &country.hierarchy,
        protocols: &country.protocols,
        base_versions: &BTreeMap::new(),
    };
    let registered = register_only(store, &input, &key).await.expect("registered");
    assert_eq!(registered.stations, STATIONS as usize);
    let again = register_only(store, &input, &key).await.expect("registered again");
    assert_eq!((again.stations, again.commissions, again.lists), (0, 0, 0));
    let hash = saylau_app::users::hash_password(PASSWORD).expect("a hash");
    let names: Vec<String> = (0..CLIENTS).map(|it| format!("desk{it}")).collect();
    for name in &names {
        let user = NewUser {
            name,
            password_hash: &hash,
            role: Role::CecAdmin,
            territory: "CEC",
            created_by: "test",
        };
        users::add_user(store, &user).await.expect("a user");
    }
    let mut work = Work::default().with_key("CEC", key);
    work.double_entry = false;
    // The TTL of `saylau serve`: the head is trusted for 200 ms between writes.
    let config =
        Config { election: election.id.clone(), max_age: 5, head_ttl: Duration::from_millis(200) };
    (app(AppState::with_work(store.clone(), config, work)), names, country.protocols)
}

async fn entered_concurrently(store: Store) {
    let (app, names, protocols) = desk(&store).await;
    let public = get(&app, "/api/v1/results", &[]).await.json();
    assert_eq!(public["stations_expected"], u64::from(STATIONS));
    assert_eq!(public["stations_counted"], 0);
    let before = seq(&app).await;

    let protocols = Arc::new(protocols);
    let next = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for name in names {
        let (app, protocols, next) = (app.clone(), Arc::clone(&protocols), Arc::clone(&next));
        clients.push(tokio::spawn(async move {
            let login = serde_json::json!({ "name": name, "password": PASSWORD });
            let got = post_json(&app, "/api/v1/tokens", &login, &[]).await;
            assert_eq!(got.status, 201, "{}", got.text());
            let bearer = format!("Bearer {}", got.json()["token"].as_str().expect("a token"));
            let mut answers = Vec::new();
            let mut first = None;
            loop {
                let idx = next.fetch_add(1, Ordering::Relaxed);
                let Some(protocol) = protocols.get(idx) else { break };
                first.get_or_insert(protocol);
                let uri = format!("/api/v1/stations/{}/protocol", protocol.station());
                let got =
                    post_json(&app, &uri, &lines_json(protocol), &[("authorization", &bearer)])
                        .await;
                answers.push((protocol.station(), got.status, got.text()));
            }
            // The same protocol again (a client retrying): accepted, nothing new recorded.
            if let Some(protocol) = first {
                let uri = format!("/api/v1/stations/{}/protocol", protocol.station());
                let got =
                    post_json(&app, &uri, &lines_json(protocol), &[("authorization", &bearer)])
                        .await;
                answers.push((protocol.station(), got.status, got.text()));
            }
            answers
        }));
    }
    let mut answered = 0;
    for client in clients {
        for (station, status, text) in client.await.expect("a client") {
            assert_eq!(status, 201, "{station}: {text}");
            answered += 1;
        }
    }
    assert!(answered > protocols.len(), "every station once, and the repeats");

    assert_eq!(seq(&app).await - before, u64::from(STATIONS), "one entry per station");
    read_back(&app, &protocols).await;
    match verify(&store, None).await.expect("verify runs") {
        Verification::Intact { .. } => {}
        Verification::Broken(broken) => panic!("the log is broken: {broken}"),
    }
}

/// Every station has exactly one version, with the lists' votes entered, and counts.
async fn read_back(app: &Router, protocols: &[Protocol]) {
    for protocol in protocols {
        let json = get(app, &format!("/api/v1/stations/{}", protocol.station()), &[]).await.json();
        assert_eq!(json["versions"].as_array().map(Vec::len), Some(1), "{}", protocol.station());
        let votes: Vec<u64> = json["lists"]
            .as_array()
            .expect("lists")
            .iter()
            .map(|it| it["votes"].as_u64().expect("votes"))
            .collect();
        let entered: Vec<u64> = protocol.lines().list_votes.iter().map(|it| it.0).collect();
        assert_eq!(votes, entered, "{}", protocol.station());
    }
    let public = get(app, "/api/v1/results", &[]).await.json();
    assert_eq!(public["stations_counted"], u64::from(STATIONS));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protocols_entered_at_once_over_the_api_are_each_recorded_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let location = Location::sqlite(&dir.path().join("submit.sqlite"));
    let (store, _) = Store::init(&location).await.expect("a store");
    entered_concurrently(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protocols_entered_at_once_over_the_api_are_each_recorded_once_on_postgres() {
    let Some(database) = crate::pg::Database::new("submit") else { return };
    entered_concurrently(database.open().await).await;
}
