//! `saylau forensics` on the built binary: the JSON interface scripts rely on, the HTML
//! report, the terminal view and rejected input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use insta_cmd::get_cargo_bin;
use serde_json::Value;

const RUSSIA_2018: &str = "data/reference/forensics/russia-federal-elections/russia-2018.csv.gz";

fn saylau(args: &[&str]) -> Output {
    Command::new(get_cargo_bin("saylau"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .expect("saylau runs")
}

fn json(args: &[&str]) -> Value {
    let output = saylau(args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

#[test]
fn integer_and_shpilkin_print_the_keys_scripts_read() {
    let res = json(&[
        "forensics",
        "integer",
        RUSSIA_2018,
        "--leader",
        "v_putin",
        "--draws",
        "100",
        "--json",
    ]);
    assert_eq!(res["stations_kept"], 91_152);
    for key in ["observed", "expected", "excess"] {
        for part in ["either", "leader", "turnout"] {
            assert!(res[key][part].is_number(), "{key}.{part}");
        }
    }
    assert_eq!(res["observed"]["either"], 19_271);
    assert_eq!(res["boundary"], "exact");
    let res = json(&["forensics", "shpilkin", RUSSIA_2018, "--leader", "v_putin", "--json"]);
    for key in
        ["excess_votes", "turnout", "leader_share", "official_turnout", "official_leader_share"]
    {
        assert!(res[key].is_number(), "{key}");
    }
    assert_eq!(format!("{:.2}", res["official_turnout"].as_f64().expect("a number")), "67.54");
}

#[test]
fn out_writes_a_self_contained_report_with_charts() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().display().to_string();
    let output = saylau(&["forensics", "all", RUSSIA_2018, "--draws", "20", "--out", &out]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    for words in [
        "Integer percentages",
        "Definition:",
        "Artifact:",
        "Stations:",
        "v_putin",
        "they do not prove",
    ] {
        assert!(text.contains(words), "the terminal view lacks {words:?}");
    }
    let html = std::fs::read_to_string(dir.path().join("index.html")).expect("index.html");
    assert!(html.contains("<svg") && html.contains("Shpilkin") && html.contains("Явка"));
    for name in ["turnout", "leader-share", "fingerprint", "shpilkin"] {
        for ext in ["svg", "png"] {
            let path: PathBuf = dir.path().join(format!("{name}.{ext}"));
            assert!(path.exists(), "{}", path.display());
        }
    }
}

#[test]
fn a_file_without_the_mapped_columns_is_rejected_with_exit_code_1() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("stations.csv");
    std::fs::write(&path, "station_id,region,voters\n1,R,100\n").expect("written");
    let output = saylau(&["forensics", "integer", &path.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("stations.csv:1: tik: the commission column"), "{stderr}");
    assert!(stderr.contains("(rule S-2)"), "{stderr}");
}

#[test]
fn versions_on_the_store_rank_the_corrected_stations() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let run = |args: &[&str]| {
        let output = Command::new(get_cargo_bin("saylau"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("SAYLAU_DB")
            .env_remove("SAYLAU_KEY")
            .output()
            .expect("saylau runs");
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice::<Value>(&output.stdout).expect("--json prints JSON")
    };
    run(&["generate", "--seed", "3", "--stations", "200", "--out", "country", "--json"]);
    run(&["db", "init", "--json"]);
    let key = run(&["keys", "new", "--commission", "CEC", "--out", "keys", "--json"]);
    let key = key["private_key"].as_str().expect("a key path").to_owned();
    run(&["import", "--key", &key, "country/protocols.csv", "--json"]);
    // The second station's correction: 40 more ballots issued in the station, found in the
    // box and valid, all for the first list (columns 7, 10, 12, 14).
    let text = std::fs::read_to_string(dir.path().join("country/protocols.csv")).expect("the file");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let row = lines.iter().position(|line| line.starts_with("station,")).expect("a header") + 2;
    let mut fields: Vec<String> = lines[row].split(',').map(str::to_owned).collect();
    let station = fields[0].clone();
    for column in [7, 10, 12, 14] {
        fields[column] = (fields[column].parse::<u64>().expect("a number") + 40).to_string();
    }
    // Line 2 (ballots received) keeps the balance: cancelled ballots (column 9) fall by 40.
    fields[9] = (fields[9].parse::<u64>().expect("a number") - 40).to_string();
    lines[row] = fields.join(",");
    std::fs::write(dir.path().join("corrected.csv"), lines.join("\n") + "\n").expect("written");
    run(&[
        "import",
        "--key",
        &key,
        "--reason",
        "late count",
        "--base-current",
        "corrected.csv",
        "--json",
    ]);
    let res = run(&["forensics", "versions", "--json"]);
    assert_eq!(res["corrected"], 1);
    assert_eq!(res["leader_change_total"], 40);
    assert_eq!(res["by_turnout"][0]["station"], station.as_str());
    assert_eq!(res["by_turnout"][0]["versions"], 2);
    assert_eq!(res["selection"]["kept"], 1);
    let output = saylau(&["forensics", "versions", RUSSIA_2018]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("run it on the store"));
}

#[test]
fn bad_rows_are_named_counted_and_kept_out_of_the_analysis() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("stations.csv");
    // Rows 3-8: no voters, votes above the valid ballots, a duplicate station, an empty cell,
    // a cell that is not a number, a short row; rows 2 and 9 are good.
    std::fs::write(
        &path,
        "station_id,region,tik,voters,given,valid,invalid,v_a,v_b\n\
         1,R,T,100,50,48,2,30,18\n\
         2,R,T,0,0,0,0,0,0\n\
         3,R,T,100,50,40,2,30,18\n\
         1,R,T,100,50,48,2,30,18\n\
         4,R,T,100,,48,2,30,18\n\
         5,R,T,100,5x,48,2,30,18\n\
         6,R,T,100,50,48\n\
         7,R,T,200,150,140,2,100,40\n",
    )
    .expect("written");
    let res = json(&["forensics", "all", &path.display().to_string(), "--draws", "10", "--json"]);
    let input = &res["input"];
    assert_eq!((input["stations"].as_u64(), input["rejected"].as_u64()), (Some(2), Some(6)));
    for rule in ["S-4", "S-5", "S-6", "S-7", "S-8", "S-9"] {
        assert_eq!(input["rejected_by_rule"][rule], 1, "{rule}");
    }
    let diagnostics: Vec<&str> = input["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|it| it.as_str().expect("a string"))
        .collect();
    assert!(
        diagnostics[0]
            .ends_with("stations.csv:3: voters: station 2 has no voters on the roll (rule S-7)"),
        "{diagnostics:?}"
    );
    assert!(
        diagnostics[2].contains(":5: station_id: station 1 is on an earlier row"),
        "{diagnostics:?}"
    );
    assert_eq!(res["integer"]["stations_kept"], 2);
}

#[test]
fn a_protocol_file_is_an_input_grouped_by_its_district_commissions() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("country");
    let out = out.display().to_string();
    let generated = saylau(&[
        "generate",
        "--seed",
        "5",
        "--stations",
        "300",
        "--anomalies",
        "0.05",
        "--out",
        &out,
        "--json",
    ]);
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    let protocols = format!("{out}/protocols.csv");
    let truth = format!("{out}/ground-truth.csv");
    let res = json(&["forensics", "all", &protocols, "--draws", "20", "--truth", &truth, "--json"]);
    assert_eq!(
        (res["input"]["stations"].as_u64(), res["input"]["rejected"].as_u64()),
        (Some(300), Some(0))
    );
    assert_eq!(res["leader"], "Nur Otan");
    assert_eq!(res["official"]["voters"], 11_919_241);
    assert!(res["outliers"]["auc"].as_f64().expect("an AUC with a truth") > 0.5);
    let within = &res["shpilkin"]["within_commissions"];
    assert!(within["standard_error"].as_f64().expect("a number") > 0.0, "{within}");
}
