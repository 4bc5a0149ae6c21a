#!/usr/bin/env python3
"""Throughput of scoring on Spark against plain `framelens score`, on the same machine, the
same corpus and the same number of cores, in one run (BENCHMARKS.md, "Spark").

For each core count C in --cores: the Spark job with master local[C] and --score-only (the
scoring stage: read the corpus, pipe every partition through `framelens score -`, write the
scores), and `framelens score` reading the corpus from standard input with RAYON_NUM_THREADS=C.
Spark's time is the stage's (from job.py) and the whole process's (JVM start included).

    examples/spark/.venv/bin/python examples/spark/bench.py \\
        --corpus examples/spark/data/corpus-1000000.jsonl --repeat 3

Prints a Markdown table; MB are 10^6 bytes of corpus.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
from job import SCORE_ARGS  # noqa: E402  (the same options as the job)

MODELS = [ROOT / "models/stance.json", ROOT / "models/frame.json"]


def plain(binary: Path, corpus: Path, cores: int) -> float:
    argv = [str(binary), "score", "-", *SCORE_ARGS]
    for m in MODELS:
        argv += ["--model", str(m)]
    env = dict(os.environ, RAYON_NUM_THREADS=str(cores))
    with corpus.open("rb") as inp, open(os.devnull, "wb") as out:
        t = time.monotonic()
        subprocess.run(argv, stdin=inp, stdout=out, env=env, check=True)
        return time.monotonic() - t


def spark(binary: Path, corpus: Path, cores: int, partitions: int, out: Path) -> tuple:
    argv = [sys.executable, str(HERE / "job.py"), "--framelens", str(binary),
            "--corpus", str(corpus), "--out", str(out), "--master", f"local[{cores}]",
            "--partitions", str(partitions), "--score-only"]
    for m in MODELS:
        argv += ["--model", str(m)]
    t = time.monotonic()
    done = subprocess.run(argv, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True)
    total = time.monotonic() - t
    stage = json.loads(done.stdout.strip().splitlines()[-1])["score_s"]
    return stage, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--framelens", type=Path, default=ROOT / "target/release/framelens")
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--cores", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each; the median is shown")
    a = ap.parse_args()

    mb = a.corpus.stat().st_size / 1e6
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for c in a.cores:
            p, s, total = [], [], []
            for _ in range(a.repeat):
                p.append(plain(a.framelens, a.corpus, c))
                st, tt = spark(a.framelens, a.corpus, c, a.partitions, Path(tmp) / "out")
                s.append(st)
                total.append(tt)
            p, s, total = map(statistics.median, (p, s, total))
            rows.append((c, p, s, total))
    print(f"corpus: {a.corpus.name}, {mb:.1f} MB; median of {a.repeat} runs; "
          f"{a.partitions} partitions\n")
    print("| cores | `framelens score` | Spark scoring stage | Spark, whole job | "
          "stage / plain | job / plain |")
    print("|---|---|---|---|---|---|")
    for c, p, s, total in rows:
        print(f"| {c} | {p:.1f} s ({mb / p:.1f} MB/s) | {s:.1f} s ({mb / s:.1f} MB/s) | "
              f"{total:.1f} s | {s / p:.2f}× | {total / p:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
