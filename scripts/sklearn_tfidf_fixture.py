#!/usr/bin/env python3
"""Generate scikit-learn TfidfVectorizer reference values for framelens tests.

Run from the repository root:

    python3 scripts/sklearn_tfidf_fixture.py

Reads tests/fixtures/tfidf_corpus.txt (one document per line; only the trailing
newline is stripped, so tabs, double spaces and other whitespace are preserved)
and writes tests/fixtures/sklearn_tfidf.json. Versions are pinned in
scripts/requirements.txt. Output is deterministic.
"""

import json
import os
import sys

import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

CORPUS = "tests/fixtures/tfidf_corpus.txt"
OUTPUT = "tests/fixtures/sklearn_tfidf.json"

# (name, kwargs as written to JSON). Lists named in TUPLE_KEYS are passed to
# sklearn as tuples.
CASES = [
    ("word_default", {}),
    ("word_12_min2_sublinear", {"ngram_range": [1, 2], "min_df": 2, "sublinear_tf": True}),
    ("word_13_maxdf", {"ngram_range": [1, 3], "max_df": 0.5}),
    ("word_maxfeatures", {"max_features": 15}),
    ("word_norm_none_nosmooth", {"norm": None, "smooth_idf": False}),
    ("char_wb_24", {"analyzer": "char_wb", "ngram_range": [2, 4]}),
    ("char_wb_15_min2", {"analyzer": "char_wb", "ngram_range": [1, 5], "min_df": 2}),
    ("char_13", {"analyzer": "char", "ngram_range": [1, 3]}),
    ("word_strip_accents_unicode", {"strip_accents": "unicode"}),
    ("word_no_lowercase", {"lowercase": False}),
]

TUPLE_KEYS = {"ngram_range"}


def read_corpus(path):
    docs = []
    with open(path, "r", encoding="utf-8", newline="") as f:
        for line in f:
            if line.endswith("\n"):
                line = line[:-1]
            docs.append(line)
    return docs


def run_case(name, params, docs):
    kwargs = {k: (tuple(v) if k in TUPLE_KEYS else v) for k, v in params.items()}
    vec = TfidfVectorizer(**kwargs)
    matrix = vec.fit_transform(docs).tocsr()
    matrix.sort_indices()
    vocabulary = [str(t) for t in vec.get_feature_names_out()]
    idf = [float(x) for x in vec.idf_]
    rows = []
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        cols = matrix.indices[start:end]
        vals = matrix.data[start:end]
        entries = sorted((int(c), float(v)) for c, v in zip(cols, vals) if v != 0.0)
        rows.append([[c, v] for c, v in entries])
    return {
        "name": name,
        "params": params,
        "vocabulary": vocabulary,
        "idf": idf,
        "rows": rows,
    }


def main():
    if not os.path.exists(CORPUS):
        sys.exit(f"error: {CORPUS} not found (run from the repository root)")
    docs = read_corpus(CORPUS)
    out = {
        "sklearn_version": sklearn.__version__,
        "corpus": CORPUS,
        "cases": [run_case(name, params, docs) for name, params in CASES],
    }
    text = json.dumps(out, ensure_ascii=False, indent=1) + "\n"
    if "--check" in sys.argv[1:]:
        # CI: the committed expected values must be exactly what scikit-learn produces.
        with open(OUTPUT, encoding="utf-8") as f:
            committed = json.load(f)
        if committed != json.loads(text):
            sys.exit(f"error: {OUTPUT} differs from what scikit-learn {sklearn.__version__} produces now")
        print(f"{OUTPUT} matches scikit-learn {sklearn.__version__} ({len(out['cases'])} cases)")
        return
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    for case in out["cases"]:
        print(f"{case['name']}: vocabulary {len(case['vocabulary'])}")
    print(f"wrote {OUTPUT} (scikit-learn {sklearn.__version__}, {len(docs)} documents)")


if __name__ == "__main__":
    main()
