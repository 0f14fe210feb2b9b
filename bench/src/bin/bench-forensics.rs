//! The saylau side of `bench/forensics`: the integer-percentage test (exact expectation
//! and a 1,000-draw Monte Carlo) on one bundled station file.
//!
//! The file is read before the clock starts, as the Python peer loads its arrays first;
//! the timed part is `integer_test`, best of three runs after a warm-up, in wall-clock time
//! and in the thread's CPU time (Linux `/proc/thread-self/schedstat`, so that a machine
//! shared with other jobs does not skew the comparison). Prints one JSON line with the
//! times and the counts, which `report.py` compares with the peer's.

use std::path::Path;
use std::time::Instant;

use saylau_formats::{StationColumns, read_station_table};
use saylau_stats::forensics::integer::{Boundary, IntegerOptions, integer_test};

const RUNS: usize = 3;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter().position(|arg| arg == name).and_then(|idx| args.get(idx + 1)).cloned()
    };
    let usage = "usage: bench-forensics --file FILE.csv.gz --leader COLUMN [--draws N]";
    let file = flag("--file").ok_or(usage)?;
    let leader_name = flag("--leader").ok_or(usage)?;
    let draws: u32 = flag("--draws").map_or(Ok(1000), |it| it.parse()).map_err(|_| usage)?;
    let table = read_station_table(Path::new(&file), &StationColumns::default())
        .map_err(|err| err.to_string())?;
    let (set, _) = saylau_app::forensics::input::from_table(&file, table);
    let leader = set.list_index(&leader_name).ok_or("no such leader column")?;
    let options =
        IntegerOptions { leader, draws, seed: 42, min_voters: 100, boundary: Boundary::Float };
    let mut best = f64::INFINITY;
    let mut best_cpu = f64::INFINITY;
    let mut res = integer_test(&set, &options);
    for _ in 0..RUNS {
        let start = Instant::now();
        let start_cpu = cpu_seconds();
        res = integer_test(&set, &options);
        best = best.min(start.elapsed().as_secs_f64());
        if let (Some(end), Some(start)) = (cpu_seconds(), start_cpu) {
            best_cpu = best_cpu.min(end - start);
        }
    }
    let line = serde_json::json!({
        "tool": "saylau",
        "seconds": best,
        "cpu_seconds": best_cpu.is_finite().then_some(best_cpu),
        "draws": draws,
        "stations_kept": res.stations_kept,
        "observed": [res.observed.either, res.observed.leader, res.observed.turnout],
        "excess": [res.excess_monte_carlo.either, res.excess_monte_carlo.leader, res.excess_monte_carlo.turnout],
    });
    println!("{line}");
    Ok(())
}

/// The CPU time of this thread in seconds, from the first field (nanoseconds on the CPU) of
/// `/proc/thread-self/schedstat`; `None` where that file does not exist.
fn cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds as f64 / 1e9)
}
