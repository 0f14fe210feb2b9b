//! Protocol files merged for an import: a synthetic country's published protocols and its
//! observers' copies of the same stations. Each station is imported once; its copy in the
//! later file is rejected under `F-8` with the file that had it first, and the good rows
//! go on. A file that cannot be read rejects the import whole.

use saylau_app::Rejection as _;
use saylau_app::generate::{SyntheticOptions, generate};
use saylau_app::import::files::{DEFAULT_MAX_DIAGNOSTICS, read_files};

#[test]
fn a_station_in_two_files_is_imported_once_and_rejected_in_the_later_file() {
    let dir = tempfile::tempdir().unwrap();
    let options = SyntheticOptions { observer_sample: 12, ..SyntheticOptions::new(60) };
    let generated = generate(7, &options, dir.path(), &mut |_| {}).unwrap();
    assert_eq!(generated.summary.stations, 60);
    let published = dir.path().join("protocols.csv");
    let observed = dir.path().join("observer-copies.csv");
    let files =
        read_files(&[published.clone(), observed.clone()], DEFAULT_MAX_DIAGNOSTICS).unwrap();
    assert_eq!(files.protocols.len(), 60);
    assert_eq!(files.rejected.len(), 12);
    let published = published.display().to_string();
    for row in &files.rejected {
        assert_eq!(row.file.as_deref(), Some(observed.display().to_string().as_str()));
        assert_eq!(row.reasons.len(), 1);
        assert_eq!(row.reasons[0].rule, "F-8");
        assert!(row.reasons[0].message.ends_with(&format!("is in {published} too")));
    }
    // The observers' file alone imports every copy.
    let alone = read_files(&[observed], DEFAULT_MAX_DIAGNOSTICS).unwrap();
    assert_eq!((alone.protocols.len(), alone.rejected.len()), (12, 0));
}

#[test]
fn an_unreadable_file_rejects_the_import_whole() {
    let dir = tempfile::tempdir().unwrap();
    generate(7, &SyntheticOptions::new(17), dir.path(), &mut |_| {}).unwrap();
    let missing = dir.path().join("missing.csv");
    let err =
        read_files(&[dir.path().join("protocols.csv"), missing.clone()], DEFAULT_MAX_DIAGNOSTICS)
            .unwrap_err();
    let diagnostics = err.into_rejected().expect("a missing file is rejected input");
    assert_eq!(diagnostics.0.len(), 1);
    assert_eq!(diagnostics.0[0].source, missing.display().to_string());
}
