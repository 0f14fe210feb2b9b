"""Compares saylau's letters with pandas' and prints the times; the last line is
speedup_vs_pandas=<pandas ns per table / saylau ns per table>.

    python report.py RESULTS.jsonl LETTERS_SAYLAU LETTERS_PANDAS
"""
import json
import sys


def main():
    results = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.startswith("{")]
    by_tool = {r["tool"]: r for r in results}
    ours = json.load(open(sys.argv[2], encoding="utf-8"))
    theirs = json.load(open(sys.argv[3], encoding="utf-8"))
    differ = [key for key in theirs if ours.get(key) != theirs[key]]
    cells = sum(len(v) for v in theirs.values())
    print(f"letters: {len(theirs)} tables, {cells} cells, {len(differ)} tables differ")
    if differ:
        print("tables whose letters differ:", differ[:10])
        sys.exit(1)
    for tool in ("saylau", "pandas"):
        r = by_tool[tool]
        print(f"{tool:8} {r['ns_per_table'] / 1e6:10.3f} ms per table ({r['tables']} tables, {r['respondents']} respondents)")
    print(f"speedup_vs_pandas={by_tool['pandas']['ns_per_table'] / by_tool['saylau']['ns_per_table']:.1f}")


if __name__ == "__main__":
    main()
