//! The deployment plan in the working interface: an observer files copies, statuses and
//! incidents (and live checks) only for the stations its coordinator deployed it to; only
//! the coordinator changes the plan, by signed entries of the organisation's key, with
//! another organisation's observer, an unknown station and a withdrawal of nothing refused.

use saylau_store::observe::{DEPLOYMENT_KIND, current_entries};
use saylau_store::verify::{Verification, verify};

use crate::fixture::get;
use crate::observe_work::{copy_form, observers, post_copy, post_status};
use crate::work::{Login, login, post};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[expect(clippy::too_many_lines, reason = "one scenario, read top to bottom")]
async fn observers_file_only_where_their_coordinator_deployed_them() {
    let (world, app) = observers().await;
    let store = &world.fixture.store;
    let stations = world.fixture.stations();
    // A station no one is deployed to.
    let station = stations[20];
    let observer = login(&app, "observer").await;
    let coordinator = login(&app, "coordinator").await;
    let files = |who: &Login| {
        let (app, world, who) =
            (app.clone(), &world, Login { cookie: who.cookie.clone(), csrf: who.csrf.clone() });
        async move {
            let page = get(&app, &format!("/work/o/{station}"), &[("cookie", &who.cookie)]).await;
            let copy = copy_form(world, &who, station, &[]).await;
            let mut check: Vec<(String, String)> = copy.clone();
            check.push(("station".to_owned(), station.to_string()));
            let check: Vec<(&str, &str)> =
                check.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let checked = post(&app, "/work/check", &check, &[("cookie", &who.cookie)]).await;
            let status = post_status(&app, &who, station, "obtained").await;
            (page.status.as_u16(), checked.status.as_u16(), status.status.as_u16())
        }
    };
    // Not deployed: every observer route of the station is refused, the coordinator's not.
    assert_eq!(files(&observer).await, (403, 403, 403));
    let copy =
        post_copy(&app, &observer, station, &copy_form(&world, &observer, station, &[]).await)
            .await;
    assert_eq!(copy.status, 403, "{}", copy.text());
    assert!(copy.text().contains("not deployed to station"), "{}", copy.text());
    // The plan: the observer cannot change it; the coordinator deploys them.
    let form = |who: &Login, user: &str, station: &str, action: &str| {
        vec![
            ("csrf".to_owned(), who.csrf.clone()),
            ("user".to_owned(), user.to_owned()),
            ("station".to_owned(), station.to_owned()),
            ("action".to_owned(), action.to_owned()),
        ]
    };
    let send = |who: &Login, fields: Vec<(String, String)>| {
        let (app, cookie) = (app.clone(), who.cookie.clone());
        async move {
            let fields: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post(&app, "/work/deployments", &fields, &[("cookie", &cookie)]).await
        }
    };
    let id = station.to_string();
    let got = send(&observer, form(&observer, "observer", &id, "add")).await;
    assert_eq!(got.status, 403, "{}", got.text());
    let pec = login(&app, "pec").await;
    assert_eq!(send(&pec, form(&pec, "observer", &id, "add")).await.status, 403);
    let mut forged = form(&coordinator, "observer", &id, "add");
    forged[0].1 = "0".repeat(64);
    assert_eq!(send(&coordinator, forged).await.status, 403, "CSRF");
    // Another organisation's observer, an unknown station, a withdrawal of nothing: 422.
    let got = send(&coordinator, form(&coordinator, "observer-other", &id, "add")).await;
    assert_eq!(got.status, 422);
    assert!(got.text().contains("O-14"), "{}", got.text());
    let got = send(&coordinator, form(&coordinator, "observer", "17-99-0999", "add")).await;
    assert_eq!(got.status, 422);
    assert!(got.text().contains("(rule O-1)"), "{}", got.text());
    let got = send(&coordinator, form(&coordinator, "observer", &id, "remove")).await;
    assert_eq!(got.status, 422, "{}", got.text());
    let got = send(&coordinator, form(&coordinator, "observer", &id, "add")).await;
    assert_eq!(got.status, 303, "{}", got.text());
    // Deployed: the observer files; the plan lists it; the home page links it.
    assert_eq!(files(&observer).await, (200, 200, 201));
    let plan = get(&app, "/work/deployments", &[("cookie", &coordinator.cookie)]).await;
    assert_eq!(plan.status, 200);
    assert!(plan.text().contains(&format!("<a href=\"/work/o/{station}\">")), "{}", plan.text());
    let home = get(&app, "/work/", &[("cookie", &observer.cookie)]).await;
    assert!(home.text().contains(&format!("<a href=\"/work/o/{station}\">")));
    // Withdrawn: refused again.
    assert_eq!(send(&coordinator, form(&coordinator, "observer", &id, "remove")).await.status, 303);
    assert_eq!(files(&observer).await.0, 403);
    // Every change is a signed entry of the organisation's key, with its reason.
    let found =
        current_entries(store, &world.fixture.election.id, DEPLOYMENT_KIND).await.expect("entries");
    let mine = found.iter().find(|it| it.subject == "org/observer").expect("the deployment");
    assert_eq!(mine.commission, "observer:org");
    assert!(mine.version >= 12, "10 stations deployed, one added and withdrawn: {}", mine.version);
    match verify(store, None).await.expect("verify runs") {
        Verification::Intact { .. } => {}
        Verification::Broken(broken) => panic!("{broken}"),
    }
}
