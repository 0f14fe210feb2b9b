//! The saylau side of `bench/allocation`: Hare largest remainder, 98 seats, six lists,
//! 5 % of the lists' votes, for every row of the peers' `votes.csv`.
//!
//! Like the Python peers, it prepares each row's input before the clock starts, then
//! times the allocation plus reading the seats back, takes the best of three timed passes
//! after a warm-up, and writes the seats so `run.sh` can check all libraries agree.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Instant;

use saylau_core::seats::allocation::allocate;
use saylau_core::seats::contest::{Ballots, Contest, List};
use saylau_core::seats::method::{Method, Rules, RulesConfig};
use saylau_core::seats::quota::{Quota, QuotaKind};
use saylau_core::seats::threshold::{Percent, Threshold, ThresholdBase};
use saylau_core::seats::tie::{TieCriterion, TieRule};
use saylau_core::seats::votes::{ListId, Seats, Votes};

const SEATS: u32 = 98;
const LISTS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];
const RUNS: usize = 3;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter().position(|arg| arg == name).and_then(|idx| args.get(idx + 1)).cloned()
    };
    let votes_path =
        flag("--votes").ok_or("usage: bench-allocation --votes FILE [--seats-out FILE]")?;
    let text =
        std::fs::read_to_string(&votes_path).map_err(|err| format!("{votes_path}: {err}"))?;
    let contests = contests(&votes_path, &text)?;
    let rules = rules()?;
    let run = || -> Vec<[u32; 6]> {
        contests
            .iter()
            .map(|contest| {
                let res = allocate(&rules, black_box(contest)).expect("every row has votes");
                let mut seats = [0u32; 6];
                for (slot, Seats(won)) in seats.iter_mut().zip(res.seats) {
                    *slot = won;
                }
                seats
            })
            .collect()
    };
    let mut seats = run();
    let mut best = u128::MAX;
    for _ in 0..RUNS {
        let start = Instant::now();
        seats = black_box(run());
        best = best.min(start.elapsed().as_nanos());
    }
    if let Some(out) = flag("--seats-out") {
        let mut csv = String::from("a,b,c,d,e,f\n");
        for row in &seats {
            let cells: Vec<String> = row.iter().map(u32::to_string).collect();
            writeln!(csv, "{}", cells.join(",")).expect("writing to a String cannot fail");
        }
        std::fs::write(&out, csv).map_err(|err| format!("{out}: {err}"))?;
    }
    let n_rows = contests.len();
    let per_allocation = best as f64 / n_rows as f64;
    println!(
        "{{\"lib\": \"saylau\", \"n\": {n_rows}, \"per_allocation_ns\": {per_allocation:.1}}}"
    );
    Ok(())
}

fn rules() -> Result<Rules, String> {
    let percent = Percent::parse("5%").map_err(|err| err.to_string())?;
    Rules::new(RulesConfig {
        method: Method::LargestRemainder { quota: Quota::usual(QuotaKind::Hare) },
        threshold: Some(Threshold { percent, base: ThresholdBase::Lists }),
        admit_at_least: 0,
        runner_up: None,
        ties: TieRule::new(&[TieCriterion::Registration]).map_err(|err| err.to_string())?,
        lot_seed: None,
    })
    .map_err(|err| err.to_string())
}

fn contests(path: &str, text: &str) -> Result<Vec<Contest>, String> {
    let mut lines = text.lines();
    if lines.next() != Some("a,b,c,d,e,f") {
        return Err(format!("{path}: line 1: expected the header a,b,c,d,e,f"));
    }
    lines
        .enumerate()
        .map(|(idx, line)| {
            let bad = |what: String| format!("{path}: line {}: {what}", idx + 2);
            let lists = line
                .split(',')
                .zip(LISTS)
                .map(|(cell, id)| {
                    let votes = cell.parse::<u64>().map_err(|err| bad(format!("{id}: {err}")))?;
                    Ok(List {
                        id: ListId::new(id),
                        name: id.to_owned(),
                        votes: Votes(votes),
                        threshold: None,
                    })
                })
                .collect::<Result<Vec<List>, String>>()?;
            Contest::new("bench", Seats(SEATS), lists, Ballots::default())
                .map_err(|err| bad(err.to_string()))
        })
        .collect()
}
