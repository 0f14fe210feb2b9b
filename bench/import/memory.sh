#!/usr/bin/env bash
# Memory of `saylau import` (issue 10, "What it must show"): a 1 GB file of garbage rows
# after a valid header, imported under a 512 MB address-space limit, must fail cleanly
# with a capped list of diagnostics; 1,000,000 protocols must import with at most 500 MB
# resident. Each is measured with /usr/bin/time -v and printed.
#
#   bash bench/import/memory.sh     (from any directory)
#
# Environment: GARBAGE_MB (default 1024), PROTOCOLS (default 1000000, a multiple of
# 200000: `saylau generate` makes at most 200,000 stations, so the file is their rows
# repeated with new district and station numbers), PROFILE (default release; `debug`
# uses target/debug without building).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
garbage_mb="${GARBAGE_MB:-1024}"
protocols="${PROTOCOLS:-1000000}"
profile="${PROFILE:-release}"

if [[ ! -x /usr/bin/time ]]; then
    echo "installing Debian's time" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi
if [[ "$profile" == release ]]; then
    (cd "$root" && cargo build --release -q -p saylau-cli)
fi
saylau="$root/target/$profile/saylau"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A fresh store with a CEC key; prints the key's path.
new_store() {
    "$saylau" --db "$1" db init --json >/dev/null
    "$saylau" --db "$1" keys new --commission CEC --out "$1.keys" --json |
        sed -n 's/.*"private_key": "\(.*\)".*/\1/p'
}
# The peak resident memory in MB, and the wall time, of a /usr/bin/time -v report.
peak_mb() { awk '/Maximum resident/ { printf "%.0f", $6 / 1024 }' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$1"; }

"$saylau" generate --seed 1 --stations 200000 --out "$work/country" --json >/dev/null
source_file="$work/country/protocols.csv"
preamble="$(grep '^#' "$source_file")"
header="$(awk '!/^#/ { print; exit }' "$source_file")"

# --- 1. a 1 GB file of garbage rows after a valid header, under 512 MB -----------------
garbage="$work/garbage.csv"
{
    printf '%s\n%s\n' "$preamble" "$header"
    # Garbage rows of random printable bytes, 100 to a line.
    head -c "$((garbage_mb * 1024 * 1024))" /dev/urandom | base64 -w 100
} > "$garbage"
key="$(new_store "$work/garbage.sqlite")"
set +e
/usr/bin/time -v -o "$work/garbage.time" \
    prlimit --as=$((512 * 1024 * 1024)) -- \
    "$saylau" --db "$work/garbage.sqlite" import "$garbage" --key "$key" --json \
    > "$work/garbage.json" 2> "$work/garbage.err"
code=$?
set -e
listed="$(grep -c '"rule": "F-3"' "$work/garbage.json" || true)"
omitted="$(sed -n '/"omitted"/,/}/ s/.*"rows": \([0-9]*\).*/\1/p' "$work/garbage.json")"
echo "garbage: $(du -m "$garbage" | cut -f1) MB file, exit $code, $listed diagnostics listed, ${omitted:-?} more rows counted, peak $(peak_mb "$work/garbage.time") MB resident, $(wall "$work/garbage.time")"
[[ "$code" == 1 && "$listed" -le 1000 && "${omitted:-0}" -gt 0 ]] || {
    echo "error: the garbage import did not fail cleanly with a capped list" >&2
    head -c 2000 "$work/garbage.err" >&2
    exit 1
}
rm -f "$garbage"

# --- 2. 1,000,000 protocols ----------------------------------------------------------------
million="$work/million.csv"
{
    printf '%s\n%s\n' "$preamble" "$header"
    # The rows of each copy get new district and station numbers, counted per region
    # (9,999 stations a district), so that every station id is new; the votes are kept.
    for ((copy = 0; copy < protocols / 200000; copy++)); do
        grep -v '^#' "$source_file" | tail -n +2
    done | awk -F, -v OFS=, '{
        region = $2; count = seen[region]++
        district = sprintf("%s-%02d", region, int(count / 9999) + 1)
        $1 = sprintf("%s-%04d", district, count % 9999 + 1); $4 = district
        $5 = "District " district; print
    }'
} > "$million"
key="$(new_store "$work/million.sqlite")"
/usr/bin/time -v -o "$work/million.time" \
    "$saylau" --db "$work/million.sqlite" import "$million" --key "$key" --json > "$work/million.json" ||
    true
grep -q "\"accepted\": $protocols," "$work/million.json" || {
    echo "error: not every protocol was accepted" >&2
    head -c 2000 "$work/million.json" >&2
    exit 1
}
million_mb="$(peak_mb "$work/million.time")"
echo "million: $protocols protocols ($(du -m "$million" | cut -f1) MB), peak $million_mb MB resident, $(wall "$work/million.time")"
echo
echo "garbage_peak_mb=$(peak_mb "$work/garbage.time") million_peak_mb=$million_mb million_vs_limit=$(awk -v a="$million_mb" 'BEGIN { printf "%.2f", a / 500 }')"
