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

Writes OUT/scores/part-* (JSON Lines, in corpus order) and OUT/partials/part-* (one partial
report per non-empty partition), then on the driver REPORT_DIR/report.md and report.json
(merged; when OUT is a URI the partials are first fetched to REPORT_DIR/partials); prints the time of each stage as JSON on its last
line. On a cluster, see the README ("Running on a cluster") for the spark-submit command.
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
    finished = False
    try:
        for line in proc.stdout:
            yield line.decode("utf-8").rstrip("\n")
        finished = True
    finally:
        if not finished:
            # Spark stopped reading (a cancelled or failed task): stop the process too, so
            # that neither it nor the writer thread is left behind in a reused worker.
            proc.kill()
            proc.wait()
    writer.join()
    code = proc.wait()
    drain.join()
    if failure:
        raise failure[0]
    if code != 0:
        message = b"".join(stderr).decode("utf-8", "replace").strip()
        raise RuntimeError(f"{' '.join(argv)} exited with {code}: {message}")


def shipped_file(name):
    """The path of a file shipped with the job: SparkContext.addFile's copy, or, with
    spark-submit --files on YARN or Kubernetes, the copy in the task's working directory."""
    from pyspark import SparkFiles

    path = SparkFiles.get(name)
    if not os.path.exists(path) and os.path.exists(name):
        path = os.path.abspath(name)
    return path


def executable(name):
    """The path of a shipped file, made executable (a copied file may lose its mode)."""
    path = shipped_file(name)
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
    ap.add_argument("--framelens", type=Path, required=True,
                    help="the framelens binary (built for the executors' platform)")
    ap.add_argument("--model", type=Path, action="append", required=True)
    ap.add_argument("--corpus", required=True,
                    help="JSON Lines (id, article, outlet, text): a path or a URI "
                         "(hdfs://, s3a://, ...; globs allowed)")
    ap.add_argument("--corpus-format", choices=("jsonl", "parquet"), default="jsonl",
                    help="parquet: each row goes to framelens as one JSON object (Spark's "
                         "toJSON), with the columns as fields")
    ap.add_argument("--out", required=True,
                    help="where the scores go: a local directory (replaced) or a URI (must "
                         "not exist)")
    ap.add_argument("--report-dir", type=Path,
                    help="local directory for the partials and the report (default: --out "
                         "when it is local, else ./framelens-report)")
    ap.add_argument("--master", help="Spark master (default: spark-submit's, else local[2])")
    ap.add_argument("--partitions", type=int, default=8,
                    help="at least this many partitions of the corpus")
    ap.add_argument("--shipped", action="store_true",
                    help="the binary and models were shipped with spark-submit --files: do "
                         "not add them again")
    ap.add_argument("--input-name", default="corpus", help="what the report calls its input")
    ap.add_argument("--score-only", action="store_true",
                    help="stop after writing the scores (for throughput measurements)")
    a = ap.parse_args()

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("framelens") \
        .config("spark.ui.enabled", "false") \
        .config("spark.ui.showConsoleProgress", "false") \
        .config("spark.executorEnv.RAYON_NUM_THREADS", "1")
    if a.master:
        builder = builder.master(a.master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        # Not started by spark-submit (which sets the gateway and the master): local mode.
        builder = builder.master("local[2]")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext
    if not a.shipped:
        sc.addFile(str(a.framelens.resolve()))
        for m in a.model:
            sc.addFile(str(m.resolve()))
    binary = a.framelens.name
    models = [m.name for m in a.model]
    local_out = "://" not in a.out
    if local_out and not sc.master.startswith("local"):
        # Executors elsewhere would write the scores and partials to their own disks.
        print(f"--out {a.out}: a local directory needs a local master (this one is "
              f"{sc.master}); give a URI the executors share (hdfs://, s3a://, ...)",
              file=sys.stderr)
        return 2
    if local_out:
        out = Path(a.out).resolve()
        out.mkdir(parents=True, exist_ok=True)
        # Only what an earlier run of this job wrote is replaced.
        for old in ("scores", "partials"):
            if (out / old).exists():
                shutil.rmtree(out / old)
        for old in ("report.md", "report.json"):
            (out / old).unlink(missing_ok=True)
        scores_uri = str(out / "scores")
    else:
        scores_uri = a.out.rstrip("/") + "/scores"
    report_dir = a.report_dir or (Path(a.out) if local_out else Path("framelens-report"))
    report_dir.mkdir(parents=True, exist_ok=True)
    error_records = sc.accumulator(0)  # informational: a retried task may count twice
    corpus = a.corpus if "://" in a.corpus else str(Path(a.corpus).resolve())
    timings = {}

    def model_args():
        out = []
        for m in models:
            out += ["--model", shipped_file(m)]
        return out

    def score_partition(records):
        argv = [executable(binary), "score", "-", *SCORE_ARGS, *model_args()]
        errors = 0
        for line in pipe_through(argv, records, worker_env()):
            errors += line.startswith('{"error"')
            yield line
        error_records.add(errors)

    t = time.monotonic()
    if a.corpus_format == "parquet":
        records = spark.read.parquet(corpus).toJSON()
        if records.getNumPartitions() < a.partitions:
            records = records.repartition(a.partitions)
    else:
        records = sc.textFile(corpus, minPartitions=a.partitions)
    records.mapPartitions(score_partition).saveAsTextFile(scores_uri)
    timings["score_s"] = round(time.monotonic() - t, 3)
    timings["error_records"] = error_records.value
    if error_records.value:
        print(f"{error_records.value} records could not be scored: see the lines starting "
              f"{{\"error\" in {scores_uri}", file=sys.stderr)

    if not a.score_only:
        def partial_partition(rows):
            # Error records are the score stage's; a report is on the rows that scored.
            rows = (r for r in rows if not r.startswith('{"error"'))
            first = next(rows, None)
            if first is None:
                return  # an empty partition has nothing to report
            argv = [executable(binary), "report", "-", "--scores-format", "jsonl",
                    "--partial", "--input-name", a.input_name, *model_args()]
            yield from pipe_through(argv, _chain(first, rows), worker_env())

        # One partial per partition, written in parallel next to the scores, then brought to
        # the driver (a partial is one line).
        t = time.monotonic()
        partials_uri = (str(out / "partials") if local_out
                        else a.out.rstrip("/") + "/partials")
        sc.textFile(scores_uri).mapPartitions(partial_partition).saveAsTextFile(partials_uri)
        if local_out:
            parts = sorted(p for p in Path(partials_uri).glob("part-*") if p.stat().st_size > 0)
        else:
            fetched = report_dir / "partials"
            if fetched.exists():
                shutil.rmtree(fetched)
            fetched.mkdir(parents=True)
            parts = []
            lines = sc.textFile(partials_uri).toLocalIterator(prefetchPartitions=True)
            for i, line in enumerate(lines):
                parts.append(fetched / f"part-{i:05d}.json")
                parts[-1].write_text(line + "\n", encoding="utf-8")
        timings["partials_s"] = round(time.monotonic() - t, 3)
        if not parts:
            print(f"{a.corpus}: no scored rows to report", file=sys.stderr)
            return 1

        # The final step runs once, on the driver: merge the partials into the report.
        t = time.monotonic()
        argv = [str(a.framelens.resolve()), "report", "--merge", *map(str, parts),
                "--input-name", a.input_name,
                "--out", str(report_dir / "report.md"), "--out", str(report_dir / "report.json")]
        for m in a.model:
            argv += ["--model", str(m.resolve())]
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
