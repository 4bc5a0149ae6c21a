#!/usr/bin/env python3
"""Probability parity check: framelens vs scikit-learn on the BABE corpus.

Run from the repository root:

    python3 scripts/parity_babe.py --framelens target/release/framelens \
        [--data ../shared/data/babe/babe_sg2.csv] [--workdir DIR] [--tol 1e-3]

Steps:
  1. read BABE (';'-delimited, UTF-8 with BOM), drop rows whose label_bias is
     'No agreement' or empty, or whose text is empty/whitespace;
  2. fit TfidfVectorizer(ngram_range=(1,2), min_df=2, sublinear_tf=True) +
     LogisticRegression(C=1.0, tol=1e-10, max_iter=10000) on all kept rows and
     predict_proba every kept row;
  3. train and score the same rows with framelens;
  4. compare vocabularies, probabilities and predicted labels.

Exit status: 0 if the max absolute probability difference is <= --tol,
1 if it is larger, 2 on any error (missing binary, framelens failure,
malformed output).

Versions are pinned in scripts/requirements.txt.
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

DEFAULT_DATA = "../shared/data/babe/babe_sg2.csv"
TEXT_COL = "text"
LABEL_COL = "label_bias"
SKIP_LABEL = "No agreement"
MODEL_NAME = "babe_bias"


def fail(msg, code=2):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(code)


def load_babe(path):
    """Return (texts, labels, n_read) for the kept rows, in file order."""
    if not os.path.isfile(path):
        fail(f"BABE data not found: {path} (run from the repository root or pass --data)")
    texts, labels = [], []
    n_read = 0
    with open(path, "r", encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter=";")
        missing = {TEXT_COL, LABEL_COL} - set(reader.fieldnames or [])
        if missing:
            fail(f"{path}: missing column(s) {sorted(missing)}; header is {reader.fieldnames}")
        for row in reader:
            n_read += 1
            text = row[TEXT_COL] or ""
            label = row[LABEL_COL] or ""
            if label == SKIP_LABEL or label == "" or not text.strip():
                continue
            texts.append(text)
            labels.append(label)
    return texts, labels, n_read


def fit_sklearn(texts, labels):
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    clf = LogisticRegression(C=1.0, tol=1e-10, max_iter=10000)
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        X = vec.fit_transform(texts)
        clf.fit(X, labels)
    fit_seconds = time.perf_counter() - t0
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    proba = clf.predict_proba(X)
    classes = [str(c) for c in clf.classes_]
    vocab = [str(t) for t in vec.get_feature_names_out()]
    return {
        "vocab": vocab,
        "classes": classes,
        "proba": proba,
        "pred": [classes[i] for i in np.argmax(proba, axis=1)],
        "fit_seconds": fit_seconds,
        "n_iter": int(np.max(clf.n_iter_)),
        "converged": converged,
    }


def resolve_binary(path):
    if os.sep in path or (os.altsep and os.altsep in path) or os.path.exists(path):
        if not os.path.exists(path):
            fail(
                f"framelens binary not found: {path}\n"
                "       build it first with `cargo build --release` (from the repository root)"
            )
        if os.path.isdir(path) or not os.access(path, os.X_OK):
            fail(f"framelens binary is not an executable file: {path}")
        return os.path.abspath(path)
    found = shutil.which(path)
    if not found:
        fail(f"framelens binary not found on PATH: {path}")
    return found


def run(cmd):
    print("$ " + " ".join(_shell_quote(c) for c in cmd), flush=True)
    t0 = time.perf_counter()
    try:
        subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except FileNotFoundError:
        fail(f"could not execute {cmd[0]}")
    except PermissionError:
        fail(f"permission denied executing {cmd[0]}")
    except subprocess.CalledProcessError as e:
        msg = f"framelens exited with status {e.returncode}"
        if e.stdout and e.stdout.strip():
            msg += "\n--- stdout ---\n" + e.stdout.rstrip()
        if e.stderr and e.stderr.strip():
            msg += "\n--- stderr ---\n" + e.stderr.rstrip()
        fail(msg)
    return time.perf_counter() - t0


def _shell_quote(s):
    if s and all(c.isalnum() or c in "-_./=,:+" for c in s):
        return s
    return "'" + s.replace("'", "'\"'\"'") + "'"


def write_texts(path, texts):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL)
        w.writerow([TEXT_COL])
        for t in texts:
            w.writerow([t])


def run_framelens(binary, data, workdir, texts):
    model = os.path.join(workdir, f"{MODEL_NAME}.json")
    texts_csv = os.path.join(workdir, "babe_texts.csv")
    scores = os.path.join(workdir, "babe_scores.csv")
    train_s = run([
        binary, "train",
        "--data", data,
        "--delimiter", ";",
        "--text", TEXT_COL,
        "--label", LABEL_COL,
        "--skip-label", SKIP_LABEL,
        "--stem", "none",
        "--ngram-range", "1,2",
        "--min-df", "2",
        "--sublinear-tf",
        "--c", "1.0",
        # Exactly these options: no automatic search, no cross-validation, no calibration.
        "--search", "none",
        "--cv", "0",
        "--out", model,
    ])
    if not os.path.isfile(model):
        fail(f"framelens train exited 0 but did not write the model {model}")
    write_texts(texts_csv, texts)
    score_s = run([
        binary, "score",
        "--model", model,
        "--no-split",
        "--text", TEXT_COL,
        "--format", "csv",
        "--out", scores,
        texts_csv,
    ])
    if not os.path.isfile(scores):
        fail(f"framelens score exited 0 but did not write {scores}")
    return model, scores, train_s, score_s


def fake_framelens(workdir, texts, sk):
    """--self-test: write sklearn's own results in framelens' output formats."""
    model = os.path.join(workdir, f"{MODEL_NAME}.json")
    texts_csv = os.path.join(workdir, "babe_texts.csv")
    scores = os.path.join(workdir, "babe_scores.csv")
    write_texts(texts_csv, texts)
    with open(model, "w", encoding="utf-8") as f:
        json.dump({"features": {"parts": [{"vocabulary": sk["vocab"]}]}}, f, ensure_ascii=False)
    with open(scores, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL)
        w.writerow(["source", "doc", "index", "text", f"{MODEL_NAME}_label"]
                   + [f"{MODEL_NAME}_p_{c}" for c in sk["classes"]])
        for i, (t, lab, p) in enumerate(zip(texts, sk["pred"], sk["proba"])):
            w.writerow([texts_csv, i, 0, t, lab] + [repr(float(x)) for x in p])
    return model, scores


def read_model_vocab(model_path):
    try:
        with open(model_path, "r", encoding="utf-8") as f:
            model = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        fail(f"cannot read model JSON {model_path}: {e}")
    feats = model.get("features", {}) if isinstance(model, dict) else {}
    vocab = feats.get("vocabulary")
    if vocab is None and feats.get("parts"):  # framelens format 1: features.parts[0].vocabulary
        vocab = feats["parts"][0].get("vocabulary")
    if isinstance(vocab, dict):  # tolerate a term -> index map
        vocab = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    if not isinstance(vocab, list):
        return None
    return [str(t) for t in vocab]


def read_scores(path, classes):
    try:
        f = open(path, "r", encoding="utf-8-sig", newline="")
    except OSError as e:
        fail(f"cannot read framelens scores {path}: {e}")
    with f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []

        def column(suffix):
            exact = f"{MODEL_NAME}_{suffix}"
            if exact in header:
                return exact
            matches = [h for h in header if h.endswith("_" + suffix)]
            if len(matches) == 1:
                return matches[0]
            fail(f"{path}: cannot find column '{exact}' in header {header}")

        label_col = column("label")
        p_cols = [column(f"p_{c}") for c in classes]
        labels, proba, texts = [], [], []
        for n, row in enumerate(reader, start=2):
            try:
                proba.append([float(row[c]) for c in p_cols])
            except (TypeError, ValueError):
                fail(f"{path}:{n}: non-numeric probability in {[row.get(c) for c in p_cols]}")
            labels.append(row[label_col])
            texts.append(row.get("text"))
    return labels, np.array(proba, dtype=float).reshape(-1, len(classes)), texts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--framelens", help="path to the framelens binary (e.g. target/release/framelens)")
    ap.add_argument("--data", default=DEFAULT_DATA, help=f"BABE SG2 CSV (default: {DEFAULT_DATA})")
    ap.add_argument("--workdir", help="directory for the model and CSV files (default: a new temp dir)")
    ap.add_argument("--tol", type=float, default=1e-3,
                    help="fail if the max absolute probability difference exceeds this (default: 1e-3)")
    ap.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if not args.self_test:
        if not args.framelens:
            ap.error("--framelens is required")
        binary = resolve_binary(args.framelens)

    texts, labels, n_read = load_babe(args.data)
    if not texts:
        fail(f"no usable rows in {args.data}")
    workdir = args.workdir or tempfile.mkdtemp(prefix="framelens_parity_")
    os.makedirs(workdir, exist_ok=True)

    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}")
    print(f"data: {args.data}: {n_read} rows read, {len(texts)} kept")
    print(f"workdir: {workdir}")

    sk = fit_sklearn(texts, labels)
    print(f"sklearn: fit {sk['fit_seconds']:.2f}s, {sk['n_iter']} lbfgs iterations"
          + ("" if sk["converged"] else " (DID NOT CONVERGE)")
          + f", vocabulary {len(sk['vocab'])}, classes {sk['classes']}")

    if args.self_test:
        print("self-test: faking framelens output with sklearn's own results")
        model_path, scores_path = fake_framelens(workdir, texts, sk)
    else:
        model_path, scores_path, train_s, score_s = run_framelens(binary, args.data, workdir, texts)
        print(f"framelens: train {train_s:.2f}s, score {score_s:.2f}s (wall clock, incl. process start)")

    # Vocabulary
    fl_vocab = read_model_vocab(model_path)
    if fl_vocab is None:
        print("vocabulary: framelens model has no list at features.vocabulary -- not compared")
    else:
        same = fl_vocab == sk["vocab"]
        same_set = set(fl_vocab) == set(sk["vocab"])
        status = "identical" if same else ("same terms, different order" if same_set else "DIFFERENT")
        print(f"vocabulary: sklearn {len(sk['vocab'])}, framelens {len(fl_vocab)} -> {status}")
        if not same_set:
            only_sk = sorted(set(sk["vocab"]) - set(fl_vocab))
            only_fl = sorted(set(fl_vocab) - set(sk["vocab"]))
            print(f"  only in sklearn ({len(only_sk)}): {only_sk[:10]}")
            print(f"  only in framelens ({len(only_fl)}): {only_fl[:10]}")

    # Probabilities and labels
    fl_labels, fl_proba, fl_texts = read_scores(scores_path, sk["classes"])
    if len(fl_labels) != len(texts):
        fail(f"framelens wrote {len(fl_labels)} score rows, expected {len(texts)}")
    text_mismatch = sum(1 for a, b in zip(fl_texts, texts) if a is not None and a != b)
    if text_mismatch:
        print(f"warning: {text_mismatch} rows have a different 'text' in the framelens output "
              "(row order or text handling differs)")
    diff = np.abs(fl_proba - sk["proba"])
    max_diff = float(diff.max())
    worst = int(np.unravel_index(np.argmax(diff), diff.shape)[0])
    for j, c in enumerate(sk["classes"]):
        print(f"P({c}): max |diff| {diff[:, j].max():.3e}, mean |diff| {diff[:, j].mean():.3e}")
    same_label = sum(1 for a, b in zip(fl_labels, sk["pred"]) if a == b)
    print(f"predicted labels identical: {same_label}/{len(texts)} ({same_label / len(texts):.4%})")
    print(f"worst row {worst}: sklearn {sk['proba'][worst].tolist()} "
          f"framelens {fl_proba[worst].tolist()}")
    ok = max_diff <= args.tol
    print(f"RESULT: {'PASS' if ok else 'FAIL'} (max |diff| {max_diff:.3e}, tol {args.tol:g})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
