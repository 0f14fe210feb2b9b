//! A synthetic country through the store, in a temporary directory: `generate`, `db init`,
//! `keys new`, `import` (first, again, a correction, a rejected row, observers' copies),
//! `log verify` and `log checkpoint`, `results` at every level and for one station with its
//! history, `export` in both formats, and `demo` with its own store.

use std::path::Path;
use std::process::{Command, Output};

use insta_cmd::get_cargo_bin;
use serde_json::Value;

use super::{Masks, Records};
use crate::command::root;

/// The station corrected and looked up.
const STATION: &str = "01-01-0001";

struct Country<'a> {
    dir: &'a Path,
    records: Records,
    masks: Masks,
}

impl Country<'_> {
    /// Runs `saylau args` in the temporary directory and checks its record `name.ext`;
    /// returns its standard output.
    fn run(&mut self, name: &'static str, args: &[&str], code: i32, ext: &str) -> String {
        let output = saylau(self.dir, args);
        self.records.check((name, args, code), &output, ext, &mut self.masks);
        String::from_utf8(output.stdout).expect("UTF-8")
    }
}

fn saylau(dir: &Path, args: &[&str]) -> Output {
    Command::new(get_cargo_bin("saylau"))
        .args(args)
        .current_dir(dir)
        .env_remove("SAYLAU_DB")
        .env_remove("SAYLAU_KEY")
        .output()
        .expect("saylau runs")
}

/// `csv` with the row of `station` changed by `edit(header, fields)`; other rows dropped
/// when `only` is set.
fn edit_row(
    csv: &str,
    station: &str,
    only: bool,
    edit: impl Fn(&[&str], &mut Vec<String>),
) -> String {
    let mut header: Vec<&str> = Vec::new();
    let mut res = String::new();
    for line in csv.lines() {
        if line.starts_with('#') {
            res.push_str(line);
        } else if header.is_empty() {
            header = line.split(',').collect();
            res.push_str(line);
        } else if line.starts_with(&format!("{station},")) {
            let mut fields: Vec<String> = line.split(',').map(str::to_owned).collect();
            edit(&header, &mut fields);
            res.push_str(&fields.join(","));
        } else if only {
            continue;
        } else {
            res.push_str(line);
        }
        res.push('\n');
    }
    res
}

/// Adds `by` to the column `column` of a row.
fn add(header: &[&str], fields: &mut [String], column: &str, by: i64) {
    let idx = header.iter().position(|name| *name == column).expect("a column");
    let value: i64 = fields[idx].parse().expect("a number");
    fields[idx] = (value + by).to_string();
}

#[test]
fn a_generated_country_through_the_store_gives_the_recorded_json() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut country =
        Country { dir: dir.path(), records: Records::new("country"), masks: Masks::default() };
    let key = country.store_and_log();
    country.results();
    country.export_and_correct(&key);
    country.rejected_and_observers(&key);
    country.run(
        "demo",
        &["demo", "--json", "--stations", "40", "--store", "demo.sqlite"],
        0,
        "json",
    );
    country.records.finish();
}

impl Country<'_> {
    /// Generates the country, creates the store and its CEC key, imports the protocols
    /// twice and verifies the log; returns the key's path.
    fn store_and_log(&mut self) -> String {
        let generate = [
            "generate",
            "--seed",
            "7",
            "--stations",
            "60",
            "--anomalies",
            "0.05",
            "--observer-sample",
            "5",
            "--out",
            "country",
            "--json",
        ];
        self.run("generate", &generate, 0, "json");
        self.run("db-init", &["db", "init", "--json"], 0, "json");
        let new_key = ["keys", "new", "--commission", "CEC", "--out", "keys", "--json"];
        let keys: Value = serde_json::from_str(&self.run("keys-new", &new_key, 0, "json"))
            .expect("keys new prints JSON");
        let key = keys["private_key"].as_str().expect("a key path").to_owned();
        self.run("log-verify-empty", &["log", "verify", "--json"], 0, "json");
        let import = ["import", "country/protocols.csv", "--key", &key, "--json"];
        self.run("import", &import, 0, "json");
        self.run("import-again", &import, 0, "json");
        self.run("log-verify", &["log", "verify", "--json"], 0, "json");
        let checkpoint: Value = serde_json::from_str(&self.run(
            "log-checkpoint",
            &["log", "checkpoint", "--json"],
            0,
            "json",
        ))
        .expect("log checkpoint prints JSON");
        let published = checkpoint["checkpoint"].as_str().expect("HASH@SEQ").to_owned();
        let verify = ["log", "verify", "--checkpoint", &published, "--json"];
        self.run("log-verify-checkpoint", &verify, 0, "json");
        key
    }

    /// Results at every level, for one station, and under other rules.
    fn results(&mut self) {
        self.run("results-national", &["results", "--json"], 0, "json");
        self.run("results-region", &["results", "--level", "region", "--json"], 0, "json");
        self.run("results-district", &["results", "--level", "district", "--json"], 0, "json");
        self.run("results-station-level", &["results", "--level", "station", "--json"], 0, "json");
        self.run("results-station", &["results", "--station", STATION, "--json"], 0, "json");
        std::fs::copy(
            root().join("data/kz/mazhilis-2021-5pct.toml"),
            self.dir.join("rules-5pct.toml"),
        )
        .expect("copying the rules");
        let rules = ["results", "--rules", "rules-5pct.toml", "--json"];
        self.run("results-rules-5pct", &rules, 0, "json");
    }

    /// Exports in both formats, then imports a recount of one station as a correction.
    fn export_and_correct(&mut self, key: &str) {
        self.run("export", &["export", "--format", "csv"], 0, "csv");
        self.run("export-json", &["export", "--format", "json"], 0, "json");
        let export = ["export", "--format", "csv", "--out", "current.csv", "--json"];
        self.run("export-out", &export, 0, "json");
        // A recount moves 100 votes from Nur Otan to Ak Zhol at one station.
        let current = std::fs::read_to_string(self.dir.join("current.csv")).expect("the export");
        let recount = edit_row(&current, STATION, false, |header, fields| {
            add(header, fields, "list:nur-otan", -100);
            add(header, fields, "list:ak-zhol", 100);
        });
        std::fs::write(self.dir.join("recount.csv"), recount).expect("writing the recount");
        let correction = ["import", "recount.csv", "--key", key, "--reason", "recount", "--json"];
        self.run("import-correction", &correction, 0, "json");
        let history = ["results", "--station", STATION, "--history", "--json"];
        self.run("results-history", &history, 0, "json");
    }

    /// A rejected protocol, and the observers' copies as an election of their own.
    fn rejected_and_observers(&mut self, key: &str) {
        // Valid votes that are not the sum of the lists' votes: rejected whole.
        let protocols =
            std::fs::read_to_string(self.dir.join("country/protocols.csv")).expect("protocols");
        let bad = edit_row(&protocols, "17-01-0001", true, |header, fields| {
            add(header, fields, "valid", 1);
        });
        std::fs::write(self.dir.join("bad.csv"), bad).expect("writing the bad file");
        self.run("import-rejected", &["import", "bad.csv", "--key", key, "--json"], 1, "json");
        let observers = [
            "import",
            "country/observer-copies.csv",
            "--election",
            "observers",
            "--key",
            key,
            "--json",
        ];
        self.run("import-observers", &observers, 0, "json");
        let results = ["results", "--election", "observers", "--json"];
        self.run("results-observers", &results, 0, "json");
        self.run("log-verify-end", &["log", "verify", "--json"], 0, "json");
    }
}
