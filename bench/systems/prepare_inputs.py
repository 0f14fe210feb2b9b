#!/usr/bin/env python3
"""Convert the vendored reference election files into the neutral inputs.json of the systems benchmark.

Both sides of the benchmark, interregnum (peers.py) and saylau (bench-systems), read
only inputs.json, so they work on exactly the same numbers.  The file holds:

``bundestag_2017``
    From ``peers/votelib/tests/real/data/de_bdt_2017.csv`` (299 Wahlkreise, first and
    second votes of ten parties) and ``peers/votelib/expected_from_tests.json`` key
    ``de_bdt_2017`` (German population per Land, official seats):

    * ``house``: 598, the seats before levelling (§ 6 (1) BWahlG 2013);
    * ``parties``: the ten party names in the file's column order;
    * ``lands``: per Land its ``population`` (the base of its seats, § 6 (2)), its
      ``second_votes`` per party (summed over its Wahlkreise) and its
      ``constituency_seats`` per party (each Wahlkreis won by the most first votes;
      no Wahlkreis has a tie, checked here);
    * ``threshold_percent`` 5 and ``constituency_exemption`` 3 (§ 6 (3));
    * ``expected``: the official seats per party, the house (709) and the
      Mecklenburg-Vorpommern Land lists.

``zurich_2015``
    From ``elections/ch-zh-kantonsrat-2015.json``: the 18 districts with their seats,
    the ten list groups, ``votes[district][list]`` (0 where a list did not stand),
    ``qualification_percent`` 5 (GPR § 102) and the official upper and lower
    apportionments under ``expected``.

Usage: prepare_inputs.py DATA_DIR OUT_JSON
(DATA_DIR is the reference data folder, ``data/reference``.)
"""

import json
import sys
from pathlib import Path

BUNDESTAG_CSV = "peers/votelib/tests/real/data/de_bdt_2017.csv"
BUNDESTAG_EXPECTED = "peers/votelib/expected_from_tests.json"
ZURICH_JSON = "elections/ch-zh-kantonsrat-2015.json"


def bundestag_2017(data: Path) -> dict:
    case = json.loads((data / BUNDESTAG_EXPECTED).read_text(encoding="utf-8"))["de_bdt_2017"]
    population: dict[str, int] = case["land_population_for_598_seat_base"]
    lines = [
        line
        for line in (data / BUNDESTAG_CSV).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    # Header: Gebiet;Land;CDU;;SPD;;... (two columns per party: first, second votes).
    parties = [name for name in lines[0].split(";")[2:] if name]
    lands = {
        name: {
            "name": name,
            "population": people,
            "second_votes": [0] * len(parties),
            "constituency_seats": [0] * len(parties),
        }
        for name, people in population.items()
    }
    for line in lines[2:]:
        fields = line.split(";")
        land = lands[fields[1]]
        numbers = [int(field) if field else 0 for field in fields[2:]]
        first, second = numbers[0::2], numbers[1::2]
        if len(first) != len(parties) or len(second) != len(parties):
            sys.exit(f"{BUNDESTAG_CSV}: {fields[0]}: expected {2 * len(parties)} numbers")
        for party, votes in enumerate(second):
            land["second_votes"][party] += votes
        best = max(first)
        winners = [party for party, votes in enumerate(first) if votes == best]
        if len(winners) != 1:
            sys.exit(f"{BUNDESTAG_CSV}: {fields[0]}: a tie for the constituency seat")
        land["constituency_seats"][winners[0]] += 1
    return {
        "house": 598,
        "threshold_percent": 5,
        "constituency_exemption": 3,
        "parties": parties,
        "lands": list(lands.values()),
        "expected": {
            "seats": case["expected_bund_seats"],
            "house": 709,
            "mecklenburg_vorpommern": case["expected_mecklenburg_vorpommern"],
        },
    }


def zurich_2015(data: Path) -> dict:
    election = json.loads((data / ZURICH_JSON).read_text(encoding="utf-8"))
    matrix = election["party_votes_matrix"]
    lower = election["lower_apportionment_official"]
    if lower["columns"] != matrix["columns"]:
        sys.exit(f"{ZURICH_JSON}: the official matrix's columns differ from the votes'")
    return {
        "house": election["seats"],
        "qualification_percent": 5,
        "lists": matrix["columns"],
        "districts": [{"name": it["name"], "seats": it["seats"]} for it in election["districts"]],
        "votes": matrix["rows_in_district_order"],
        "expected": {
            "upper": election["upper_apportionment_official"],
            "lower": lower["rows_in_district_order"],
        },
    }


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data, out = Path(sys.argv[1]), Path(sys.argv[2])
    inputs = {"bundestag_2017": bundestag_2017(data), "zurich_2015": zurich_2015(data)}
    out.write_text(json.dumps(inputs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
