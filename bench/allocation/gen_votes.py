#!/usr/bin/env python3
"""Generate the fixed-seed vote table for the allocation benchmark.

Writes ``votes.csv`` (header ``a,b,c,d,e,f``, 10,000 rows): the votes of six
party lists in one 98-seat constituency.  Every row is drawn from
``random.Random(20210110)``, so the file is byte-for-byte reproducible.

Shape of a row:

* the total is log-uniform between 1e5 and 1e7 votes;
* one dominant list gets 25..50 % of it, the other five share the rest
  through gamma-distributed weights, so some of them fall under the 5 %
  threshold and some land near it;
* about 6 % of the rows put one small list *exactly* on 5 % of the sum of the
  six lists (it must pass), and about 6 % put one list one vote above or one
  vote below it, so the boundary of the threshold is exercised;
* the columns are shuffled, so the dominant list is not always ``a``.

Rows in which two lists that pass the threshold would have equal Hare
remainders are redrawn: largest remainder is then decided by a tie-break
rule, which every implementation defines differently (votelib returns a Tie
object, interregnum breaks by most votes and then at random), and the
benchmark is about arithmetic, not tie-break policy.

Rows in which fewer than two lists pass are redrawn too, so a rule that
admits the runner-up when too few lists pass never applies here.

Usage: gen_votes.py [OUT_CSV]   (default: votes.csv beside this script)
"""

import csv
import random
import sys
from pathlib import Path

SEED = 20210110
ROWS = 10_000
SEATS = 98
LISTS = ("a", "b", "c", "d", "e", "f")


def passes(votes: int, total: int) -> bool:
    """5 % threshold on the sum of the six lists; exactly 5 % passes."""
    return 20 * votes >= total


def count_passing(row: list[int]) -> int:
    total = sum(row)
    return sum(1 for v in row if passes(v, total))


def has_remainder_tie(row: list[int]) -> bool:
    """True if two lists that pass the threshold have equal Hare remainders.

    With the Hare quota q = T / 98 (T = votes of the passing lists), the
    remainder of a list with v votes is (98 v mod T) / T, so comparing the
    integers 98 v mod T is exact.
    """
    total = sum(row)
    eligible = [v for v in row if passes(v, total)]
    quota_total = sum(eligible)
    remainders = [(SEATS * v) % quota_total for v in eligible]
    return len(set(remainders)) != len(remainders)


def draw_row(rng: random.Random) -> list[int]:
    """Draw one row of six vote counts (see the module docstring)."""
    total = int(10 ** rng.uniform(5.0, 7.0))
    dominant = rng.uniform(0.25, 0.50)
    # Uneven gamma shapes give a mix of mid-sized lists and splinter lists.
    weights = [rng.gammavariate(rng.choice((0.5, 1.0, 2.0, 4.0)), 1.0) for _ in range(5)]
    scale = (1.0 - dominant) / sum(weights)
    row = [max(1, round(total * dominant))] + [max(1, round(total * w * scale)) for w in weights]

    mode = rng.random()
    if mode < 0.12:
        # Put list k (a small one) on the threshold: with S the sum of the
        # other five lists, x = S / 19 is exactly 5 % of S + x.  Make S a
        # multiple of 19 by topping up the dominant list first.
        k = rng.randrange(1, 6)
        others = sum(row) - row[k]
        row[0] += (-others) % 19
        x = (others + (-others) % 19) // 19
        if mode < 0.06:
            row[k] = x  # exactly 5 %: passes
        elif mode < 0.09:
            row[k] = x + 1  # one vote above
        else:
            row[k] = x - 1  # one vote below: fails

    rng.shuffle(row)
    return row


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("votes.csv")
    rng = random.Random(SEED)
    rows = []
    while len(rows) < ROWS:
        row = draw_row(rng)
        if count_passing(row) >= 2 and not has_remainder_tie(row):
            rows.append(row)
    with out.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(LISTS)
        writer.writerows(rows)


if __name__ == "__main__":
    main()
