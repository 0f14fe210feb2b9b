#!/usr/bin/env python3
"""Check the systems benchmark's seats and print the side-by-side table.

Reads the JSON result lines that peers.py (interregnum) and bench-systems (saylau)
printed, each ``{"lib", "case", "runs_per_pass", "passes", "per_run_ns", "result"}``,
and the official numbers in inputs.json, then:

1. checks every result against the official seats (Bundestag: seats per party, the
   house of 709 and the Mecklenburg-Vorpommern Land lists; Zurich: the upper
   apportionment and the whole list × district matrix) and interregnum's result against
   saylau's (for the Bundestag also every Land list).  A saylau result that differs from
   the official one stops the run (exit 1); an interregnum result that differs is
   reported, and its time is still shown: it was measured on the same input;
2. prints the table: case, saylau µs, interregnum µs, ratio (interregnum / saylau);
3. prints one ``ratio_<case>=<x>`` line per case and, as the very last line,
   ``speedup_vs_interregnum=<x>``: the geometric mean of the case ratios.

Usage: report.py RESULTS_JSONL INPUTS_JSON
"""

import json
import math
import sys
from pathlib import Path

TARGET = 100.0
CASES = (("bundestag-2017", "bundestag_2017"), ("zurich-2015", "zurich_2015"))
LIBS = ("saylau", "interregnum")


def read_results(path: Path) -> dict[tuple[str, str], dict]:
    """The last result line per (lib, case) among the lines of `path`."""
    results = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        rec = json.loads(line)
        if {"lib", "case", "per_run_ns", "result"} <= rec.keys():
            results[rec["lib"], rec["case"]] = rec
    return results


def bundestag_differences(case: dict, result: dict) -> list[str]:
    """Where `result` differs from the official Bundestag numbers."""
    parties, expected = case["parties"], case["expected"]
    out = []
    for party, got in zip(parties, result["seats"]):
        want = expected["seats"].get(party, 0)
        if got != want:
            out.append(f"{party}: {got} seats, official {want}")
    if result["house"] != expected["house"]:
        out.append(f"house: {result['house']}, official {expected['house']}")
    land = next(idx for idx, it in enumerate(case["lands"]) if it["name"] == "Mecklenburg-Vorpommern")
    for party, got in zip(parties, result["land_seats"][land]):
        want = expected["mecklenburg_vorpommern"].get(party, 0)
        if got != want:
            out.append(f"Mecklenburg-Vorpommern, {party}: {got} seats, official {want}")
    return out


def zurich_differences(case: dict, result: dict) -> list[str]:
    """Where `result` differs from the official Zurich apportionments."""
    lists, expected = case["lists"], case["expected"]
    out = []
    for name, got in zip(lists, result["upper"]):
        want = expected["upper"].get(name, 0)
        if got != want:
            out.append(f"upper, {name}: {got} seats, official {want}")
    for district, got_row, want_row in zip(case["districts"], result["lower"], expected["lower"]):
        for name, got, want in zip(lists, got_row, want_row):
            if got != want:
                out.append(f"{district['name']}, {name}: {got} seats, official {want}")
    return out


DIFFERENCES = {"bundestag-2017": bundestag_differences, "zurich-2015": zurich_differences}


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    results = read_results(Path(sys.argv[1]))
    inputs = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    for case, _ in CASES:
        for lib in LIBS:
            if (lib, case) not in results:
                sys.exit(f"{sys.argv[1]}: no result line for {lib} on {case}")

    # Seats: saylau must give the official result; interregnum is reported either way.
    print()
    reproduced = {}
    for case, key in CASES:
        differ = DIFFERENCES[case]
        saylau = results["saylau", case]["result"]
        interregnum = results["interregnum", case]["result"]
        bad = differ(inputs[key], saylau)
        if bad:
            print("\n".join(f"  {line}" for line in bad[:20]), file=sys.stderr)
            sys.exit(f"{case}: saylau differs from the official result in {len(bad)} places")
        print(f"{case}: saylau == official result")
        bad = differ(inputs[key], interregnum)
        same = interregnum == saylau
        reproduced[case] = not bad and same
        if reproduced[case]:
            print(f"{case}: interregnum == official result == saylau (every seat)")
        else:
            print(f"{case}: interregnum does NOT reproduce the official result; it gives:")
            for line in bad[:20]:
                print(f"  {line}")
            if not same:
                print(f"  (and differs from saylau elsewhere too: {json.dumps(interregnum)})")
            print(f"  {case}: interregnum is still timed on the same input")

    # Side-by-side table.
    print()
    print(f"{'case':<16} {'saylau µs':>12} {'interregnum µs':>15} {'ratio':>9}")
    ratios = {}
    for case, _ in CASES:
        saylau_ns = results["saylau", case]["per_run_ns"]
        peer_ns = results["interregnum", case]["per_run_ns"]
        ratios[case] = peer_ns / saylau_ns
        mark = "" if reproduced[case] else "  (interregnum result differs)"
        print(
            f"{case:<16} {saylau_ns / 1000:>12.1f} {peer_ns / 1000:>15.1f} "
            f"{ratios[case]:>8.1f}x{mark}"
        )
    print()
    speedup = math.prod(ratios.values()) ** (1 / len(ratios))
    verdict = "met" if speedup >= TARGET else "NOT met"
    print(
        f"speedup_vs_interregnum is the geometric mean of the {len(ratios)} case ratios "
        f"(interregnum time / saylau time); target >= {TARGET:.0f}x: {verdict}"
    )
    for case, ratio in ratios.items():
        print(f"ratio_{case.replace('-', '_')}={ratio:.1f}")
    print(f"speedup_vs_interregnum={speedup:.1f}")


if __name__ == "__main__":
    main()
