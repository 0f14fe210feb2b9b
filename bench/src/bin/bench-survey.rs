//! The saylau side of `bench/survey`: every question of the benchmark's respondent file
//! by both banners as `saylau_survey::crosstab` tables with column-proportion letters.
//!
//! The codebook and respondents are read before the clock. The best of `--runs` passes
//! over all tables gives the time per table; one JSON line goes to stdout and the
//! letters (question/banner -> cell letters row by row) to `--letters-out` so that
//! `report.py` can check them against pandas'.

use std::collections::BTreeMap;
use std::time::Instant;

use saylau_survey::codebook::Codebook;
use saylau_survey::crosstab::{TableOptions, crosstab};
use saylau_survey::respondents::Respondents;
use serde_json::json;

const USAGE: &str = "usage: bench-survey --data DIR --letters-out FILE [--runs 3]";

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter().position(|arg| arg == name).and_then(|idx| args.get(idx + 1)).cloned()
    };
    let data = flag("--data").ok_or(USAGE)?;
    let letters_out = flag("--letters-out").ok_or(USAGE)?;
    let runs: u32 =
        flag("--runs").map_or(Ok(3), |it| it.parse().map_err(|err| format!("--runs: {err}")))?;
    let read = |name: &str| {
        std::fs::read_to_string(format!("{data}/{name}"))
            .map_err(|err| format!("{data}/{name}: {err}"))
    };
    let codebook = Codebook::from_toml("codebook.toml", &read("codebook.toml")?)
        .map_err(|err| err.to_string())?;
    let respondents =
        Respondents::from_csv(&codebook, "respondents.csv", &read("respondents.csv")?)
            .map_err(|err| err.to_string())?
            .respondents;
    let questions: Vec<&str> = codebook
        .questions()
        .iter()
        .map(|it| it.key.as_str())
        .filter(|it| it.starts_with('q'))
        .collect();
    let banners = ["segment", "macro"];
    let mut best = u128::MAX;
    let mut letters = BTreeMap::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        for question in &questions {
            for banner in banners {
                let table = crosstab(
                    &codebook,
                    &respondents,
                    question,
                    banner,
                    None,
                    TableOptions::default(),
                )
                .map_err(|err| err.to_string())?;
                let cells: Vec<String> = table
                    .rows
                    .iter()
                    .flat_map(|row| row.cells[1..].iter().map(|cell| cell.letters.clone()))
                    .collect();
                letters.insert(format!("{question}/{banner}"), cells);
            }
        }
        best = best.min(start.elapsed().as_nanos());
    }
    let n_tables = questions.len() * banners.len();
    std::fs::write(&letters_out, serde_json::to_string(&letters).map_err(|err| err.to_string())?)
        .map_err(|err| format!("{letters_out}: {err}"))?;
    let per_table = best as f64 / n_tables as f64;
    println!(
        "{}",
        json!({"tool": "saylau", "tables": n_tables, "respondents": respondents.len(), "ns_per_table": per_table})
    );
    Ok(())
}
