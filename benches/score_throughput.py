"""Scoring throughput and memory: framelens score vs scikit-learn, same machine, same run.

    python3 benches/score_throughput.py [--framelens target/release/framelens]
        [--data ../shared/data/babe/babe_sg2.csv] [--mb 50]

Both sides get the same model (uni+bigrams, min_df 2, sublinear tf, no stemming, C=1, trained on
BABE's label_bias) and the same sentences (BABE's texts repeated to --mb megabytes, one per CSV row):
- framelens: `framelens score --no-split corpus.csv --out scores.csv` (reads, vectorises, predicts and
  writes CSV; all cores);
- scikit-learn: `vectorizer.transform` + `predict_proba` on the sentences in chunks of 10,000 read
  from the same CSV, probabilities written with numpy.savetxt (one core, as scikit-learn does).
Reports MB/s of text, the ratio, and peak memory (max RSS) of each, from /usr/bin/time-like
resource accounting. framelens's memory should not depend on --mb (streaming); run with two sizes
to see it.
"""
import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--framelens", default="target/release/framelens")
    ap.add_argument("--data", default="../shared/data/babe/babe_sg2.csv")
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--workdir", default=None)
    a = ap.parse_args()
    if not os.path.exists(a.framelens):
        sys.exit(f"error: {a.framelens} not found: cargo build --release")
    work = a.workdir or tempfile.mkdtemp(prefix="framelens-tp-")
    rows = list(csv.DictReader(open(a.data, encoding="utf-8-sig"), delimiter=";"))
    texts = [r["text"] for r in rows if r["label_bias"] != "No agreement"]
    labels = [r["label_bias"] for r in rows if r["label_bias"] != "No agreement"]
    corpus = os.path.join(work, "corpus.csv")
    size = 0
    with open(corpus, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["text"])
        while size < a.mb * 1e6:
            for t in texts:
                w.writerow([t])
                size += len(t.encode("utf-8"))
    n_sent = sum(1 for _ in open(corpus, encoding="utf-8")) - 1
    print(f"corpus: {size / 1e6:.1f} MB of text, {n_sent} sentences ({corpus})")

    # framelens
    model = os.path.join(work, "bias.json")
    subprocess.run([a.framelens, "train", "--data", a.data, "--delimiter", ";", "--text", "text",
                    "--label", "label_bias", "--skip-label", "No agreement", "--stem", "none",
                    "--ngram-range", "1,2", "--min-df", "2", "--sublinear-tf", "--out", model],
                   check=True, capture_output=True)
    out = os.path.join(work, "fl_scores.csv")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([a.framelens, "score", "--model", model, "--no-split", corpus, "--out", out],
                   check=True, capture_output=True)
    fl_s = time.perf_counter() - t0
    fl_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    del before

    # scikit-learn
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    clf = LogisticRegression(C=1.0, max_iter=10000).fit(vec.fit_transform(texts), labels)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sk_out = os.path.join(work, "sk_scores.csv")
    t0 = time.perf_counter()
    with open(corpus, encoding="utf-8") as f, open(sk_out, "w") as o:
        r = csv.reader(f)
        next(r)
        chunk = []
        for row in r:
            chunk.append(row[0])
            if len(chunk) == 10000:
                np.savetxt(o, clf.predict_proba(vec.transform(chunk)), fmt="%.6f", delimiter=",")
                chunk = []
        if chunk:
            np.savetxt(o, clf.predict_proba(vec.transform(chunk)), fmt="%.6f", delimiter=",")
    sk_s = time.perf_counter() - t0
    sk_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    mb = size / 1e6
    print(f"framelens score     : {fl_s:7.2f} s  {mb / fl_s:7.1f} MB/s  peak RSS {fl_rss:7.0f} MB  ({os.cpu_count()} cores)")
    print(f"scikit-learn 1 core : {sk_s:7.2f} s  {mb / sk_s:7.1f} MB/s  peak RSS {sk_rss:7.0f} MB "
          f"(process, {rss0:.0f} MB before scoring)")
    print(f"ratio (sklearn time / framelens time): {sk_s / fl_s:.2f}x")


if __name__ == "__main__":
    main()
