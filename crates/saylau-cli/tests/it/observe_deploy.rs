//! `saylau observe deploy`: the organisation's key deploys its observers to stations and
//! withdraws them, each change a signed entry; another organisation's observer, an unknown
//! station and a withdrawal from a station not deployed to are refused with their rules.

use std::io::Write as _;
use std::process::{Command, Stdio};

use insta_cmd::get_cargo_bin;

use crate::command::root;
use crate::fixture::{arg, generate, ok, private_key, refused};

fn add_user(db: &str, name: &str, territory: &str, cec: &str) {
    let mut child = Command::new(get_cargo_bin("saylau"))
        .args(["--db", db, "users", "add", "--name", name, "--role", "observer"])
        .args(["--territory", territory, "--key", cec, "--json"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("saylau runs");
    child.stdin.take().expect("stdin").write_all(b"a long test password\n").expect("written");
    let output = child.wait_with_output().expect("saylau ends");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
#[expect(clippy::too_many_lines, reason = "one scenario, read top to bottom")]
fn coordinators_deploy_their_observers_by_signed_entries() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = arg(&dir.path().join("store.sqlite"));
    let country = dir.path().join("country");
    generate("5", "300", "0", "0", &country);
    let keys = arg(&dir.path().join("keys"));
    ok(&db, &["db", "init", "--json"]);
    let cec =
        private_key(&ok(&db, &["keys", "new", "--commission", "CEC", "--out", &keys, "--json"]));
    ok(&db, &["import", &arg(&country.join("protocols.csv")), "--key", &cec, "--json"]);
    let text = std::fs::read_to_string(country.join("protocols.csv")).expect("protocols");
    let stations: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .take(2)
        .collect();
    let mut golos = String::new();
    for org in ["golos", "kloop"] {
        ok(&db, &["observers", "add", "--id", org, "--name", org, "--key", &cec, "--json"]);
        let key = private_key(&ok(
            &db,
            &["keys", "new", "--observer", org, "--key", &cec, "--out", &keys, "--json"],
        ));
        if org == "golos" {
            golos = key;
        }
        add_user(&db, &format!("obs-{org}"), &format!("observer:{org}"), &cec);
    }
    let deploy = |station: &str, extra: &[&str]| {
        let mut args = vec!["observe", "deploy", "--user", "obs-golos", "--station", station];
        args.extend_from_slice(&["--key", &golos, "--json"]);
        args.extend_from_slice(extra);
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ok(&db, &args)
    };
    let first = run(deploy(stations[0], &[]));
    assert_eq!(first["recorded"], true, "{first}");
    assert_eq!(first["deployment"]["stations"], serde_json::json!([stations[0]]));
    let second = run(deploy(stations[1], &[]));
    assert_eq!(second["deployment"]["version"], 2);
    assert_eq!(run(deploy(stations[1], &[]))["recorded"], false);
    let withdrawn = run(deploy(stations[0], &["--remove"]));
    assert_eq!(withdrawn["deployment"]["stations"], serde_json::json!([stations[1]]));
    let args = |user: &str, station: &str, remove: bool| {
        let mut args =
            vec!["observe", "deploy", "--user", user, "--station", station, "--key", &golos];
        if remove {
            args.push("--remove");
        }
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let refuse = |args: Vec<String>, rule: &str| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&db, &args, rule);
    };
    refuse(args("obs-kloop", stations[0], false), "O-14");
    refuse(args("nobody", stations[0], false), "O-14");
    refuse(args("obs-golos", "17-99-0999", false), "(rule O-1)");
    refuse(args("obs-golos", stations[0], true), "O-14");
    // A commission's key deploys no one.
    let mut with_cec = args("obs-golos", stations[0], false);
    let at = with_cec.iter().position(|it| it == "--key").expect("--key") + 1;
    with_cec[at] = cec.clone();
    refuse(with_cec, "O-2");
    let verified = ok(&db, &["log", "verify", "--json"]);
    assert_eq!(verified["intact"], true, "{verified}");
}
