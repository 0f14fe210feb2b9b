//! Running the built `saylau` binary from the workspace root, for the command tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use insta_cmd::get_cargo_bin;
use serde_json::Value;

/// The workspace root, where the bundled `data/` is.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `saylau` with `args` in the workspace root.
pub(crate) fn saylau(args: &[&str]) -> Output {
    Command::new(get_cargo_bin("saylau"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("saylau runs")
}

/// Runs `saylau` with `args`, which must succeed, and reads its JSON.
pub(crate) fn json(args: &[&str]) -> Value {
    let output = saylau(args);
    assert!(
        output.status.success(),
        "saylau {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}
