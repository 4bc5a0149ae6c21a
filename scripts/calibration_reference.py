#!/usr/bin/env python3
"""Reference fits for framelens' probability calibration (src/model/calibrate.rs).

framelens calibrates p'_k ∝ exp(a·ln p_k + b_k), b_0 = 0, fitted by minimising the log-loss.
  * binary: that is Platt scaling of z = ln(p1/p0); the reference is scikit-learn's
    LogisticRegression(penalty=None) on the single feature z (coef = a, intercept = b_1);
  * 3 classes: scipy.optimize.minimize (BFGS) of the same multinomial log-loss.
The ECE is the top-class expected calibration error over 10 equal-width bins of (0, 1].

Writes tests/fixtures/calibration.json; with --check, recomputes and compares with the file.
"""
import argparse
import json
import os
import sys

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "calibration.json")


def ece(proba, gold, bins=10):
    proba = np.asarray(proba)
    top = proba.argmax(axis=1)
    conf = proba[np.arange(len(proba)), top]
    b = np.clip(np.ceil(conf * bins).astype(int), 1, bins) - 1
    total = 0.0
    for i in range(bins):
        m = b == i
        if m.any():
            total += m.sum() / len(proba) * abs((top[m] == np.asarray(gold)[m]).mean() - conf[m].mean())
    return float(total)


def binary_case(rng, n):
    z = rng.uniform(-3, 3, n)
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(int)
    q = 1 / (1 + np.exp(-(2.5 * z + 0.8)))
    proba = np.column_stack([1 - q, q])
    proba = [[float(a), float(b)] for a, b in proba]
    feat = np.array([[np.log(p[1]) - np.log(p[0])] for p in proba])
    lr = LogisticRegression(penalty=None, tol=1e-12, max_iter=10000).fit(feat, y)
    return {
        "what": "binary: sklearn LogisticRegression(penalty=None) on ln(p1/p0)",
        "proba": proba,
        "gold": [int(v) for v in y],
        "slope": float(lr.coef_[0][0]),
        "bias": [0.0, float(lr.intercept_[0])],
        "ece": ece(proba, y),
    }


def multi_case(rng, n, k=3):
    logits = rng.normal(size=(n, k))
    true = np.exp(logits - logsumexp(logits, axis=1, keepdims=True))
    y = np.array([rng.choice(k, p=p) for p in true])
    dist = 2.0 * logits + np.array([0.0, 0.7, -0.4])
    q = np.exp(dist - logsumexp(dist, axis=1, keepdims=True))
    proba = [[float(v) for v in row] for row in q]
    lp = np.log(np.array(proba))

    def nll(theta):
        b = np.concatenate([[0.0], theta[1:]])
        s = theta[0] * lp + b
        return float(np.mean(logsumexp(s, axis=1) - s[np.arange(n), y]))

    res = minimize(nll, np.array([1.0] + [0.0] * (k - 1)), method="BFGS", options={"gtol": 1e-10})
    return {
        "what": "3 classes: scipy.optimize.minimize(BFGS) of the multinomial log-loss",
        "proba": proba,
        "gold": [int(v) for v in y],
        "slope": float(res.x[0]),
        "bias": [0.0] + [float(v) for v in res.x[1:]],
        "ece": ece(proba, y),
    }


def build():
    rng = np.random.default_rng(8)
    return {"cases": [binary_case(rng, 400), multi_case(rng, 400)]}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="compare with the committed fixture")
    args = ap.parse_args()
    got = build()
    if args.check:
        with open(FIXTURE) as f:
            want = json.load(f)
        for g, w in zip(got["cases"], want["cases"]):
            if g["proba"] != w["proba"] or g["gold"] != w["gold"]:
                sys.exit(f"calibration fixture inputs differ ({g['what']})")
            for key in ("slope", "ece"):
                if abs(g[key] - w[key]) > 1e-6:
                    sys.exit(f"{g['what']}: {key} {g[key]} != fixture {w[key]}")
            if max(abs(a - b) for a, b in zip(g["bias"], w["bias"])) > 1e-6:
                sys.exit(f"{g['what']}: bias {g['bias']} != fixture {w['bias']}")
        print("calibration reference: fixture matches scikit-learn / scipy")
        return
    with open(FIXTURE, "w") as f:
        json.dump(got, f)
        f.write("\n")
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
