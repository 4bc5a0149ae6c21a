#!/usr/bin/env bash
# framelens on Apache Spark, end to end, from a fresh clone: builds framelens, makes a Python
# virtual environment with PySpark (examples/spark/.venv), installs Java 17 from Debian when
# there is none, writes a corpus of RECORDS JSON Lines records (default 1,000,000) from the
# shipped seed labels, scores it and reports on it with Spark in local mode (MASTER, default
# local[2]), then runs the same on one machine and checks that both give the same scores and
# the same report, and that a Parquet copy of the first 20,000 records reports the same.
#
#   examples/spark/run.sh                 # everything
#   RECORDS=100000 examples/spark/run.sh  # a smaller corpus
#
# Everything it writes stays in examples/spark/ (.venv, data, out), which git ignores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
records="${RECORDS:-1000000}"
master="${MASTER:-local[2]}"
partitions="${PARTITIONS:-8}"
py="${PYTHON:-python3}"
cd "$root"

step() { printf '\n== %s\n' "$*" >&2; }
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

step "build framelens (release)"
cargo build --release --locked --quiet
bin="$root/target/release/framelens"
models=(models/stance.json models/frame.json)

step "Java 17"
# Spark 3.5 runs on Java 8, 11 and 17; use the machine's when it is one of those.
java_major() { "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == 1 ? v[2] : v[1]); exit }'; }
if ! command -v java >/dev/null 2>&1 || ! [[ "$(java_major java)" =~ ^(8|11|17)$ ]]; then
  jdk17=$(ls -d /usr/lib/jvm/java-17-openjdk-* 2>/dev/null | head -1 || true)
  if [ -z "$jdk17" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless) >/dev/null
    jdk17=$(ls -d /usr/lib/jvm/java-17-openjdk-* 2>/dev/null | head -1 || true)
  fi
  if [ -z "$jdk17" ]; then
    echo "run.sh: PySpark 3.5 needs Java 8, 11 or 17 (e.g. apt-get install openjdk-17-jre-headless)" >&2
    exit 1
  fi
  export JAVA_HOME="$jdk17" PATH="$jdk17/bin:$PATH"
fi
java -version 2>&1 | head -1 >&2

step "Python environment with PySpark (examples/spark/.venv)"
if [ ! -x "$here/.venv/bin/python" ]; then
  if ! "$py" -m venv "$here/.venv" >/dev/null 2>&1; then
    # Debian splits venv (ensurepip) out of python3.
    rm -rf "$here/.venv"
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      (apt-get update -qq && apt-get install -y -qq python3-venv) >/dev/null
    fi
    "$py" -m venv "$here/.venv"
  fi
fi
# No pip cache outside the clone.
PIP_NO_CACHE_DIR=1 "$here/.venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -r "$here/requirements.txt"
vpy="$here/.venv/bin/python"

step "corpus: $records records"
mkdir -p "$here/data"
corpus="$here/data/corpus-$records.jsonl"
if [ ! -s "$corpus" ]; then
  "$vpy" "$here/make_corpus.py" --labels labels/seed_sentences.csv --records "$records" \
    --out "$corpus"
fi

out="$here/out"
rm -rf "$out"
mkdir -p "$out/single" "$out/tmp"
# Spark's scratch space inside the clone too.
export SPARK_LOCAL_DIRS="$out/tmp"

step "Spark ($master, $partitions partitions): score, partial reports, merge"
"$vpy" "$here/job.py" --framelens "$bin" --model "${models[0]}" --model "${models[1]}" \
  --corpus "$corpus" --out "$out/spark" --master "$master" --partitions "$partitions" \
  | tail -1 | tee "$out/spark-timings.json"

step "one machine: framelens score and report on the same corpus"
t0=$(seconds)
"$bin" score - --stdin-format jsonl --format jsonl --source outlet --doc article --keep id \
  --on-error record \
  --model "${models[0]}" --model "${models[1]}" <"$corpus" >"$out/single/scores.jsonl"
t1=$(seconds)
# JSON holds every number of the report at full precision; the other formats render it.
grep -v '^{"error"' "$out/single/scores.jsonl" |
  "$bin" report - --scores-format jsonl --input-name corpus --format json \
    --model "${models[0]}" --model "${models[1]}" --out "$out/single/report.json"
t2=$(seconds)
printf '{"score_s": %s, "report_s": %s}\n' "$(elapsed "$t0" "$t1")" "$(elapsed "$t1" "$t2")" |
  tee "$out/single-timings.json"

step "check: Spark = one machine"
"$vpy" "$here/check.py" --spark "$out/spark" --single "$out/single"

step "Parquet: the first 20,000 records as Parquet through the same job (rows repartitioned)"
head -n 20000 "$corpus" >"$out/head.jsonl"
"$vpy" "$here/to_parquet.py" "$out/head.jsonl" "$out/head.parquet"
"$vpy" "$here/job.py" --framelens "$bin" --model "${models[0]}" --model "${models[1]}" \
  --corpus "$out/head.parquet" --corpus-format parquet --out "$out/parquet" \
  --master "$master" --partitions "$partitions" | tail -1
mkdir -p "$out/parquet-single"
"$bin" score - --stdin-format jsonl --format jsonl --source outlet --doc article --keep id \
  --on-error record --model "${models[0]}" --model "${models[1]}" <"$out/head.jsonl" |
  grep -v '^{"error"' |
  "$bin" report - --scores-format jsonl --input-name corpus --format json \
    --model "${models[0]}" --model "${models[1]}" --out "$out/parquet-single/report.json"
cmp "$out/parquet/report.json" "$out/parquet-single/report.json"
echo "report.json from Parquet: identical to one machine's on the same records"
