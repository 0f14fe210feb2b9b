#!/usr/bin/env bash
# Election night over HTTP: STATIONS (default 10000) station protocols submitted
# concurrently by CLIENTS (default 32) operators to `saylau serve` (release build) through
# the write API (`POST /api/v1/stations/{id}/protocol`, bearer tokens), each accepted once,
# none lost, the log verifying afterwards. Side by side, the same protocols imported in
# bulk (`saylau import`) into a store of their own: the peer rate per protocol.
#
#   bash bench/web/submit.sh                          (from any directory)
#   SAYLAU_DB=postgres bash bench/web/submit.sh       (after `source .ci/postgres.sh`)
#
# The store is fresh: the synthetic country's stations registered (`saylau import
# --register-only`), no protocol yet; CLIENTS users of the CEC's data-entry desk
# (`cec-admin`, signing with the CEC's key, single entry). The client (submit.mjs, Node's
# own http) retries only transient failures (a refused or reset connection, 503, 429) and
# counts them; then it reads every station back from the API. Checked afterwards: every
# submission answered 201, every station has exactly one version with the lines
# submitted, the log grew by exactly STATIONS entries, `saylau log verify` says intact.
# The last line is `submissions_accepted=<accepted>/<stations>` with the rates.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
stations="${STATIONS:-10000}"
clients="${CLIENTS:-32}"
port="${PORTAL_PORT:-18082}"
backend="${SAYLAU_DB:-sqlite}"

# SAYLAU_BIN: another build of the binary (say, a debug one to try the script), not rebuilt.
if [[ -z "${SAYLAU_BIN:-}" ]]; then (cd "$root" && cargo build --release -q -p saylau-cli); fi
saylau="${SAYLAU_BIN:-$root/target/release/saylau}"
work="$(mktemp -d)"
pids=()
databases=()
# The owner's role of .ci/postgres.sh (it may create databases); the bench is about speed,
# not the application role's least privilege.
pg_url="${SAYLAU_TEST_POSTGRES_OWNER_URL:-${SAYLAU_TEST_POSTGRES_URL:-}}"
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for db in "${databases[@]}"; do psql -q "$pg_url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# A database of its own: a file, or a fresh database on the throwaway PostgreSQL cluster.
fresh_db() {
    local name="$1"
    if [[ $backend == postgres ]]; then
        [[ -n $pg_url ]] || { echo "source .ci/postgres.sh first" >&2; exit 1; }
        local db="saylau_submit_${name}_$$"
        psql -q "$pg_url" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
        echo "${pg_url%%\?*}" | sed "s|/[^/]*\$|/$db|"
    else
        echo "$work/$name.sqlite"
    fi
}

cd "$work"
"$saylau" generate --seed 12 --stations "$stations" --out gen --json >/dev/null
db="$(fresh_db web)"
databases+=("saylau_submit_web_$$" "saylau_submit_bulk_$$")
"$saylau" --db "$db" db init --json >/dev/null
cec="$("$saylau" --db "$db" keys new --commission CEC --out keys --json | jq -r .private_key)"
"$saylau" --db "$db" import --register-only --key "$cec" gen/protocols.csv --json >registered.json || true
registered="$(jq .registered.stations registered.json)"
[[ $registered == "$stations" ]] || { echo "registered $registered stations, not $stations" >&2; exit 1; }
password="bench password of the desk"
for i in $(seq -f '%02g' 1 "$clients"); do
    echo "$password" | "$saylau" --db "$db" users add --name "op$i" --role cec-admin \
        --territory CEC --key "$cec" --json >/dev/null
done

"$saylau" --db "$db" serve --addr "127.0.0.1:$port" --keys keys --single-entry 2>serve.log &
pids+=("$!")
origin="http://127.0.0.1:$port"
for _ in $(seq 600); do
    curl -sf -o /dev/null "$origin/api/v1/checkpoint" && break
    sleep 0.1
done
before="$(curl -sf "$origin/api/v1/checkpoint" | jq .seq)"

node "$here/submit.mjs" "$origin" gen/protocols.csv op "$password" "$clients" >web.json
after="$(curl -sf "$origin/api/v1/checkpoint" | jq .seq)"
kill "${pids[0]}" && wait "${pids[0]}" || true
pids=()
verify="$("$saylau" --db "$db" log verify --json | jq -r 'if .intact then "intact" else "BROKEN" end' || true)"

# The peer: the same protocols imported in bulk into a fresh store.
bulk_db="$(fresh_db bulk)"
"$saylau" --db "$bulk_db" db init --json >/dev/null
bulk_key="$("$saylau" --db "$bulk_db" keys new --commission CEC --out bulk-keys --json | jq -r .private_key)"
start="$(date +%s.%N)"
"$saylau" --db "$bulk_db" import --key "$bulk_key" gen/protocols.csv --json >bulk.json || true
end="$(date +%s.%N)"
bulk_accepted="$(jq .counts.accepted bulk.json)"

jq -r '"accepted \(.accepted)/\(.stations) by \(.clients) clients in \(.wall_s) s: \(.per_s)/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, max \(.max_ms) ms; failures \(.failures), retries \(.retries | tostring); read back \(.checked), problems \(.problems)"' web.json
jq -r '.first_failures[], .first_problems[] | tostring' web.json
grep -ciE 'busy|locked|panick' serve.log | sed 's/^/server log lines naming busy, locked or a panic: /' || true
echo "log entries appended $((after - before)) (stations $stations); log verify: $verify; backend $backend; load: $(uptime | sed 's/.*load average: //')"
awk -v a="$(jq .accepted web.json)" -v n="$stations" -v f="$(jq .failures web.json)" \
    -v p="$(jq .problems web.json)" -v w="$(jq .per_s web.json)" -v e="$((after - before))" \
    -v v="$verify" -v s="$start" -v t="$end" -v b="$bulk_accepted" 'BEGIN {
    bulk = b / (t - s)
    printf "bulk import: %d protocols in %.2f s, %.1f/s\n", b, t - s, bulk
    ok = (a == n && f == 0 && p == 0 && e == n && v == "intact")
    printf "submissions_accepted=%d/%d web_per_s=%.1f bulk_per_s=%.1f web_vs_bulk=%.4f %s\n", a, n, w, bulk, w / bulk, ok ? "ok" : "FAILED"
    exit ok ? 0 : 1
}'
