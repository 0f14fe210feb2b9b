//! The store's own error for a failed database call: the driver's message behind an
//! opaque type, so that no driver's error type (`rusqlite`, `sqlx`) is part of the public
//! API, and a stored value that cannot be read back, named by its table and row.

use std::fmt;

use crate::digest::Digest;

/// A database call that failed, or a stored value that is not what the schema promises.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatabaseError {
    /// The driver or the server refused or failed the call.
    #[error("{0}")]
    Driver(DriverError),
    /// A stored value cannot be decoded; nothing is ever read as a default instead.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// The driver's error, by its message and the constraint it broke, if any.
#[derive(Debug)]
pub struct DriverError {
    message: String,
    constraint: Option<Constraint>,
}

impl fmt::Display for DriverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A constraint that refused a write, on either backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Constraint {
    /// A unique or primary key.
    Unique,
    /// A foreign key.
    ForeignKey,
    /// A `CHECK`.
    Check,
}

impl DatabaseError {
    /// The constraint that refused the write, when one did.
    pub(crate) fn constraint(&self) -> Option<Constraint> {
        match self {
            DatabaseError::Driver(driver) => driver.constraint,
            DatabaseError::Decode(_) => None,
        }
    }

    /// An error of this crate's own making about the database (a background task lost).
    pub(crate) fn other(message: impl Into<String>) -> DatabaseError {
        DatabaseError::Driver(DriverError { message: message.into(), constraint: None })
    }
}

impl From<rusqlite::Error> for DatabaseError {
    fn from(err: rusqlite::Error) -> DatabaseError {
        use rusqlite::ffi;
        let constraint = match err.sqlite_error() {
            Some(code) => match code.extended_code {
                ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    Some(Constraint::Unique)
                }
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Some(Constraint::ForeignKey),
                ffi::SQLITE_CONSTRAINT_CHECK => Some(Constraint::Check),
                _ => None,
            },
            None => None,
        };
        DatabaseError::Driver(DriverError { message: err.to_string(), constraint })
    }
}

impl From<sqlx::Error> for DatabaseError {
    fn from(err: sqlx::Error) -> DatabaseError {
        use sqlx::error::ErrorKind;
        let constraint = err.as_database_error().and_then(|db| match db.kind() {
            ErrorKind::UniqueViolation => Some(Constraint::Unique),
            ErrorKind::ForeignKeyViolation => Some(Constraint::ForeignKey),
            ErrorKind::CheckViolation => Some(Constraint::Check),
            _ => None,
        });
        DatabaseError::Driver(DriverError { message: err.to_string(), constraint })
    }
}

/// A stored value that cannot be read back: a hash of the wrong length, a negative count.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored {table} row {row}: {column} {problem}")]
pub struct DecodeError {
    /// The table.
    pub table: &'static str,
    /// The row, by its key (a sequence number, a station id).
    pub row: String,
    /// The column.
    pub column: &'static str,
    /// What is wrong with the value.
    pub problem: String,
}

/// Where a stored value comes from, for a [`DecodeError`].
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub(crate) table: &'static str,
    pub(crate) row: &'a dyn fmt::Display,
}

impl At<'_> {
    fn error(self, column: &'static str, problem: String) -> DecodeError {
        DecodeError { table: self.table, row: self.row.to_string(), column, problem }
    }

    /// A stored SHA-256 hash: exactly 32 bytes.
    pub(crate) fn digest(self, column: &'static str, bytes: &[u8]) -> Result<Digest, DecodeError> {
        Digest::from_slice(bytes).ok_or_else(|| {
            self.error(column, format!("is {} bytes, not a 32-byte hash", bytes.len()))
        })
    }

    /// A stored sequence number, version or count: not negative.
    pub(crate) fn count(self, column: &'static str, number: i64) -> Result<u64, DecodeError> {
        u64::try_from(number).map_err(|_| self.error(column, format!("is negative ({number})")))
    }
}

/// `.db()?` turns a driver's error into a [`DatabaseError`] inside the crate.
pub(crate) trait OrDb<T> {
    /// The result with the driver's error made a [`DatabaseError`].
    fn db(self) -> Result<T, DatabaseError>;
}

impl<T, E: Into<DatabaseError>> OrDb<T> for Result<T, E> {
    fn db(self) -> Result<T, DatabaseError> {
        self.map_err(Into::into)
    }
}

/// A sequence or version number as the databases store it.
pub(crate) fn to_sql(number: u64) -> i64 {
    i64::try_from(number).expect("sequence and version numbers come from the database's i64")
}

#[cfg(test)]
mod tests {
    use super::At;

    #[test]
    fn bad_stored_values_name_their_row() {
        let at = At { table: "log_entries", row: &7 };
        let err = at.digest("entry_hash", &[1, 2, 3]).expect_err("3 bytes");
        assert_eq!(
            err.to_string(),
            "stored log_entries row 7: entry_hash is 3 bytes, not a 32-byte hash"
        );
        let err = at.count("version", -1).expect_err("negative");
        assert_eq!(err.to_string(), "stored log_entries row 7: version is negative (-1)");
        assert_eq!(at.count("version", 3), Ok(3));
    }
}
