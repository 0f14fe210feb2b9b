#!/usr/bin/env python3
"""Check the saylau seats against votelib and print the side-by-side table.

Reads the JSON result lines ({"lib": ..., "n": ..., "per_allocation_ns": ...})
that peers.py and the Rust bench-allocation binary printed, checks that
seats_saylau.csv holds the same seats as seats_votelib.csv, and prints

    lib, µs per allocation, ratio (that lib's time / saylau's time)

then ``speedup_vs_interregnum=<x>`` and, as the very last line,
``speedup_vs_votelib=<x>`` (one decimal).

Usage: report.py RESULTS_JSONL VOTES_CSV SEATS_VOTELIB_CSV SEATS_SAYLAU_CSV
"""

import csv
import json
import sys
from pathlib import Path

TARGET_VS_VOTELIB = 200.0


def read_results(path: Path) -> dict[str, dict]:
    """The last JSON object per lib among the lines of `path` (other lines ignored)."""
    results = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        rec = json.loads(line)
        if "lib" in rec and "per_allocation_ns" in rec:
            results[rec["lib"]] = rec
    return results


def read_table(path: Path) -> tuple[list[str], list[tuple[int, ...]]]:
    with path.open(newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], [tuple(int(x) for x in row) for row in rows[1:] if row]


def check_seats(votes: Path, expected: Path, actual: Path) -> None:
    """Exit non-zero, showing the first differing rows, if the seat tables differ."""
    want_header, want = read_table(expected)
    got_header, got = read_table(actual)
    _, vote_rows = read_table(votes)
    if got_header != want_header:
        sys.exit(f"{actual.name}: header {got_header}, expected {want_header}")
    if len(got) != len(want):
        sys.exit(f"{actual.name}: {len(got)} rows, expected {len(want)}")
    bad = [i for i, (w, g) in enumerate(zip(want, got)) if w != g]
    for i in bad[:10]:
        print(
            f"MISMATCH row {i + 1} votes={vote_rows[i]} votelib={want[i]} saylau={got[i]}",
            file=sys.stderr,
        )
    if bad:
        sys.exit(f"{actual.name} differs from {expected.name} on {len(bad)} rows")
    print(f"seats: {actual.name} == {expected.name} ({len(got)} rows)")


def main() -> None:
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    results_path, votes, seats_votelib, seats_saylau = map(Path, sys.argv[1:])
    check_seats(votes, seats_votelib, seats_saylau)

    results = read_results(results_path)
    for lib in ("saylau", "votelib", "interregnum"):
        if lib not in results:
            sys.exit(f"{results_path}: no result line for {lib}")
    saylau_ns = results["saylau"]["per_allocation_ns"]

    # Side-by-side table, fastest first.
    print()
    print(f"{'lib':<22} {'n':>6} {'µs/allocation':>14} {'ratio':>9}")
    for lib, rec in sorted(results.items(), key=lambda kv: kv[1]["per_allocation_ns"]):
        ns = rec["per_allocation_ns"]
        print(f"{lib:<22} {rec['n']:>6} {ns / 1000:>14.3f} {ns / saylau_ns:>8.1f}x")
    print()

    vs_votelib = results["votelib"]["per_allocation_ns"] / saylau_ns
    vs_interregnum = results["interregnum"]["per_allocation_ns"] / saylau_ns
    verdict = "met" if vs_votelib >= TARGET_VS_VOTELIB else "NOT met"
    print(f"target: >= {TARGET_VS_VOTELIB:.0f}x faster than votelib: {verdict}")
    print(f"speedup_vs_interregnum={vs_interregnum:.1f}")
    print(f"speedup_vs_votelib={vs_votelib:.1f}")


if __name__ == "__main__":
    main()
