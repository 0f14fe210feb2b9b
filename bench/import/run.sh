#!/usr/bin/env bash
# Import benchmark: 100,000 synthetic polling-station protocols imported by `saylau import`
# (read, validated, encoded, hashed, chained, signed in batches and stored in a fresh
# SQLite store) against the sqlite3 shell's raw `.import` of the same CSV rows into a
# plain table of a fresh SQLite file, side by side in one run; then the time of
# `saylau results` at every level (the aggregation) and of `saylau log verify`.
#
#   bash bench/import/run.sh        (from any directory)
#
# Each timing is the best of RUNS runs (default 3) of the whole process, each on a new
# file. The last line is slowdown_vs_raw_import=<saylau import s / sqlite3 .import s>;
# the target of the protocol store's issue is at most 3. With POSTGRES=1 it adds
# postgres_vs_sqlite=<saylau import into PostgreSQL s / saylau import into SQLite s>, whose
# target is at most 5.
#
# Environment: STATIONS (default 100000), RUNS (default 3), SEED (default 1); POSTGRES=1
# also times the same import, aggregation and verification in PostgreSQL (a throwaway
# cluster started by .ci/postgres.sh, or the server of SAYLAU_TEST_POSTGRES_URL).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
stations="${STATIONS:-100000}"
runs="${RUNS:-3}"
seed="${SEED:-1}"

if ! command -v sqlite3 >/dev/null; then
    echo "installing Debian's sqlite3" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null
fi

(cd "$root" && cargo build --release -q -p saylau-cli)
saylau="$root/target/release/saylau"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- inputs ------------------------------------------------------------------
"$saylau" generate --seed "$seed" --stations "$stations" --out "$work/country" --json >/dev/null
protocols="$work/country/protocols.csv"
# The raw import reads the same rows: the header and the data, without the # lines.
grep -v '^#' "$protocols" > "$work/raw.csv"
echo "protocols: $protocols ($(($(wc -l < "$work/raw.csv") - 1)) stations)"

# Seconds since the epoch, with microseconds.
now() { echo "$EPOCHREALTIME"; }
# Seconds between two `now`s.
elapsed() { awk -v start="$1" -v end="$2" 'BEGIN { printf "%.3f", end - start }'; }
# The smaller of two numbers.
smaller() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }

# --- the raw import: sqlite3's .import into a plain table of a fresh file ----------
raw_best=""
for ((run = 1; run <= runs; run++)); do
    rm -f "$work/raw.sqlite"
    start="$(now)"
    sqlite3 "$work/raw.sqlite" ".import --csv $work/raw.csv protocols"
    seconds="$(elapsed "$start" "$(now)")"
    raw_best="$(smaller "${raw_best:-$seconds}" "$seconds")"
    echo "sqlite3 .import, run $run: $seconds s"
done
rows="$(sqlite3 "$work/raw.sqlite" 'SELECT COUNT(*) FROM protocols')"
[[ "$rows" == "$stations" ]] || { echo "error: the raw import has $rows rows" >&2; exit 1; }

# --- saylau import into a fresh store, with a registered CEC key (not timed) ----------
import_best=""
for ((run = 1; run <= runs; run++)); do
    store="$work/store-$run.sqlite"
    "$saylau" --db "$store" db init --json >/dev/null
    key="$("$saylau" --db "$store" keys new --commission CEC --out "$work/keys-$run" --json |
        sed -n 's/.*"private_key": "\(.*\)".*/\1/p')"
    start="$(now)"
    "$saylau" --db "$store" import "$protocols" --key "$key" --json > "$work/import.json"
    seconds="$(elapsed "$start" "$(now)")"
    import_best="$(smaller "${import_best:-$seconds}" "$seconds")"
    echo "saylau import, run $run: $seconds s"
    grep -q "\"accepted\": $stations," "$work/import.json" || {
        echo "error: saylau import did not accept every protocol" >&2
        cat "$work/import.json" >&2
        exit 1
    }
done

# Seconds that `saylau log verify` (step `verify`) or `saylau results --level STEP` takes
# on the store DB.
time_step() {
    local db="$1" step="$2" start
    start="$(now)"
    case "$step" in
        verify) "$saylau" --db "$db" log verify --json >/dev/null ;;
        *) "$saylau" --db "$db" results --level "$step" --json >/dev/null ;;
    esac
    elapsed "$start" "$(now)"
}

# --- aggregation and verification on the last store ---------------------------------
declare -A best
for step in national region district station verify; do
    for ((run = 1; run <= runs; run++)); do
        seconds="$(time_step "$store" "$step")"
        best[$step]="$(smaller "${best[$step]:-$seconds}" "$seconds")"
    done
done
"$saylau" --db "$store" results --json | grep -A3 '"id": "nur-otan"' | grep -q '"seats": 76' || {
    echo "error: the imported protocols do not give Nur Otan its 76 seats" >&2
    exit 1
}

# --- PostgreSQL, for reference (POSTGRES=1) ---------------------------------------------------
declare -A pg
if [[ "${POSTGRES:-0}" == 1 ]]; then
    # shellcheck source=../../.ci/postgres.sh
    source "$root/.ci/postgres.sh" >&2
    # postgres.sh stops its cluster on exit; the work directory must go too.
    trap 'saylau_pg_stop; rm -rf "$work"' EXIT
    # The owner role creates and migrates the database; saylau runs as the application role
    # (docs/ledger.md, "PostgreSQL roles"), as a deployment would.
    server="$SAYLAU_TEST_POSTGRES_URL"
    owner="${SAYLAU_TEST_POSTGRES_OWNER_URL:-$server}"
    for ((run = 1; run <= runs; run++)); do
        database="saylau_bench_import_$$_$run"
        psql -q "$owner" -c "CREATE DATABASE $database" >/dev/null
        url="${server%/*}/$database"
        if [[ "$owner" == "$server" ]]; then
            "$saylau" --db "$url" db init --json >/dev/null
        else
            "$saylau" --db "$url" db init --owner-url "${owner%/*}/$database" --json >/dev/null
        fi
        key="$("$saylau" --db "$url" keys new --commission CEC --out "$work/pg-keys-$run" --json |
            sed -n 's/.*"private_key": "\(.*\)".*/\1/p')"
        start="$(now)"
        "$saylau" --db "$url" import "$protocols" --key "$key" --json > "$work/pg-import.json"
        seconds="$(elapsed "$start" "$(now)")"
        pg[import]="$(smaller "${pg[import]:-$seconds}" "$seconds")"
        echo "saylau import into PostgreSQL, run $run: $seconds s"
        grep -q "\"accepted\": $stations," "$work/pg-import.json" || {
            echo "error: saylau import into PostgreSQL did not accept every protocol" >&2
            exit 1
        }
        for step in national station verify; do
            seconds="$(time_step "$url" "$step")"
            pg[$step]="$(smaller "${pg[$step]:-$seconds}" "$seconds")"
        done
        psql -q "$owner" -c "DROP DATABASE $database" >/dev/null
    done
fi

# --- the table ---------------------------------------------------------------------------
echo
echo "| step ($stations stations, best of $runs) | seconds |"
echo "|---|---:|"
echo "| sqlite3 \`.import\` of the CSV rows into a plain table | $raw_best |"
echo "| \`saylau import\`: validate, encode, hash, chain, sign, store | $import_best |"
echo "| \`saylau results --level national\` (with seats) | ${best[national]} |"
echo "| \`saylau results --level region\` | ${best[region]} |"
echo "| \`saylau results --level district\` | ${best[district]} |"
echo "| \`saylau results --level station\` | ${best[station]} |"
echo "| \`saylau log verify\` | ${best[verify]} |"
if [[ -n "${pg[import]:-}" ]]; then
    echo "| PostgreSQL: \`saylau import\` | ${pg[import]} |"
    echo "| PostgreSQL: \`saylau results --level national\` (with seats) | ${pg[national]} |"
    echo "| PostgreSQL: \`saylau results --level station\` | ${pg[station]} |"
    echo "| PostgreSQL: \`saylau log verify\` | ${pg[verify]} |"
fi
echo
ratios="slowdown_vs_raw_import=$(awk -v a="$import_best" -v b="$raw_best" 'BEGIN { printf "%.2f", a / b }')"
if [[ -n "${pg[import]:-}" ]]; then
    ratios+=" postgres_vs_sqlite=$(awk -v a="${pg[import]}" -v b="$import_best" 'BEGIN { printf "%.2f", a / b }')"
fi
echo "$ratios"
