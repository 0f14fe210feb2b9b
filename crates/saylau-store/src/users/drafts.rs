//! The drafts of double entry (migration 0031): one row per round of a station's entry,
//! deleted when their version is made.

use crate::error::{Constraint, DatabaseError};
use crate::rows::{PgRead, Query, rows};
use crate::store::{Db, Store};

/// One operator's entry of a station's protocol in double entry, not yet a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// 1 (first entry) or 2 (blind second entry).
    pub round: u8,
    /// The user who entered it.
    pub entered_by: String,
    /// The numbers, as the caller encoded them.
    pub lines: String,
    /// The version it corrects, if any.
    pub base_version: Option<u64>,
    /// Why (empty for a first version).
    pub reason: String,
    /// When (UTC, RFC 3339).
    pub created_at: String,
}

const PUT_DRAFT_SQLITE: &str = "INSERT INTO entry_drafts (election_id, station, round, \
     entered_by, lines, base_version, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
const PUT_DRAFT_PG: &str = "INSERT INTO entry_drafts (election_id, station, round, \
     entered_by, lines, base_version, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const DRAFTS_SQLITE: &str = "SELECT round, entered_by, lines, base_version, reason, created_at \
     FROM entry_drafts WHERE election_id = ?1 AND station = ?2 ORDER BY round";
const DRAFTS_PG: &str = "SELECT round::BIGINT, entered_by, lines, base_version, reason, \
     created_at FROM entry_drafts WHERE election_id = $1 AND station = $2 ORDER BY round";
const CLEAR_DRAFTS_SQLITE: &str =
    "DELETE FROM entry_drafts WHERE election_id = ?1 AND station = ?2";
const CLEAR_DRAFTS_PG: &str = "DELETE FROM entry_drafts WHERE election_id = $1 AND station = $2";

/// Records `draft` of `station`; `Ok(false)` when its round is taken already (another
/// user got there first).
pub async fn put_draft(
    store: &Store,
    election: &str,
    station: &str,
    draft: &Draft,
) -> Result<bool, DatabaseError> {
    let text = [
        election.to_owned(),
        station.to_owned(),
        draft.entered_by.clone(),
        draft.lines.clone(),
        draft.reason.clone(),
        crate::entry::now_rfc3339(),
    ];
    let round = i64::from(draft.round);
    let base = draft.base_version.and_then(|it| i64::try_from(it).ok());
    let done = match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite
                .write(move |conn| -> Result<usize, DatabaseError> {
                    let [election, station, by, lines, reason, at] = &text;
                    Ok(conn.execute(
                        PUT_DRAFT_SQLITE,
                        rusqlite::params![election, station, round, by, lines, base, reason, at],
                    )?)
                })
                .await
        }
        Db::Postgres(pool) => {
            let [election, station, by, lines, reason, at] = &text;
            sqlx::query(PUT_DRAFT_PG)
                .bind(election)
                .bind(station)
                .bind(i32::from(draft.round))
                .bind(by)
                .bind(lines)
                .bind(base)
                .bind(reason)
                .bind(at)
                .execute(pool)
                .await
                .map(|_| 1)
                .map_err(DatabaseError::from)
        }
    };
    match done {
        Ok(_) => Ok(true),
        Err(err) if err.constraint() == Some(Constraint::Unique) => Ok(false),
        Err(err) => Err(err),
    }
}

type RawDraft = (i64, String, String, Option<i64>, String, String);

/// The drafts of `station`, by round.
pub async fn drafts(
    store: &Store,
    election: &str,
    station: &str,
) -> Result<Vec<Draft>, DatabaseError> {
    let query = Query { sqlite: DRAFTS_SQLITE, pg: DRAFTS_PG };
    let raw: Vec<RawDraft> = rows(store, query, &[election, station], PgRead::Pool).await?;
    Ok(raw
        .into_iter()
        .map(|(round, entered_by, lines, base, reason, created_at)| Draft {
            round: u8::try_from(round).unwrap_or(0),
            entered_by,
            lines,
            base_version: base.and_then(|it| u64::try_from(it).ok()),
            reason,
            created_at,
        })
        .collect())
}

/// Deletes the drafts of `station` (its version was made).
pub async fn clear_drafts(
    store: &Store,
    election: &str,
    station: &str,
) -> Result<(), DatabaseError> {
    let (election, station) = (election.to_owned(), station.to_owned());
    match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite
                .write(move |conn| -> Result<(), DatabaseError> {
                    conn.execute(CLEAR_DRAFTS_SQLITE, [election.as_str(), station.as_str()])?;
                    Ok(())
                })
                .await
        }
        Db::Postgres(pool) => {
            sqlx::query(CLEAR_DRAFTS_PG).bind(&election).bind(&station).execute(pool).await?;
            Ok(())
        }
    }
}
