//! Changes of the log as they are committed, for a reader that caches the log's head (the
//! portal): on PostgreSQL every append notifies the channel `saylau_log` (migration 0032),
//! and [`Changes`] listens to it on a connection of the store's pool. SQLite has no
//! notifications between processes: [`changes`] is `None` there, and a reader falls back
//! on re-reading the head after a while.

use sqlx::postgres::PgListener;

use crate::error::DatabaseError;
use crate::store::{Db, Store};

/// The channel every append notifies (migration 0032).
const CHANNEL: &str = "saylau_log";

/// A listener of the log's appends, holding one connection of the store's pool.
#[derive(Debug)]
pub struct Changes {
    listener: PgListener,
}

/// What [`Changes::next`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A transaction that appended to the log committed.
    Appended,
    /// The connection was lost and made again: appends in between were not seen, so the
    /// reader must assume the log moved.
    Reconnected,
}

/// Listens to the log's appends of `store`: `None` on SQLite.
pub async fn changes(store: &Store) -> Result<Option<Changes>, DatabaseError> {
    let Db::Postgres(pool) = store.db() else { return Ok(None) };
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(Some(Changes { listener }))
}

impl Changes {
    /// Waits for the next append (or a reconnection, after which appends may have been
    /// missed). An error ends the listening: the store was closed or cannot be reached.
    pub async fn next(&mut self) -> Result<Change, DatabaseError> {
        match self.listener.try_recv().await? {
            Some(_) => Ok(Change::Appended),
            None => Ok(Change::Reconnected),
        }
    }
}
