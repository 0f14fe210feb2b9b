//! The size cap of whole-file TOML readers (issue 10: a 50 MB election file took about
//! 700 MB to parse): a file longer than `MAX_TOML_BYTES` is refused unread, with rule
//! `E-48` and a message that names the file, its size and the cap; a file at the cap is
//! read; a file whose size its metadata does not tell is cut one byte past the cap.

use std::io::Write as _;

use saylau_formats::limit::{MAX_TOML_BYTES, read_capped};
use saylau_formats::{read_calendar, read_election, read_lot, read_plurality};

/// A reader of the file, returning its diagnostics when it refused it.
type Reader<'a> = Box<dyn Fn() -> Option<saylau_formats::Diagnostics> + 'a>;

/// A sparse file of `len` bytes (no disk is used for its zeros).
fn sparse(dir: &tempfile::TempDir, name: &str, len: u64) -> std::path::PathBuf {
    let path = dir.path().join(name);
    let file = std::fs::File::create(&path).expect("a file");
    file.set_len(len).expect("its length");
    path
}

#[test]
fn toml_files_past_the_cap_are_refused_unread() {
    let dir = tempfile::tempdir().expect("a directory");
    let path = sparse(&dir, "huge.toml", MAX_TOML_BYTES + 1);
    let name = path.display().to_string();
    let readers: [(&str, Reader<'_>); 4] = [
        ("election", Box::new(|| read_election(&path, &[]).err())),
        ("lot", Box::new(|| read_lot(&path, &[]).err())),
        ("plurality", Box::new(|| read_plurality(&path, &[]).err())),
        ("calendar", Box::new(|| read_calendar(&path).err())),
    ];
    for (what, read) in readers {
        let diagnostics = read().unwrap_or_else(|| panic!("{what}: a 16 MiB file was read"));
        let [diagnostic] = &diagnostics.0[..] else { panic!("{what}: {diagnostics}") };
        assert_eq!(diagnostic.rule.to_string(), "E-48", "{what}: {diagnostic:?}");
        assert_eq!(diagnostic.source, name, "{what}");
        let expect = format!(
            "the file is {} bytes, more than the limit of {MAX_TOML_BYTES} bytes (16 MiB)",
            MAX_TOML_BYTES + 1
        );
        assert!(diagnostic.message.contains(&expect), "{what}: {}", diagnostic.message);
    }
}

#[test]
fn a_file_at_the_cap_is_read_and_one_past_it_is_not() {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("small.toml");
    std::fs::File::create(&path).and_then(|mut file| file.write_all(b"a = 1\n")).expect("written");
    assert_eq!(read_capped(&path, 6).expect("at the cap"), "a = 1\n");
    let err = read_capped(&path, 5).expect_err("past the cap");
    assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
    assert!(err.to_string().starts_with("the file is 6 bytes, more than the limit of 5 bytes"));
    // An unreadable file is an ordinary error, not a size.
    let missing = read_capped(&dir.path().join("none.toml"), 5).expect_err("no file");
    assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
}

/// A file of the kernel says it has 0 bytes and has more: the read stops past the cap.
#[cfg(target_os = "linux")]
#[test]
fn a_file_without_a_known_size_is_cut_past_the_cap() {
    let path = std::path::Path::new("/proc/self/status");
    let len = std::fs::metadata(path).expect("its metadata").len();
    assert_eq!(len, 0, "procfs tells no size");
    let err = read_capped(path, 16).expect_err("more than 16 bytes");
    assert!(err.to_string().starts_with("the file is more than 16 bytes"), "{err}");
    assert!(read_capped(path, 1 << 20).is_ok());
}
