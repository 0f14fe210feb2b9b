//! The commissions page and API (`docs/commissions.md`): before any member is registered
//! the page says so; after the synthetic country's register is loaded, the API gives the
//! app's report (every member of the file, the majorities counted) and the page shows the
//! levels and the territorial commissions in all three languages.

use saylau_web::i18n::LANGS;
use serde_json::Value;

use crate::fixture::{fixture, get};

/// The public routes of the commissions page and API.
pub(crate) fn public_routes() -> Vec<String> {
    let mut routes: Vec<String> =
        LANGS.iter().map(|lang| format!("/{}/commissions", lang.code())).collect();
    routes.push("/api/v1/commissions".to_owned());
    routes
}

#[tokio::test]
async fn the_register_of_the_synthetic_country_is_on_the_page_and_in_the_api() {
    let fixture = fixture().await;
    let before = get(&fixture.app, "/en/commissions", &[]).await;
    assert_eq!(before.status, 200);
    assert!(before.text().contains("No commission members are registered yet."));
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("commissions.csv");
    let text = saylau_app::commissions::synthetic::register_csv(12, &fixture.country);
    std::fs::write(&path, &text).expect("the register written");
    let rows = text.lines().filter(|line| !line.starts_with('#')).count() - 1;
    let loaded = saylau_app::commissions::load::load(
        &fixture.store,
        &fixture.election.id,
        &path,
        &fixture.key,
    )
    .await
    .expect("the register loads");
    assert_eq!(loaded.members, rows);
    let api = get(&fixture.app, "/api/v1/commissions", &[]).await;
    assert_eq!(api.status, 200);
    let json: Value = serde_json::from_slice(&api.body).expect("JSON");
    let report = &json["report"];
    assert_eq!(report["national"]["members"].as_u64(), Some(rows as u64));
    let flagged = report["commissions"]
        .as_array()
        .expect("commissions")
        .iter()
        .filter(|it| it["flags"].as_array().is_some_and(|flags| !flags.is_empty()))
        .count() as u64;
    let counted = ["party_majority", "local_authority_majority", "membership_majority"]
        .iter()
        .map(|key| report["national"][key].as_u64().expect("a count"))
        .max()
        .expect("three counts");
    assert!(flagged >= counted, "{flagged} flagged, at least {counted}");
    let english = get(&fixture.app, "/en/commissions", &[]).await.text();
    let members = report["national"]["members"].as_u64().expect("members");
    assert!(
        english.contains(&format!("{members} members"))
            || english.contains(&format!("{},{:03} members", members / 1000, members % 1000)),
        "{english}"
    );
    assert!(
        english.contains("Region commissions") && english.contains("<th scope=\"row\">01</th>")
    );
    for (lang, title, level) in [
        ("kk", "Сайлау комиссиялары", "Облыстық комиссиялар"),
        ("ru", "Избирательные комиссии", "Областные комиссии"),
    ] {
        let page = get(&fixture.app, &format!("/{lang}/commissions"), &[]).await;
        assert_eq!(page.status, 200, "{lang}");
        let text = page.text();
        assert!(text.contains(title) && text.contains(level), "{lang}: {text}");
        // A message missing in a language would show its id (Fluent falls back to it).
        assert!(!text.contains("cm-col-") && !text.contains("cm-level-"), "{lang}: {text}");
    }
}
