//! Where a store lives: a SQLite file (the default) or a PostgreSQL database URL.

use std::fmt;
use std::path::{Path, PathBuf};

/// The place of a store, parsed from `--db`. `Display` and `Debug` hide the password.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL, `postgres://user:password@host:port/database`.
    Postgres(String),
}

impl Location {
    /// Reads `--db`: a `postgres://` or `postgresql://` URL, a `sqlite://` URL, or else a
    /// file path.
    pub fn parse(text: &str) -> Location {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Location::Postgres(text.to_owned());
        }
        let path =
            text.strip_prefix("sqlite://").or_else(|| text.strip_prefix("sqlite:")).unwrap_or(text);
        Location::Sqlite(PathBuf::from(path))
    }

    /// A SQLite file at `path`.
    pub fn sqlite(path: &Path) -> Location {
        Location::Sqlite(path.to_owned())
    }
}

/// Shows the location with any password replaced by `***`.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&redacted(url)),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Location::Postgres(url) => f.debug_tuple("Postgres").field(&redacted(url)).finish(),
        }
    }
}

/// The URL without the password of its user info.
fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    match user_info.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::Location;

    fn check(input: &str, expect: &str) {
        let location = Location::parse(input);
        let kind = match location {
            Location::Sqlite(_) => "sqlite",
            Location::Postgres(_) => "postgres",
        };
        assert_eq!(format!("{kind} {location}"), expect);
    }

    #[test]
    fn locations_parse_and_hide_passwords() {
        check("saylau.sqlite", "sqlite saylau.sqlite");
        check("sqlite:///tmp/a.db", "sqlite /tmp/a.db");
        check("sqlite:data/a.db", "sqlite data/a.db");
        check("postgres://saylau@localhost/saylau", "postgres postgres://saylau@localhost/saylau");
        check(
            "postgresql://saylau:secret@db:5432/saylau?sslmode=require",
            "postgres postgresql://saylau:***@db:5432/saylau?sslmode=require",
        );
        let secret = Location::parse("postgres://u:secret@h/db");
        assert_eq!(format!("{secret:?}"), r#"Postgres("postgres://u:***@h/db")"#);
    }
}
