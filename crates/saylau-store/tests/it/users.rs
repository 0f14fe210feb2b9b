//! Users, sessions and failed logins (migration 0030) on both backends: a name is unique,
//! the store's checks refuse a bad role/territory pair and a hash that is not argon2id, a
//! session is found only by its token's hash and only while live and its user enabled,
//! and failed logins are counted per name in a window.

use saylau_store::users::{self, NewUser, Role, SessionKind, UserError};

use crate::backend::{TestDb, conformance};

conformance!(users_sessions_and_failures, drafts_take_each_round_once);

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

fn new<'a>(name: &'a str, role: Role, territory: &'a str) -> NewUser<'a> {
    NewUser { name, password_hash: HASH, role, territory, created_by: "k" }
}

async fn users_sessions_and_failures(db: &TestDb) {
    let store = &db.store;
    users::add_user(store, &new("ainur", Role::PecOperator, "01-01-0001")).await.expect("added");
    users::add_user(store, &new("obs", Role::Observer, "observer:org1")).await.expect("added");
    let again = users::add_user(store, &new("ainur", Role::CecAdmin, "CEC")).await;
    assert!(matches!(again, Err(UserError::Exists(_))), "{again:?}");
    // An observer role needs an observer territory, and a commission role a commission's.
    let crossed = users::add_user(store, &new("x", Role::Observer, "01")).await;
    assert!(matches!(crossed, Err(UserError::Refused { .. })), "{crossed:?}");
    let crossed = users::add_user(store, &new("y", Role::TecOperator, "observer:o")).await;
    assert!(matches!(crossed, Err(UserError::Refused { .. })), "{crossed:?}");
    let plain = NewUser { password_hash: "secret", ..new("z", Role::CecAdmin, "CEC") };
    let plain = users::add_user(store, &plain).await;
    assert!(matches!(plain, Err(UserError::Refused { .. })), "{plain:?}");
    // A name that is SQL is only a name.
    let sql = "x'); DROP TABLE users; --";
    users::add_user(store, &new(sql, Role::CecAdmin, "CEC")).await.expect("a strange name");
    let names: Vec<String> =
        users::users(store).await.expect("users").into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["ainur", "obs", sql]);

    let hash = "a".repeat(64);
    users::new_session(store, &hash, "ainur", SessionKind::Cookie, "csrf1", 100)
        .await
        .expect("a session");
    let live = users::session(store, &hash, 99).await.expect("a read").expect("live");
    assert_eq!(
        (live.user.name.as_str(), live.user.role, live.csrf.as_str()),
        ("ainur", Role::PecOperator, "csrf1")
    );
    assert_eq!(live.kind, SessionKind::Cookie);
    assert_eq!(users::session(store, &hash, 100).await.expect("a read"), None, "expired");
    assert_eq!(users::session(store, &"b".repeat(64), 1).await.expect("a read"), None, "unknown");
    assert!(users::disable(store, "ainur").await.expect("disabled"));
    assert!(!users::disable(store, "nobody").await.expect("no user"));
    assert_eq!(users::session(store, &hash, 1).await.expect("a read"), None, "disabled user");
    assert!(users::user(store, "ainur").await.expect("a read").expect("kept").disabled);

    users::new_session(store, &"c".repeat(64), "obs", SessionKind::Bearer, "-", 50)
        .await
        .expect("a session");
    users::end_session(store, &"d".repeat(64), 60).await.expect("expired ones ended");
    assert_eq!(users::session(store, &"c".repeat(64), 10).await.expect("a read"), None);

    for at in [10, 20, 30] {
        users::record_failure(store, "ainur", at).await.expect("recorded");
    }
    users::record_failure(store, "other", 30).await.expect("recorded");
    assert_eq!(users::failures_since(store, "ainur", 15).await.expect("a count"), 2);
    assert_eq!(users::failures_since(store, "ainur", 0).await.expect("a count"), 3);
    users::clear_failures(store, "ainur").await.expect("cleared");
    assert_eq!(users::failures_since(store, "ainur", 0).await.expect("a count"), 0);
    assert_eq!(users::failures_since(store, "other", 0).await.expect("a count"), 1);
}

async fn drafts_take_each_round_once(db: &TestDb) {
    let store = &db.store;
    for name in ["a", "b"] {
        users::add_user(store, &new(name, Role::PecOperator, "01-01-0001")).await.expect("added");
    }
    let draft = |round, by: &str, lines: &str| users::Draft {
        round,
        entered_by: by.to_owned(),
        lines: lines.to_owned(),
        base_version: Some(1),
        reason: "recount".to_owned(),
        created_at: String::new(),
    };
    assert!(users::put_draft(store, "e", "01-01-0001", &draft(1, "a", "1,2")).await.expect("put"));
    assert!(
        !users::put_draft(store, "e", "01-01-0001", &draft(1, "b", "1,3")).await.expect("taken")
    );
    assert!(users::put_draft(store, "e", "01-01-0001", &draft(2, "b", "1,3")).await.expect("put"));
    let found = users::drafts(store, "e", "01-01-0001").await.expect("drafts");
    let seen: Vec<_> = found
        .iter()
        .map(|it| (it.round, it.entered_by.as_str(), it.lines.as_str(), it.base_version))
        .collect();
    assert_eq!(seen, [(1, "a", "1,2", Some(1)), (2, "b", "1,3", Some(1))]);
    assert!(users::drafts(store, "e", "01-01-0002").await.expect("none").is_empty());
    users::clear_drafts(store, "e", "01-01-0001").await.expect("cleared");
    assert!(users::drafts(store, "e", "01-01-0001").await.expect("none").is_empty());
}
