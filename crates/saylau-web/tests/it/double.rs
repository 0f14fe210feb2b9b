//! Double entry in process, every transition: empty -> pending (first entry) -> a version
//! (equal blind second entry by another user); pending -> disputed (a different second
//! entry) -> a version (resolved line by line by a supervisor); and the refusals: the same
//! user twice, a third entry while disputed, a resolution by an operator who may not, by
//! one of the two enterers, or with nothing disputed; a broken protocol is kept nowhere.
//! The two paths to a version run on PostgreSQL too (as the application role).

use saylau_core::count::commission::StationId;

use crate::fixture::{Got, fixture_postgres, get};
use crate::work::{Login, World, form_of, login, post, submit, version, world_on, world_with};

/// The current lines of the station with one vote moved from the first list to
/// against-all (`moved` votes).
async fn moved(world: &World, station: StationId, votes: i64) -> Vec<(String, String)> {
    let mut form = form_of(world, station, &[("against_all", votes)]).await;
    let list = form.iter_mut().find(|(k, _)| k == "list_1").expect("list 1");
    list.1 = (list.1.parse::<i64>().expect("n") - votes).to_string();
    form
}

async fn resolve(world: &World, who: &Login, station: StationId, form: &[(String, String)]) -> Got {
    let mut fields: Vec<(&str, &str)> =
        form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.extend([("csrf", who.csrf.as_str()), ("reason", "resolved from the paper")]);
    let uri = format!("/work/s/{station}/resolve");
    post(&world.app, &uri, &fields, &[("cookie", &who.cookie)]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn equal_blind_entries_make_the_version() {
    equal_blind(world_with(true).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn equal_blind_entries_make_the_version_on_postgres() {
    let Some(fixture) = fixture_postgres("double_equal").await else { return };
    equal_blind(world_on(fixture, true).await).await;
}

async fn equal_blind(world: World) {
    let station = world.inside;
    let (first, second) = (login(&world.app, "pec").await, login(&world.app, "pec-second").await);
    let before = version(&world, station).await.expect("a version");
    let form = moved(&world, station, 2).await;
    let got = submit(&world, &first, station, &form, "recount").await;
    assert_eq!(got.status, 202, "pending: {}", got.text());
    assert!(got.text().contains("pending"));
    assert_eq!(version(&world, station).await, Some(before), "no version yet");
    // The second operator's form is blank: it does not show the first entry.
    let blank = get(&world.app, &format!("/work/s/{station}"), &[("cookie", &second.cookie)]).await;
    let value = &form[9].1;
    assert!(!blank.text().contains(&format!("value=\"{value}\"")), "blind");
    let again = submit(&world, &first, station, &form, "recount").await;
    assert_eq!(again.status, 409, "the same user twice");
    let got = submit(&world, &second, station, &form, "").await;
    assert_eq!(got.status, 303, "{}", got.text());
    assert_eq!(version(&world, station).await, Some(before + 1));
    let history = get(&world.app, &format!("/api/v1/stations/{station}"), &[]).await.text();
    assert!(history.contains("web:pec + pec-second ("), "both operators named: {history}");
    // The drafts are gone: the next entry starts again.
    let got = submit(&world, &second, station, &moved(&world, station, 1).await, "again").await;
    assert_eq!(got.status, 202);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn different_entries_are_resolved_line_by_line_by_a_supervisor() {
    resolved(world_with(true).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn different_entries_are_resolved_line_by_line_by_a_supervisor_on_postgres() {
    let Some(fixture) = fixture_postgres("double_resolved").await else { return };
    resolved(world_on(fixture, true).await).await;
}

async fn resolved(world: World) {
    let station = world.inside;
    let (first, second) = (login(&world.app, "pec").await, login(&world.app, "pec-second").await);
    let before = version(&world, station).await.expect("a version");
    let a = moved(&world, station, 2).await;
    let b = moved(&world, station, 3).await;
    assert_eq!(submit(&world, &first, station, &a, "recount").await.status, 202);
    let got = submit(&world, &second, station, &b, "recount").await;
    assert_eq!(got.status, 202);
    assert!(got.text().contains("differ on lines 9, 10.1"), "{}", got.text());
    // Disputed: no third entry, and no resolution by the PEC, by an operator of another
    // territory, or by an observer.
    let admin = login(&world.app, "admin").await;
    assert_eq!(submit(&world, &admin, station, &a, "x").await.status, 409, "a third entry");
    for name in ["pec", "pec-elsewhere", "observer"] {
        let who = login(&world.app, name).await;
        assert_eq!(resolve(&world, &who, station, &a).await.status, 403, "{name} resolves");
    }
    assert_eq!(version(&world, station).await, Some(before));
    let supervisor = login(&world.app, "district").await;
    let page =
        get(&world.app, &format!("/work/s/{station}/resolve"), &[("cookie", &supervisor.cookie)])
            .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text().matches("class=\"differs\"").count(), 2, "lines 9 and 10.1 to choose");
    // A choice that breaks a rule (line 9 of one entry, 10.1 of the other) names it.
    let mut mixed = a.clone();
    mixed[9] = b[9].clone();
    let got = resolve(&world, &supervisor, station, &mixed).await;
    assert_eq!(got.status, 422);
    assert!(got.text().contains("P-5"), "{}", got.text());
    let got = resolve(&world, &supervisor, station, &b).await;
    assert_eq!(got.status, 303, "{}", got.text());
    assert_eq!(version(&world, station).await, Some(before + 1));
    let json = get(&world.app, &format!("/api/v1/stations/{station}"), &[]).await.json();
    let last = json["versions"].as_array().expect("versions").last().expect("one").clone();
    let text = last.to_string();
    assert!(text.contains("web:pec + pec-second, resolved by district ("), "{text}");
    assert_eq!(last["changes"].as_array().map(Vec::len), Some(2), "its diff: {text}");
    // Nothing disputed any more.
    assert_eq!(resolve(&world, &supervisor, station, &b).await.status, 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_protocol_starts_no_double_entry() {
    let world = world_with(true).await;
    let pec = login(&world.app, "pec").await;
    let broken = form_of(&world, world.inside, &[("cancelled", 1)]).await;
    let got = submit(&world, &pec, world.inside, &broken, "x").await;
    assert_eq!(got.status, 422);
    assert!(got.text().contains("P-1"));
    // Still empty: this user's next entry is a first entry again.
    let got = submit(&world, &pec, world.inside, &moved(&world, world.inside, 1).await, "x").await;
    assert_eq!(got.status, 202);
}
