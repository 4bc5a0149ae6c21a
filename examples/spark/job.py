#!/usr/bin/env python3
"""framelens on Apache Spark: score a JSON Lines corpus in the executors, write the scores,
write one partial report per partition, and merge the partials into the report.

The binary and the models travel with the job (`SparkContext.addFile`, the API behind
spark-submit's `--files`); each partition is piped through `framelens score -` (one process
per partition, records in, scores out, in order), so Spark adds no Python per record and the
scores are those of a single-machine `framelens score` on the same records. A record that
cannot be used becomes an error record in the scores instead of failing the partition.

    python job.py --framelens target/release/framelens \\
        --model models/stance.json --model models/frame.json \\
        --corpus corpus.jsonl --out out/spark --master 'local[2]'

Writes OUT/scores/part-* (JSON Lines, in corpus order), OUT/partials/part-* (one partial
report per non-empty partition), OUT/report.md and OUT/report.json (merged), and prints the
time of each stage as JSON on its last line.
"""
import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

# The options both the Spark job and the single-machine run use (run.sh passes the same).
SCORE_ARGS = ["--stdin-format", "jsonl", "--format", "jsonl", "--source", "outlet",
              "--doc", "article", "--keep", "id", "--on-error", "record"]


def pipe_through(argv, lines, env=None):
    """Runs `argv`, writes `lines` (str, without newline) to its standard input from a
    thread, and yields its output lines (without newline). Fails with the program's error
    message when it exits with an error, so a partition never silently loses rows."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    failure = []

    def feed():
        try:
            for line in lines:
                proc.stdin.write(line.encode("utf-8"))
                proc.stdin.write(b"\n")
        except BrokenPipeError:
            pass  # the program stopped early; its exit status and message say why
        except BaseException as e:  # noqa: BLE001 - re-raised in the caller's thread
            failure.append(e)
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    stderr = []
    drain = threading.Thread(target=lambda: stderr.append(proc.stderr.read()), daemon=True)
    writer = threading.Thread(target=feed, daemon=True)
    drain.start()
    writer.start()
    for line in proc.stdout:
        yield line.decode("utf-8").rstrip("\n")
    writer.join()
    code = proc.wait()
    drain.join()
    if failure:
        raise failure[0]
    if code != 0:
        message = b"".join(stderr).decode("utf-8", "replace").strip()
        raise RuntimeError(f"{' '.join(argv)} exited with {code}: {message}")


def executable(name):
    """The path of a file shipped with addFile / --files, made executable (a copied file may
    lose its mode)."""
    from pyspark import SparkFiles

    path = SparkFiles.get(name)
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def worker_env():
    # One scoring thread per task: Spark already runs one task per executor core.
    return dict(os.environ, RAYON_NUM_THREADS="1")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--framelens", type=Path, required=True, help="the framelens binary")
    ap.add_argument("--model", type=Path, action="append", required=True)
    ap.add_argument("--corpus", required=True, help="JSON Lines: id, article, outlet, text")
    ap.add_argument("--out", type=Path, required=True, help="directory (replaced)")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--input-name", default="corpus", help="what the report calls its input")
    ap.add_argument("--score-only", action="store_true",
                    help="stop after writing the scores (for throughput measurements)")
    a = ap.parse_args()

    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(a.master).appName("framelens")
             .config("spark.ui.enabled", "false")
             .config("spark.executorEnv.RAYON_NUM_THREADS", "1")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext
    sc.addFile(str(a.framelens.resolve()))
    for m in a.model:
        sc.addFile(str(m.resolve()))
    binary = a.framelens.name
    models = [m.name for m in a.model]
    if a.out.exists():
        shutil.rmtree(a.out)
    a.out.mkdir(parents=True)
    timings = {}

    def model_args():
        from pyspark import SparkFiles

        out = []
        for m in models:
            out += ["--model", SparkFiles.get(m)]
        return out

    def score_partition(records):
        argv = [executable(binary), "score", "-", *SCORE_ARGS, *model_args()]
        return pipe_through(argv, records, worker_env())

    t = time.monotonic()
    corpus = sc.textFile(str(Path(a.corpus).resolve()), minPartitions=a.partitions)
    corpus.mapPartitions(score_partition).saveAsTextFile(str(a.out / "scores"))
    timings["score_s"] = round(time.monotonic() - t, 3)

    if not a.score_only:
        def partial_partition(rows):
            # Error records are the score stage's; a report is on the rows that scored.
            rows = (r for r in rows if not r.startswith('{"error"'))
            first = next(rows, None)
            if first is None:
                return iter(())  # an empty partition has nothing to report
            argv = [executable(binary), "report", "-", "--scores-format", "jsonl",
                    "--partial", "--input-name", a.input_name, *model_args()]
            return pipe_through(argv, _chain(first, rows), worker_env())

        t = time.monotonic()
        sc.textFile(str(a.out / "scores")).mapPartitions(partial_partition) \
            .saveAsTextFile(str(a.out / "partials"))
        timings["partials_s"] = round(time.monotonic() - t, 3)

        # The final step runs once, on the driver: merge the partials into the report.
        parts = sorted(p for p in (a.out / "partials").glob("part-*") if p.stat().st_size > 0)
        if not parts:
            print(f"{a.corpus}: no scored rows to report", file=sys.stderr)
            return 1
        models_local = [str(m.resolve()) for m in a.model]
        t = time.monotonic()
        for fmt in ("md", "json"):
            argv = [str(a.framelens.resolve()), "report", "--merge", *map(str, parts),
                    "--input-name", a.input_name, "--format", fmt,
                    "--out", str(a.out / f"report.{fmt}")]
            for m in models_local:
                argv += ["--model", m]
            subprocess.run(argv, check=True)
        timings["merge_s"] = round(time.monotonic() - t, 3)
        timings["partials"] = len(parts)

    spark.stop()
    print(json.dumps(timings))
    return 0


def _chain(first, rest):
    yield first
    yield from rest


if __name__ == "__main__":
    sys.exit(main())
