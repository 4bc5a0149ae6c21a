"""Percent agreement and Cohen's kappa between two labelling passes.

Usage: python3 scripts/agreement.py PASS1.csv PASS2.csv
Both files: columns row (or id), stance, frame, section. Prints a Markdown table.
"""
import csv
import sys
from collections import Counter


def kappa(a, b):
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return po, (po - pe) / (1 - pe) if pe < 1 else 1.0


def main():
    p1 = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
    p2 = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
    assert len(p1) == len(p2), "passes differ in length"
    print(f"{len(p1)} sentences\n")
    print("| column | agreement | Cohen's kappa | disagreements |")
    print("|---|---:|---:|---:|")
    for col in ["stance", "frame", "section"]:
        a = [r[col].strip() for r in p1]
        b = [r[col].strip() for r in p2]
        po, k = kappa(a, b)
        print(f"| {col} | {100 * po:.1f}% | {k:.3f} | {sum(x != y for x, y in zip(a, b))} |")


if __name__ == "__main__":
    main()
