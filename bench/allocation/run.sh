#!/usr/bin/env bash
# Allocation benchmark: 10,000 Hare largest-remainder allocations (98 seats,
# 6 lists, 5 % threshold) by saylau, votelib and interregnum, side by side.
#
#   bash bench/allocation/run.sh        (from any directory)
#
# Steps: make the Python venv (.venv here, pinned by requirements.txt) if
# needed; generate votes.csv; time the Python peers (peers.py); time saylau
# (the saylau-bench crate's bench-allocation binary, release build); check
# saylau's seats against votelib's; print the table.  The last line is
# speedup_vs_votelib=<votelib ns / saylau ns>.
#
# Environment: PYTHON picks the interpreter for the venv (default python3,
# which must be >= 3.10 for interregnum).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# --- Python peers' environment -------------------------------------------
# shellcheck source=../python-venv.sh
source "$here/../python-venv.sh"
python_venv "$here" "the Python peers"

# --- inputs ----------------------------------------------------------------
votes="$here/votes.csv"
results="$here/results.jsonl"
"$py" "$here/gen_votes.py" "$votes"
echo "votes: $votes ($(($(wc -l < "$votes") - 1)) rows)"

# --- Python peers (writes seats_votelib.csv, seats_interregnum.csv) --------
"$py" "$here/peers.py" --votes "$votes" --out-dir "$here" | tee "$results"

# --- saylau ---------------------------------------------------------------
rm -f "$here/seats_saylau.csv"
(
    cd "$root"
    cargo run --release -q -p saylau-bench --bin bench-allocation -- \
        --votes "$votes" --seats-out "$here/seats_saylau.csv"
) | tee -a "$results"
if [[ ! -s "$here/seats_saylau.csv" ]]; then
    echo "error: bench-allocation wrote no $here/seats_saylau.csv" >&2
    exit 1
fi

# --- check and report (last line: speedup_vs_votelib=...) ------------------
"$py" "$here/report.py" "$results" "$votes" "$here/seats_votelib.csv" "$here/seats_saylau.csv"
