#!/usr/bin/env bash
# Fuzzing of every reader of untrusted text (issue 10, item 9): `bench-fuzz` (bench/src/bin/
# bench-fuzz/) runs INPUTS inputs per reader (default 1,000,000), raw bytes and bundled
# data/ files mutated, each reader in its own process, and fails on a panic, an input that
# takes over 1 s, or a process over 256 MB resident. It prints one table row per reader.
#
#   bash bench/fuzz/run.sh                 (from any directory; a release build)
#   INPUTS=300 PROFILE=dev bash bench/fuzz/run.sh    (the short run of .ci/run)
#
# Environment: INPUTS, SEED (default 1), PROFILE (release or dev), TARGETS (names, default
# every reader; `bench-fuzz --list` lists them).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
inputs="${INPUTS:-1000000}"
seed="${SEED:-1}"
profile="${PROFILE:-release}"

(cd "$root" && cargo build -q --locked --profile "$profile" -p saylau-bench --bin bench-fuzz)
dir="$profile"
[[ "$profile" == dev ]] && dir=debug
fuzz="$root/target/$dir/bench-fuzz"
read -r -a targets <<< "${TARGETS:-$("$fuzz" --list | tr '\n' ' ')}"

failed=0
first=1
start="$EPOCHREALTIME"
for target in "${targets[@]}"; do
    # One process a reader, so that each row's peak memory is its own.
    if ! out="$("$fuzz" --inputs "$inputs" --seed "$seed" "$target")"; then
        failed=1
    fi
    if [[ "$first" == 1 ]]; then
        echo "$out"
        first=0
    else
        echo "$out" | tail -n +3
    fi
done
echo
echo "readers=${#targets[@]} inputs_per_reader=$inputs seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')"
exit "$failed"
