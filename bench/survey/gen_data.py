"""Writes the survey benchmark's input: a codebook (TOML) and 100,000 synthetic
respondents x 50 single-response questions (5 codes each) plus two banners, segment
(3 codes) and macro-region (7 codes), from a fixed seed.

    python gen_data.py OUT_DIR [--respondents 100000] [--questions 50]
"""
import argparse
import pathlib

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=50)
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2021)
    n = args.respondents
    segment = rng.choice(3, size=n, p=[0.23, 0.25, 0.52]) + 1
    macro = rng.choice(7, size=n, p=[0.15, 0.2, 0.2, 0.19, 0.07, 0.1, 0.09]) + 1
    columns = {"id": np.arange(1, n + 1), "segment": segment, "macro": macro}
    lines = ['[study]', 'key = "bench"', 'title = { ru = "Бенчмарк", en = "Benchmark" }', 'synthetic = true', '']

    def question(key, n_codes):
        lines.append("[[question]]")
        lines.append(f'key = "{key}"')
        lines.append('kind = "single"')
        lines.append(f'text = {{ ru = "{key}", en = "{key}" }}')
        codes = ", ".join(f'{{ code = {c}, label = {{ ru = "{c}", en = "{c}" }} }}' for c in range(1, n_codes + 1))
        lines.append(f"codes = [{codes}]")
        lines.append("")

    question("segment", 3)
    question("macro", 7)
    for q in range(args.questions):
        key = f"q{q + 1:02d}"
        # Answers that depend on the segment, so that the tests find differences.
        base = rng.dirichlet(np.ones(5))
        shift = rng.dirichlet(np.ones(5), size=3)
        probs = 0.7 * base + 0.3 * shift
        answers = np.empty(n, dtype=np.int64)
        for s in range(3):
            mask = segment == s + 1
            answers[mask] = rng.choice(5, size=mask.sum(), p=probs[s]) + 1
        columns[key] = answers
        question(key, 5)
    (out / "codebook.toml").write_text("\n".join(lines), encoding="utf-8")
    keys = list(columns)
    data = np.column_stack([columns[k] for k in keys])
    with open(out / "respondents.csv", "w", encoding="utf-8") as f:
        f.write(",".join(keys) + "\n")
        np.savetxt(f, data, fmt="%d", delimiter=",")


if __name__ == "__main__":
    main()
