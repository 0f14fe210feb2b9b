//! The JSON API, its OpenAPI document and the open data.

use saylau_core::count::commission::CommissionId;
use sha2::{Digest as _, Sha256};

use crate::fixture::{fixture, get, public_routes};

#[tokio::test]
async fn results_have_lists_with_votes_and_seats_and_the_reporting_counts() {
    let fixture = fixture().await;
    let results = get(&fixture.app, "/api/v1/results", &[]).await.json();
    assert_eq!(results["stations_expected"].as_u64(), Some(fixture.expected()));
    assert_eq!(results["stations_counted"].as_u64(), Some(fixture.expected() - 1));
    let lists = results["lists"].as_array().expect("lists");
    assert_eq!(lists.len(), 5);
    let seats: u64 = lists.iter().map(|it| it["seats"].as_u64().expect("seats")).sum();
    assert_eq!(seats, 98, "the Mazhilis's 98 list seats");
    let votes: u64 = lists.iter().map(|it| it["votes"].as_u64().expect("votes")).sum();
    let valid = results["lines"].as_array().expect("lines").iter().find(|it| it["key"] == "valid");
    let valid = valid.expect("line 8")["value"].as_u64().expect("a number");
    assert_eq!(votes + results["against_all"].as_u64().expect("against all"), valid);
    let allocation = &results["allocation"];
    assert_eq!(allocation["seats"], 98);
    assert_eq!(allocation["lists"].as_array().map(Vec::len), Some(5));
    // The regions add up to the country.
    let regions = get(&fixture.app, "/api/v1/regions", &[]).await.json();
    let regions = regions.as_array().expect("regions");
    let expected: u64 = regions.iter().map(|it| it["stations_expected"].as_u64().expect("n")).sum();
    let counted: u64 = regions.iter().map(|it| it["stations_counted"].as_u64().expect("n")).sum();
    assert_eq!((expected, counted), (fixture.expected(), fixture.expected() - 1));
    let district = CommissionId::District(fixture.missing.district());
    let district = get(&fixture.app, &format!("/api/v1/districts/{district}"), &[]).await.json();
    let missing = district["stations_expected"].as_u64().expect("n")
        - district["stations_counted"].as_u64().expect("n");
    assert_eq!(missing, 1);
    assert_eq!(district["not_received"], serde_json::json!([fixture.missing.to_string()]));
}

#[tokio::test]
async fn a_station_has_its_current_protocol_and_versions_and_the_result_moves_with_it() {
    let fixture = fixture().await;
    let url = format!("/api/v1/stations/{}", fixture.station);
    let before = get(&fixture.app, &url, &[]).await.json();
    assert_eq!(before["version"], 1);
    assert_eq!(before["versions"].as_array().map(Vec::len), Some(1));
    assert!(before["control"].as_array().expect("rules").iter().all(|it| it["holds"] == true));
    let national = get(&fixture.app, "/api/v1/results", &[]).await.json();
    fixture.correct().await;
    let after = get(&fixture.app, &url, &[]).await.json();
    assert_eq!(after["version"], 2);
    let versions = after["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1]["reason"], crate::fixture::EVIL_REASON);
    assert_eq!(versions[1]["author"], crate::fixture::EVIL_AUTHOR);
    assert_ne!(versions[0]["entry_hash"], versions[1]["entry_hash"]);
    let moved = get(&fixture.app, "/api/v1/results", &[]).await.json();
    let votes =
        |json: &serde_json::Value, idx: usize| json["lists"][idx]["votes"].as_u64().expect("n");
    assert_eq!(votes(&moved, 0), votes(&national, 0) - 7);
    assert_eq!(votes(&moved, 1), votes(&national, 1) + 7);
    assert_eq!(moved["as_of"]["seq"].as_u64(), national["as_of"]["seq"].as_u64().map(|it| it + 1));
    let missing = get(&fixture.app, &format!("/api/v1/stations/{}", fixture.missing), &[]).await;
    assert_eq!(missing.status, 200);
    let missing = missing.json();
    assert_eq!(missing["received"], false);
    assert_eq!(missing["versions"], serde_json::json!([]));
}

#[tokio::test]
async fn unknown_ids_are_404_json() {
    let fixture = fixture().await;
    for route in [
        "/api/v1/stations/01-01",
        "/api/v1/stations/17-99-9999",
        "/api/v1/regions/01-01",
        "/api/v1/districts/x",
    ] {
        let got = get(&fixture.app, route, &[]).await;
        assert_eq!(got.status, 404, "{route}");
        assert!(got.json()["error"].is_string(), "{route}");
    }
}

/// Every `#/components/...` reference in `value`.
fn refs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", serde_json::Value::String(target)) => out.push(target.clone()),
                    _ => refs(value, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|it| refs(it, out)),
        _ => {}
    }
}

/// A protocol image of the fixture's station, so that `/img/{sha256}` has a file to answer
/// with; its SHA-256.
async fn with_image(fixture: &crate::fixture::Fixture) -> String {
    let station = fixture.station.to_string();
    let upload = saylau_app::images::Upload {
        election: &fixture.election.id,
        station: &station,
        bytes: include_bytes!("data/protocol.png").to_vec(),
        operator: "cec",
        author: "test",
        reason: None,
    };
    let added = saylau_app::images::add(&fixture.store, upload, &fixture.key).await;
    added.expect("an image").image.sha256
}

#[tokio::test]
async fn the_openapi_document_is_valid_3_1_and_names_every_route() {
    let fixture = fixture().await;
    let image = with_image(&fixture).await;
    let doc = get(&fixture.app, "/api/v1/openapi.json", &[]).await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let paths = doc["paths"].as_object().expect("paths");
    // Every API and open-data route the tests reach is a path of the document.
    let templated = |route: &str| -> bool {
        paths.keys().any(|path| {
            let (a, b): (Vec<&str>, Vec<&str>) =
                (path.split('/').collect(), route.split('/').collect());
            a.len() == b.len() && a.iter().zip(&b).all(|(a, b)| a == b || a.starts_with('{'))
        })
    };
    for route in public_routes(&fixture) {
        if route.starts_with("/api/") || route.starts_with("/open-data/") {
            let path = route.split('?').next().unwrap_or_default();
            assert!(templated(path), "{route} is not in the OpenAPI document");
        }
    }
    // Every path of the document answers, with its parameters' examples or real ids.
    let mut operation_ids = std::collections::HashSet::new();
    for (path, item) in paths {
        // The write routes (bearer tokens) are POST only; `work_api` tests them.
        if item["get"].is_null() && item["post"]["operationId"].is_string() {
            assert!(path.starts_with("/api/v1/"), "{path}");
            continue;
        }
        let get_op = &item["get"];
        assert!(get_op.is_object(), "{path}: a GET operation");
        let id = get_op["operationId"].as_str().expect("an operationId");
        assert!(operation_ids.insert(id.to_owned()), "{id} twice");
        assert!(get_op["responses"]["200"].is_object(), "{path}: a 200 response");
        let params = get_op["parameters"].as_array().cloned().unwrap_or_default();
        let mut url = path.clone();
        for segment in path.split('/').filter(|it| it.starts_with('{')) {
            let name = segment.trim_matches(|c| c == '{' || c == '}');
            let param = params.iter().find(|it| it["name"] == name && it["in"] == "path");
            let param = param.unwrap_or_else(|| panic!("{path}: {name} is not declared"));
            assert_eq!(param["required"], true, "{path}: {name}");
            let value = match name {
                "file" => "protocols.csv".to_owned(),
                "sha256" => image.clone(),
                _ if path.contains("stations") => fixture.station.to_string(),
                _ if path.contains("districts") => {
                    CommissionId::District(fixture.station.district()).to_string()
                }
                _ => CommissionId::Region(fixture.station.region()).to_string(),
            };
            url = url.replace(segment, &value);
        }
        assert_eq!(get(&fixture.app, &url, &[]).await.status, 200, "{url}");
    }
    let mut targets = Vec::new();
    refs(&doc, &mut targets);
    assert!(!targets.is_empty());
    for target in targets {
        let pointer = target.strip_prefix('#').expect("a local reference");
        assert!(doc.pointer(pointer).is_some(), "{target} does not resolve");
    }
    for schema in ["ResultsJson", "StationJson", "TerritoryJson", "VersionJson", "ManifestJson"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

#[tokio::test]
async fn open_data_files_hash_to_the_manifest_and_read_back_as_protocol_files() {
    let fixture = fixture().await;
    let manifest = get(&fixture.app, "/open-data/manifest.json", &[]).await.json();
    let checkpoint = get(&fixture.app, "/api/v1/checkpoint", &[]).await.json();
    assert_eq!(manifest["as_of"], checkpoint);
    let files = manifest["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    for file in files {
        let name = file["name"].as_str().expect("a name");
        let got = get(&fixture.app, &format!("/open-data/{name}"), &[]).await;
        assert_eq!(got.status, 200, "{name}");
        assert_eq!(file["bytes"].as_u64(), Some(got.body.len() as u64), "{name}");
        assert_eq!(file["sha256"].as_str(), Some(hex::encode(Sha256::digest(&got.body)).as_str()));
        let read = if name.ends_with(".csv") {
            saylau_formats::parse_protocols_csv(name, &got.body)
        } else {
            saylau_formats::parse_protocols_json(name, &got.text())
        };
        let read = read.unwrap_or_else(|err| panic!("{name}: {err:?}"));
        assert_eq!(read.set().protocols.len() as u64, fixture.expected() - 1, "{name}");
    }
}

/// The synthetic country's protocols are v2: the station's API and page show the count's
/// record, and an honest station has no flag.
#[tokio::test]
async fn a_v2_protocol_shows_its_count_record() {
    let fixture = fixture().await;
    let protocol = fixture
        .country
        .protocols
        .iter()
        .find(|it| it.station() == fixture.station)
        .expect("the station's protocol");
    let json =
        get(&fixture.app, &format!("/api/v1/stations/{}", fixture.station), &[]).await.json();
    let extra = &json["extra"];
    let started = protocol.extra().count_started.expect("a v2 time").to_string();
    assert_eq!(extra["count_started"], started.as_str());
    assert_eq!(
        extra["signatures_on_roll"],
        protocol.lines().issued_in_station.0.to_string().as_str(),
        "an honest station's voters signed for every ballot issued in it"
    );
    assert!(json.get("flags").is_none(), "{json}");
    let page = get(&fixture.app, &format!("/en/s/{}", fixture.station), &[]).await.text();
    assert!(page.contains("data-key=\"count_started\""), "{page}");
    assert!(page.contains(&started), "{started}");
}
