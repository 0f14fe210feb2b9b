//! The protocol store as the front ends reach it: open the store at a location (a SQLite
//! file or a `postgres://` URL), and the types the use cases over it take.
//!
//! The use cases that read or write the store take an open [`Store`], so that a server
//! opens it once and a command once per run.

pub use saylau_store::id::ElectionId;
pub use saylau_store::location::Location;
pub use saylau_store::store::{Backend, Store, StoreError};

/// The election of the store commands when none is given.
pub const DEFAULT_ELECTION: &str = "mazhilis-2021";

/// Opens the existing store at `db`: a SQLite file or a `postgres://` URL.
pub async fn open(db: &str) -> Result<Store, StoreError> {
    Store::open(&Location::parse(db)).await
}

/// The backend's name in output: `sqlite` or `postgres`.
pub fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}
