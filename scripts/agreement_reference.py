"""Reference values of the agreement statistics of `framelens agree`, from independent
implementations: scikit-learn's cohen_kappa_score, statsmodels' fleiss_kappa and the
krippendorff package (nominal alpha, missing values allowed).

Writes three coders' files (tests/fixtures/agree/coder{1,2,3}.csv: id, text, stance, frame;
coder 3 leaves some cells empty and skips some rows) and the expected values
(tests/fixtures/agree/expected.json), which tests/agree.rs compares framelens against.

Usage:
  python3 scripts/agreement_reference.py          # regenerate the fixtures
  python3 scripts/agreement_reference.py --check  # recompute from the committed CSVs, compare
"""
import csv
import json
import math
import random
import sys
from pathlib import Path

import numpy as np
import krippendorff
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "agree"
COLUMNS = {"stance": ["anti", "neutral", "pro"], "frame": ["economy", "military", "moral", "security"]}
N = 120


def generate():
    rng = random.Random(13)
    rows = {c: [] for c in (1, 2, 3)}
    for i in range(N):
        truth = {col: rng.choice(labels) for col, labels in COLUMNS.items()}
        for coder in (1, 2, 3):
            if coder == 3 and i % 17 == 5:
                continue  # coder 3 skipped this row
            row = {"id": f"s{i:03d}", "text": f"Sentence number {i}."}
            for col, labels in COLUMNS.items():
                agree = {1: 0.8, 2: 0.7, 3: 0.6}[coder]
                v = truth[col] if rng.random() < agree else rng.choice(labels)
                if coder == 3 and rng.random() < 0.1:
                    v = ""  # missing label
                row[col] = v
            rows[coder].append(row)
    DIR.mkdir(parents=True, exist_ok=True)
    for coder, rs in rows.items():
        with open(DIR / f"coder{coder}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=["id", "text", "stance", "frame"])
            w.writeheader()
            w.writerows(rs)


def read():
    out = []
    for coder in (1, 2, 3):
        with open(DIR / f"coder{coder}.csv", newline="", encoding="utf-8") as f:
            out.append({r["id"]: r for r in csv.DictReader(f)})
    return out


def nan_to_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def stats(coders, col):
    ids = sorted(set().union(*[c.keys() for c in coders]))
    labels = sorted({c[i][col] for c in coders for i in c if c[i][col] != ""})
    code = {l: k for k, l in enumerate(labels)}

    def val(c, i):
        v = c.get(i, {}).get(col, "")
        return code[v] if v != "" else None

    res = {}
    if len(coders) == 2:
        both = [(val(coders[0], i), val(coders[1], i)) for i in ids]
        both = [(a, b) for a, b in both if a is not None and b is not None]
        res["cohen"] = nan_to_none(cohen_kappa_score([a for a, _ in both], [b for _, b in both]))
    complete = [[val(c, i) for c in coders] for i in ids]
    complete = [r for r in complete if all(v is not None for v in r)]
    table, _ = aggregate_raters(np.array(complete), n_cat=len(labels))
    res["fleiss"] = nan_to_none(fleiss_kappa(table, method="fleiss"))
    res["complete"] = len(complete)
    reliability = np.array([[np.nan if val(c, i) is None else val(c, i) for i in ids] for c in coders])
    res["alpha"] = nan_to_none(krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal"))
    return res


def expected():
    c = read()
    return {
        "two_coders": {col: stats(c[:2], col) for col in COLUMNS},
        "three_coders": {col: stats(c, col) for col in COLUMNS},
    }


def main():
    path = DIR / "expected.json"
    if "--check" in sys.argv:
        want = json.loads(path.read_text())
        got = expected()
        bad = []
        for group, cols in want.items():
            for col, vals in cols.items():
                for k, v in vals.items():
                    g = got[group][col][k]
                    if (v is None) != (g is None) or (v is not None and abs(v - g) > 1e-12):
                        bad.append(f"{group}/{col}/{k}: committed {v}, recomputed {g}")
        if bad:
            sys.exit("agreement references differ:\n" + "\n".join(bad))
        print(f"agreement references match ({path})")
        return
    generate()
    path.write_text(json.dumps(expected(), indent=2) + "\n")
    print(f"wrote {DIR}/coder{{1,2,3}}.csv and {path}")


if __name__ == "__main__":
    main()
