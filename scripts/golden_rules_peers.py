#!/usr/bin/env python3
"""Golden Rules (tests/fixtures/golden_rules_en.json) through pySBD, sentencex and framelens.

Counts, for each splitter, the rules whose sentences (trimmed) equal the expected ones exactly.
pySBD packages these rules as its own test suite, so its result also checks the fixture: with
--check the script fails unless pySBD passes 47 (rule 18 is xfail in pySBD), sentencex 43 and
framelens (when --framelens is given) 48.

    python3 scripts/golden_rules_peers.py --framelens target/release/framelens [--check]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import csv

import pysbd
import sentencex

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXPECTED = {"pysbd": 47, "sentencex": 43, "framelens": 48}


def framelens_split(binary, texts):
    with tempfile.TemporaryDirectory() as d:
        src = pathlib.Path(d) / "rules"
        src.mkdir()
        for i, t in enumerate(texts):
            (src / f"{i:02d}.txt").write_text(t, encoding="utf-8")
        out = subprocess.run([binary, "split", str(src)], check=True, capture_output=True,
                             text=True).stdout
    got = [[] for _ in texts]
    for row in csv.DictReader(out.splitlines(keepends=True)):
        got[int(row["doc"])].append(row["text"])
    return got


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--framelens", help="path to the framelens binary")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    rules = json.loads((ROOT / "tests/fixtures/golden_rules_en.json").read_text())["rules"]
    texts = [r["text"] for r in rules]
    seg = pysbd.Segmenter(language="en", clean=False)
    outputs = {
        "pysbd": [[s.strip() for s in seg.segment(t) if s.strip()] for t in texts],
        "sentencex": [[s.strip() for s in sentencex.segment("en", t) if s.strip()] for t in texts],
    }
    if a.framelens:
        outputs["framelens"] = framelens_split(a.framelens, texts)
    ok = True
    for name, got in outputs.items():
        passed = [r["rule"] for r, g in zip(rules, got) if g == r["expected"]]
        failed = [r["rule"] for r, g in zip(rules, got) if g != r["expected"]]
        print(f"{name}: {len(passed)}/48 (fails: {failed})")
        if a.check and len(passed) != EXPECTED[name]:
            print(f"  expected {EXPECTED[name]}", file=sys.stderr)
            ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
