"""Scoring throughput and memory: framelens score vs scikit-learn, same machine, same run.

    python3 benches/score_throughput.py [--framelens target/release/framelens]
        [--data ../shared/data/babe/babe_sg2.csv] [--mb 50]

Two models, each trained on BABE's label_bias, scored on the same sentences (BABE's texts repeated
to --mb megabytes, one per CSV row):
- word 1-2: uni+bigrams, min_df 2, sublinear tf, no stemming, C=1, the same on both sides;
- best: framelens `--preset best` (stemmed word 1-3 + char_wb 1-6, naive-Bayes scaling) against
  scikit-learn's FeatureUnion of word 1-3 and char_wb 1-6 TfidfVectorizers (same n-grams, no
  stemming or NB scaling: the features cost about the same to compute);
- framelens: `framelens score --no-split corpus.csv --out scores.csv` (reads, vectorises, predicts and
  writes CSV), once on one core (RAYON_NUM_THREADS=1) and once on all cores;
- scikit-learn: `vectorizer.transform` + `predict_proba` on the sentences in chunks of 10,000 read
  from the same CSV, probabilities written with numpy.savetxt (one core, as scikit-learn does).
Reports MB/s of text, the ratio, and peak memory (max RSS) of each, from /usr/bin/time-like
resource accounting; wall time and CPU time (the machine is shared: CPU time is\nthe steadier number). framelens's memory should not depend on --mb (streaming); run with two sizes
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

    # framelens: one core (RAYON_NUM_THREADS=1) and all cores, word 1-2 model and --preset best
    common = [a.framelens, "train", "--data", a.data, "--delimiter", ";", "--text", "text",
              "--label", "label_bias", "--skip-label", "No agreement"]
    word = os.path.join(work, "bias.json")
    subprocess.run(common + ["--stem", "none", "--ngram-range", "1,2", "--min-df", "2",
                             "--sublinear-tf", "--out", word], check=True, capture_output=True)
    best = os.path.join(work, "best.json")
    subprocess.run(common + ["--preset", "best", "--out", best], check=True, capture_output=True)

    def framelens(model, threads):
        env = dict(os.environ)
        if threads:
            env["RAYON_NUM_THREADS"] = str(threads)
        out = os.path.join(work, "fl_scores.csv")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([a.framelens, "score", "--model", model, "--no-split", corpus, "--out", out],
                       check=True, capture_output=True, env=env)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        return wall, cpu, after.ru_maxrss / 1024

    # scikit-learn, one core (BLAS pinned), same features without stemming/naive-Bayes scaling
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
    except ImportError:
        pass

    def sklearn(vec):
        clf = LogisticRegression(C=1.0, max_iter=10000).fit(vec.fit_transform(texts), labels)
        sk_out = os.path.join(work, "sk_scores.csv")
        c0, t0 = time.process_time(), time.perf_counter()
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
        return (time.perf_counter() - t0, time.process_time() - c0,
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    mb = size / 1e6
    with open("/proc/loadavg") as f:
        load0 = f.read().split()[0]
    rows_out = []
    for name, model, vec in [
        ("word 1-2", word, TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
        ("best (word 1-3 + char_wb 1-6)", best, FeatureUnion([
            ("w", TfidfVectorizer(ngram_range=(1, 3), min_df=2, sublinear_tf=True)),
            ("c", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 6), min_df=2,
                                  sublinear_tf=True))])),
    ]:
        one = framelens(model, 1)
        allc = framelens(model, None)
        sk = sklearn(vec)
        rows_out.append((name, one, allc, sk))
    with open("/proc/loadavg") as f:
        load1 = f.read().split()[0]
    print(f"load average (1 min): {load0} at start, {load1} at end; {os.cpu_count()} cores")
    print("| model | framelens 1 core | framelens all cores | scikit-learn 1 core | "
          "ratio 1 core (wall) | ratio 1 core (CPU) |")
    print("|---|---|---|---|---|---|")
    for name, one, allc, sk in rows_out:
        def cell(r):
            return f"{mb / r[0]:.1f} MB/s wall, {mb / r[1]:.1f} MB/s CPU, {r[2]:.0f} MB"
        print(f"| {name} | {cell(one)} | {cell(allc)} | {cell(sk)} | "
              f"{sk[0] / one[0]:.1f}x | {sk[1] / one[1]:.1f}x |")
    print(f"{n_sent / rows_out[0][1][0]:.0f} sentences/s (framelens word 1-2, 1 core, wall)")

if __name__ == "__main__":
    main()
