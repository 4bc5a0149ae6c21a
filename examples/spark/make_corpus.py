#!/usr/bin/env python3
"""Write a JSON Lines corpus for the Spark example: N records {"id", "article", "outlet",
"text"}, each a paragraph of an article, the paragraphs of an article one after another.

An article is 5 to 40 paragraphs drawn from one seed article of the shipped labels
(labels/seed_sentences.csv), each paragraph one to three consecutive sentences, so the
outlets keep their own framing and the report resamples articles, not paragraphs. A few records are
broken on purpose (invalid JSON, no text field) to show that a bad record becomes an error
record in the output instead of failing the job. Deterministic for a given --records/--seed.
Standard library only.
"""
import argparse
import csv
import json
import random
import sys
from collections import defaultdict
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--labels", type=Path, required=True, help="labels/seed_sentences.csv")
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--bad-every", type=int, default=200_000,
                    help="every n-th record is broken (alternately invalid JSON, no text)")
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()

    docs = defaultdict(list)  # (outlet, doc) -> sentences in order
    with a.labels.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            docs[(row["source"], row["doc"])].append((int(row["index"]), row["text"]))
    articles = [(k[0], [t for _, t in sorted(v)]) for k, v in sorted(docs.items())]
    if not articles:
        print(f"{a.labels}: no sentences", file=sys.stderr)
        return 1

    rng = random.Random(a.seed)
    tmp = a.out.with_name(a.out.name + ".tmp")
    size = 0
    article, left, outlet, sents = 0, 0, "", []
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        for i in range(1, a.records + 1):
            rid = f"r{i:07d}"
            if left == 0:
                article += 1
                left = rng.randint(5, 40)
                outlet, sents = articles[rng.randrange(len(articles))]
            left -= 1
            aid = f"a{article:06d}"
            if a.bad_every and i % a.bad_every == 0:
                if (i // a.bad_every) % 2:
                    line = '{"id": "%s", "article": "%s", "text": "unterminated\n' % (rid, aid)
                else:
                    line = json.dumps({"id": rid, "article": aid, "outlet": outlet,
                                       "body": "no text field"}) + "\n"
            else:
                start = rng.randrange(len(sents))
                n = rng.choice((1, 1, 2, 3))
                text = " ".join(sents[start:start + n])
                line = json.dumps({"id": rid, "article": aid, "outlet": outlet, "text": text},
                                  ensure_ascii=False) + "\n"
            size += len(line.encode("utf-8"))
            out.write(line)
    tmp.replace(a.out)
    print(f"{a.out}: {a.records} records, {article} articles, {size / 1e6:.1f} MB",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
