"""Scoring throughput and memory: framelens score against scikit-learn and fastText, same
machine, same run.

    python3 benches/score_throughput.py [--framelens target/release/framelens]
        [--data ../shared/data/babe/babe_sg2.csv] [--mb 20] [--venv /tmp/framelens-bench-venv]

The script makes a venv (--venv) with the pinned peers of benches/requirements-throughput.txt
(scikit-learn, fastText) on its first run and re-runs itself inside it.

Every model is trained on BABE's label_bias and scores the same sentences (BABE's texts repeated
to --mb megabytes, one per CSV row):
- framelens `default`: the `train` default features (stemmed word 1-2-grams, `--search none`);
- framelens `word 1-2`: uni+bigrams, min_df 2, sublinear tf, no stemming, the same as
  scikit-learn's `word 1-2`;
- framelens `best`: `--preset best` (stemmed word 1-3 + char_wb 1-6, naive-Bayes scaling) against
  scikit-learn's FeatureUnion of word 1-3 and char_wb 1-6 TfidfVectorizers (same n-grams, no
  stemming or NB scaling: the features cost about the same to compute);
- fastText `word 1-2`: supervised, wordNgrams 2, no subwords; fastText `best`: wordNgrams 3 and
  character n-grams 1-6 of each word (minn 1, maxn 6), its analogue of char_wb 1-6.
framelens runs `framelens score --no-split corpus.csv --out scores.csv` (read, vectorise,
predict, write CSV) on one core (RAYON_NUM_THREADS=1) and on all cores; each peer runs in a
process of its own on one core (BLAS pinned with threadpoolctl), reading the same CSV, writing
the probabilities of every class to a CSV (numpy.savetxt, six decimals), in chunks of 10,000
rows. Times: framelens's are the process's (load included; wall and user+system CPU from
/usr/bin/time); a peer's are its scoring loop's only (training excluded), wall and process CPU.
Peak RSS is each process's maximum resident set (for a peer, training included). The machine
is shared: CPU time is the steadier number.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIREMENTS = os.path.join(HERE, "requirements-throughput.txt")


def ensure_venv(venv):
    """Re-runs this script in `venv` (made and filled from REQUIREMENTS when missing)."""
    py = os.path.join(venv, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        return
    stamp = os.path.join(venv, ".requirements")
    want = open(REQUIREMENTS).read()
    if not os.path.exists(stamp) or open(stamp).read() != want:
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "-r", REQUIREMENTS], check=True)
        open(stamp, "w").write(want)
    os.execv(py, [py] + sys.argv)


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time: (wall s, CPU s, peak RSS MB, stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        p = subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%e %U %S %M"] + cmd,
                           check=True, capture_output=True, text=True, env=env)
        wall, user, sys_, rss = t.read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(rss) / 1024, p.stdout


def worker(a):
    """One peer in a process of its own: trains, then scores the corpus; prints its times."""
    from threadpoolctl import threadpool_limits
    threadpool_limits(1)
    import numpy as np
    rows = list(csv.DictReader(open(a.data, encoding="utf-8-sig"), delimiter=";"))
    rows = [r for r in rows if r["label_bias"] != "No agreement"]
    texts = [r["text"] for r in rows]
    labels = [r["label_bias"] for r in rows]
    out = os.path.join(a.workdir, f"peer_scores.csv")
    if a.worker.startswith("sklearn"):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion
        if a.worker == "sklearn-word12":
            vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        else:
            vec = FeatureUnion([
                ("w", TfidfVectorizer(ngram_range=(1, 3), min_df=2, sublinear_tf=True)),
                ("c", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 6), min_df=2,
                                      sublinear_tf=True))])
        clf = LogisticRegression(C=1.0, max_iter=10000).fit(vec.fit_transform(texts), labels)

        def proba(chunk):
            return clf.predict_proba(vec.transform(chunk))
    else:
        import fasttext
        train = os.path.join(a.workdir, "fasttext_train.txt")
        with open(train, "w", encoding="utf-8") as f:
            for t, l in zip(texts, labels):
                f.write(f"__label__{l.replace(' ', '_')} {' '.join(t.split())}\n")
        if a.worker == "fasttext-word12":
            ft = fasttext.train_supervised(train, wordNgrams=2, thread=1, seed=0, verbose=0)
        else:
            ft = fasttext.train_supervised(train, wordNgrams=3, minn=1, maxn=6, thread=1,
                                           seed=0, verbose=0)
        order = sorted(ft.get_labels())

        def proba(chunk):
            labs, ps = ft.predict([" ".join(t.split()) for t in chunk], k=-1)
            out = np.zeros((len(chunk), len(order)))
            for i, (ls, p) in enumerate(zip(labs, ps)):
                for l, x in zip(ls, p):
                    out[i, order.index(l)] = x
            return out
    c0, t0 = time.process_time(), time.perf_counter()
    with open(a.corpus, encoding="utf-8") as f, open(out, "w") as o:
        r = csv.reader(f)
        next(r)
        chunk = []
        for row in r:
            chunk.append(row[0])
            if len(chunk) == 10000:
                np.savetxt(o, proba(chunk), fmt="%.6f", delimiter=",")
                chunk = []
        if chunk:
            np.savetxt(o, proba(chunk), fmt="%.6f", delimiter=",")
    print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--framelens", default="target/release/framelens")
    ap.add_argument("--data", default="../shared/data/babe/babe_sg2.csv")
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--venv", default="/tmp/framelens-bench-venv")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        return worker(a)
    ensure_venv(a.venv)
    if not os.path.exists(a.framelens):
        sys.exit(f"error: {a.framelens} not found: cargo build --release")
    work = a.workdir or tempfile.mkdtemp(prefix="framelens-tp-")
    rows = list(csv.DictReader(open(a.data, encoding="utf-8-sig"), delimiter=";"))
    texts = [r["text"] for r in rows if r["label_bias"] != "No agreement"]
    corpus = os.path.join(work, "corpus.csv")
    size = 0
    with open(corpus, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["text"])
        while size < a.mb * 1e6:
            for t in texts:
                w.writerow([t])
                size += len(t.encode("utf-8"))
    n_sent = sum(1 for _ in csv.reader(open(corpus, encoding="utf-8"))) - 1
    mb = size / 1e6
    print(f"corpus: {mb:.1f} MB of text, {n_sent} sentences ({corpus})")

    common = [a.framelens, "train", "--data", a.data, "--delimiter", ";", "--text", "text",
              "--label", "label_bias", "--skip-label", "No agreement"]
    models = {
        "default": ["--search", "none"],
        "word12": ["--search", "none", "--stem", "none", "--ngram-range", "1,2", "--min-df", "2",
                   "--sublinear-tf"],
        "best": ["--preset", "best"],
    }
    for name, flags in models.items():
        subprocess.run(common + flags + ["--out", os.path.join(work, f"{name}.json")],
                       check=True, capture_output=True)

    def framelens(name, threads):
        env = dict(os.environ)
        env.pop("RAYON_NUM_THREADS", None)
        if threads:
            env["RAYON_NUM_THREADS"] = str(threads)
        wall, cpu, rss, _ = timed([a.framelens, "score", "--model",
                                   os.path.join(work, f"{name}.json"), "--no-split", corpus,
                                   "--out", os.path.join(work, "fl_scores.csv")], env)
        return wall, cpu, rss

    def peer(kind):
        wall, cpu, rss, out = timed([sys.executable, os.path.abspath(__file__), "--worker", kind,
                                     "--data", a.data, "--workdir", work, "--corpus", corpus])
        t = json.loads(out.strip().splitlines()[-1])
        return t["wall"], t["cpu"], rss

    with open("/proc/loadavg") as f:
        load0 = f.read().split()[0]
    results = {}
    for name in models:
        results[f"framelens {name}, 1 core"] = framelens(name, 1)
        results[f"framelens {name}, all cores"] = framelens(name, None)
    for kind in ["sklearn-word12", "sklearn-best", "fasttext-word12", "fasttext-best"]:
        results[kind] = peer(kind)
    with open("/proc/loadavg") as f:
        load1 = f.read().split()[0]
    print(f"load average (1 min): {load0} at start, {load1} at end; {os.cpu_count()} cores")
    print("| run | MB/s wall | MB/s CPU | texts/s wall | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    for k, (wall, cpu, rss) in results.items():
        print(f"| {k} | {mb / wall:.1f} | {mb / cpu:.1f} | {n_sent / wall:.0f} | {rss:.0f} MB |")
    print()
    print("| framelens 1 core against | wall ratio | CPU ratio |")
    print("|---|---:|---:|")
    for fl, peers in [("word12", ["sklearn-word12", "fasttext-word12"]),
                      ("default", ["sklearn-word12", "fasttext-word12"]),
                      ("best", ["sklearn-best", "fasttext-best"])]:
        one = results[f"framelens {fl}, 1 core"]
        allc = results[f"framelens {fl}, all cores"]
        for p in peers:
            r = results[p]
            print(f"| framelens {fl} / {p} | {r[0] / one[0]:.1f}x | {r[1] / one[1]:.1f}x |")
        print(f"| framelens {fl}: all cores / 1 core | {one[0] / allc[0]:.2f}x | |")


if __name__ == "__main__":
    main()
