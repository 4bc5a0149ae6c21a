#!/usr/bin/env python3
"""Checks that the Spark job gave what one machine gives on the same corpus.

- Scores: OUT/scores/part-* read in order must equal the single-machine scores line by line,
  byte for byte. The one allowed difference is inside error records: their message names the
  line within the stream, which on Spark is the line within the partition, so "line N" is
  compared without N. Every other byte, the error records' places included, must agree.
- Report: the merged report must equal the single-machine report byte for byte: JSON (every
  number at full precision), and the other formats the single-machine run wrote.

Exits 1 with the first difference. Standard library only.
"""
import argparse
import re
from itertools import zip_longest
import sys
from pathlib import Path

LINE = re.compile(r'^(\{"error":"-, line )\d+(:)')


def spark_lines(directory: Path):
    for part in sorted(directory.glob("part-*")):
        with part.open(encoding="utf-8") as f:
            for line in f:
                yield line.rstrip("\n")


def normalise(line: str) -> str:
    return LINE.sub(r"\1N\2", line)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--spark", type=Path, required=True, help="the job's --out directory")
    ap.add_argument("--single", type=Path, required=True,
                    help="scores.jsonl and report.json (and report.md, ...) of one machine")
    a = ap.parse_args()

    rows = errors = 0
    with (a.single / "scores.jsonl").open(encoding="utf-8") as single:
        pairs = zip_longest(spark_lines(a.spark / "scores"), (m.rstrip("\n") for m in single))
        for n, (s, m) in enumerate(pairs, start=1):
            if s is None or m is None:
                which = "Spark" if m is None else "one machine"
                print(f"scores differ: {which} has more lines than the other (from line {n})",
                      file=sys.stderr)
                return 1
            if s != m and normalise(s) != normalise(m):
                print(f"scores differ at line {n}:\n  spark:  {s[:300]}\n  single: {m[:300]}",
                      file=sys.stderr)
                return 1
            rows += 1
            errors += s.startswith('{"error"')
    print(f"scores: {rows} lines identical ({errors} error records, equal up to the line "
          "number within the partition)")

    for fmt in ("json", "md", "csv", "html"):
        if fmt != "json" and not (a.single / f"report.{fmt}").exists():
            continue  # JSON has every number; the other formats are checked when present
        s = (a.spark / f"report.{fmt}").read_bytes()
        m = (a.single / f"report.{fmt}").read_bytes()
        if s != m:
            at = next((i for i, (x, y) in enumerate(zip(s, m)) if x != y), min(len(s), len(m)))
            print(f"report.{fmt} differs at byte {at}:\n  spark:  {s[max(0, at - 80):at + 80]!r}"
                  f"\n  single: {m[max(0, at - 80):at + 80]!r}", file=sys.stderr)
            return 1
        print(f"report.{fmt}: identical ({len(s)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
