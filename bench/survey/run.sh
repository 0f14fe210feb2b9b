#!/usr/bin/env bash
# Survey benchmark: 100,000 respondents x 50 questions cross-tabulated by two banners
# (segment, macro-region) with column-proportion letters, by saylau and by pandas
# (pd.crosstab plus the pooled z-tests with Bonferroni, vectorised in numpy).
#
#   bash bench/survey/run.sh        (from any directory)
#
# Steps: make the Python venv (.venv here, pinned by requirements.txt) if needed;
# generate the data (gen_data.py, fixed seed); time pandas (peer.py); time saylau (the
# saylau-bench crate's bench-survey binary, release build); check that both give the
# same letters in every cell; print the table. Reading the files is outside the clock
# for both. The last line is speedup_vs_pandas=<pandas ns / saylau ns>.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# shellcheck source=../python-venv.sh
source "$here/../python-venv.sh"
python_venv "$here" "pandas"

data="$here/data"
results="$here/results.jsonl"
"$py" "$here/gen_data.py" "$data"
"$py" "$here/peer.py" "$data" "$here/letters_pandas.json" | tee "$results"
(
    cd "$root"
    cargo run --release -q -p saylau-bench --bin bench-survey -- \
        --data "$data" --letters-out "$here/letters_saylau.json"
) | tee -a "$results"
"$py" "$here/report.py" "$results" "$here/letters_saylau.json" "$here/letters_pandas.json"
