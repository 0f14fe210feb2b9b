//! The integration tests of saylau-formats: the bundled data files, diagnostics of bad
//! files, and the documentation of the format.

mod bounded;
mod bundled;
mod calendar;
mod council;
mod diagnostics;
mod docs;
mod eligibility;
mod file_size;
mod finance;
mod lists;
mod open_list;
mod party_registration;
mod protocols;
mod protocols_v2;
mod protocols_v2_stream;
// One copy of the reach-counting property runner for every crate's tests (each crate's
// tests are a binary of their own, and a dev-only crate for one file would be heavier).
#[expect(
    dead_code,
    reason = "this crate's properties always reach their assertions (Reached::No unused)"
)]
#[path = "../../../saylau-core/tests/it/reach.rs"]
mod reach;
mod repeat;
mod results;
mod station_table;
mod system_diagnostics;
mod systems;

use std::path::{Path, PathBuf};

/// The workspace's `data/` directory.
fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// The vendored reference data (`data/reference/`, copied from the project's shared data with its provenance).
fn shared_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/reference")).to_path_buf()
}

/// Every election file under `dir` (a `.toml` file with an `[election]` table), sorted;
/// the other kinds of bundled files are read by their own tests.
fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut res = Vec::new();
    let entries = std::fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            res.extend(toml_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "toml") && is_election(&path) {
            res.push(path);
        }
    }
    res.sort();
    res
}

/// True when the file has an `[election]` table, the mark of an election file.
fn is_election(path: &Path) -> bool {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    text.lines().any(|line| line.trim() == "[election]")
}
mod stream;
