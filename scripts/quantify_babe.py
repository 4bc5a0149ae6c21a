#!/usr/bin/env python3
"""Validation of `framelens report --model` on BABE: do the corrected shares and their
intervals recover the gold share of `Biased` for outlets the model has not seen?

Run from the repository root (needs ../shared and a release build):

    python3 scripts/quantify_babe.py --framelens target/release/framelens [--workdir DIR] \
        [-- TRAIN OPTIONS...]

Anything after `--` is passed to `framelens train` (e.g. `-- --preset best`), so the table can
be re-measured with other settings. Every training uses `--cv 5`.

Three designs, all on BABE (label_bias, 'No agreement' dropped; documents = news_link):
  1. held-out outlets: each of the 8 largest outlets in turn; train on all other outlets, score
     the held-out one, report; per estimator the mean absolute error against the gold share of
     Biased, and how many headline 95% intervals contain the gold share (goal: MAE <= 0.05,
     coverage >= 7 of 8);
  2. within outlet: train on the documents of every outlet whose news_link hashes even, score
     the others, report per outlet;
  3. Fox News vs MSNBC: train on every other outlet, score both.

Prints Markdown tables (for BENCHMARKS.md). Exit status 0, or 2 on any error.
"""

import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

DEFAULT_DATA = "../shared/data/babe/babe_sg2.csv"
EST = ["classify_count", "probability_average", "adjusted_count", "probability_adjusted", "em"]
POS = "Biased"
REUSE = False  # --reuse: keep the models already in --workdir (same data and options)


def fail(msg):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path):
    if not os.path.isfile(path):
        fail(f"BABE not found: {path}")
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            if r["label_bias"] in ("", "No agreement") or not r["text"].strip():
                continue
            rows.append(r)
    return rows


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"{' '.join(cmd)} failed:\n{p.stderr}")
    return p.stdout


def write_csv(path, rows, extra=None):
    cols = ["text", "outlet", "news_link", "label_bias"] + ([extra] if extra else [])
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore", delimiter=";")
        w.writeheader()
        w.writerows(rows)


def experiment(fl, wd, name, train_rows, test_rows, train_opts):
    """Train on train_rows, score test_rows, report --model; per outlet (gold, label object)."""
    tr, te = os.path.join(wd, f"{name}_train.csv"), os.path.join(wd, f"{name}_test.csv")
    model, scores = os.path.join(wd, f"{name}.json"), os.path.join(wd, f"{name}_scores.csv")
    write_csv(tr, train_rows)
    write_csv(te, test_rows)
    if not (REUSE and os.path.isfile(model)):
        run([fl, "train", "--data", tr, "--delimiter", ";", "--text", "text", "--label",
             "label_bias", "--cv", "5", "--out", model] + train_opts)
    run([fl, "score", "--model", model, "--no-split", "--delimiter", ";", "--text", "text",
         "--source", "outlet", "--doc", "news_link", "--out", scores, te])
    rep = json.loads(run([fl, "report", scores, "--model", model, "--format", "json"]))
    m = rep["models"][0]
    # The classifier's rates on the scored rows (from the gold labels) beside its cross-validated
    # rates, stored in the model: what the corrections assume is the same in every outlet.
    mj = json.load(open(model, encoding="utf-8"))
    classes = mj["classifier"]["classes"]
    conf = mj["training"]["cross_validation"]["confusion"]
    b, nb = classes.index(POS), 1 - classes.index(POS)
    cv_rates = (conf[b][b] / sum(conf[b]), conf[nb][b] / sum(conf[nb]))
    gold_of = {r["text"].strip(): r["label_bias"] for r in test_rows}
    with open(scores, encoding="utf-8", newline="") as f:
        srows = list(csv.DictReader(f))
    col = next(c for c in srows[0] if c.endswith("_label"))
    out = {}
    for g in m["groups"]:
        gold_rows = [r for r in test_rows if r["outlet"] == g["group"]]
        gold = sum(r["label_bias"] == POS for r in gold_rows) / len(gold_rows)
        lab = next(l for l in g["labels"] if l["label"] == POS)
        pairs = [(gold_of.get(r["text"].strip()), r[col]) for r in srows if r["source"] == g["group"]]
        pos = [p for t, p in pairs if t == POS]
        neg = [p for t, p in pairs if t is not None and t != POS]
        rates = (sum(p == POS for p in pos) / max(len(pos), 1), sum(p == POS for p in neg) / max(len(neg), 1))
        lab = dict(lab, _rates=rates, _cv_rates=cv_rates)
        out[g["group"]] = (gold, lab, g)
    return out, m


def summary(results):
    """MAE per estimator, headline MAE and coverage."""
    n = len(results)
    mae = {e: sum(abs(l["estimates"][e] - gold) for gold, l, _ in results.values()
                  if l["estimates"][e] is not None) / n for e in EST}
    head = sum(abs(l["estimates"][l["headline"]] - gold) for gold, l, _ in results.values()) / n
    cov = sum(l["headline_ci_low"] is not None and l["headline_ci_low"] <= gold <= l["headline_ci_high"]
              for gold, l, _ in results.values())
    return mae, head, cov


def table(results, title):
    print(f"\n{title}\n")
    print("| outlet | sentences | gold | " + " | ".join(EST) + " | headline [95% interval] | covers |")
    print("|---|---:|---:|" + "---:|" * len(EST) + "---|---|")
    for o, (gold, l, g) in sorted(results.items(), key=lambda kv: -kv[1][2]["sentences"]):
        est = " | ".join("–" if l["estimates"][e] is None else
                         f"{l['estimates'][e]:.3f}{'*' if e in l['clipped'] else ''}" for e in EST)
        lo, hi = l["headline_ci_low"], l["headline_ci_high"]
        ci = "cannot be estimated" if lo is None else f"{lo:.3f}–{hi:.3f}"
        covers = "yes" if lo is not None and lo <= gold <= hi else "no"
        print(f"| {o} | {g['sentences']} | {gold:.3f} | {est} | {l['headline']} "
              f"{l['estimates'][l['headline']]:.3f} [{ci}] | {covers} |")
    mae, head, cov = summary(results)
    print("| **MAE** | | | " + " | ".join(f"{mae[e]:.3f}" for e in EST)
          + f" | {head:.3f} | {cov} of {len(results)} |")
    print(f"\nThe classifier's rates in each outlet (from its gold labels) against its cross-validated rates "
          f"(what the adjusted estimates assume in every outlet):\n")
    print("| outlet | recall of Biased (CV) | false-positive rate (CV) |")
    print("|---|---:|---:|")
    for o, (gold, l, g) in sorted(results.items(), key=lambda kv: -kv[1][2]["sentences"]):
        (tpr, fpr), (ctpr, cfpr) = l["_rates"], l["_cv_rates"]
        print(f"| {o} | {tpr:.3f} ({ctpr:.3f}) | {fpr:.3f} ({cfpr:.3f}) |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--framelens", default="target/release/framelens")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--workdir")
    ap.add_argument("--designs", default="heldout,within,foxmsnbc")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse models already trained in --workdir (same data and options)")
    ap.add_argument("train_opts", nargs="*")
    a = ap.parse_args()
    global REUSE
    REUSE = a.reuse
    if not os.path.isfile(a.framelens):
        fail(f"no framelens binary at {a.framelens} (cargo build --release)")
    rows = load(a.data)
    wd = a.workdir or tempfile.mkdtemp(prefix="framelens_quantify_")
    os.makedirs(wd, exist_ok=True)
    designs = a.designs.split(",")
    print(f"BABE: {len(rows)} sentences; train options: {' '.join(a.train_opts) or '(defaults)'} --cv 5")
    if "heldout" in designs:
        top = [o for o, _ in Counter(r["outlet"] for r in rows).most_common(8)]
        res = {}
        for o in top:
            r, m = experiment(a.framelens, wd, "out_" + hashlib.sha1(o.encode()).hexdigest()[:8],
                              [r for r in rows if r["outlet"] != o],
                              [r for r in rows if r["outlet"] == o], a.train_opts)
            res.update(r)
            print(f"  held out {o}: CV macro-F1 {m['cv_macro_f1']:.3f}", file=sys.stderr)
        table(res, "Held-out outlets (8 largest), share of Biased")
    if "within" in designs:
        even = lambda r: int(hashlib.sha1(r["news_link"].encode()).hexdigest(), 16) % 2 == 0
        res, _ = experiment(a.framelens, wd, "within", [r for r in rows if even(r)],
                            [r for r in rows if not even(r)], a.train_opts)
        table(res, "Within outlet (train on half of every outlet's documents, estimate the other half), share of Biased")
    if "foxmsnbc" in designs:
        pair = ("Fox News", "MSNBC")
        res, _ = experiment(a.framelens, wd, "foxmsnbc", [r for r in rows if r["outlet"] not in pair],
                            [r for r in rows if r["outlet"] in pair], a.train_opts)
        table(res, "Fox News and MSNBC held out together, share of Biased")


if __name__ == "__main__":
    main()
