#!/usr/bin/env bash
# Forensics benchmark: the integer-percentage test with a 1,000-draw Monte Carlo on the
# bundled President 2018 file (91,152 stations kept), by saylau and by the authors'
# numpy procedure as the research note describes it (peer.py), side by side.
#
#   bash bench/forensics/run.sh        (from any directory)
#
# Steps: make the Python venv (.venv here, pinned by requirements.txt) if needed; time the
# reference (peer.py, once: about a minute); time saylau (the saylau-bench crate's
# bench-forensics binary, release build, best of three); check both kept the same stations
# and observed the same counts; print the table. The last line is
# speedup_vs_reference=<reference seconds / saylau seconds>.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
file="$root/data/reference/forensics/russia-federal-elections/russia-2018.csv.gz"
draws="${DRAWS:-1000}"

# shellcheck source=../python-venv.sh
source "$here/../python-venv.sh"
python_venv "$here" "numpy"

results="$here/results.jsonl"
"$py" "$here/peer.py" --file "$file" --leader v_putin --draws "$draws" | tee "$results"
(
    cd "$root"
    cargo run --release -q -p saylau-bench --bin bench-forensics -- \
        --file "$file" --leader v_putin --draws "$draws"
) | tee -a "$results"
"$py" "$here/report.py" "$results"
