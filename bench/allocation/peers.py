#!/usr/bin/env python3
"""Time the Python peers on the allocation benchmark: votelib and interregnum.

For every row of votes.csv (six lists a..f) each library allocates 98 seats by
Hare-quota largest remainder among the lists that reach 5 % of the sum of the
six lists' votes (exactly 5 % passes).  The Hare quota is taken on the votes
of the lists that passed, which is what both libraries do once the failed
lists are removed.  Both libraries work in exact ``fractions.Fraction``
arithmetic here.

Library set-ups (read from the installed sources, votelib 0.4.0 and
interregnum 0.4.1):

votelib
    ``Conditioned(AbsoluteThreshold(Fraction(total, 20)), LargestRemainder("hare"))``
    from ``votelib.evaluate.core``, ``votelib.evaluate.threshold`` and
    ``votelib.evaluate.proportional``; ``"hare"`` is the unrounded quota
    ``votelib.component.quota.hare`` (``Fraction(votes, seats)``).
    ``RelativeThreshold(Fraction(1, 20))`` would be the natural selector, but
    in 0.4.0 its ``accept_equal`` branch compares the vote count with the
    fraction (``n_votes == self.threshold``) instead of the share, so a list
    with exactly 5 % is dropped.  ``AbsoluteThreshold`` at total / 20 with
    ``accept_equal=True`` is the same rule with a working boundary.

interregnum
    ``LargestRemainderAllocator("hare")`` (interregnum.methods.singlevote.
    largest_remainder), whose quota is ``Comparison(GT, Fraction(votes,
    seats))``; the lists under 5 % are handed to ``calc`` through its own
    ``exclude_candidates`` input.  This is the allocator on its own and the
    number used for the speed-up.
    ``interregnum-district`` is the same allocation through interregnum's
    own threshold machinery: a ``District`` node built by
    ``interregnum.district.unserialize_node`` with ``exclude: "votes < 5%"``
    (a ``Restriction`` resolved in exact Fraction arithmetic).  It is slower
    (node construction, statistics, filters) and is reported for
    information.

Timing: the votes are parsed and turned into each library's input before the
clock starts; a timed pass runs the library call plus reading the seats back
into a 6-tuple for every row.  One untimed warm-up pass, then the best of three
timed passes (time.perf_counter_ns).

Output: seats_<lib>.csv (header a..f) for votelib and interregnum, and one
JSON line per variant on stdout:
    {"lib": "votelib", "n": 10000, "per_allocation_ns": ...}
Exits non-zero, printing the rows, if the variants disagree anywhere.

Usage: peers.py [--votes votes.csv] [--out-dir DIR] [--runs 3]
"""

import argparse
import csv
import json
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Callable, Sequence

from interregnum.district import unserialize_node
from interregnum.methods.singlevote.largest_remainder import LargestRemainderAllocator
from votelib.evaluate.core import Conditioned
from votelib.evaluate.proportional import LargestRemainder
from votelib.evaluate.threshold import AbsoluteThreshold

SEATS = 98
LISTS = ("a", "b", "c", "d", "e", "f")

Row = tuple[int, ...]
Allocate = Callable[[object], Row]


def read_votes(path: Path) -> list[Row]:
    with path.open(newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if tuple(header) != LISTS:
            sys.exit(f"{path}: expected header {','.join(LISTS)}, got {','.join(header)}")
        return [tuple(int(x) for x in rec) for rec in reader]


# --- votelib ----------------------------------------------------------------

# One LargestRemainder evaluator is shared; Conditioned and the threshold
# selector are per row, because the absolute threshold depends on the total.
VOTELIB_HARE = LargestRemainder("hare")


def votelib_input(row: Row) -> tuple[dict[str, int], Fraction]:
    """Votes dict keyed by list name, and the 5 % threshold in votes."""
    return dict(zip(LISTS, row)), Fraction(sum(row), 20)


def votelib_allocate(prepared: tuple[dict[str, int], Fraction]) -> Row:
    votes, threshold = prepared
    system = Conditioned(AbsoluteThreshold(threshold, accept_equal=True), VOTELIB_HARE)
    seats = system.evaluate(votes, SEATS)  # {list: seats}, lists with 0 seats omitted
    return tuple(seats.get(name, 0) for name in LISTS)


# --- interregnum: allocator -------------------------------------------------

INTERREGNUM_HARE = LargestRemainderAllocator("hare")


def interregnum_input(row: Row) -> tuple[list[tuple[str, int]], list[str]]:
    """(name, votes) pairs, and the names under 5 % of the six lists' sum.

    The rule is integer-exact: votes < total / 20  <=>  20 * votes < total.
    """
    total = sum(row)
    return list(zip(LISTS, row)), [name for name, v in zip(LISTS, row) if 20 * v < total]


def interregnum_allocate(prepared: tuple[list[tuple[str, int]], list[str]]) -> Row:
    candidates, excluded = prepared
    result = INTERREGNUM_HARE.calc(candidates, SEATS, exclude_candidates=excluded)
    # result.allocation lists the eligible candidates only
    seats = {cand.name: cand.seats for cand in result.allocation}
    return tuple(seats.get(name, 0) for name in LISTS)


# --- interregnum: District with its own threshold restriction --------------


def district_input(row: Row) -> dict:
    """The district document, as interregnum's YAML/JSON loader takes it."""
    return {
        "type": "district",
        "name": "bench",
        "seats": SEATS,
        "method": "largest_remainder",
        "method_params": {"quota_f": "hare"},
        "exclude": "votes < 5%",  # below 5 % of the lists' votes; 5 % itself passes
        "candidates": [{"name": name, "votes": v} for name, v in zip(LISTS, row)],
    }


def district_allocate(doc: dict) -> Row:
    node = unserialize_node(doc, None)
    node.build()()
    seats = {cand.name.name: cand.seats for cand in node.result.allocation}
    return tuple(seats.get(name, 0) for name in LISTS)


# --- harness ----------------------------------------------------------------


def run_all(allocate: Allocate, prepared: Sequence[object]) -> list[Row]:
    return [allocate(p) for p in prepared]


def best_time(allocate: Allocate, prepared: Sequence[object], runs: int) -> tuple[int, list[Row]]:
    """Warm up once, then return the fastest of `runs` timed passes (ns) and the seats."""
    seats = run_all(allocate, prepared)
    best = None
    for _ in range(runs):
        start = time.perf_counter_ns()
        seats = run_all(allocate, prepared)
        elapsed = time.perf_counter_ns() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, seats


def write_seats(path: Path, seats: list[Row]) -> None:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(LISTS)
        writer.writerows(seats)


def main() -> None:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=Path, default=here / "votes.csv")
    parser.add_argument("--out-dir", type=Path, default=here)
    parser.add_argument("--runs", type=int, default=3, help="timed passes; the best is kept")
    args = parser.parse_args()

    rows = read_votes(args.votes)
    variants = [
        # (lib label, allocate, input builder, seats file or None)
        ("votelib", votelib_allocate, votelib_input, "seats_votelib.csv"),
        ("interregnum", interregnum_allocate, interregnum_input, "seats_interregnum.csv"),
        ("interregnum-district", district_allocate, district_input, None),
    ]

    results: dict[str, list[Row]] = {}
    for lib, allocate, build_input, seats_file in variants:
        prepared = [build_input(row) for row in rows]
        elapsed, seats = best_time(allocate, prepared, args.runs)
        results[lib] = seats
        if seats_file:
            write_seats(args.out_dir / seats_file, seats)
        print(
            json.dumps({"lib": lib, "n": len(rows), "per_allocation_ns": round(elapsed / len(rows))}),
            flush=True,
        )

    # Every variant must give the same seats as votelib on every row.
    reference = results["votelib"]
    bad = 0
    for lib, seats in results.items():
        for i, (want, got) in enumerate(zip(reference, seats)):
            if want != got or sum(got) != SEATS:
                bad += 1
                print(
                    f"MISMATCH row {i + 1} votes={rows[i]} votelib={want} {lib}={got}",
                    file=sys.stderr,
                )
    if bad:
        sys.exit(f"{bad} disagreeing rows")


if __name__ == "__main__":
    main()
