#!/usr/bin/env python3
"""Reference values for framelens' paired t-test over cross-validation folds
(src/eval/search.rs, `corrected_paired_t`), computed with scipy.

plain:     scipy.stats.ttest_rel(a, b)
corrected: Nadeau & Bengio (2003): the statistic of ttest_rel scaled by
           sqrt((1/k) / (1/k + n_test/n_train)), n_test/n_train = 1/(k-1) for k folds,
           with the two-sided p-value from scipy.stats.t.sf on k-1 degrees of freedom.

Usage: python3 scripts/paired_t_reference.py [--check]  (writes or checks tests/fixtures/paired_t.json)
"""
import json
import math
import pathlib
import sys

from scipy import stats

A = [0.71, 0.74, 0.69, 0.75, 0.72]
B = [0.70, 0.71, 0.70, 0.72, 0.69]


def values():
    plain = stats.ttest_rel(A, B)
    k = len(A)
    ratio = 1.0 / (k - 1)
    t = plain.statistic * math.sqrt((1.0 / k) / (1.0 / k + ratio))
    p = 2.0 * stats.t.sf(abs(t), k - 1)
    return {
        "a": A,
        "b": B,
        "plain": {"t": float(plain.statistic), "p": float(plain.pvalue)},
        "corrected": {"t": float(t), "p": float(p), "test_train_ratio": ratio},
    }


def main():
    out = pathlib.Path(__file__).resolve().parent.parent / "tests/fixtures/paired_t.json"
    text = json.dumps(values(), indent=2) + "\n"
    if "--check" in sys.argv:
        if out.read_text() != text:
            sys.exit(f"{out} differs from what scipy computes now; rerun without --check")
        print(f"{out}: matches scipy {__import__('scipy').__version__}")
    else:
        out.write_text(text)
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
