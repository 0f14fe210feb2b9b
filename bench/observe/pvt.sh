#!/usr/bin/env bash
# Quick-count benchmark: `saylau pvt estimate` (read the plan, frame, draw and reports,
# check the draw, estimate turnout and five shares with their linearisation variances,
# verdicts against the official protocols, seat projections) on a synthetic country of
# 100,000 stations with a sample of 2,000, against R's survey package reading the same
# frame, sample and reports and running svydesign(strata, fpc) + svyratio for the same
# six figures.
#
#   bash bench/observe/pvt.sh        (from any directory)
#
# Each timing is the best of RUNS runs (default 3) of the whole process. The line
# pvt_estimate_vs_r_survey=<saylau s / Rscript s> says how the estimate compares: below 1
# means saylau is faster.
#
# Then the reconciliation: the official protocols and COPIES (default 20000) observers'
# copies imported into a SQLite store, `saylau reconcile --json` over all the stations
# against `saylau results --level station --json` on the same store. The last line is
# reconcile_vs_results=<reconcile s / results s>; the target is at most 2.
#
# Environment: STATIONS (default 100000), SAMPLE (default 2000), RUNS (default 3), SEED
# (default 1).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
stations="${STATIONS:-100000}"
sample="${SAMPLE:-2000}"
runs="${RUNS:-3}"
seed="${SEED:-1}"

if ! Rscript -e 'library(survey)' >/dev/null 2>&1; then
    echo "installing Debian's r-base-core and r-cran-survey" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq r-base-core r-cran-survey >/dev/null
fi

cargo build --release --quiet -p saylau-cli --manifest-path "$root/Cargo.toml"
saylau="$root/target/release/saylau"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$saylau" generate --seed "$seed" --stations "$stations" --observer-sample "$stations" \
    --anomalies 0.05 --out "$work/country" --json >/dev/null
"$saylau" generate --seed "$((seed + 1))" --stations "$stations" --out "$work/past" --json >/dev/null
"$saylau" pvt plan --frame "$work/country/stations.csv" --past "$work/past/protocols.csv" \
    --strata region,settlement --size "$sample" --out "$work/plan.toml" --json >/dev/null
"$saylau" pvt draw "$work/plan.toml" --frame "$work/country/stations.csv" \
    --seed "bench/$seed" --out "$work/draw.toml" --json >"$work/draw.json"

# The sampled stations' reports (their observers' copies) and the sample as CSV for R.
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
draw = json.load(open(f"{work}/draw.json"))
strata = {it["station"]: it["stratum"] for it in draw["sample"]}
with open(f"{work}/sample.csv", "w") as out:
    out.write("station,stratum\n")
    for station, stratum in strata.items():
        out.write(f"{station},{stratum}\n")
header = None
with open(f"{work}/country/observer-copies.csv") as copies, open(f"{work}/reports.csv", "w") as out:
    for line in copies:
        if line.startswith("#") or header is None:
            header = header or (None if line.startswith("#") else line)
            out.write(line)
        elif line.split(",", 1)[0] in strata:
            out.write(line)
PY

cat >"$work/pvt.R" <<'R'
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
frame <- read.csv(args[1], comment.char = "#", colClasses = "character")
frame$stratum <- paste(substr(frame$station, 1, 2), frame$settlement, sep = "/")
sizes <- table(frame$stratum)
sample <- read.csv(args[2], colClasses = "character")
reports <- read.csv(args[3], comment.char = "#", check.names = FALSE)
d <- merge(sample, reports, by = "station")
d$fpc <- as.numeric(sizes[d$stratum])
lists <- grep("^list:", names(d), value = TRUE)
names(d) <- make.names(names(d))
design <- svydesign(ids = ~1, strata = ~stratum, fpc = ~fpc, data = d)
r <- svyratio(~found_in_boxes, ~voters_on_roll, design)
cat(sprintf("turnout %.4f %.4f\n", 100 * coef(r), 100 * SE(r)))
for (list in make.names(lists)) {
  r <- svyratio(as.formula(paste0("~", list)), ~valid, design)
  cat(sprintf("%s %.4f %.4f\n", list, 100 * coef(r), 100 * SE(r)))
}
R

best() {
    local best_s=""
    for _ in $(seq "$runs"); do
        local start end s
        start=$(date +%s.%N)
        "$@" >/dev/null
        end=$(date +%s.%N)
        s=$(echo "$end - $start" | bc -l)
        if [[ -z "$best_s" ]] || (($(echo "$s < $best_s" | bc -l))); then best_s=$s; fi
    done
    echo "$best_s"
}

saylau_s=$(best "$saylau" pvt estimate --plan "$work/plan.toml" --frame "$work/country/stations.csv" \
    --draw "$work/draw.toml" --reports "$work/reports.csv" --official "$work/country/protocols.csv" --json)
r_s=$(best Rscript "$work/pvt.R" "$work/country/stations.csv" "$work/sample.csv" "$work/reports.csv")

echo "R survey estimates:" >&2
Rscript "$work/pvt.R" "$work/country/stations.csv" "$work/sample.csv" "$work/reports.csv" >&2
echo "saylau estimates:" >&2
"$saylau" pvt estimate --plan "$work/plan.toml" --frame "$work/country/stations.csv" \
    --draw "$work/draw.toml" --reports "$work/reports.csv" --json |
    python3 -c 'import json,sys; [print(e["figure"], e["estimate"], e["std_error"], file=sys.stderr) for e in json.load(sys.stdin)["estimates"]]'
printf 'stations=%s sample=%s saylau_estimate_s=%.3f r_survey_s=%.3f\n' "$stations" "$sample" "$saylau_s" "$r_s"
printf 'pvt_estimate_vs_r_survey=%.3f\n' "$(echo "$saylau_s / $r_s" | bc -l)"

# Reconciliation against station results, on one SQLite store.
copies="${COPIES:-20000}"
store="$work/store.sqlite"
"$saylau" --db "$store" db init >/dev/null
cec=$("$saylau" --db "$store" keys new --commission CEC --out "$work/keys" --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["private_key"])')
"$saylau" --db "$store" import "$work/country/protocols.csv" --key "$cec" --json >/dev/null
"$saylau" --db "$store" observers add --id bench --name "Bench observers" --key "$cec" --json >/dev/null
observer=$("$saylau" --db "$store" keys new --observer bench --key "$cec" --out "$work/keys" --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["private_key"])')
head -n "$(( $(grep -c '^#' "$work/country/observer-copies.csv") + 1 + copies ))" \
    "$work/country/observer-copies.csv" >"$work/copies.csv"
"$saylau" --db "$store" observe import "$work/copies.csv" --key "$observer" --json >/dev/null
reconcile_s=$(best "$saylau" --db "$store" reconcile --json)
results_s=$(best "$saylau" --db "$store" results --level station --json)
printf 'stations=%s copies=%s reconcile_s=%.3f results_station_s=%.3f\n' \
    "$stations" "$copies" "$reconcile_s" "$results_s"
printf 'reconcile_vs_results=%.3f\n' "$(echo "$reconcile_s / $results_s" | bc -l)"
