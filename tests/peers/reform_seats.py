#!/usr/bin/env python3
"""The reform scenarios' seats, computed by interregnum and compared with saylau's.

For each file of data/kz/README.md's table of seats per party (the nationwide 2021 list
contest, the 17-district, 7-region and cube-root district plans and the 50/50 parallel
plan) and each documented ``--set`` variant (5 %, 3 %, 1.5 %, 107 seats, 54 + 53), this
script reads the election file itself (tomllib), builds the election independently of
saylau and allocates it with interregnum 0.4.1 in exact arithmetic:

- the house: a number, or ``"cube-root"``: the whole number nearest to the cube root of
  the districts' total population, in integer arithmetic;
- the district magnitudes: the house among the districts by population,
  ``LargestRemainderAllocator("hare")``;
- the district votes (``[model] district_votes = "population-share"``): each list's
  national votes among the districts by population, ``LargestRemainderAllocator("hare")``
  with the votes as the "seats" to share (docs/election-format.md: the floor of each
  share, then one vote each to the largest remainders);
- the threshold: in plain integer Python (interregnum has no national threshold for
  district contests): a list qualifies with at least the given percent of the national
  list votes (of the valid votes in a list contest);
- the seats: ``LargestRemainderAllocator("hare")`` over the qualified lists, per district
  or nationwide, plus each list's single-member seats (``electorates``) in the parallel
  plan.

It then runs ``saylau allocate FILE --set ... --json`` with the same variant and compares
the magnitudes, every district's votes and every list's seats in every district; and it
checks every cell of the README's table against interregnum's totals.  Any difference
is printed and the exit code is 1.

Usage: reform_seats.py SAYLAU_BINARY REPO_ROOT
"""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from interregnum.methods.singlevote.largest_remainder import LargestRemainderAllocator

HARE = LargestRemainderAllocator("hare")

# The README's table: file, then the --set of each column (None: the column is empty).
THRESHOLDS = ["", "rules.threshold=5%", "rules.threshold=3%", "rules.threshold=1.5%"]
SCENARIOS: list[tuple[str, list[str | None]]] = [
    ("mazhilis-2021.toml", THRESHOLDS + ["election.seats=107"]),
    ("reform-17-districts.toml", THRESHOLDS + ["election.seats=107"]),
    ("reform-7-regions.toml", THRESHOLDS + ["election.seats=107"]),
    ("reform-265-cube-root.toml", THRESHOLDS + [None]),
    (
        "reform-mixed-50-50.toml",
        THRESHOLDS
        + ["election.seats=54;election.single_member_seats=53;lists.nur-otan.electorates=53"],
    ),
]
# data/kz/README.md's second documented command: 3 % on the 54 + 53 plan.
EXTRA = [
    (
        "reform-mixed-50-50.toml",
        "election.seats=54;election.single_member_seats=53;lists.nur-otan.electorates=53;"
        "rules.threshold=3%",
    )
]


def hare(candidates: list[tuple[str, int]], seats: int) -> dict[str, int]:
    """Hare largest remainders by interregnum: seats per name (0 for the unseated)."""
    res = {name: 0 for name, _ in candidates}
    if seats == 0:
        return res
    for cand in HARE.calc(candidates, seats).allocation:
        res[cand.name] = cand.seats
    return res


def percent(text: str) -> tuple[int, int]:
    """ "7%" or "1.5%" as an exact fraction (numerator, denominator) of 100."""
    match = re.fullmatch(r"(\d+)(?:\.(\d+))?%", text)
    assert match, f"not a percentage: {text}"
    decimals = match.group(2) or ""
    return int(match.group(1) + decimals), 100 * 10 ** len(decimals)


def apply_set(election: dict, assignment: str) -> None:
    """Applies one `--set PATH=VALUE` of the kinds the README documents."""
    for part in filter(None, assignment.split(";")):
        path, value = part.split("=", 1)
        keys = path.split(".")
        parsed: Any = int(value) if value.isdigit() else value
        if keys[0] == "lists":
            (target,) = [lst for lst in election["lists"] if lst["id"] == keys[1]]
            target[keys[2]] = parsed
        elif keys == ["rules", "threshold"] and isinstance(election["rules"].get("threshold"), dict):
            election["rules"]["threshold"] = {"national": parsed}
        else:
            election[keys[0]][keys[1]] = parsed


def cube_root_house(population: int) -> int:
    """The whole number nearest to the cube root of `population`, exactly."""
    n = round(population ** (1 / 3))
    while (2 * n + 1) ** 3 <= 8 * population:
        n += 1
    while (2 * n - 1) ** 3 > 8 * population:
        n -= 1
    return n


def qualified(votes: dict[str, int], base: int, threshold: str) -> list[str]:
    num, den = percent(threshold)
    return [name for name, count in votes.items() if count * den >= num * base]


def peer(election: dict) -> dict:
    """The election allocated by interregnum: magnitudes, district votes and seats."""
    lists = {lst["id"]: lst["votes"] for lst in election["lists"]}
    rules = election["rules"]
    if rules.get("system") == "districts":
        districts = election["districts"]
        population = [(d["id"], d["population"]) for d in districts]
        house = election["election"]["seats"]
        if house == "cube-root":
            house = cube_root_house(sum(pop for _, pop in population))
        magnitudes = hare(population, house)
        assert election["model"]["district_votes"] == "population-share"
        split = {name: hare(population, votes) for name, votes in lists.items()}
        passed = qualified(lists, sum(lists.values()), rules["threshold"]["national"])
        seats = {}
        for district, _ in population:
            votes = [(name, split[name][district]) for name in passed]
            seats[district] = hare(votes, magnitudes[district])
        totals = {name: sum(seats[d].get(name, 0) for d, _ in population) for name in lists}
        return {"house": house, "magnitudes": magnitudes, "votes": split, "seats": seats, "totals": totals}
    assert rules["method"] == "largest-remainder" and rules["quota"] == "hare", rules
    ballots = election.get("ballots", {})
    base = sum(lists.values()) + ballots.get("against_all", 0)
    assert rules.get("threshold_base", "valid") == "valid", rules
    passed = qualified(lists, base, rules["threshold"])
    seats = hare([(name, lists[name]) for name in passed], election["election"]["seats"])
    electorates = {lst["id"]: lst.get("electorates", 0) for lst in election["lists"]}
    totals = {name: seats.get(name, 0) + electorates[name] for name in lists}
    return {"seats": seats, "totals": totals}


def saylau(binary: str, root: Path, file: str, assignment: str) -> dict:
    args = [binary, "allocate", f"data/kz/{file}", "--json"]
    for part in filter(None, assignment.split(";")):
        args += ["--set", part]
    out = subprocess.run(args, cwd=root, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def compare(name: str, mine: dict, theirs: dict) -> list[str]:
    """Differences between interregnum's result and saylau's JSON."""
    problems = []
    totals = {row["id"]: row["seats"] for row in theirs["lists"]}
    if totals != mine["totals"]:
        problems.append(f"{name}: seats per list: interregnum {mine['totals']}, saylau {totals}")
    if "magnitudes" in mine:
        if theirs["seats"] != mine["house"]:
            problems.append(f"{name}: house: interregnum {mine['house']}, saylau {theirs['seats']}")
        for district in theirs["districts"]:
            did = district["id"]
            if district["seats"] != mine["magnitudes"][did]:
                problems.append(
                    f"{name}: {did} magnitude: interregnum {mine['magnitudes'][did]}, "
                    f"saylau {district['seats']}"
                )
            for row in district["lists"]:
                if row["votes"] != mine["votes"][row["id"]][did]:
                    problems.append(f"{name}: {did}/{row['id']} votes differ")
                if row["seats"] != mine["seats"][did].get(row["id"], 0):
                    problems.append(
                        f"{name}: {did}/{row['id']} seats: interregnum "
                        f"{mine['seats'][did].get(row['id'], 0)}, saylau {row['seats']}"
                    )
    return problems


def readme_table(root: Path) -> dict[str, list[list[int] | None]]:
    """data/kz/README.md's seats per party: file -> one row of seats per column."""
    rows = {}
    for line in (root / "data/kz/README.md").read_text().splitlines():
        match = re.match(r"\| [^|]*`([a-z0-9-]+\.toml)`[^|]*\|(.*)\|$", line)
        if not match:
            continue
        cells = []
        for cell in match.group(2).split("|"):
            numbers = re.match(r"\s*(\d+(?: / \d+)+)", cell)
            cells.append([int(n) for n in numbers.group(1).split(" / ")] if numbers else None)
        rows[match.group(1)] = cells
    return rows


def main() -> int:
    binary, root = sys.argv[1], Path(sys.argv[2])
    table = readme_table(root)
    problems: list[str] = []
    checked = 0
    runs = [(file, col, assignment) for file, cols in SCENARIOS for col, assignment in enumerate(cols)]
    runs += [(file, None, assignment) for file, assignment in EXTRA]
    for file, column, assignment in runs:
        if assignment is None:
            if table[file][column] is not None:
                problems.append(f"{file}: README column {column + 1} should be empty")
            continue
        election = tomllib.loads((root / "data/kz" / file).read_text())
        apply_set(election, assignment)
        mine = peer(election)
        name = f"{file} {assignment or '(as filed)'}"
        problems += compare(name, mine, saylau(binary, root, file, assignment))
        order = [lst["id"] for lst in election["lists"]]
        seats = [mine["totals"][lst] for lst in order]
        if column is not None:
            documented = table[file][column]
            if documented != seats:
                problems.append(f"{name}: data/kz/README.md says {documented}, interregnum {seats}")
        checked += 1
        print(f"{name}: {' / '.join(map(str, seats))}")
    for problem in problems:
        print("MISMATCH", problem)
    print(f"reform_seats: {checked} variants checked against interregnum, {len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
