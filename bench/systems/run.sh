#!/usr/bin/env bash
# Systems benchmark: the Bundestag 2017 (§ 6 BWahlG 2013, levelling) and the Zurich
# Kantonsrat 2015 (biproportional), each allocated by saylau and by interregnum on the
# same input, side by side in one run.
#
#   bash bench/systems/run.sh        (from any directory)
#
# Steps: make the Python venv (.venv here, pinned by requirements.txt) if needed;
# convert the vendored reference election files into inputs.json (prepare_inputs.py); time
# interregnum (peers.py); time saylau (the saylau-bench crate's bench-systems binary,
# release build); check every result against the official seats and print the table
# (report.py).  Each case's ratio is printed on its own line; the last line is
# speedup_vs_interregnum=<geometric mean of the two ratios>.
#
# Environment: PYTHON picks the interpreter for the venv (default python3, which must
# be >= 3.10 for interregnum); SAYLAU_REFERENCE_DATA is the reference data folder (default
# data/reference in this repository).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$(cd "${SAYLAU_REFERENCE_DATA:-$root/data/reference}" && pwd)"
# Work from here: `python -m` puts the working directory first on sys.path, so a stray
# enum.py or random.py in the caller's directory would shadow the standard library.
cd "$here"

# --- Python peer's environment -------------------------------------------------
# shellcheck source=../python-venv.sh
source "$here/../python-venv.sh"
python_venv "$here" "interregnum"

# --- inputs ----------------------------------------------------------------------
inputs="$here/inputs.json"
results="$here/results.jsonl"
"$py" "$here/prepare_inputs.py" "$data" "$inputs"
echo "inputs: $inputs (from $data)"

# --- interregnum -------------------------------------------------------------------
# JSON lines (with the seats) go to results.jsonl, a summary per case to the terminal.
"$py" "$here/peers.py" "$inputs" > "$results"

# --- saylau --------------------------------------------------------------------------
(
    cd "$root"
    cargo run --release -q -p saylau-bench --bin bench-systems -- --inputs "$inputs"
) >> "$results"

# --- check and report (last line: speedup_vs_interregnum=...) ------------------------
"$py" "$here/report.py" "$results" "$inputs"
