"""Training and cross-validation time: framelens train / eval vs scikit-learn, same settings, same run.

    python3 benches/train_throughput.py [--framelens target/release/framelens]
        [--data ../shared/data/babe/babe_sg2.csv] [--repeat 5] [--venv target/bench-venv]

Runs itself in a virtual environment with scikit-learn (made with `python3 -m venv` and pip on the
first run, at --venv) unless scikit-learn is already importable.

Settings, identical on both sides: BABE's `text` column, label `label_bias`, rows labelled
"No agreement" left out; word uni- and bigrams (scikit-learn's token pattern, lowercase), no
stemming, min_df 2, sublinear tf, l2 norm, smooth idf; logistic regression with C=1, L-BFGS.
- framelens train: `framelens train --data babe_sg2.csv --delimiter ';' --text text --label
  label_bias --skip-label 'No agreement' --search none --cv 0 --stem none --ngram-range 1,2
  --min-df 2 --sublinear-tf --c 1 --out model.json`: the whole process (read the CSV, fit,
  write the model);
- scikit-learn: read the same CSV with the csv module, `TfidfVectorizer(ngram_range=(1, 2),
  min_df=2, sublinear_tf=True).fit_transform` and `LogisticRegression(C=1.0, max_iter=10000).fit`
  in this process, one core (BLAS and OpenMP pinned to one thread);
- framelens eval: the same settings, `eval --search none --folds 5` (5-fold cross-validation:
  five fits and five predictions of held-out folds), against scikit-learn's `cross_val_predict` with
  `StratifiedKFold(5)` over the same pipeline.

Each is run --repeat times; the table gives the median CPU time (user + system, the steadier
number on a shared machine) and the median wall time, and the ratio framelens / scikit-learn.
framelens runs on one core (RAYON_NUM_THREADS=1) and on all cores.
"""
import argparse
import os
import subprocess
import sys


def ensure_sklearn(venv):
    try:
        import sklearn  # noqa: F401
        return
    except ImportError:
        pass
    py = os.path.join(venv, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        sys.exit("error: scikit-learn is missing from the venv " + venv)
    if not os.path.exists(py):
        print(f"making a venv with scikit-learn at {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "scikit-learn"], check=True)
    os.execv(py, [py] + sys.argv)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--framelens", default="target/release/framelens")
    ap.add_argument("--data", default="../shared/data/babe/babe_sg2.csv")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--venv", default="target/bench-venv")
    a = ap.parse_args()
    for var in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"]:
        os.environ[var] = "1"
    ensure_sklearn(a.venv)
    if not os.path.exists(a.framelens):
        sys.exit(f"error: {a.framelens} not found: cargo build --release")

    import csv
    import resource
    import statistics
    import tempfile
    import time

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    work = tempfile.mkdtemp(prefix="framelens-train-")
    model = os.path.join(work, "model.json")
    data = ["--data", a.data, "--delimiter", ";", "--text", "text", "--label", "label_bias",
            "--skip-label", "No agreement"]
    settings = ["--search", "none", "--stem", "none", "--ngram-range", "1,2", "--min-df", "2",
                "--sublinear-tf", "--c", "1"]
    train_cmd = [a.framelens, "train"] + data + settings + ["--cv", "0", "--out", model]
    eval_cmd = [a.framelens, "eval"] + data + settings + ["--folds", "5"]

    def run(cmd, threads):
        env = dict(os.environ)
        if threads:
            env["RAYON_NUM_THREADS"] = str(threads)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        return wall, cpu

    def read_babe():
        with open(a.data, encoding="utf-8-sig", newline="") as f:
            rows = [r for r in csv.DictReader(f, delimiter=";")
                    if r["label_bias"] != "No agreement"]
        return [r["text"] for r in rows], [r["label_bias"] for r in rows]

    def pipeline():
        return make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            LogisticRegression(C=1.0, max_iter=10000))

    def sk_train():
        texts, labels = read_babe()
        pipeline().fit(texts, labels)

    def sk_eval():
        texts, labels = read_babe()
        cross_val_predict(pipeline(), texts, labels, cv=StratifiedKFold(5))

    def timed(f):
        c0, t0 = time.process_time(), time.perf_counter()
        f()
        return time.perf_counter() - t0, time.process_time() - c0

    def median(runs):
        return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))

    sk_train()  # warm the imports and the page cache
    results = {}
    for name, cmd, sk in [("train", train_cmd, sk_train), ("eval 5-fold", eval_cmd, sk_eval)]:
        results[name] = (
            median([run(cmd, 1) for _ in range(a.repeat)]),
            median([run(cmd, None) for _ in range(a.repeat)]),
            median([timed(sk) for _ in range(a.repeat)]),
        )
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(f"BABE {a.data}; median of {a.repeat} runs; load average (1 min) {load}; "
          f"{os.cpu_count()} cores")
    print("| step | framelens 1 core | framelens all cores | scikit-learn 1 core | "
          "ratio 1 core (CPU) | ratio 1 core (wall) |")
    print("|---|---|---|---|---|---|")
    for name, (one, allc, sk) in results.items():
        def cell(r):
            return f"{r[1]:.3f} s CPU, {r[0]:.3f} s wall"
        print(f"| {name} | {cell(one)} | {cell(allc)} | {cell(sk)} | "
              f"{one[1] / sk[1]:.2f}x | {one[0] / sk[0]:.2f}x |")
    print("goals: train <= 0.25x scikit-learn's time; eval 5-fold < 1 s")
    print("framelens train: " + " ".join(train_cmd[1:]))
    print("framelens eval:  " + " ".join(eval_cmd[1:]))


if __name__ == "__main__":
    main()
