//! Rows read as tuples of their columns, in order, the same way on both backends: one
//! reader per backend for every query whose rows are plain columns (users, drafts, an
//! observation's current entries), instead of a `query_map` into a tuple on SQLite and a
//! `try_get` per column on PostgreSQL written again for each.

use rusqlite::types::FromSql;
use sqlx::Postgres;
use sqlx::postgres::PgRow;

use crate::error::DatabaseError;
use crate::store::{Db, Store, pg_begin_snapshot};

/// A tuple read from the columns of a row, in order.
pub(crate) trait Columns: Sized + Send + 'static {
    /// The tuple of a SQLite row.
    fn sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
    /// The tuple of a PostgreSQL row.
    fn pg(row: &PgRow) -> Result<Self, sqlx::Error>;
}

/// A column both backends decode into `Self`.
pub(crate) trait Column:
    FromSql + for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres> + Send + 'static
{
}

impl<T> Column for T where
    T: FromSql + for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres> + Send + 'static
{
}

macro_rules! columns {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: Column),+> Columns for ($($name,)+) {
            fn sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                Ok(($(row.get($idx)?,)+))
            }

            fn pg(row: &PgRow) -> Result<Self, sqlx::Error> {
                use sqlx::Row as _;
                Ok(($(row.try_get($idx)?,)+))
            }
        }
    };
}

columns!(A 0);
columns!(A 0, B 1);
columns!(A 0, B 1, C 2);
columns!(A 0, B 1, C 2, D 3);
columns!(A 0, B 1, C 2, D 3, E 4);
columns!(A 0, B 1, C 2, D 3, E 4, F 5);
columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// One query in each backend's SQL, with text parameters (`?1`… on SQLite, `$1`… on
/// PostgreSQL).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Query {
    pub(crate) sqlite: &'static str,
    pub(crate) pg: &'static str,
}

/// How a PostgreSQL read runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PgRead {
    /// On a pooled connection.
    Pool,
    /// In the store's snapshot transaction (`pg_begin_snapshot`), planned as the
    /// whole-election reads are.
    Snapshot,
}

/// Every row of `query` with `params`, as tuples of its columns: on SQLite in one read
/// transaction of a pooled reader, on PostgreSQL as `pg` says.
pub(crate) async fn rows<T: Columns>(
    store: &Store,
    query: Query,
    params: &[&str],
    pg: PgRead,
) -> Result<Vec<T>, DatabaseError> {
    match store.db() {
        Db::Sqlite(sqlite) => {
            let params: Vec<String> = params.iter().map(|it| (*it).to_owned()).collect();
            sqlite
                .read(move |tx| -> Result<Vec<T>, DatabaseError> {
                    let mut statement = tx.prepare(query.sqlite)?;
                    let rows = statement
                        .query_map(rusqlite::params_from_iter(params.iter()), |row| {
                            T::sqlite(row)
                        })?;
                    Ok(rows.collect::<Result<_, _>>()?)
                })
                .await
        }
        Db::Postgres(pool) => {
            let mut statement = sqlx::query(query.pg);
            for param in params {
                statement = statement.bind(*param);
            }
            let rows = match pg {
                PgRead::Pool => statement.fetch_all(pool).await?,
                PgRead::Snapshot => {
                    let mut tx = pg_begin_snapshot(pool).await?;
                    let rows = statement.fetch_all(&mut *tx).await?;
                    tx.rollback().await?;
                    rows
                }
            };
            Ok(rows.iter().map(T::pg).collect::<Result<_, _>>()?)
        }
    }
}
