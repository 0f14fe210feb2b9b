//! A store with a synthetic country of 300 stations, one more station registered whose
//! protocol never arrives, and a way to accept a corrected version.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt as _;
use saylau_core::count::commission::{CommissionId, Hierarchy, StationId};
use saylau_core::count::protocol::Protocol;
use saylau_core::seats::votes::Votes;
use saylau_stats::synthetic::{Seed, SyntheticCountry, SyntheticOptions, synthetic_country};
use saylau_store::id::CommissionId as StoreCommissionId;
use saylau_store::import::{ImportInput, ImportOptions, import_protocols};
use saylau_store::key::CommissionKey;
use saylau_store::location::Location;
use saylau_store::registry::{self, Commission, Election, Level};
use saylau_store::store::Store;
use saylau_web::{AppState, Config, app};
use tower::ServiceExt as _;

/// Text with markup in every field a visitor can see: it must come out inert.
pub(crate) const EVIL_NAME: &str = "<img src=x onerror=alert(1)>";
/// The correction's author, with markup.
pub(crate) const EVIL_AUTHOR: &str = "operator <script>alert(2)</script>";
/// The correction's reason, with markup and a quote.
pub(crate) const EVIL_REASON: &str = "recount \"<b>ordered</b>\"";

pub(crate) struct Fixture {
    _backing: Backing,
    pub(crate) store: Store,
    /// Where the store is, for a second portal instance on it.
    pub(crate) location: Location,
    pub(crate) app: Router,
    pub(crate) country: SyntheticCountry,
    pub(crate) election: Election,
    pub(crate) key: CommissionKey,
    /// The station registered without a protocol.
    pub(crate) missing: StationId,
    /// A station with a protocol.
    pub(crate) station: StationId,
}

/// What keeps a fixture's store alive: a SQLite file's directory, or a PostgreSQL
/// database that is dropped with it.
#[expect(dead_code, reason = "held, never read, until the fixture is dropped")]
enum Backing {
    Sqlite(tempfile::TempDir),
    Postgres(crate::pg::Database),
}

/// The fixture on a SQLite file.
pub(crate) async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let location = Location::sqlite(&dir.path().join("web.sqlite"));
    let (store, _) = Store::init(&location).await.expect("a store");
    fixture_on(store, location, Backing::Sqlite(dir)).await
}

/// The fixture on a new PostgreSQL database, migrated by the owner role and used as the
/// application role (`crate::pg`); `None` without a server.
pub(crate) async fn fixture_postgres(prefix: &str) -> Option<Fixture> {
    let database = crate::pg::Database::new(prefix)?;
    let location = Location::Postgres(database.url.clone());
    let store = database.open().await;
    Some(fixture_on(store, location, Backing::Postgres(database)).await)
}

async fn fixture_on(store: Store, location: Location, backing: Backing) -> Fixture {
    let mut country = synthetic_country(Seed(12), &SyntheticOptions::new(300)).expect("a country");
    let election = Election {
        id: "mazhilis-2021".parse().expect("an id"),
        name: format!("Mazhilis 2021 {EVIL_NAME}"),
    };
    let key = CommissionKey::generate().expect("a key");
    let cec: StoreCommissionId = "CEC".parse().expect("an id");
    registry::bootstrap(&store, &cec, &key).await.expect("key registered");
    // The last station whose district has other stations is withheld.
    let withheld = (0..country.protocols.len())
        .rev()
        .find(|idx| {
            let district = country.protocols[*idx].station().district();
            country.protocols.iter().filter(|it| it.station().district() == district).count() > 1
        })
        .expect("a district with two stations");
    let missing = country.protocols[withheld].station();
    // The withheld station's district is named with markup.
    let mut hierarchy = Hierarchy::new();
    for (region, name) in country.hierarchy.regions() {
        hierarchy.name_commission(CommissionId::Region(region), name).expect("a name");
    }
    for (district, name) in country.hierarchy.districts() {
        let name = if district == missing.district() { EVIL_NAME } else { name };
        hierarchy.name_commission(CommissionId::District(district), name).expect("a name");
    }
    country.hierarchy = hierarchy;
    let mut protocols = country.protocols.clone();
    protocols.remove(withheld);
    let station = protocols[0].station();
    let fixture = Fixture {
        _backing: backing,
        location,
        app: app(AppState::new(
            store.clone(),
            Config { election: election.id.clone(), max_age: 5, head_ttl: Duration::ZERO },
        )),
        store,
        country,
        election,
        key,
        missing,
        station,
    };
    fixture.import(&protocols, &BTreeMap::new(), "import", None).await;
    let district = CommissionId::District(missing.district()).to_string();
    let pec = Commission {
        id: missing.to_string().parse().expect("an id"),
        parent: Some(district.parse().expect("an id")),
        level: Level::Pec,
        name: EVIL_NAME.to_owned(),
    };
    registry::add_commissions(&fixture.store, &fixture.election.id, &[pec], &fixture.key)
        .await
        .expect("the withheld station registered");
    fixture
}

impl Fixture {
    async fn import(
        &self,
        protocols: &[Protocol],
        base: &BTreeMap<StationId, u64>,
        author: &str,
        reason: Option<&str>,
    ) {
        let input = ImportInput {
            election: &self.election,
            ballot: &self.country.ballot,
            hierarchy: &self.country.hierarchy,
            protocols,
            base_versions: base,
        };
        let options = ImportOptions { author, reason, base_current: false, batch_size: 100 };
        let report = import_protocols(&self.store, &input, &options, &self.key, &mut |_| {})
            .await
            .expect("imported");
        assert!(report.refused.is_empty() && report.conflicts.is_empty(), "{report:?}");
    }

    /// Accepts version 2 of `self.station`: 7 votes moved from the first list to the second.
    pub(crate) async fn correct(&self) {
        let current =
            self.country.protocols.iter().find(|it| it.station() == self.station).expect("it");
        let mut lines = current.lines().clone();
        lines.list_votes[0] = Votes(lines.list_votes[0].0 - 7);
        lines.list_votes[1] = Votes(lines.list_votes[1].0 + 7);
        let protocol =
            Protocol::new(self.station, lines, &self.country.ballot).expect("still consistent");
        let base = BTreeMap::from([(self.station, 1)]);
        self.import(&[protocol], &base, EVIL_AUTHOR, Some(EVIL_REASON)).await;
    }

    /// The portal over the fixture's store with the working interface `work`.
    pub(crate) fn app_with(&self, work: saylau_web::work::Work) -> Router {
        app(self.state_with(self.store.clone(), work, Duration::ZERO))
    }

    /// The state of a portal instance over `store` (the fixture's, or another connection to
    /// its database) that trusts the log's head for `head_ttl`.
    pub(crate) fn state_with(
        &self,
        store: Store,
        work: saylau_web::work::Work,
        head_ttl: Duration,
    ) -> AppState {
        let config = Config { election: self.election.id.clone(), max_age: 5, head_ttl };
        AppState::with_work(store, config, work)
    }

    /// Every station with a protocol in the fixture's country.
    pub(crate) fn stations(&self) -> Vec<StationId> {
        self.country.protocols.iter().map(Protocol::station).collect()
    }

    /// The registered number of stations (imported and withheld).
    pub(crate) fn expected(&self) -> u64 {
        self.country.protocols.len() as u64
    }
}

/// A response, read whole.
pub(crate) struct Got {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Got {
    pub(crate) fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8")
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON")
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|it| it.to_str().ok())
    }
}

/// GET `uri` with `headers`.
pub(crate) async fn get(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Got {
    let mut req = Request::get(uri);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = app.clone().oneshot(req.body(Body::empty()).expect("a request")).await.expect("ok");
    let (parts, body) = res.into_parts();
    let body = body.collect().await.expect("a body").to_bytes().to_vec();
    Got { status: parts.status, headers: parts.headers, body }
}

/// Every public route of the fixture, with real ids, in every language.
pub(crate) fn public_routes(fixture: &Fixture) -> Vec<String> {
    let station = fixture.station;
    let region = CommissionId::Region(station.region());
    let district = CommissionId::District(station.district());
    let mut routes = Vec::new();
    for lang in ["kk", "ru", "en"] {
        routes.push(format!("/{lang}/"));
        routes.push(format!("/{lang}/t/{region}"));
        routes.push(format!("/{lang}/t/{district}"));
        routes.push(format!("/{lang}/s/{station}"));
        routes.push(format!("/{lang}/s/{}", fixture.missing));
    }
    routes.extend([
        "/api/v1/results".to_owned(),
        "/api/v1/regions".to_owned(),
        format!("/api/v1/regions/{region}"),
        format!("/api/v1/districts/{district}"),
        format!("/api/v1/stations/{station}"),
        format!("/api/v1/stations/{}", fixture.missing),
        "/api/v1/checkpoint".to_owned(),
        "/api/v1/openapi.json".to_owned(),
        "/open-data/manifest.json".to_owned(),
        "/open-data/protocols.csv".to_owned(),
        "/open-data/protocols.json".to_owned(),
        "/static/site.css".to_owned(),
    ]);
    routes.extend(crate::observation::public_routes(fixture));
    routes.extend(crate::forensics::public_routes());
    routes.extend(crate::reform::public_routes());
    routes.extend(crate::commissions::public_routes());
    routes
}
