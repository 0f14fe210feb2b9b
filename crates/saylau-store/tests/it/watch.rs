//! Changes of the log (`watch`, migration 0032): on PostgreSQL a second store on the same
//! database hears every committed append, and nothing of a refused one; SQLite has none.

use std::time::Duration;

use saylau_store::id::Subject;
use saylau_store::ledger;
use saylau_store::store::Store;
use saylau_store::watch::{Change, changes};

use crate::backend::TestDb;
use crate::fixture::{id, setup};

/// How long a notification may take to arrive; it takes milliseconds.
const PATIENCE: Duration = Duration::from_secs(5);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_store_on_the_database_hears_every_append() {
    let Some(db) = TestDb::postgres().await else { return };
    let fx = setup(&db.store).await;
    // A second process: its own pool on the same database.
    let other = Store::open(&db.location).await.expect("a second store");
    let mut heard = changes(&other).await.expect("listening").expect("PostgreSQL notifies");
    let s1: Subject = id("s1");
    ledger::append(&db.store, &fx.submit(&s1, b"s1 v1", None, None), &fx.pec1).await.expect("1");
    let got = tokio::time::timeout(PATIENCE, heard.next()).await.expect("heard in time");
    assert_eq!(got.expect("a change"), Change::Appended);
    // A refused append (a second version 1) commits nothing and notifies nothing.
    let refused = ledger::append(&db.store, &fx.submit(&s1, b"other", None, None), &fx.pec1).await;
    assert!(matches!(refused, Err(ledger::AppendError::Conflict { .. })), "{refused:?}");
    let quiet = tokio::time::timeout(Duration::from_millis(300), heard.next()).await;
    assert!(quiet.is_err(), "a refused append was heard: {quiet:?}");
    let correction = fx.submit(&s1, b"s1 v2", Some(1), Some("recount"));
    ledger::append(&db.store, &correction, &fx.pec1).await.expect("2");
    let got = tokio::time::timeout(PATIENCE, heard.next()).await.expect("heard in time");
    assert_eq!(got.expect("a change"), Change::Appended);
    // The listener holds a connection of `other`'s pool, and closing a pool waits for every
    // connection taken from it: the listener goes first.
    drop(heard);
    other.close().await;
    db.finish().await;
}

#[tokio::test]
async fn sqlite_has_no_notifications() {
    let db = TestDb::sqlite().await;
    assert!(changes(&db.store).await.expect("no error").is_none());
    db.finish().await;
}
