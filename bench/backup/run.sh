#!/usr/bin/env bash
# Backups during an import (issue 10, "What it must show"): BACKUPS (default 20) backups of
# a SQLite store taken by `saylau db backup --out FILE` at random moments of an import of
# STATIONS (default 200,000) protocols, each then put through the restore drill of
# docs/ledger.md ("Backups"):
#   1. `db backup` verified the copy against the checkpoint taken with it (exit 0);
#   2. the copy holds whole batches (its last entry ends a batch);
#   3. `log verify --checkpoint HASH@SEQ` on the copy says intact;
#   4. restored: the same import run again into the copy records only what the copy lacked,
#      and `results --json` of the restored store equals that of the original store.
#
#   bash bench/backup/run.sh        (from any directory)
#
# The random moments are BACKUPS offsets drawn uniformly (seed SEED, default 1) over the
# import's duration, measured first by an untimed import into a scratch store; the backups
# run as separate processes beside the import, as an operator's would. The last line is
# backups_ok=<backups that passed every step>/<backups>.
#
# Environment: STATIONS, BACKUPS, SEED, BATCH (protocols per signed batch, default 5000),
# PROFILE (default release; `debug` uses target/debug without building).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
stations="${STATIONS:-200000}"
backups="${BACKUPS:-20}"
seed="${SEED:-1}"
batch="${BATCH:-5000}"
profile="${PROFILE:-release}"

if [[ "$profile" == release ]]; then
    (cd "$root" && cargo build --release -q -p saylau-cli)
fi
saylau="$root/target/$profile/saylau"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$saylau" generate --seed "$seed" --stations "$stations" --out "$work/country" --json >/dev/null
protocols="$work/country/protocols.csv"

# A fresh store with a CEC key; prints the key's path.
new_store() {
    "$saylau" --db "$1" db init --json >/dev/null
    "$saylau" --db "$1" keys new --commission CEC --out "$1.keys" --json | jq -r .private_key
}
import() { "$saylau" --db "$1" import "$protocols" --key "$2" --batch-size "$batch" --json; }

# --- how long the import takes (not a backup run) -----------------------------------
key="$(new_store "$work/scratch.sqlite")"
start="$EPOCHREALTIME"
import "$work/scratch.sqlite" "$key" >/dev/null
duration="$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')"
rm -rf "$work/scratch.sqlite"*
echo "import of $stations protocols alone: $duration s"

# --- the import, and the backups at random moments of it -------------------------------
store="$work/store.sqlite"
key="$(new_store "$store")"
# Offsets in seconds, sorted, uniform over the import's duration.
mapfile -t offsets < <(awk -v n="$backups" -v d="$duration" -v seed="$seed" \
    'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%.3f\n", rand() * d }' | sort -g)
import "$store" "$key" > "$work/import.json" &
importer=$!
begin="$EPOCHREALTIME"
takers=()
for ((n = 0; n < backups; n++)); do
    # Wait until the offset, then take the backup in a process of its own.
    awk -v a="$begin" -v o="${offsets[$n]}" -v now="$EPOCHREALTIME" \
        'BEGIN { s = a + o - now; if (s > 0) printf "%.3f", s; else print 0 }' |
        xargs sleep
    at="$(awk -v a="$begin" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')"
    ("$saylau" --db "$store" db backup --out "$work/backup-$n.sqlite" --json \
        > "$work/backup-$n.json" 2> "$work/backup-$n.err"; echo $? > "$work/backup-$n.code") &
    takers+=($!)
    echo "$at" > "$work/backup-$n.at"
done
wait "$importer"
for taker in "${takers[@]}"; do wait "$taker"; done
jq -e ".counts.accepted == $stations" "$work/import.json" >/dev/null || {
    echo "error: the import did not accept every protocol" >&2
    exit 1
}
entries_total="$(jq -r '.checkpoint' "$work/import.json")"
"$saylau" --db "$store" results --json > "$work/results.json"
echo "import with backups beside it: $(awk -v a="$begin" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }') s, checkpoint $entries_total"

# --- the restore drill of each backup -------------------------------------------------------
ok=0
echo
echo "| backup | taken at (s) | entries | protocols | verified | whole batches | log verify --checkpoint | restored results |"
echo "|---:|---:|---:|---:|---|---|---|---|"
for ((n = 0; n < backups; n++)); do
    copy="$work/backup-$n.sqlite"
    code="$(cat "$work/backup-$n.code")"
    verified=no whole=no checked=no restored=no entries="-" counted="-"
    if [[ "$code" == 0 ]] && jq -e '.verified == true' "$work/backup-$n.json" >/dev/null; then
        verified=yes
        checkpoint="$(jq -r .checkpoint "$work/backup-$n.json")"
        entries="$(jq -r .entries "$work/backup-$n.json")"
        # The log also holds registry entries (the genesis key, each chunk's registrations),
        # so the protocols in the copy are counted by `results`, not by its entries.
        # (A copy taken before the first chunk has none, and no seats to allocate.)
        counted="$("$saylau" --db "$copy" results --json 2>/dev/null | jq -r .stations || echo 0)"
        # Every batch but the import's last is BATCH protocols; the last ends the import.
        if ((counted % batch == 0 || counted == stations)); then whole=yes; fi
        if "$saylau" --db "$copy" log verify --checkpoint "$checkpoint" --json |
            jq -e '.intact == true' >/dev/null; then
            checked=yes
        fi
        # Restore: the copy takes the damaged store's place, and the import runs again.
        cp "$copy" "$work/restored-$n.sqlite"
        import "$work/restored-$n.sqlite" "$key" > "$work/restored-$n.json" || true
        "$saylau" --db "$work/restored-$n.sqlite" results --json > "$work/restored-$n.results.json" || true
        if jq -e ".counts.accepted == $stations - $counted and .counts.unchanged == $counted" \
            "$work/restored-$n.json" >/dev/null &&
            cmp -s "$work/results.json" "$work/restored-$n.results.json"; then
            restored=yes
        fi
        rm -f "$work/restored-$n.sqlite"*
    else
        head -c 500 "$work/backup-$n.err" >&2
    fi
    if [[ "$verified$whole$checked$restored" == yesyesyesyes ]]; then ok=$((ok + 1)); fi
    echo "| $n | $(cat "$work/backup-$n.at") | $entries | $counted | $verified | $whole | $checked | $restored |"
    rm -f "$copy"*
done
echo
echo "backups_ok=$ok/$backups"
