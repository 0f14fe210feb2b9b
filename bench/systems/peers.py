#!/usr/bin/env python3
"""Time interregnum on the systems benchmark: Bundestag 2017 and Zurich 2015.

Reads inputs.json (made by prepare_inputs.py; saylau's bench-systems reads the same
file) and times two whole allocations with interregnum 0.4.1, in its exact arithmetic
(integer votes, ``fractions.Fraction`` quotients):

``bundestag-2017``: § 6 BWahlG as amended in 2013
    1. the 598 seats to the 16 Länder by Sainte-Laguë on their German population:
       ``IterativeDivisorAllocator("sainte_lague")`` (the divisor method interregnum's
       own Bundestag example, ``tests/examples/de/de_bundestag_2025.yaml``, uses);
    2. qualification, 5 % of the federal second votes or three constituency seats,
       in plain integer Python: interregnum's allocators have no such rule (its
       ``Restriction`` strings belong to the district-document layer);
    3. first distribution: each Land's seats, less the constituency seats of parties
       that do not qualify, among the qualifying parties' Land lists, by the same
       ``IterativeDivisorAllocator``; a party's minimum seat number is the sum over
       the Länder of the larger of its constituency seats and its list seats;
    4. levelling (Ausgleichsmandate): ``MixedMemberAdapter("absorb", <the divisor
       allocator>)`` from interregnum.methods.compensatory.mixed_member, the allocator
       behind a ``compensatory`` node with ``mode: absorb_overhang``.  Given the
       minimums as ``initial_seats`` and 598 as the starting ``seats``, it re-runs
       Sainte-Laguë on the federal second votes with one seat more until no party is
       below its minimum (598 -> 709: 112 allocations);
    5. each party's seats to its Land lists, every Land list keeping at least its
       constituency seats: ``HighestAveragesAllocator("sainte_lague")`` with the
       constituency seats as ``initial_seats`` (its documented resumption of an
       allocation from seats already held) and the party's remaining seats as
       ``seats``.  A party with no seats left (CSU: 46 seats, 46 constituencies) keeps
       its constituency seats; interregnum refuses an allocation of 0 seats.

``zurich-2015``: the Kantonsrat, GPR § 102 ff. as in force in 2015
    1. qualification, 5 % of the votes in at least one district, and the voter
       numbers (each list's votes in a district divided by the district's seats,
       rounded half up, summed), in plain integer Python: interregnum has neither;
    2. upper apportionment: ``IterativeDivisorAllocator("sainte_lague")`` on the voter
       numbers, 180 seats;
    3. lower apportionment: ``BiproportionalAllocator("sainte_lague")`` from
       interregnum.methods.biproportional (alternate scaling with tie transfer; its
       defaults ``nice_quota=True``, ``sort_parties=False``) with the upper
       apportionment as ``party_seats``, the district seats as ``district_seats`` and
       ``((list, district), votes)`` candidates for every list that stood.

Every step runs inside the clock, as saylau's do, and so does reading the seats back
into plain lists.  Timing: one untimed warm-up run; then the number of runs per pass
is chosen so that a pass takes at least --min-pass-ms; the best of --runs passes,
divided by the runs per pass, is the time per allocation.

Output: one JSON line per case on stdout (and a short summary on stderr),
    {"lib": "interregnum", "case": ..., "runs_per_pass": ..., "passes": ...,
     "per_run_ns": ..., "result": {...}}
where ``result`` is {"house", "seats", "land_seats"} for the Bundestag and
{"upper", "lower"} for Zurich, in inputs.json's order (report.py compares them).

Usage: peers.py INPUTS_JSON [--runs 3] [--min-pass-ms 500] [--case NAME]
"""

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

from interregnum.methods.biproportional import BiproportionalAllocator
from interregnum.methods.compensatory.mixed_member import MixedMemberAdapter
from interregnum.methods.singlevote.highest_averages import HighestAveragesAllocator
from interregnum.methods.singlevote.iterative_divisor import IterativeDivisorAllocator

SAINTE_LAGUE = IterativeDivisorAllocator("sainte_lague")
# Resumes from seats already held: the quotient of a Land holding h seats is v / (2h + 1).
SAINTE_LAGUE_FROM_HELD = HighestAveragesAllocator("sainte_lague")
LEVELLING = MixedMemberAdapter("absorb", SAINTE_LAGUE, skip_initial_seats=False)
BIPROPORTIONAL = BiproportionalAllocator("sainte_lague")


def seats_by_name(result: Any) -> dict[Any, int]:
    return {cand.name: cand.seats for cand in result.allocation}


# --- Bundestag 2017 ----------------------------------------------------------


def bundestag(case: dict) -> dict:
    parties: list[str] = case["parties"]
    lands: list[dict] = case["lands"]
    n_parties = len(parties)

    # § 6 (2) sentence 1: the house to the Länder by population.
    land_seats = seats_by_name(
        SAINTE_LAGUE.calc([(land["name"], land["population"]) for land in lands], case["house"])
    )

    # § 6 (3): 5 % of the federal second votes, or three constituency seats.
    federal = [sum(land["second_votes"][party] for land in lands) for party in range(n_parties)]
    won = [sum(land["constituency_seats"][party] for land in lands) for party in range(n_parties)]
    total = sum(federal)
    percent, exemption = case["threshold_percent"], case["constituency_exemption"]
    qualified = [
        party
        for party in range(n_parties)
        if federal[party] > 0 and (100 * federal[party] >= percent * total or won[party] >= exemption)
    ]
    failed = [party for party in range(n_parties) if party not in qualified]

    # § 6 (2), (4)-(5): first distribution per Land, and the minimum seat numbers.
    minimums = {parties[party]: 0 for party in qualified}
    kept_total = 0
    for land in lands:
        kept = sum(land["constituency_seats"][party] for party in failed)
        kept_total += kept
        lists = [(parties[party], land["second_votes"][party]) for party in qualified]
        shares = seats_by_name(SAINTE_LAGUE.calc(lists, land_seats[land["name"]] - kept))
        for party in qualified:
            name = parties[party]
            minimums[name] += max(land["constituency_seats"][party], shares.get(name, 0))

    # § 6 (5)-(6): levelling on the federal second votes.
    levelled = seats_by_name(
        LEVELLING.calc(
            initial_seats=list(minimums.items()),
            seats=case["house"] - kept_total,
            candidates=[(parties[party], federal[party]) for party in qualified],
        )
    )

    # § 6 (6): each party's seats to its Land lists, from its constituency seats up.
    land_index = {land["name"]: idx for idx, land in enumerate(lands)}
    seats = [[0] * n_parties for _ in lands]
    for party in range(n_parties):
        held = [(land["name"], land["constituency_seats"][party]) for land in lands]
        extra = levelled.get(parties[party], 0) - won[party] if party in qualified else 0
        if extra > 0:
            lists = [
                (land["name"], land["second_votes"][party])
                for land in lands
                if land["second_votes"][party] > 0 or land["constituency_seats"][party] > 0
            ]
            res = SAINTE_LAGUE_FROM_HELD.calc(
                lists,
                extra,
                initial_seats=[(name, won) for name, won in held if won],
                skip_initial_seats=False,
            )
            held = list(seats_by_name(res).items())
        for name, count in held:
            seats[land_index[name]][party] = count
    totals = [sum(row[party] for row in seats) for party in range(n_parties)]
    return {"house": sum(totals), "seats": totals, "land_seats": seats}


# --- Zurich 2015 -------------------------------------------------------------


def zurich(case: dict) -> dict:
    lists: list[str] = case["lists"]
    districts: list[dict] = case["districts"]
    votes: list[list[int]] = case["votes"]  # votes[district][list]
    percent = case["qualification_percent"]

    # GPR § 102 sentence 3: 5 % of the votes in at least one district.
    totals = [sum(row) for row in votes]
    qualified = [
        idx
        for idx in range(len(lists))
        if any(row[idx] > 0 and 100 * row[idx] >= percent * total for row, total in zip(votes, totals))
    ]

    # Voter numbers: votes / district seats, rounded half up per district, summed.
    weights = [
        (
            lists[idx],
            sum(
                (2 * row[idx] + district["seats"]) // (2 * district["seats"])
                for row, district in zip(votes, districts)
            ),
        )
        for idx in qualified
    ]
    upper = seats_by_name(SAINTE_LAGUE.calc(weights, case["house"]))

    lower = seats_by_name(
        BIPROPORTIONAL.calc(
            party_seats=list(upper.items()),
            district_seats=[(district["name"], district["seats"]) for district in districts],
            candidates=[
                ((lists[idx], district["name"]), row[idx])
                for row, district in zip(votes, districts)
                for idx in qualified
                if row[idx] > 0
            ],
        )
    )
    return {
        "upper": [upper.get(name, 0) for name in lists],
        "lower": [
            [lower.get((name, district["name"]), 0) for name in lists] for district in districts
        ],
    }


# --- harness -----------------------------------------------------------------

CASES: dict[str, tuple[str, Callable[[dict], dict]]] = {
    "bundestag-2017": ("bundestag_2017", bundestag),
    "zurich-2015": ("zurich_2015", zurich),
}


def timed(run: Callable[[], dict], runs: int, min_pass_ns: int) -> tuple[int, int, float, dict]:
    """Warm up once, size a pass to `min_pass_ns`, return (runs per pass, passes, best ns
    per run, result)."""
    start = time.perf_counter_ns()
    result = run()
    once = max(1, time.perf_counter_ns() - start)
    per_pass = max(1, -(-min_pass_ns // once))
    best = None
    for _ in range(runs):
        start = time.perf_counter_ns()
        for _ in range(per_pass):
            result = run()
        elapsed = time.perf_counter_ns() - start
        best = elapsed if best is None else min(best, elapsed)
    return per_pass, runs, best / per_pass, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="timed passes; the best is kept")
    parser.add_argument("--min-pass-ms", type=int, default=500)
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    args = parser.parse_args()

    inputs = json.loads(args.inputs.read_text(encoding="utf-8"))
    for case in args.case or list(CASES):
        key, allocate = CASES[case]
        data = inputs[key]
        per_pass, passes, per_run, result = timed(
            lambda: allocate(data), args.runs, args.min_pass_ms * 1_000_000
        )
        line = {
            "lib": "interregnum",
            "case": case,
            "runs_per_pass": per_pass,
            "passes": passes,
            "per_run_ns": round(per_run),
            "result": result,
        }
        print(json.dumps(line, ensure_ascii=False), flush=True)
        print(
            f"interregnum {case}: {per_run / 1000:.1f} µs per run "
            f"(best of {passes} passes of {per_pass} runs)",
            file=sys.stderr,
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
