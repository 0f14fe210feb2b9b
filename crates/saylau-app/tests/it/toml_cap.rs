//! The 16 MiB cap of TOML files (`saylau_app::read_toml`) on the use cases that read a
//! TOML file themselves: `compare`'s first file and a quick-count plan are refused unread
//! past the cap, with the file, its size and the cap in the error.

use std::error::Error as _;

use saylau_app::MAX_TOML_BYTES;

/// A sparse file one byte past the cap.
fn too_large(dir: &tempfile::TempDir, name: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::File::create(&path).and_then(|file| file.set_len(MAX_TOML_BYTES + 1)).expect("made");
    path
}

#[test]
fn compare_and_a_plan_refuse_a_toml_file_past_the_cap() {
    let dir = tempfile::tempdir().expect("a directory");
    let size =
        format!("{} bytes, more than the limit of {MAX_TOML_BYTES} bytes", MAX_TOML_BYTES + 1);
    let election = too_large(&dir, "election.toml");
    let err = saylau_app::compare::compare_files(std::slice::from_ref(&election), &[])
        .expect_err("refused");
    assert_eq!(err.to_string(), format!("reading {}", election.display()));
    let cause = err.source().expect("the cause").to_string();
    assert!(cause.contains(&size), "{cause}");
    let plan = too_large(&dir, "plan.toml");
    let diagnostics =
        saylau_app::pvt::plan_file::read_plan(&plan).expect_err("refused").to_string();
    assert!(diagnostics.contains(&plan.display().to_string()), "{diagnostics}");
    assert!(diagnostics.contains(&size), "{diagnostics}");
}
