"""The pandas side of the survey benchmark: every question by both banners with
pd.crosstab, column percentages, and the SPSS column-proportions test (pooled z,
Bonferroni within a row, 0 %/100 % columns not used) giving letters, as numpy on each
table. Reads the CSV before the clock; prints one JSON line with the time per table and
writes the letters for report.py to compare with saylau's.

    python peer.py DATA_DIR LETTERS_OUT [--runs 3]
"""
import argparse
import itertools
import json
import math
import time

import numpy as np
import pandas as pd
from scipy.special import erfc


def letters_of(table):
    counts = table.to_numpy(dtype=float)
    bases = counts.sum(axis=0)
    props = counts / bases
    n_cols = counts.shape[1]
    pairs = list(itertools.combinations(range(n_cols), 2))
    family = len(pairs)
    out = [["" for _ in range(n_cols)] for _ in range(counts.shape[0])]
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    pa, pb = props[:, a], props[:, b]
    na, nb = bases[a], bases[b]
    pooled = (pa * na + pb * nb) / (na + nb)
    se = np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (pa - pb) / se, 0.0)
    p = np.minimum(erfc(np.abs(z) / math.sqrt(2)) * family, 1.0)
    used = (props > 0) & (props < 1)
    sig = (p < 0.05) & used[:, a] & used[:, b]
    for row, k in zip(*np.nonzero(sig)):
        hi, lo = (a[k], b[k]) if z[row, k] > 0 else (b[k], a[k])
        out[row][hi] += chr(ord("A") + lo)
    return ["".join(sorted(cell)) for row in out for cell in row], (counts / bases * 100)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("letters_out")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    df = pd.read_csv(f"{args.data}/respondents.csv")
    questions = [c for c in df.columns if c.startswith("q")]
    banners = ["segment", "macro"]
    best = math.inf
    letters = {}
    for _ in range(args.runs):
        start = time.perf_counter_ns()
        for q in questions:
            for banner in banners:
                table = pd.crosstab(df[q], df[banner])
                letters[f"{q}/{banner}"], _ = letters_of(table)
        best = min(best, time.perf_counter_ns() - start)
    n_tables = len(questions) * len(banners)
    with open(args.letters_out, "w", encoding="utf-8") as f:
        json.dump(letters, f, sort_keys=True)
    print(json.dumps({"tool": "pandas", "version": pd.__version__, "tables": n_tables, "respondents": len(df), "ns_per_table": best / n_tables}))


if __name__ == "__main__":
    main()
