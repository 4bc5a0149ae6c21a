#!/usr/bin/env python3
"""Reference values for framelens' label-share estimators (src/report/estimate.rs) from
independent implementations, on a small synthetic fixture:

  - EM prior adjustment: QuaPy's EMQ.EM (Saerens, Latinne & Decaestecker 2002);
  - adjusted count and adjusted probability average: QuaPy's ACC.solve_adjustment
    (exact inversion inside the simplex; QuaPy's constrained 'minimize' solver when the
    solution leaves it);
  - the document-level (cluster-robust) interval of a share: statsmodels OLS of the label
    indicator on an intercept with cluster-robust covariance (groups = documents), whose
    t interval with documents - 1 df framelens' clustered_interval reproduces, and which its
    cluster bootstrap of classify-and-count should approach.

    python3 scripts/quantify_reference.py            # (re)write tests/fixtures/quantify_reference.json
    python3 scripts/quantify_reference.py --check    # recompute and compare with the committed file

The Rust test `report::estimate::tests::matches_quapy_and_statsmodels` reads the fixture.
Exit status: 0, 1 when --check finds a difference, 2 on error.
"""

import argparse
import json
import os
import sys
import warnings

import numpy as np
import quapy
import statsmodels
import statsmodels.api as sm
from quapy.method.aggregative import ACC, EMQ

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "quantify_reference.json")


def posteriors(rng, n, k, shift):
    """n rows of class probabilities from a softmax of noisy scores."""
    z = rng.normal(size=(n, k)) + shift
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return np.round(p, 4) / np.round(p, 4).sum(axis=1, keepdims=True)


def case(rng, k, docs, per_doc, shift, oof_per_class):
    """A group of documents and a model's cross-validation rows, with reference estimates."""
    group = [posteriors(rng, int(rng.integers(1, per_doc + 1)), k, shift).tolist() for _ in range(docs)]
    # Out-of-fold rows per gold class: the gold class scores higher.
    oof = []
    for g in range(k):
        bump = np.zeros(k)
        bump[g] = 1.2
        oof.append(np.round(posteriors(rng, oof_per_class, k, bump), 4).tolist())
    n_per_class = [oof_per_class] * k
    train_prior = (np.array(n_per_class) / sum(n_per_class)).tolist()
    rows = np.array([r for d in group for r in d])
    cc = np.bincount(rows.argmax(axis=1), minlength=k) / len(rows)
    pa = rows.mean(axis=0)
    # QuaPy's M[i][j] = P(pred i | gold j).
    hard = np.array([[np.mean(np.array(o).argmax(axis=1) == i) for o in oof] for i in range(k)])
    soft = np.array([[np.mean(np.array(o)[:, i]) for o in oof] for i in range(k)])

    def solve(m, q):
        x = ACC.solve_adjustment(m, q, method="inversion", solver="exact-raise")
        if np.all(x >= -1e-12) and np.all(x <= 1 + 1e-12):
            return x.tolist(), False
        if k == 2:
            return np.clip(x, 0, 1).tolist(), True
        return ACC.solve_adjustment(m, q, method="inversion", solver="minimize").tolist(), True

    acc, acc_clipped = solve(hard, cc)
    pacc, pacc_clipped = solve(soft, pa)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        em, _ = EMQ.EM(np.array(train_prior), rows, epsilon=1e-13)
    # statsmodels: indicator of predicted class 0 on an intercept, clustered by document.
    y = (rows.argmax(axis=1) == 0).astype(float)
    groups = np.concatenate([[j] * len(d) for j, d in enumerate(group)])
    fit = sm.OLS(y, np.ones((len(y), 1))).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    lo, hi = fit.conf_int(alpha=0.05)[0]
    return {
        "k": k,
        "group": group,
        "oof": oof,
        "train_prior": train_prior,
        "classify_count": cc.tolist(),
        "probability_average": pa.tolist(),
        "adjusted_count": acc,
        "adjusted_count_clipped": bool(acc_clipped),
        "probability_adjusted": pacc,
        "probability_adjusted_clipped": bool(pacc_clipped),
        "em": em.tolist(),
        "cluster_ci_class0": [max(0.0, float(lo)), min(1.0, float(hi))],
    }


def build():
    rng = np.random.default_rng(20261128)
    return {
        "generated_by": "scripts/quantify_reference.py",
        "versions": {"quapy": quapy.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__},
        "cases": [
            case(rng, 2, 12, 6, np.array([0.0, 0.3]), 40),
            case(rng, 3, 15, 5, np.array([0.5, 0.0, -0.2]), 30),
            case(rng, 3, 60, 8, np.array([1.5, -0.5, -0.5]), 25),
            case(rng, 2, 80, 6, np.array([0.8, -0.8]), 50),
        ],
    }


def close(a, b, tol=1e-9):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], tol) for k in a if k != "versions")
    if isinstance(a, list):
        return len(a) == len(b) and all(close(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return abs(a - b) <= tol
    return a == b


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    new = build()
    if a.check:
        try:
            with open(FIXTURE, encoding="utf-8") as f:
                old = json.load(f)
        except OSError as e:
            print(f"error: {e}", file=sys.stderr)
            sys.exit(2)
        if not close(old, new, 1e-7):
            print(f"error: {FIXTURE} differs from a fresh computation", file=sys.stderr)
            sys.exit(1)
        print(f"ok: {FIXTURE} matches QuaPy {quapy.__version__} and statsmodels {statsmodels.__version__}")
        return
    with open(FIXTURE, "w", encoding="utf-8") as f:
        json.dump(new, f, indent=1)
        f.write("\n")
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
