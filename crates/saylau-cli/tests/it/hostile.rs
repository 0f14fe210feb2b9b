//! Careless and hostile input through the `saylau` binary (issue 10, item 8): a closed
//! pipe, a demo store that is not the demo's, mistyped item files, and house sizes, list
//! counts and item counts that would take the machine down.

use std::process::{Command, Stdio};

use insta_cmd::get_cargo_bin;

use crate::command::{root, saylau};

/// The exit code of `saylau args` when its reader has gone (`saylau ... | head -0`).
fn exit_code_with_a_closed_pipe(args: &[&str]) -> Option<i32> {
    let mut child = Command::new(get_cargo_bin("saylau"))
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("saylau starts");
    // Closing the read end: more than a pipe's buffer (64 KiB) of output cannot all be
    // written, so saylau meets a broken pipe whenever this runs.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("saylau ends");
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    output.status.code()
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // About 98 KB of JSON, and the same file's text view with every seat.
    let json = ["allocate", "data/cz/psp-2017.toml", "--json"];
    assert_eq!(exit_code_with_a_closed_pipe(&json), Some(0));
    let text = ["allocate", "data/cz/psp-2017.toml", "--seats"];
    assert_eq!(exit_code_with_a_closed_pipe(&text), Some(0));
    let compare =
        ["compare", "data/kz/reform-265-cube-root.toml", "--set", "rules.threshold=5%", "--json"];
    assert_eq!(exit_code_with_a_closed_pipe(&compare), Some(0));
}

/// Runs `saylau args` in `dir`.
fn saylau_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(get_cargo_bin("saylau"))
        .args(args)
        .current_dir(dir)
        .env_remove("SAYLAU_DB")
        .output()
        .expect("saylau runs")
}

#[test]
fn the_demo_replaces_only_its_own_store() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let demo = ["demo", "--json", "--stations", "17", "--store"];
    let run = |store: &str, force: bool| {
        let mut args = demo.to_vec();
        args.push(store);
        if force {
            args.push("--force");
        }
        saylau_in(dir.path(), &args)
    };
    // A file the demo did not make is left as it was.
    std::fs::write(dir.path().join("notes.txt"), "my notes\n").expect("a text file");
    let refused = run("notes.txt", false);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("notes.txt exists and is not a store made by `saylau demo`"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).expect("kept"), "my notes\n");
    // A real store, with a key of its own, is not the demo's either.
    assert!(saylau_in(dir.path(), &["db", "init", "--db", "real.sqlite"]).status.success());
    let keys = ["keys", "new", "--commission", "CEC", "--out", "keys", "--db", "real.sqlite"];
    assert!(saylau_in(dir.path(), &keys).status.success());
    let before = std::fs::read(dir.path().join("real.sqlite")).expect("the real store");
    assert_eq!(run("real.sqlite", false).status.code(), Some(2));
    assert_eq!(std::fs::read(dir.path().join("real.sqlite")).expect("kept"), before);
    // The demo's own store is replaced, run after run; anything else with --force.
    assert!(run("demo.sqlite", false).status.success());
    let again = run("demo.sqlite", false);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(run("notes.txt", true).status.success());
}
