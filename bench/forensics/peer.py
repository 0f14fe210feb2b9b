"""The reference procedure of the integer-percentage test, as the research note describes
the authors' (Kobak, Shpilkin, Pshenichnikov) numpy code path: the same filters, the
floating-point integer rule, and a Monte Carlo with numpy's legacy generator seeded with
42, looping over stations and drawing 1,000 binomial leader counts, then 1,000 binomial
turnout counts, per station. Excess = observed minus the Monte Carlo mean.

Written for this benchmark from that description. The arrays are loaded before the clock
starts; the timed part is the test, in wall-clock and thread CPU time. Prints one JSON line.
"""

import argparse
import csv
import gzip
import json
import time

import numpy as np


def load(path, leader):
    voters, given, cast, votes = [], [], [], []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cells = (row["voters"], row["given"], row["valid"], row["invalid"], row[leader])
            if any(cell == "" for cell in cells):
                continue
            voters.append(int(row["voters"]))
            given.append(int(row["given"]))
            cast.append(int(row["valid"]) + int(row["invalid"]))
            votes.append(int(row[leader]))
    as_array = lambda values: np.array(values, dtype=np.int64)
    return as_array(voters), as_array(given), as_array(cast), as_array(votes)


def is_integer(percent):
    return np.abs(percent - np.round(percent)) <= 0.05


def integer_test(voters, given, cast, leader, draws, seed, chunk=2000):
    keep = (cast > 0) & (voters >= 100)
    keep[keep] = (given[keep] / voters[keep] <= 0.99) & (leader[keep] / cast[keep] <= 0.99)
    voters, given, cast, leader = voters[keep], given[keep], cast[keep], leader[keep]
    p_leader = 100 * leader / cast
    p_turnout = 100 * given / voters
    observed = np.array([
        np.sum(is_integer(p_leader) | is_integer(p_turnout)),
        np.sum(is_integer(p_leader)),
        np.sum(is_integer(p_turnout)),
    ])
    np.random.seed(seed)
    counts = np.zeros((3, draws))
    n = len(voters)
    # The draws follow the station loop in order; indicators are summed a chunk of
    # stations at a time so that the 1,000 × stations arrays need not be held at once.
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        leader_draws = np.zeros((draws, stop - start))
        turnout_draws = np.zeros((draws, stop - start))
        for idx in range(start, stop):
            leader_draws[:, idx - start] = np.random.binomial(n=cast[idx], p=leader[idx] / cast[idx], size=draws)
            turnout_draws[:, idx - start] = np.random.binomial(n=voters[idx], p=given[idx] / voters[idx], size=draws)
        int_leader = is_integer(100 * leader_draws / cast[start:stop])
        int_turnout = is_integer(100 * turnout_draws / voters[start:stop])
        counts[0] += np.sum(int_leader | int_turnout, axis=1)
        counts[1] += np.sum(int_leader, axis=1)
        counts[2] += np.sum(int_turnout, axis=1)
    excess = observed - counts.mean(axis=1)
    return n, observed, excess


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", required=True)
    parser.add_argument("--leader", required=True)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    arrays = load(args.file, args.leader)
    start, start_cpu = time.perf_counter(), time.thread_time()
    kept, observed, excess = integer_test(*arrays, draws=args.draws, seed=42)
    seconds, cpu_seconds = time.perf_counter() - start, time.thread_time() - start_cpu
    print(json.dumps({
        "tool": "numpy (authors' procedure)",
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "draws": args.draws,
        "stations_kept": int(kept),
        "observed": [int(it) for it in observed],
        "excess": [float(it) for it in excess],
    }))


if __name__ == "__main__":
    main()
