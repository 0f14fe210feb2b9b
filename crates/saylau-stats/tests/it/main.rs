//! The integration tests of saylau-stats: the synthetic country.

mod pvt;
// One copy of the reach-counting property runner for every crate's tests (each crate's
// tests are a binary of their own, and a dev-only crate for one file would be heavier).
#[expect(
    dead_code,
    reason = "this crate's properties always reach their assertions (Reached::No unused)"
)]
#[path = "../../../saylau-core/tests/it/reach.rs"]
mod reach;
mod synthetic;
