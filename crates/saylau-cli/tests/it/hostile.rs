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
