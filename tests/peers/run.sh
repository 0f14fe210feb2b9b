#!/usr/bin/env bash
# Checks saylau against Python peers on the bundled data (run by .ci/run):
#
#   bash tests/peers/run.sh        (from any directory)
#
# reform_seats.py: the reform scenarios of data/kz/README.md (17 districts, 7 regions,
# the cube-root house, the 50/50 parallel plan, the nationwide list contest) and their
# documented --set variants, built from the election files and allocated by interregnum,
# against `saylau allocate --json` and the README's table of seats per party.
#
# The venv (.venv here, pinned by requirements.txt) is made by bench/python-venv.sh;
# PYTHON picks its interpreter (default python3, >= 3.11 for tomllib).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# shellcheck source=../../bench/python-venv.sh
source "$root/bench/python-venv.sh"
python_venv "$here" "interregnum"

(cd "$root" && cargo build -q --locked -p saylau-cli)
target="$(cd "$root" && cargo metadata --format-version 1 --no-deps | "$py" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
# Work from here: `python -m`-style path lookups must not pick up the caller's files.
cd "$here"
"$py" "$here/reform_seats.py" "$target/debug/saylau" "$root"
