#!/usr/bin/env python3
"""Accuracy benchmark: framelens vs scikit-learn on BABE (label_bias, label_opinion).

Run from the repository root:

    python3 benches/babe_accuracy.py [--framelens target/release/framelens] \
        [--data ../shared/data/babe/babe_sg2.csv] [--folds 5] [--seed 0] \
        [--json-out SUMMARY.json] [--small-n 250] [--small-reps 5] [--extra]

For each task (label_bias, label_opinion; rows labelled 'No agreement' dropped):

  1. framelens eval with scikit-learn-equivalent features
     (--stem none --ngram-range 1,2 --min-df 2 --sublinear-tf) over the grid
     c=0.25..8 x class-weight=none:balanced x ngram-range=1,1:1,2, with --out so
     that the fold of every row is known;
  2. scikit-learn TfidfVectorizer(min_df=2, sublinear_tf=True, ngram_range) +
     LogisticRegression(C, class_weight, max_iter=10000, tol=1e-6) on exactly
     those folds (row order, texts and gold labels are checked against the
     --out file), same grid; the vectorizer is fitted on each training part only,
     once per (setting, fold), as framelens does;
  3. prints a setting-by-setting table (macro-F1 mean +- sd over folds,
     np.std ddof=0 as framelens), the best of each side, a probability-parity
     check on framelens's best setting, and the wall-clock/CPU time of each
     side's whole grid (framelens with its default threads and again with
     RAYON_NUM_THREADS=1; scikit-learn in this process with BLAS pinned to 1 thread);
  4. ablations of framelens features (stemming, stance-safe stop words, char_wb
     n-grams, min-df, n-gram range, ...), each at its best C/class-weight
     (framelens --grid over both), with the delta vs the sklearn-equivalent
     baseline on the same folds (mean and paired per-fold sd), and the
     majority-class baseline;
  5. a small-data check: --small-reps seeded stratified subsamples of
     --small-n sentences per task, a few candidate default configurations,
     scored untuned (c=1, class-weight none / balanced) and at the grid setting
     with the best mean over subsamples;
  6. optionally writes a machine-readable summary to --json-out.

The framelens binary is copied to a temporary directory at start so that a
rebuild during the run cannot mix two versions; its sha256 is reported.
Exit status: 0 on success, 2 on any error (missing binary/data, framelens
failure, fold/row mismatch).
"""

import argparse
import csv
import datetime
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import signal

import numpy as np
import scipy
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from threadpoolctl import threadpool_limits

DEFAULT_DATA = "../shared/data/babe/babe_sg2.csv"
TEXT_COL = "text"
TASKS = ["label_bias", "label_opinion"]
SKIP_LABEL = "No agreement"

GRID_C = ["0.25", "0.5", "1", "2", "4", "8"]
GRID_CW = ["none", "balanced"]
GRID_NGRAM = ["1,1", "1,2"]
# Ablation C grids (5 values x class-weight none/balanced = 10 settings per run, to keep
# the whole script near 10 minutes on 2 cores). Configurations with char_wb n-grams
# search one step lower: in development runs their best C was at the low edge of
# 0.25..4 on label_opinion (char n-grams add many correlated features).
ABL_C = ["0.25", "0.5", "1", "2", "4"]
ABL_C_CHAR = ["0.125", "0.25", "0.5", "1", "2"]

BASE_FLAGS = ["--stem", "none", "--ngram-range", "1,2", "--min-df", "2", "--sublinear-tf"]

# (name, description, framelens feature flags). Flags are complete (no inheritance).
ABLATIONS = [
    ("baseline", "sklearn-equivalent: word 1-2, min-df 2, sublinear, no stem", BASE_FLAGS),
    ("unigram", "baseline, ngram-range 1,1", ["--stem", "none", "--ngram-range", "1,1", "--min-df", "2", "--sublinear-tf"]),
    ("mindf1", "baseline, min-df 1", ["--stem", "none", "--ngram-range", "1,2", "--min-df", "1", "--sublinear-tf"]),
    ("rawtf", "baseline, raw tf (no sublinear)", ["--stem", "none", "--ngram-range", "1,2", "--min-df", "2"]),
    ("stem", "+ English stemming", ["--stem", "english", "--ngram-range", "1,2", "--min-df", "2", "--sublinear-tf"]),
    ("stop", "+ stance-safe English stop words", BASE_FLAGS + ["--stop-words", "english"]),
    ("stem+stop", "+ stemming + stop words", ["--stem", "english", "--ngram-range", "1,2", "--min-df", "2", "--sublinear-tf", "--stop-words", "english"]),
    ("cwb25", "+ char_wb 2,5", BASE_FLAGS + ["--char-wb", "2,5"]),
    ("stem+cwb25", "+ stemming + char_wb 2,5", ["--stem", "english", "--ngram-range", "1,2", "--min-df", "2", "--sublinear-tf", "--char-wb", "2,5"]),
    ("cwb25-only", "char_wb 2,5 alone (no word n-grams)", ["--analyzer", "char_wb", "--ngram-range", "2,5", "--min-df", "2", "--sublinear-tf"]),
    ("nb+cwb16", "stem + word 1-3 + char_wb 1,6 + naive-Bayes scaling", ["--stem", "english", "--ngram-range", "1,3", "--min-df", "2", "--sublinear-tf", "--char-wb", "1,6", "--nb"]),
    ("preset-best", "--preset best (the above at C 0.5, balanced)", ["--preset", "best"]),
    ("fl-defaults", "framelens train defaults: stem english, word 1-2, min-df 1, raw tf", ["--stem", "english", "--ngram-range", "1,2", "--min-df", "1"]),
]
# More ablations with --extra (each char_wb one costs about a minute per task).
EXTRA_ABLATIONS = [
    ("ngram13", "baseline, ngram-range 1,3", ["--stem", "none", "--ngram-range", "1,3", "--min-df", "2", "--sublinear-tf"]),
    ("cwb14", "+ char_wb 1,4", BASE_FLAGS + ["--char-wb", "1,4"]),
    ("cwb35", "+ char_wb 3,5", BASE_FLAGS + ["--char-wb", "3,5"]),
    ("stem+stop+cwb25", "+ stemming + stop words + char_wb 2,5", ["--stem", "english", "--ngram-range", "1,2", "--min-df", "2", "--sublinear-tf", "--stop-words", "english", "--char-wb", "2,5"]),
]


def c_grid(flags):
    return ABL_C_CHAR if ("--char-wb" in flags or "char_wb" in flags) else ABL_C

# Candidate defaults checked on small subsamples.
SMALL_CONFIGS = ["baseline", "mindf1", "stem", "cwb25", "stem+cwb25", "fl-defaults"]
SMALL_CONFIGS_EXTRA = []


def fail(msg):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(2)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def resolve_binary(path):
    if not os.path.exists(path):
        found = shutil.which(path)
        if not found:
            fail(f"framelens binary not found: {path} (build it with `cargo build --release`)")
        path = found
    if os.path.isdir(path) or not os.access(path, os.X_OK):
        fail(f"framelens binary is not an executable file: {path}")
    return os.path.abspath(path)


# ---------------------------------------------------------------- data


def load_task(path, label_col):
    """Kept rows for one task, in file order, with framelens's rules: empty text,
    empty label and SKIP_LABEL are left out; labels are trimmed; text is kept as is."""
    texts, labels = [], []
    with open(path, "r", encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter=";")
        missing = {TEXT_COL, label_col} - set(reader.fieldnames or [])
        if missing:
            fail(f"{path}: missing column(s) {sorted(missing)}")
        for row in reader:
            text = row[TEXT_COL] or ""
            label = (row[label_col] or "").strip()
            if not text.strip() or not label or label == SKIP_LABEL:
                continue
            texts.append(text)
            labels.append(label)
    return texts, labels


def read_out(path):
    with open(path, "r", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def check_out_rows(out_rows, texts, labels, what):
    """The --out file must list exactly our kept rows, in order, with the same
    texts and gold labels. Returns the 0-based fold of every row."""
    if len(out_rows) != len(texts):
        fail(f"{what}: framelens --out has {len(out_rows)} rows, we kept {len(texts)}")
    folds = np.empty(len(texts), dtype=int)
    for i, r in enumerate(out_rows):
        if int(r["row"]) != i + 1:
            fail(f"{what}: --out row {i + 1} has row={r['row']}")
        if r["text"] != texts[i]:
            fail(f"{what}: text mismatch at row {i + 1}: {r['text'][:60]!r} vs {texts[i][:60]!r}")
        if r["gold"] != labels[i]:
            fail(f"{what}: gold mismatch at row {i + 1}: {r['gold']!r} vs {labels[i]!r}")
        folds[i] = int(r["fold"]) - 1
    return folds


def fold_f1s_from_out(out_rows, classes, k):
    gold = np.array([r["gold"] for r in out_rows])
    pred = np.array([r["predicted"] for r in out_rows])
    fold = np.array([int(r["fold"]) - 1 for r in out_rows])
    return np.array([
        f1_score(gold[fold == f], pred[fold == f], labels=classes, average="macro", zero_division=0)
        for f in range(k)
    ])


def out_proba(out_rows, classes):
    return np.array([[float(r[f"p_{c}"]) for c in classes] for r in out_rows])


# ---------------------------------------------------------------- framelens


class Framelens:
    def __init__(self, binary, workdir, folds, seed, max_iter, tol):
        self.binary = binary
        self.workdir = workdir
        self.folds = folds
        self.seed = seed
        self.max_iter = max_iter
        self.tol = tol
        self.n = 0

    def eval(self, data, label, flags, grid, threads=None, delimiter=None):
        """Runs framelens eval; returns (save_json, out_rows, wall_s, cpu_s, stderr, cmd)."""
        self.n += 1
        save = os.path.join(self.workdir, f"run{self.n}.json")
        out = os.path.join(self.workdir, f"run{self.n}.csv")
        cmd = [self.binary, "eval", "--data", data, "--text", TEXT_COL, "--label", label,
               "--skip-label", SKIP_LABEL, "--folds", str(self.folds), "--seed", str(self.seed),
               "--max-iter", str(self.max_iter), "--tol", str(self.tol)]
        if delimiter:
            cmd += ["--delimiter", delimiter]
        cmd += list(flags)
        for key, values in grid:
            cmd += ["--grid", f"{key}={values}"]
        cmd += ["--out", out, "--save", save, "--format", "json"]
        env = dict(os.environ)
        if threads is not None:
            env["RAYON_NUM_THREADS"] = str(threads)
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        wall = time.perf_counter() - t0
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
        if p.returncode != 0:
            fail(f"framelens exited with status {p.returncode}\n$ {' '.join(cmd)}\n{p.stderr.strip()}")
        with open(save, "r", encoding="utf-8") as f:
            res = json.load(f)
        return res, read_out(out), wall, cpu, p.stderr, cmd


def settings_key(settings):
    """framelens settings list ['c=1', 'class-weight=none', ...] -> dict."""
    return dict(s.split("=", 1) for s in settings)


def conv_warnings(stderr):
    return [l for l in stderr.splitlines() if "converge" in l.lower() or "iteration" in l.lower()]


# ---------------------------------------------------------------- scikit-learn


def sklearn_grid(texts, labels, folds, k, classes, max_iter, tol):
    """Same grid as framelens step 1, in framelens's order. Returns per-setting
    fold F1s, OOF probabilities, wall and CPU seconds, number of fits that did not converge."""
    texts = np.array(texts, dtype=object)
    labels = np.array(labels)
    results = {}
    n_warn = 0
    # One BLAS/OpenMP thread: on a busy 2-core machine OpenBLAS's default threads make
    # lbfgs on sparse input tens of times slower (busy-waiting), which would not be a
    # fair picture of scikit-learn. scikit-learn's lbfgs is otherwise single-threaded.
    limiter = threadpool_limits(limits=1)
    t0 = time.perf_counter()
    c0 = time.process_time()
    for c in GRID_C:
        for cw in GRID_CW:
            for ng in GRID_NGRAM:
                lo, hi = (int(x) for x in ng.split(","))
                f1s = np.zeros(k)
                proba = np.zeros((len(texts), len(classes)))
                for f in range(k):
                    tr, te = folds != f, folds == f
                    vec = TfidfVectorizer(min_df=2, sublinear_tf=True, ngram_range=(lo, hi))
                    clf = LogisticRegression(C=float(c), class_weight=None if cw == "none" else "balanced",
                                             max_iter=max_iter, tol=tol)
                    with warnings.catch_warnings(record=True) as caught:
                        warnings.simplefilter("always", ConvergenceWarning)
                        X = vec.fit_transform(texts[tr])
                        clf.fit(X, labels[tr])
                    n_warn += sum(1 for w in caught if issubclass(w.category, ConvergenceWarning))
                    if list(clf.classes_) != classes:
                        fail(f"sklearn classes {list(clf.classes_)} != framelens classes {classes}")
                    p = clf.predict_proba(vec.transform(texts[te]))
                    proba[te] = p
                    pred = clf.classes_[np.argmax(p, axis=1)]
                    f1s[f] = f1_score(labels[te], pred, labels=classes, average="macro", zero_division=0)
                results[(c, cw, ng)] = {"f1s": f1s, "proba": proba}
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    limiter.restore_original_limits()
    return results, wall, cpu, n_warn


def majority_baseline(labels, folds, k, classes):
    labels = np.array(labels)
    f1s = []
    for f in range(k):
        tr, te = folds != f, folds == f
        vals, counts = np.unique(labels[tr], return_counts=True)
        maj = vals[np.argmax(counts)]
        pred = np.full(te.sum(), maj, dtype=object)
        f1s.append(f1_score(labels[te], pred, labels=classes, average="macro", zero_division=0))
    return np.array(f1s), str(maj)


# ---------------------------------------------------------------- formatting


def ms(x):
    return f"{x[0]:.4f} ± {x[1]:.4f}"


def setting_str(c, cw, ng):
    return f"c={c} cw={cw} ngram={ng}"


def md_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(str(x) for x in r) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------- steps


def compare_task(fl, data, task, args):
    texts, labels = load_task(data, task)
    classes = sorted(set(labels))
    k = args.folds
    log(f"[{task}] {len(texts)} rows, classes {classes}")

    # 1. framelens grid (2 threads = all cores; then again pinned to 1 thread for timing).
    grid = [("c", ",".join(GRID_C)), ("class-weight", ",".join(GRID_CW)), ("ngram-range", ":".join(GRID_NGRAM))]
    res, out_rows, fl_wall, fl_cpu, stderr, cmd = fl.eval(data, task, BASE_FLAGS, grid)
    folds = check_out_rows(out_rows, texts, labels, f"{task} grid")
    if res["classes"] != classes:
        fail(f"{task}: framelens classes {res['classes']} != {classes}")
    log(f"[{task}] framelens grid: {fl_wall:.1f}s wall, {fl_cpu:.1f}s CPU")
    _, _, fl_wall1, fl_cpu1, _, _ = fl.eval(data, task, BASE_FLAGS, grid, threads=1)
    log(f"[{task}] framelens grid, 1 thread: {fl_wall1:.1f}s wall")

    fl_by = {}
    for r in res["results"]:
        s = settings_key(r["settings"])
        fl_by[(s["c"], s["class-weight"], s["ngram-range"])] = r
    # framelens's reported best and its per-fold F1 recomputed from --out.
    best_s = None
    for key, r in fl_by.items():
        if best_s is None or r["macro_f1"][0] > fl_by[best_s]["macro_f1"][0]:
            best_s = key
    fl_best_f1s = fold_f1s_from_out(out_rows, classes, k)
    if abs(fl_best_f1s.mean() - fl_by[best_s]["macro_f1"][0]) > 1e-9:
        fail(f"{task}: --out per-fold macro-F1 {fl_best_f1s.mean()} != reported {fl_by[best_s]['macro_f1'][0]}")

    # 2. scikit-learn on the same folds.
    log(f"[{task}] scikit-learn grid ...")
    sk, sk_wall, sk_cpu, sk_warn = sklearn_grid(texts, labels, folds, k, classes, args.max_iter, args.tol)
    log(f"[{task}] scikit-learn grid: {sk_wall:.1f}s wall, {sk_cpu:.1f}s CPU, {sk_warn} non-converged fits")

    rows = []
    table = []
    for key in sk:
        f = fl_by[key]["macro_f1"]
        s = (float(sk[key]["f1s"].mean()), float(sk[key]["f1s"].std(ddof=0)))
        rows.append({"c": key[0], "class_weight": key[1], "ngram_range": key[2],
                     "framelens_macro_f1": f, "sklearn_macro_f1": list(s), "diff": f[0] - s[0]})
        table.append([setting_str(*key), ms(f), ms(s), f"{f[0] - s[0]:+.4f}"])
    sk_best = max(sk, key=lambda kk: sk[kk]["f1s"].mean())
    skb = (float(sk[sk_best]["f1s"].mean()), float(sk[sk_best]["f1s"].std()))
    flb = fl_by[best_s]["macro_f1"]
    paired = fl_best_f1s - sk[sk_best]["f1s"]

    # Parity on framelens's best setting: same folds, same setting, OOF probabilities.
    p_fl = out_proba(out_rows, classes)
    p_sk = sk[best_s]["proba"]
    pred_fl = np.argmax(p_fl, axis=1)
    pred_sk = np.argmax(p_sk, axis=1)
    parity = {"setting": setting_str(*best_s),
              "max_abs_proba_diff": float(np.max(np.abs(p_fl - p_sk))),
              "mean_abs_proba_diff": float(np.mean(np.abs(p_fl - p_sk))),
              "prediction_agreement": float(np.mean(pred_fl == pred_sk)),
              "sklearn_same_setting_macro_f1": [float(sk[best_s]["f1s"].mean()), float(sk[best_s]["f1s"].std())]}

    maj_f1s, maj = majority_baseline(labels, folds, k, classes)

    return {
        "task": task, "rows": len(texts), "classes": classes,
        "class_counts": {c: labels.count(c) for c in classes},
        "fold_sizes": [int((folds == f).sum()) for f in range(k)],
        "framelens_command": cmd,
        "table": rows, "table_md": table,
        "framelens_best": {"setting": setting_str(*best_s), "macro_f1": flb, "per_fold": fl_best_f1s.tolist()},
        "sklearn_best": {"setting": setting_str(*sk_best), "macro_f1": list(skb),
                         "per_fold": sk[sk_best]["f1s"].tolist()},
        "best_diff": flb[0] - skb[0],
        "best_diff_paired_sd": float(paired.std()),
        "parity": parity,
        "timing": {"framelens_wall_s": fl_wall, "framelens_cpu_s": fl_cpu,
                   "framelens_1thread_wall_s": fl_wall1, "framelens_1thread_cpu_s": fl_cpu1,
                   "sklearn_wall_s": sk_wall, "sklearn_cpu_s": sk_cpu,
                   "wall_ratio_sklearn_over_framelens": sk_wall / fl_wall,
                   "wall_ratio_sklearn_over_framelens_1thread": sk_wall / fl_wall1,
                   "cpu_ratio_sklearn_over_framelens": sk_cpu / fl_cpu},
        "nonconverged": {"sklearn_fits": sk_warn, "framelens_stderr": conv_warnings(stderr)},
        "majority": {"class": maj, "macro_f1": [float(maj_f1s.mean()), float(maj_f1s.std())]},
        "_folds": folds,
    }


def ablate_task(fl, data, task, args, folds_ref, texts, labels):
    classes = sorted(set(labels))
    k = args.folds
    out = []
    base_f1s = None
    for name, desc, flags in ABLATIONS + (EXTRA_ABLATIONS if args.extra else []):
        cs = c_grid(flags)
        grid = [("c", ",".join(cs)), ("class-weight", ",".join(GRID_CW))]
        res, out_rows, wall, cpu, stderr, _ = fl.eval(data, task, flags, grid)
        folds = check_out_rows(out_rows, texts, labels, f"{task} ablation {name}")
        if not np.array_equal(folds, folds_ref):
            fail(f"{task} ablation {name}: folds differ from the comparison run")
        best = max(res["results"], key=lambda r: r["macro_f1"][0])
        f1s = fold_f1s_from_out(out_rows, classes, k)
        if abs(f1s.mean() - best["macro_f1"][0]) > 1e-9:
            fail(f"{task} ablation {name}: --out F1 {f1s.mean()} != reported {best['macro_f1'][0]}")
        if base_f1s is None:
            base_f1s = f1s
        s = settings_key(best["settings"])
        edge = s["c"] in (cs[0], cs[-1])
        # best at c=1 (either class weight) for an untuned view
        at_c1 = max((r for r in res["results"] if settings_key(r["settings"])["c"] == "1"),
                    key=lambda r: r["macro_f1"][0])
        at_c1_none = next(r for r in res["results"]
                          if settings_key(r["settings"]) == {"c": "1", "class-weight": "none"})
        d = f1s - base_f1s
        out.append({"name": name, "description": desc, "flags": flags,
                    "c_grid": cs,
                    "best_setting": f"c={s['c']} cw={s['class-weight']}", "best_c_at_grid_edge": edge,
                    "macro_f1": best["macro_f1"], "per_fold": f1s.tolist(),
                    "delta": float(d.mean()), "delta_paired_sd": float(d.std()),
                    "c1_none_macro_f1": at_c1_none["macro_f1"], "c1_best_cw_macro_f1": at_c1["macro_f1"],
                    "wall_s": wall, "cpu_s": cpu, "nonconverged": conv_warnings(stderr)})
        log(f"[{task}] ablation {name:16s} {ms(best['macro_f1'])} ({s['c']}, {s['class-weight']}) "
            f"Δ {d.mean():+.4f} [{wall:.1f}s]")
    return out


def small_data(fl, data, task, args, workdir):
    """Seeded stratified subsamples of args.small_n rows; candidate defaults."""
    texts, labels = load_task(data, task)
    classes = sorted(set(labels))
    configs = [(n, d, f) for (n, d, f) in ABLATIONS if n in SMALL_CONFIGS] + SMALL_CONFIGS_EXTRA
    per = {n: [] for n, _, _ in configs}
    for rep in range(args.small_reps):
        rng = random.Random(1000 * args.seed + rep)
        idx = []
        for c in classes:
            rows = [i for i, l in enumerate(labels) if l == c]
            take = round(args.small_n * len(rows) / len(labels))
            idx += rng.sample(rows, take)
        idx.sort()
        path = os.path.join(workdir, f"small_{task}_{rep}.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow([TEXT_COL, task])
            for i in idx:
                w.writerow([texts[i], labels[i]])
        for name, _, flags in configs:
            grid = [("c", ",".join(c_grid(flags))), ("class-weight", ",".join(GRID_CW))]
            res, _, _, _, _, _ = fl.eval(path, task, flags, grid, delimiter=",")
            per[name].append({(settings_key(r["settings"])["c"], settings_key(r["settings"])["class-weight"]):
                              r["macro_f1"][0] for r in res["results"]})
    out = []
    for name, desc, _ in configs:
        reps = per[name]
        keys = list(reps[0].keys())
        mean_by = {kk: np.mean([r[kk] for r in reps]) for kk in keys}
        best = max(keys, key=lambda kk: mean_by[kk])
        c1 = [r[("1", "none")] for r in reps]
        c1b = [r[("1", "balanced")] for r in reps]
        bb = [r[best] for r in reps]
        out.append({"name": name, "description": desc,
                    "c1_none": [float(np.mean(c1)), float(np.std(c1))],
                    "c1_balanced": [float(np.mean(c1b)), float(np.std(c1b))],
                    "best_setting": f"c={best[0]} cw={best[1]}",
                    "best": [float(np.mean(bb)), float(np.std(bb))],
                    "per_c_none": {kk[0]: float(mean_by[kk]) for kk in keys if kk[1] == "none"}})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--framelens", default="target/release/framelens")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-iter", type=int, default=10000, help="both sides (default 10000)")
    ap.add_argument("--tol", type=float, default=1e-6, help="both sides (default 1e-6)")
    ap.add_argument("--small-n", type=int, default=250, help="subsample size for the small-data check (0: skip)")
    ap.add_argument("--small-reps", type=int, default=5)
    ap.add_argument("--extra", action="store_true", help="also run " + ", ".join(n for n, _, _ in EXTRA_ABLATIONS))
    ap.add_argument("--json-out", help="write a machine-readable summary here")
    args = ap.parse_args()
    # Turn SIGTERM into SystemExit so the temporary directory is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    if not os.path.isfile(args.data):
        fail(f"data not found: {args.data} (run from the repository root or pass --data)")
    t_start = time.perf_counter()
    binary = resolve_binary(args.framelens)
    workdir = tempfile.mkdtemp(prefix="babe_accuracy_")
    try:
        snap = os.path.join(workdir, "framelens")
        shutil.copy2(binary, snap)
        version = subprocess.run([snap, "--version"], stdout=subprocess.PIPE, text=True, check=True).stdout.strip()
        fl = Framelens(snap, workdir, args.folds, args.seed, args.max_iter, args.tol)
        env = {
            "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "framelens_version": version, "framelens_binary": args.framelens,
            "framelens_sha256": sha256_file(snap),
            "python": platform.python_version(), "sklearn": sklearn.__version__,
            "numpy": np.__version__, "scipy": scipy.__version__,
            "nproc": os.cpu_count(), "cpu": cpu_model(), "data": args.data,
            "data_sha256": sha256_file(args.data),
            "folds": args.folds, "seed": args.seed, "max_iter": args.max_iter, "tol": args.tol,
            "loadavg_start": os.getloadavg(),
        }
        summary = {"environment": env, "tasks": {}}
        for task in TASKS:
            cmp_ = compare_task(fl, args.data, task, args)
            texts, labels = load_task(args.data, task)
            abl = ablate_task(fl, args.data, task, args, cmp_.pop("_folds"), texts, labels)
            small = small_data(fl, args.data, task, args, workdir) if args.small_n > 0 else None
            summary["tasks"][task] = {"comparison": cmp_, "ablations": abl, "small_data": small}
        env["total_seconds"] = time.perf_counter() - t_start
        env["loadavg_end"] = os.getloadavg()
        report(summary, args)
        if args.json_out:
            for t in summary["tasks"].values():
                t["comparison"].pop("table_md", None)
            with open(args.json_out, "w", encoding="utf-8") as f:
                json.dump(summary, f, indent=1)
            log(f"summary written to {args.json_out}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def report(summary, args):
    env = summary["environment"]
    p = print
    p(f"# BABE accuracy benchmark — {env['date_utc']}")
    p(f"{env['framelens_version']} (sha256 {env['framelens_sha256'][:12]}), scikit-learn {env['sklearn']}, "
      f"numpy {env['numpy']}, scipy {env['scipy']}, Python {env['python']}; {env['nproc']} cores ({env['cpu']})")
    p(f"data {env['data']} (sha256 {env['data_sha256'][:12]}); {env['folds']}-fold stratified CV, seed {env['seed']}; "
      f"both sides max_iter={env['max_iter']}, tol={env['tol']}; macro-F1 mean ± sd over folds (ddof=0)")
    for task, t in summary["tasks"].items():
        c = t["comparison"]
        p(f"\n## {task}: {c['rows']} rows; " + ", ".join(f"{k} {v}" for k, v in c["class_counts"].items()))
        p(f"fold sizes {c['fold_sizes']} (from framelens --out; row order, texts and gold labels verified)\n")
        p(md_table(["setting", "framelens macro-F1", "sklearn macro-F1", "difference"], c["table_md"]))
        fb, sb = c["framelens_best"], c["sklearn_best"]
        p(f"\nbest framelens: {ms(fb['macro_f1'])} ({fb['setting']})")
        p(f"best sklearn:   {ms(sb['macro_f1'])} ({sb['setting']})")
        p(f"best − best: {c['best_diff']:+.4f} (paired per-fold sd {c['best_diff_paired_sd']:.4f})")
        par = c["parity"]
        p(f"parity at {par['setting']}: max |Δp| {par['max_abs_proba_diff']:.2e}, mean |Δp| "
          f"{par['mean_abs_proba_diff']:.2e}, same predicted class on {100 * par['prediction_agreement']:.2f}% of rows")
        tm = c["timing"]
        p(f"timing of the whole 24-setting grid: framelens {tm['framelens_wall_s']:.1f} s wall "
          f"({tm['framelens_cpu_s']:.1f} s CPU, 2 threads), {tm['framelens_1thread_wall_s']:.1f} s with "
          f"RAYON_NUM_THREADS=1; sklearn {tm['sklearn_wall_s']:.1f} s wall ({tm['sklearn_cpu_s']:.1f} s CPU, 1 process, 1 BLAS thread) "
          f"→ sklearn/framelens = {tm['wall_ratio_sklearn_over_framelens']:.1f}× wall, "
          f"{tm['wall_ratio_sklearn_over_framelens_1thread']:.1f}× wall at 1 thread, "
          f"{tm['cpu_ratio_sklearn_over_framelens']:.1f}× CPU")
        nc = c["nonconverged"]
        p(f"non-converged fits: sklearn {nc['sklearn_fits']}, framelens warnings {len(nc['framelens_stderr'])}")
        mj = c["majority"]
        p(f"majority-class baseline ('{mj['class']}'): macro-F1 {ms(mj['macro_f1'])}")

        p(f"\n### {task}: ablations (framelens, each at its best of c={{{','.join(ABL_C)}}} "
          f"(with char_wb: c={{{','.join(ABL_C_CHAR)}}}) × class-weight={{none,balanced}}; "
          f"(edge) = best C at the end of its grid)\n")
        rows = []
        for a in t["ablations"]:
            rows.append([f"{a['name']} — {a['description']}", ms(a["macro_f1"]),
                         a["best_setting"] + (" (edge)" if a["best_c_at_grid_edge"] else ""),
                         f"{a['delta']:+.4f} ± {a['delta_paired_sd']:.4f}", ms(a["c1_none_macro_f1"]),
                         f"{a['wall_s']:.1f}"])
        p(md_table(["configuration", "best macro-F1 ± sd", "best setting", "Δ vs baseline (paired sd)",
                    "c=1, none", "time (s)"], rows))
        if t["small_data"]:
            p(f"\n### {task}: small data — {args.small_reps} stratified subsamples of {args.small_n} sentences "
              f"(5-fold CV each); mean ± sd over subsamples\n")
            rows = [[f"{s['name']} — {s['description']}", ms(s["c1_none"]), ms(s["c1_balanced"]),
                     ms(s["best"]), s["best_setting"],
                     " ".join(f"{k}:{v:.3f}" for k, v in s["per_c_none"].items())]
                    for s in t["small_data"]]
            p(md_table(["configuration", "c=1 none", "c=1 balanced", "best setting (by mean)", "which",
                        "macro-F1 by C (cw=none)"], rows))
    p(f"\ntotal run time {env['total_seconds']:.0f} s; load average (1/5/15 min) at start "
      f"{'/'.join(f'{x:.2f}' for x in env['loadavg_start'])}, at end {'/'.join(f'{x:.2f}' for x in env['loadavg_end'])}")


if __name__ == "__main__":
    main()
