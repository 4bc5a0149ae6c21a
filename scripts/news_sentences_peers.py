#!/usr/bin/env python3
"""Exact-sentence precision, recall and F1 of framelens, pySBD and sentencex against the hand-marked
sentence boundaries of the five seed articles (tests/fixtures/news_sentences, see its README).

A predicted sentence counts as correct when its whitespace-trimmed text equals a gold sentence at
the same position in the article (matched by character offsets, so a repeated sentence is not
counted twice). Each peer is run two ways: on the whole article, and paragraph by paragraph (every
non-empty line on its own, the way a news pipeline that knows its paragraphs would call it).
framelens is run as `framelens split` on the article files.

    python3 scripts/news_sentences_peers.py --framelens target/release/framelens [--check]

--check fails unless the gold reconstructs every article and framelens' overall F1 is at least
the one pinned in tests/sentences.rs (FRAMELENS_NEWS_F1 below; keep the two equal).
"""
import argparse
import csv
import pathlib
import subprocess
import sys
import tempfile

import pysbd
import sentencex

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests/fixtures/news_sentences"
FRAMELENS_NEWS_F1 = 0.99068  # tests/sentences.rs pins the same (319 of 321 predicted, 323 gold)


def spans(text, sentences):
    """Character spans of `sentences` found in order in `text`; None for one not found."""
    out, pos = [], 0
    for s in sentences:
        s = s.strip()
        if not s:
            continue
        i = text.find(s, pos)
        if i < 0:
            out.append(None)
            continue
        out.append((i, i + len(s)))
        pos = i + len(s)
    return out


def prf(gold, got):
    g = set(gold)
    tp = sum(1 for s in got if s is not None and s in g)
    p = tp / len(got) if got else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return tp, len(got), len(gold), p, r, f


def articles():
    for f in sorted(GOLD.glob("*__*.txt")):
        outlet, name = f.stem.split("__", 1)
        src = ROOT / "labels/seeds" / outlet / f"{name}.txt"
        text = src.read_text(encoding="utf-8")
        gold = [line for line in f.read_text(encoding="utf-8").split("\n") if line]
        yield outlet, src, text, gold


def framelens_split(binary, path):
    out = subprocess.run([binary, "split", str(path)], check=True, capture_output=True,
                         text=True).stdout
    return [row["text"] for row in csv.DictReader(out.splitlines(keepends=True))]


def by_paragraph(fn, text):
    return [s for line in text.split("\n") if line.strip() for s in fn(line)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--framelens", help="path to the framelens binary")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    seg = pysbd.Segmenter(language="en", clean=False)
    systems = {
        "pySBD 0.3.4, whole article": lambda t: seg.segment(t),
        "pySBD 0.3.4, by paragraph": lambda t: by_paragraph(seg.segment, t),
        "sentencex 1.0.32, whole article": lambda t: list(sentencex.segment("en", t)),
        "sentencex 1.0.32, by paragraph": lambda t: by_paragraph(
            lambda x: list(sentencex.segment("en", x)), t),
    }
    totals = {}
    rows = []
    ok = True
    for outlet, src, text, gold in articles():
        gs = spans(text, gold)
        if None in gs or "".join(text[e:s] for (_, e), (s, _) in zip(gs, gs[1:])).strip() \
                or text[:gs[0][0]].strip() or text[gs[-1][1]:].strip():
            print(f"{outlet}: the gold does not reconstruct the article", file=sys.stderr)
            ok = False
            continue
        outs = {name: fn(text) for name, fn in systems.items()}
        if a.framelens:
            outs = {"framelens (`split`)": framelens_split(a.framelens, src), **outs}
        for name, got in outs.items():
            r = prf(gs, spans(text, got))
            rows.append((outlet, name, r))
            t = totals.setdefault(name, [0, 0, 0])
            t[0] += r[0]; t[1] += r[1]; t[2] += r[2]
    print("| article | splitter | sentences (gold) | correct | precision | recall | F1 |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for outlet, name, (tp, n, ng, p, r, f) in rows:
        print(f"| {outlet} | {name} | {n} ({ng}) | {tp} | {p:.3f} | {r:.3f} | {f:.3f} |")
    print()
    print("| splitter (all five articles) | sentences (gold) | correct | precision | recall | F1 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (tp, n, ng) in totals.items():
        p, r = tp / n, tp / ng
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"| {name} | {n} ({ng}) | {tp} | {p:.3f} | {r:.3f} | {f:.4f} |")
        if a.check and name.startswith("framelens") and f + 1e-5 < FRAMELENS_NEWS_F1:
            print(f"framelens F1 {f:.4f} below the pinned {FRAMELENS_NEWS_F1}", file=sys.stderr)
            ok = False
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
