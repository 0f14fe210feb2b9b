//! The bulk reader on SQLite: the whole log for verification, or every current protocol
//! for tabulation, read in this process from one snapshot (see the parent module's doc).

use std::collections::HashMap;

use rusqlite::{Connection, OpenFlags};

use super::connect;
use crate::entry::Seq;
use crate::ledger::from_sql;
use crate::location::Location;
use crate::verify::{Verification, VerifyError};
use crate::walk::{IndexRow, StoredBatch, StoredRow, Walk, keys};

/// A read-only connection of the bulk reader.
pub(crate) struct Reader {
    conn: Connection,
}

impl Reader {
    /// Opens the store's SQLite file for reading.
    pub(crate) fn open(location: &Location) -> Result<Reader, rusqlite::Error> {
        Ok(Reader { conn: connect(location, OpenFlags::SQLITE_OPEN_READ_ONLY)? })
    }

    /// The verification of [`crate::verify::verify`], from one snapshot.
    pub(crate) fn verify(
        &mut self,
        published: Option<crate::entry::Checkpoint>,
    ) -> Result<Verification, VerifyError> {
        let tx = self.conn.transaction()?;
        let key_rows = {
            let mut query = tx.prepare(KEYS)?;
            let rows = query.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect::<Result<Vec<(String, Vec<u8>)>, _>>()?
        };
        let mut batches = HashMap::new();
        {
            let mut query = tx.prepare(BATCHES)?;
            let mut rows = query.query([])?;
            while let Some(row) = rows.next()? {
                let batch = StoredBatch {
                    first: Seq(from_sql(row.get(1)?)),
                    last: Seq(from_sql(row.get(2)?)),
                    key_id: row.get(3)?,
                    signature: row.get(4)?,
                };
                batches.insert(from_sql(row.get(0)?), batch);
            }
        }
        let mut walk = Walk::new(keys(key_rows), batches, published);
        {
            let mut query = tx.prepare(ENTRIES)?;
            let mut rows = query.query([])?;
            while let Some(row) = rows.next()? {
                if let Err(broken) = walk.step(&stored_row(row)) {
                    return Ok(Verification::Broken(*broken));
                }
            }
        }
        let index = {
            let mut query = tx.prepare(INDEX)?;
            let rows = query
                .query_map([], |row| Ok(((row.get(0)?, row.get(1)?, row.get(2)?), row.get(3)?)))?;
            rows.collect::<Result<Vec<IndexRow>, _>>()?
        };
        Ok(walk.finish(&index))
    }

    /// What [`crate::tabulation::current_protocols`] reads, from one snapshot.
    pub(crate) fn current_rows(
        &mut self,
        election: &str,
    ) -> Result<crate::tabulation::CurrentRows, rusqlite::Error> {
        let tx = self.conn.transaction()?;
        let pairs = |query: &str| -> Result<Vec<(String, String)>, rusqlite::Error> {
            let mut query = tx.prepare(query)?;
            let rows = query.query_map([election], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect()
        };
        let lists = pairs(LISTS_NAMED)?;
        let names = pairs(NAMES)?;
        let mut query = tx.prepare(CURRENT_PAYLOADS)?;
        let rows = query.query_map([election, crate::payload::PROTOCOL_KIND], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?;
        let payloads = rows.collect::<Result<Vec<_>, _>>()?;
        Ok(crate::tabulation::CurrentRows { lists, names, payloads })
    }
}

const LISTS_NAMED: &str = "SELECT id, name FROM lists WHERE election_id = ?1 ORDER BY registration";
const NAMES: &str = "SELECT id, name FROM commissions \
     WHERE election_id = ?1 AND level IN ('region', 'district')";
const CURRENT_PAYLOADS: &str = "SELECT e.seq, e.subject, e.version, e.payload \
     FROM current_versions c JOIN log_entries e ON e.election_id = c.election_id \
     AND e.kind = c.kind AND e.subject = c.subject AND e.version = c.version \
     WHERE c.election_id = ?1 AND c.kind = ?2";

const KEYS: &str = "SELECT id, public_key FROM commission_keys";
const BATCHES: &str = "SELECT id, first_seq, last_seq, key_id, signature FROM batches";
const ENTRIES: &str = "SELECT seq, election_id, kind, subject, version, content_hash, prev_hash, \
     entry_hash, author, key_id, signature, batch_id, reason, recorded_at, payload \
     FROM log_entries ORDER BY seq";
const INDEX: &str = "SELECT election_id, kind, subject, version FROM current_versions";

/// A row of `ENTRIES` as a [`StoredRow`]: a value of another type is `None`.
fn stored_row(row: &rusqlite::Row<'_>) -> StoredRow {
    StoredRow {
        seq: row.get(0).ok(),
        election: row.get(1).ok(),
        kind: row.get(2).ok(),
        subject: row.get(3).ok(),
        version: row.get(4).ok(),
        content_hash: row.get(5).ok(),
        prev_hash: row.get(6).ok(),
        entry_hash: row.get(7).ok(),
        author: row.get(8).ok(),
        key_id: row.get(9).ok(),
        signature: row.get(10).ok(),
        batch_id: row.get(11).ok(),
        reason: row.get(12).ok(),
        recorded_at: row.get(13).ok(),
        payload: row.get(14).ok(),
    }
}
