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
    let verify = ["log", "verify", "--json", "--db", "real.sqlite"];
    let before = saylau_in(dir.path(), &verify).stdout;
    assert_eq!(run("real.sqlite", false).status.code(), Some(2));
    // Still the real store: no entries (the demo's would have 17), the same checkpoint.
    assert_eq!(
        String::from_utf8_lossy(&saylau_in(dir.path(), &verify).stdout),
        String::from_utf8_lossy(&before)
    );
    // The demo's own store is replaced, run after run; anything else with --force.
    assert!(run("demo.sqlite", false).status.success());
    let again = run("demo.sqlite", false);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(run("notes.txt", true).status.success());
}

#[test]
fn a_mistyped_items_file_is_an_error_not_a_draw_of_one() {
    let draw = saylau(&["lot", "draw", "--seed", "s", "--items", "data/kz/partys.txt", "--json"]);
    assert_eq!(draw.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&draw.stderr);
    assert!(stderr.contains("--items \"data/kz/partys.txt\": no such file"), "{stderr}");
    assert!(draw.stdout.is_empty());
    // Two items given inline are still a list.
    assert!(saylau(&["lot", "draw", "--seed", "s", "--items", "a,b", "--json"]).status.success());
}

#[test]
fn plurality_race_ids_are_text_as_written() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("round.csv");
    std::fs::write(&path, "race,candidate,votes\n001,A,10\n1,B,20\n01,C,30\n").expect("a round");
    let round = crate::command::json(&["plurality", path.to_str().expect("UTF-8"), "--json"]);
    let ids: Vec<&str> = round["races"]
        .as_array()
        .expect("races")
        .iter()
        .map(|race| race["id"].as_str().expect("an id"))
        .collect();
    assert_eq!(ids, ["001", "1", "01"], "three races, not one");
}

/// A file of `count` lines `prefix0`, `prefix1`, ... in `dir`.
fn numbered_lines(dir: &std::path::Path, name: &str, prefix: &str, count: usize) -> String {
    let text: String = (0..count).map(|idx| format!("{prefix}{idx}\n")).collect();
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writing a file");
    path.to_str().expect("UTF-8").to_owned()
}

#[test]
fn checks_over_many_items_are_not_quadratic() {
    // 300,000 items: a check of each item against all before it would compare 4.5 * 10^10
    // pairs, hours in a debug build; in one pass it is a fraction of a second.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let items = numbered_lines(dir.path(), "items.txt", "item-", 300_000);
    let draw = crate::command::json(&[
        "lot", "draw", "--seed", "s", "--items", &items, "--count", "2", "--json",
    ]);
    assert_eq!(draw["items"].as_array().map(Vec::len), Some(300_000));
    let quoted: Vec<String> = (0..300_000).map(|idx| format!("\"i{idx}\"")).collect();
    let claim = format!("[lot]\nseed = \"s\"\nitems = [{}]\norder = [\"i0\"]\n", quoted.join(","));
    std::fs::write(dir.path().join("claim.toml"), claim).expect("a claim");
    let claim = dir.path().join("claim.toml");
    let verify = saylau(&["lot", "verify", claim.to_str().expect("UTF-8"), "--json"]);
    assert!(
        matches!(verify.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}

#[test]
fn exported_csv_cells_never_start_a_formula() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let run = |args: &[&str]| {
        let output = saylau_in(dir.path(), args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    };
    run(&["generate", "--seed", "3", "--stations", "17", "--out", "country", "--json"]);
    let path = dir.path().join("country/protocols.csv");
    let formula = "=cmd|' /C calc'!A0";
    let text = std::fs::read_to_string(&path)
        .expect("protocols")
        .replace(",Akmola,", &format!(",{formula},"));
    std::fs::write(&path, text).expect("a hostile region name");
    run(&["db", "init"]);
    let key: serde_json::Value = serde_json::from_slice(&run(&[
        "keys",
        "new",
        "--commission",
        "CEC",
        "--out",
        "keys",
        "--json",
    ]))
    .expect("JSON");
    let key = key["private_key"].as_str().expect("a key path").to_owned();
    run(&["import", "country/protocols.csv", "--key", &key]);
    let export = String::from_utf8(run(&["export", "--format", "csv"])).expect("UTF-8");
    assert!(export.contains(&format!(",'{formula},")), "{export}");
    assert!(!export.contains(&format!(",{formula},")), "{export}");
    // And it reads back as the name it was: a re-import changes nothing.
    std::fs::write(dir.path().join("export.csv"), &export).expect("the export");
    let again: serde_json::Value =
        serde_json::from_slice(&run(&["import", "export.csv", "--key", &key, "--json"]))
            .expect("JSON");
    assert_eq!(again["counts"]["unchanged"], 17);
    assert_eq!(again["counts"]["rejected"], 0);
}

#[test]
fn ids_are_letters_digits_and_a_few_signs_only() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("ids.toml");
    let file = "[election]\nformat = 1\nname = \"x\"\nseats = 10\n[rules]\nmethod = \"dhondt\"\n\
                [[lists]]\nid = \"<b>a\\nb</b>\"\nvotes = 10\n[[lists]]\nid = \"b c\"\nvotes = 5\n";
    std::fs::write(&path, file).expect("an election file");
    let output = saylau(&["allocate", path.to_str().expect("UTF-8"), "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("lists[0].id: \"<b>a\\nb</b>\" has the character '<'"), "{stderr}");
    assert!(stderr.contains("lists[1].id: \"b c\" has the character ' '"), "{stderr}");
    assert!(stderr.contains("(rule E-47)"), "{stderr}");
}

#[test]
fn the_quota_line_is_a_true_equation_for_every_quota() {
    // 6,599,921 votes of the three admitted lists of 2021, 98 seats.
    let cases = [
        (
            "hare",
            "Quota (Hare): 6,599,921 votes of admitted lists / 98 seats = 6599921/98 ≈ 67,346.1327",
        ),
        (
            "droop",
            "Quota (Droop): floor(6,599,921 votes of admitted lists / (98 seats + 1)) + 1 = 66666 ≈ 66,666.0000",
        ),
        (
            "hagenbach-bischoff",
            "Quota (Hagenbach-Bischoff): 6,599,921 votes of admitted lists / (98 seats + 1) = 6599921/99 ≈ 66,665.8687",
        ),
        (
            "imperiali",
            "Quota (Imperiali): 6,599,921 votes of admitted lists / (98 seats + 2) = 6599921/100 ≈ 65,999.2100",
        ),
    ];
    for (quota, expect) in cases {
        let set = format!("rules.quota={quota}");
        let output = saylau(&["allocate", "data/kz/mazhilis-2021.toml", "--set", &set]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout.lines().find(|line| line.starts_with("Quota ("));
        assert_eq!(line, Some(expect), "{quota}");
    }
}

#[test]
fn work_is_limited_with_an_error_that_names_the_limit() {
    // D'Hondt over 10^9 seats would allocate about 80 GB; the reader refuses it first.
    let seats =
        saylau(&["allocate", "data/kz/mazhilis-2021.toml", "--set", "election.seats=1000000000"]);
    assert_eq!(seats.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&seats.stderr);
    assert!(stderr.contains("1000000000 seats is more than the limit of 100000 seats"), "{stderr}");
    assert!(stderr.contains("(rule E-48)"), "{stderr}");
    let variant = "rules.method=dhondt;election.seats=100000000";
    let compare = saylau(&["compare", "data/kz/mazhilis-2021.toml", "--set", variant, "--json"]);
    assert_eq!(compare.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&compare.stderr).contains("more than the limit of 100000 seats")
    );
    // The largest house within the limit is allocated.
    let largest =
        ["allocate", "data/kz/mazhilis-2021.toml", "--set", "election.seats=100000", "--json"];
    assert_eq!(crate::command::json(&largest)["seats"], 100_000);

    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut lists = String::from(
        "[election]\nformat = 1\nname = \"many\"\nseats = 10\n[rules]\nmethod = \"dhondt\"\n",
    );
    for idx in 0..10_001 {
        lists.push_str(&format!("[[lists]]\nid = \"l{idx}\"\nvotes = {}\n", idx + 1));
    }
    std::fs::write(dir.path().join("lists.toml"), lists).expect("an election file");
    let path = dir.path().join("lists.toml");
    let many = saylau(&["allocate", path.to_str().expect("UTF-8"), "--json"]);
    assert_eq!(many.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&many.stderr);
    assert!(
        stderr.contains("lists: 10001 lists is more than the limit of 10000 lists"),
        "{stderr}"
    );

    let mut races = String::from("[plurality]\nname = \"many\"\n");
    for idx in 0..100_001 {
        races.push_str(&format!(
            "[[races]]\nid = \"r{idx}\"\ncandidates = [{{ name = \"A\", votes = 1 }}]\n"
        ));
    }
    std::fs::write(dir.path().join("races.toml"), races).expect("a round");
    let path = dir.path().join("races.toml");
    let round = saylau(&["plurality", path.to_str().expect("UTF-8"), "--json"]);
    assert_eq!(round.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&round.stderr);
    assert!(
        stderr.contains("races: 100001 races is more than the limit of 100000 races"),
        "{stderr}"
    );
}
