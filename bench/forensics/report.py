"""Prints the forensics benchmark's table from the JSON lines of peer.py and
bench-forensics, checks that both found the same stations and counts, and ends with
speedup_vs_reference=<reference seconds / saylau seconds>, in CPU time when both sides
report it (a shared machine slows wall-clock times unevenly), else in wall-clock time."""

import json
import sys


def main():
    lines = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    reference = next(line for line in lines if line["tool"] != "saylau")
    saylau = next(line for line in lines if line["tool"] == "saylau")
    print(f"{'tool':<30} {'seconds':>10} {'cpu s':>8} {'kept':>8} {'observed (either/leader/turnout)':>34} {'excess':>26}")
    for line in (reference, saylau):
        observed = "/".join(str(it) for it in line["observed"])
        excess = "/".join(f"{it:.1f}" for it in line["excess"])
        cpu = line.get("cpu_seconds")
        cpu = f"{cpu:.3f}" if cpu is not None else "n/a"
        print(f"{line['tool']:<30} {line['seconds']:>10.3f} {cpu:>8} {line['stations_kept']:>8} {observed:>34} {excess:>26}")
    if reference["stations_kept"] != saylau["stations_kept"] or reference["observed"] != saylau["observed"]:
        sys.exit("error: saylau and the reference disagree on the kept stations or the observed counts")
    # Both Monte Carlo means carry noise of about sd/sqrt(draws) (4 stations at 1,000 draws).
    worst = max(abs(a - b) for a, b in zip(reference["excess"], saylau["excess"]))
    print(f"largest excess difference: {worst:.1f} stations")
    if worst > 15:
        sys.exit("error: the excess differs by more than 15 stations")
    print(f"wall-clock speedup: {reference['seconds'] / saylau['seconds']:.1f}")
    if reference.get("cpu_seconds") and saylau.get("cpu_seconds"):
        print(f"speedup_vs_reference={reference['cpu_seconds'] / saylau['cpu_seconds']:.1f}")
    else:
        print(f"speedup_vs_reference={reference['seconds'] / saylau['seconds']:.1f}")


main()
