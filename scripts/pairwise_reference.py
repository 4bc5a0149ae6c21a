#!/usr/bin/env python3
"""Reference values for the report's pairwise comparisons (src/report/pairwise.rs tests):
Holm's step-down adjustment by statsmodels' `multipletests(method="holm")`.

    python3 scripts/pairwise_reference.py          # writes tests/fixtures/holm.json
    python3 scripts/pairwise_reference.py --check  # fails if the fixture differs (CI)
"""
import json
import pathlib
import sys

import statsmodels
from statsmodels.stats.multitest import multipletests

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/fixtures/holm.json"
CASES = [
    [0.01, 0.04, 0.03, 0.005],
    [0.2, 0.2, 0.01, 0.6, 0.049, 0.001],
    [0.5],
    [0.04, 0.04, 0.04],
    [0.9, 0.001, 0.3, 0.02, 0.0001, 0.7, 0.05, 0.011, 0.012, 0.6],
]


def main():
    fixture = {
        "source": f"statsmodels {statsmodels.__version__} multipletests(p, method='holm')",
        "cases": [{"p": p, "holm": [float(x) for x in multipletests(p, method="holm")[1]]}
                  for p in CASES],
    }
    text = json.dumps(fixture, indent=1) + "\n"
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            print(f"{OUT} differs from statsmodels' values; re-run without --check", file=sys.stderr)
            sys.exit(1)
        print(f"{OUT}: matches statsmodels")
    else:
        OUT.write_text(text)
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
