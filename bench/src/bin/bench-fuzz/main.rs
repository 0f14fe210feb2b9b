//! bench-fuzz: every reader of untrusted text fuzzed on stable Rust (issue 10, item 9).
//!
//! Each target is one reader; its inputs are proptest's: raw bytes, and the bundled files
//! of `data/` (the files the reader accepts, found by trying them) mutated by a few edits
//! each (bytes flipped, inserted or deleted, ranges and lines repeated, tokens that break
//! parsers inserted, files cut short). An input passes when the reader returns, `Ok` or
//! `Err`, within a second; a panic or a slower input fails the target with the input,
//! shrunk, to keep as a regression test. The peak resident memory of the process is
//! read from `/proc/self/status` after each target and must stay under 256 MB.
//!
//! A mutated input is cut at [`MAX_INPUT_BYTES`]: repeated lines compound (a line of 3 kB
//! repeated 64 times, then that line again, reaches hundreds of MB in five edits), and a
//! reader's time and memory on large files are measured where they belong, by the import
//! benchmark and the memory test of `bench/import` (a 1 GB garbage file under 512 MB).
//! Within 1 MiB a second is a hang, not a file's honest reading time.
//!
//!   bench-fuzz [--inputs N] [--seed S] [TARGET...]   (`bench/fuzz/run.sh` runs it)
//!
//! proptest rather than cargo-fuzz: it runs on stable Rust, its shrinking gives a small
//! failing input, and the crate is already a dev-dependency of the workspace.

use std::borrow::Cow;
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

mod targets;

use targets::{Target, targets};

/// The longest an input may take.
const MAX_TIME: Duration = Duration::from_secs(1);
/// The most resident memory of the process.
const MAX_RESIDENT_MB: u64 = 256;
/// The largest input: mutations that grow a file past it are cut there.
const MAX_INPUT_BYTES: usize = 1 << 20;

/// Tokens that break parsers, inserted by the mutations.
const TOKENS: &[&str] = &[
    "\"",
    "\n",
    "\r\n",
    ",",
    "=",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "#",
    "'",
    "\"\"\"",
    "-",
    "0",
    "00",
    "4294967296",
    "18446744073709551616",
    "99999999999999999999999999",
    "1e308",
    "nan",
    "inf",
    "-9223372036854775808",
    "\u{feff}",
    "é",
    "\0",
    "true",
    "1/0",
    "0/0",
    "100%",
    "1000000000",
    ".",
    ":",
    "\t",
    "\\",
    "\\u0000",
    "=cmd",
    "list:",
    "# list a: A\n",
    "1.5",
];

fn main() -> ExitCode {
    let mut inputs: u32 = 10_000;
    let mut seed: u64 = 1;
    let mut names = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--inputs" => inputs = args.next().and_then(|it| it.parse().ok()).unwrap_or(inputs),
            "--seed" => seed = args.next().and_then(|it| it.parse().ok()).unwrap_or(seed),
            "--list" => {
                for target in targets(&data_dir()) {
                    println!("{}", target.name);
                }
                return ExitCode::SUCCESS;
            }
            _ => names.push(arg),
        }
    }
    let all = targets(&data_dir());
    let unknown: Vec<&String> =
        names.iter().filter(|name| !all.iter().any(|target| target.name == **name)).collect();
    if !unknown.is_empty() {
        eprintln!("unknown targets: {unknown:?} (--list lists them)");
        return ExitCode::from(2);
    }
    println!(
        "| reader | seeds | inputs | max ms per input | mean µs per input | peak MB resident |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    let mut failed = false;
    for target in
        all.iter().filter(|target| names.is_empty() || names.contains(&target.name.to_owned()))
    {
        failed |= !fuzz(target, inputs, seed);
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// Runs `inputs` inputs through `target`; prints its row and says whether it passed.
fn fuzz(target: &Target, inputs: u32, seed: u64) -> bool {
    let config = Config {
        cases: inputs,
        failure_persistence: None,
        max_shrink_iters: 20_000,
        ..Config::default()
    };
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&(target.name.len() as u64).to_le_bytes());
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &key));
    let (count, slowest, total) =
        (Cell::new(0u64), Cell::new(Duration::ZERO), Cell::new(Duration::ZERO));
    let slowest_input = std::cell::RefCell::new(Vec::new());
    let res = runner.run(&input(target.seeds.clone()), |Input(bytes)| {
        let start = Instant::now();
        let _accepted = (target.read)(&bytes);
        let took = start.elapsed();
        count.set(count.get() + 1);
        total.set(total.get() + took);
        if took > slowest.get() {
            slowest.set(took);
            slowest_input.replace(bytes.clone());
        }
        if took > MAX_TIME {
            return Err(TestCaseError::fail(format!("took {took:?}")));
        }
        Ok(())
    });
    let peak = peak_resident_mb();
    let mean = total.get().as_secs_f64() * 1e6 / count.get().max(1) as f64;
    println!(
        "| {} | {} | {} | {:.1} | {mean:.0} | {} |",
        target.name,
        target.seeds.len(),
        count.get(),
        slowest.get().as_secs_f64() * 1e3,
        peak.map_or_else(|| "?".to_owned(), |mb| mb.to_string()),
    );
    if slowest.get() > MAX_TIME / 10 {
        let input = slowest_input.borrow();
        eprintln!(
            "{}: slowest input ({} bytes, {:?}): {:?}",
            target.name,
            input.len(),
            slowest.get(),
            Input(input.iter().copied().take(400).collect())
        );
    }
    let mut passed = true;
    if let Err(err) = res {
        eprintln!("{}: {err}", target.name);
        passed = false;
    }
    if peak.is_some_and(|mb| mb > MAX_RESIDENT_MB) {
        eprintln!("{}: peak resident memory over {MAX_RESIDENT_MB} MB", target.name);
        passed = false;
    }
    passed
}

/// An input, shown as escaped text so that a failing one can be pasted into a test.
#[derive(Clone)]
struct Input(Vec<u8>);

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

/// Raw bytes, or a seed with a few edits.
fn input(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Input> {
    let raw = prop::collection::vec(any::<u8>(), 0..256);
    let edit = (0u8..9, any::<Index>(), any::<Index>(), any::<u8>());
    let mutated = (any::<Index>(), prop::collection::vec(edit, 1..6))
        .prop_map(move |(seed, edits)| mutate(&seeds[seed.index(seeds.len())], &edits));
    prop_oneof![1 => raw, 4 => mutated].prop_map(Input)
}

/// `seed` with `edits` applied in turn.
fn mutate(seed: &[u8], edits: &[(u8, Index, Index, u8)]) -> Vec<u8> {
    let mut res = seed.to_vec();
    for &(kind, at, other, byte) in edits {
        let pos = at.index(res.len() + 1);
        let end = (pos + usize::from(byte % 64) + 1).min(res.len());
        match kind {
            0 if pos < res.len() => res[pos] = byte,
            1 => {
                let token = TOKENS[other.index(TOKENS.len())].as_bytes();
                res.splice(pos..pos, token.iter().copied());
            }
            2 => {
                res.drain(pos.min(end)..end);
            }
            3 => {
                let from = other.index(res.len() + 1);
                let piece: Vec<u8> = res[from..(from + usize::from(byte)).min(res.len())].to_vec();
                res.splice(pos..pos, piece);
            }
            4 => res.truncate(pos),
            5 => res.insert(pos, byte),
            6 => {
                // A whole line repeated up to 64 times.
                let start = res[..pos].iter().rposition(|&b| b == b'\n').map_or(0, |idx| idx + 1);
                let stop = res[pos..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(res.len(), |idx| pos + idx + 1);
                let line = res[start..stop].to_vec();
                for _ in 0..byte % 64 {
                    res.splice(stop..stop, line.iter().copied());
                }
            }
            7 => {
                // Digits made huge or negative.
                let number =
                    ["99999999999999999999999999", "-1", "4294967296", "0"][usize::from(byte % 4)];
                res.splice(pos..end, number.bytes());
            }
            _ => {
                let token = TOKENS[other.index(TOKENS.len())].as_bytes();
                res.splice(pos..end, token.iter().copied());
            }
        }
        res.truncate(MAX_INPUT_BYTES);
    }
    res
}

/// The peak resident memory of this process, from `/proc/self/status` (Linux).
fn peak_resident_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// The workspace's `data/` directory.
fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data")
}

/// Bytes as text the way the readers of files would see them: invalid UTF-8 replaced,
/// so that the parsers behind the UTF-8 check are fuzzed too.
fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}
