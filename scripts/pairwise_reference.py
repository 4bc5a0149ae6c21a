#!/usr/bin/env python3
"""Reference values for the report's comparisons (src/report/pairwise.rs tests):
Holm's step-down adjustment by statsmodels' `multipletests(method="holm")` (tests/fixtures/holm.json),
and the document permutation test written independently with numpy (100,000 permutations of whole
documents between groups; tests/fixtures/document_permutation.json).

    python3 scripts/pairwise_reference.py          # writes the fixtures
    python3 scripts/pairwise_reference.py --check  # fails if a fixture differs (CI)
"""
import json
import pathlib
import sys

import statsmodels
from statsmodels.stats.multitest import multipletests

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/fixtures/holm.json"
PERM_OUT = ROOT / "tests/fixtures/document_permutation.json"
CASES = [
    [0.01, 0.04, 0.03, 0.005],
    [0.2, 0.2, 0.01, 0.6, 0.049, 0.001],
    [0.5],
    [0.04, 0.04, 0.04],
    [0.9, 0.001, 0.3, 0.02, 0.0001, 0.7, 0.05, 0.011, 0.012, 0.6],
]


def permutation_fixture():
    import numpy as np

    rng = np.random.default_rng(20261128)
    cases = []
    # (documents per group, sentences per document range, share of label 1 per group)
    for sizes, shares in [((6, 6, 6), (0.3, 0.35, 0.6)), ((8, 5), (0.4, 0.45)), ((4, 4, 4, 4), (0.2, 0.5, 0.5, 0.8))]:
        docs = []
        for g, (m, s) in enumerate(zip(sizes, shares)):
            for _ in range(m):
                n = int(rng.integers(3, 15))
                # documents vary around their group's share (clustering)
                p = float(np.clip(rng.normal(s, 0.15), 0.02, 0.98))
                y1 = int(rng.binomial(n, p))
                docs.append([g, [n - y1, y1]])
        groups = len(sizes)
        counts = np.array([d[1] for d in docs], dtype=float)
        assign = np.array([d[0] for d in docs])

        def x2(a):
            t = np.zeros((groups, 2))
            np.add.at(t, a, counts)
            e = t.sum(1, keepdims=True) * t.sum(0, keepdims=True) / t.sum()
            m = e > 0
            return float((((t - e) ** 2)[m] / e[m]).sum())

        obs = x2(assign)
        perm_rng = np.random.default_rng(7)
        B = 100_000
        ge = sum(x2(perm_rng.permutation(assign)) >= obs - 1e-9 * max(obs, 1) for _ in range(B))
        cases.append({"groups": groups, "docs": docs, "statistic": obs, "p_value": (1 + ge) / (B + 1)})
    return {"source": "numpy, 100,000 permutations of documents between groups (scripts/pairwise_reference.py)",
            "cases": cases}


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
        # The permutation fixture takes a minute to recompute; check its observed statistics.
        perm = json.loads(PERM_OUT.read_text())
        import numpy as np
        for c in perm["cases"]:
            counts = np.array([d[1] for d in c["docs"]], dtype=float)
            t = np.zeros((c["groups"], 2))
            np.add.at(t, np.array([d[0] for d in c["docs"]]), counts)
            e = t.sum(1, keepdims=True) * t.sum(0, keepdims=True) / t.sum()
            if abs(float(((t - e) ** 2 / e).sum()) - c["statistic"]) > 1e-9 * max(c["statistic"], 1):
                print(f"{PERM_OUT}: statistic differs", file=sys.stderr)
                sys.exit(1)
        print(f"{PERM_OUT}: statistics match")
    else:
        OUT.write_text(text)
        print(f"wrote {OUT}")
        PERM_OUT.write_text(json.dumps(permutation_fixture(), indent=1) + "\n")
        print(f"wrote {PERM_OUT}")


if __name__ == "__main__":
    main()
