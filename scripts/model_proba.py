#!/usr/bin/env python3
"""Class probabilities of a framelens model, computed in Python from the model file alone.

Usage (from the repository root):

    python3 scripts/model_proba.py models/stance.json "NATO troops moved east." ...
    echo "NATO troops moved east." | python3 scripts/model_proba.py models/stance.json -
    python3 scripts/model_proba.py --check --framelens target/release/framelens [MODEL.json ...]

The first form prints, for each sentence, the most probable class and the probability of
every class (6 decimals, as `framelens score`). Nothing here calls framelens: the features
(TF-IDF, naive-Bayes scale, per-part L2 norm) and the logistic regression are recomputed from
the JSON file, following README.md's "Model file format" section.

`--check` compares these probabilities with `framelens score --no-split` on the `text` column
of labels/seed_sentences.csv plus tricky sentences (accents, digits, punctuation, upper case,
hashtags, odd white space), for the given models (default: models/stance.json and
models/frame.json) and for models it trains itself in a temporary folder (`--preset best`,
which has char_wb n-grams and the naive-Bayes scale, and a few other option sets). It exits
non-zero, naming the model, sentence and class, if any probability differs by more than
`--tol` (default 1e-5; framelens prints 6 decimals).

Stemming needs snowballstemmer 2.2.0 (pinned in scripts/requirements.txt): it implements the
same Snowball algorithms as rust-stemmers 1.2.0, which framelens uses. snowballstemmer 3.x
stems English differently (e.g. `organization` -> `organiz` instead of `organ`).

Python's unicodedata decides lower-casing, word characters and accent stripping; characters
assigned in a Unicode version newer than Python's (3.11: Unicode 14.0) may be treated
differently from framelens.
"""

import argparse
import csv
import io
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

SNOWBALL_VERSION = "2.2.0"
FORMAT = "framelens-model"
FORMAT_VERSION = 1
DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"

# framelens's `english` stop list (src/text/filters.rs): scikit-learn's ENGLISH_STOP_WORDS
# minus 20 stance and contrast words (not, no, never, against, without, but, ...). 298 words.
ENGLISH_STOP_WORDS = frozenset("""
a about above across after afterwards again all almost alone along already also always am among
amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as
at back be became because become becomes becoming been before beforehand behind being below
beside besides between beyond bill both bottom by call can cant co con could couldnt cry de
describe detail do done down due during each eg eight either eleven else elsewhere empty enough
etc even ever every everyone everything everywhere few fifteen fifty fill find fire first five
for former formerly forty found four from front full further get give go had has hasnt have he
hence her here hereafter hereby herein hereupon hers herself him himself his how hundred i ie if
in inc indeed interest into is it its itself keep last latter latterly least less ltd made many
may me meanwhile might mill mine more moreover most mostly move much must my myself name namely
nevertheless next nine now of off often on once one onto or other others otherwise our ours
ourselves out over own part per perhaps please put rather re same see seem seemed seeming seems
serious several she should show side since sincere six sixty so some somehow someone something
sometime sometimes somewhere still such system take ten than that the their them themselves then
thence there thereafter thereby therefore therein thereupon these they thick thin third this
those three through throughout thru thus to together too top toward towards twelve twenty two un
under until up upon us very via was we well were what whatever when whence whenever where
whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever
whole whom whose why will with within would you your yours yourself yourselves
""".split())
assert len(ENGLISH_STOP_WORDS) == 298

# --- Unicode rules of the Rust side ---------------------------------------------------------

# The regex crate's Unicode `\w`: Alphabetic, marks, decimal digits, connector punctuation and
# Join_Control. By general category that is L*, Nl, M*, Nd, Pc, plus the symbols that are
# Other_Alphabetic (circled and squared Latin letters) and U+200C/U+200D. Checked against
# regex-syntax 0.8 for every code point that Python's unicodedata (14.0) assigns.
_WORD_CATEGORIES = frozenset(["Lu", "Ll", "Lt", "Lm", "Lo", "Nl", "Mn", "Mc", "Me", "Nd", "Pc"])
_WORD_EXTRA = ((0x200C, 0x200D), (0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169),
               (0x1F170, 0x1F189))

# Rust's char::is_whitespace (Unicode White_Space). Python's str.isspace() differs (it also
# counts U+001C..U+001F), so str.split() is not used.
_WHITE_SPACE = frozenset(map(chr, [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680,
                                   *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F,
                                   0x3000]))


def is_word_char(c):
    if c < "\x80":
        return c.isalnum() or c == "_"
    if unicodedata.category(c) in _WORD_CATEGORIES:
        return True
    o = ord(c)
    return any(a <= o <= b for a, b in _WORD_EXTRA)


def word_runs(text):
    """Matches of the default pattern (?u)\\b\\w\\w+\\b: maximal runs of 2+ word characters."""
    out = []
    start = None
    for i, c in enumerate(text):
        if is_word_char(c):
            if start is None:
                start = i
        else:
            if start is not None and i - start >= 2:
                out.append(text[start:i])
            start = None
    if start is not None and len(text) - start >= 2:
        out.append(text[start:])
    return out


_WORD_CLASS = None


def _word_class_body():
    """The code points of is_word_char as the inside of a Python character class."""
    global _WORD_CLASS
    if _WORD_CLASS is None:
        ranges = []
        start = prev = None
        for o in range(sys.maxunicode + 1):
            if 0xD800 <= o <= 0xDFFF or not is_word_char(chr(o)):
                continue
            if prev is not None and o == prev + 1:
                prev = o
                continue
            if start is not None:
                ranges.append((start, prev))
            start = prev = o
        ranges.append((start, prev))
        _WORD_CLASS = "".join(
            f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return _WORD_CLASS


def translate_pattern(pattern):
    """A Rust-regex token pattern as a Python pattern, with \\w, \\W, \\b and \\B given the
    regex crate's Unicode meaning (Python's `\\w` is str.isalnum() + `_`, which differs for
    marks and some symbols). Other syntax is passed through; it is the same for the usual
    token patterns."""
    if "\\w" not in pattern and "\\W" not in pattern and "\\b" not in pattern \
            and "\\B" not in pattern:
        return pattern
    w = _word_class_body()
    word, nonword = f"[{w}]", f"[^{w}]"
    boundary = f"(?:(?<={word})(?!{word})|(?<!{word})(?={word}))"
    not_boundary = f"(?:(?<={word})(?={word})|(?<!{word})(?!{word}))"
    out = []
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            e = pattern[i + 1]
            if e == "w":
                out.append(w if in_class else word)
            elif e == "W" and not in_class:
                out.append(nonword)
            elif e == "b" and not in_class:
                out.append(boundary)
            elif e == "B" and not in_class:
                out.append(not_boundary)
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            i += 1
            # A `]` first in the class (or after `^`) is a literal.
            if i < len(pattern) and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < len(pattern) and pattern[i] == "]":
                out.append("\\]")
                i += 1
            continue
        if c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def preprocess(text, lowercase, strip_accents):
    """Lower-casing, then accent stripping (scikit-learn's order)."""
    if lowercase:
        text = text.lower()
    if strip_accents == "unicode":
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    elif strip_accents == "ascii":
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii())
    elif strip_accents is not None:
        raise ValueError(f"unknown strip_accents {strip_accents!r}")
    return text


def collapse_whitespace(text):
    """re.sub(r"\\s\\s+", " ", text) with Rust's white space: runs of two or more become one
    space; a single tab or newline is kept."""
    out = []
    run = []
    for c in text:
        if c in _WHITE_SPACE:
            run.append(c)
            continue
        if run:
            out.append(run[0] if len(run) == 1 else " ")
            run = []
        out.append(c)
    if run:
        out.append(run[0] if len(run) == 1 else " ")
    return "".join(out)


def split_whitespace(text):
    words, cur = [], []
    for c in text:
        if c in _WHITE_SPACE:
            if cur:
                words.append("".join(cur))
                cur = []
        else:
            cur.append(c)
    if cur:
        words.append("".join(cur))
    return words


# --- Analyzers ------------------------------------------------------------------------------

def snowball_stemmer(language):
    try:
        import snowballstemmer
    except ImportError:
        sys.exit("error: stemming needs snowballstemmer==2.2.0 "
                 "(pip install -r scripts/requirements.txt)")
    try:
        from importlib.metadata import version
        found = version("snowballstemmer")
    except Exception:  # noqa: BLE001 - version unknown
        found = "unknown"
    if found != SNOWBALL_VERSION:
        print(f"warning: snowballstemmer {found} is installed; framelens (rust-stemmers 1.2.0) "
              f"matches {SNOWBALL_VERSION} (3.x stems `organization` as `organiz`, framelens "
              f"as `organ`)", file=sys.stderr)
    return snowballstemmer.stemmer(language)


class Analyzer:
    """Text -> terms, as framelens's src/text/mod.rs."""

    def __init__(self, cfg):
        self.kind = cfg["analyzer"]
        self.nmin, self.nmax = cfg["ngram_range"]
        self.lowercase = cfg["lowercase"]
        self.strip_accents = cfg["strip_accents"]
        pattern = cfg["token_pattern"]
        self.token_re = None if pattern == DEFAULT_TOKEN_PATTERN \
            else re.compile(translate_pattern(pattern))
        stop = cfg["stop_words"]
        if stop == "none":
            self.stop = frozenset()
        elif stop == "english":
            self.stop = ENGLISH_STOP_WORDS
        elif isinstance(stop, dict) and "list" in stop:
            self.stop = frozenset(stop["list"])
        else:
            raise ValueError(f"unknown stop_words {stop!r}")
        # Stop words and stemming apply to the word analyzer only.
        self.stemmer = None
        if self.kind == "word" and cfg["stem"] is not None:
            self.stemmer = snowball_stemmer(cfg["stem"])
        self.cache = {}
        if self.kind not in ("word", "char_wb", "char"):
            raise ValueError(f"unknown analyzer {self.kind!r}")

    def terms(self, text):
        text = preprocess(text, self.lowercase, self.strip_accents)
        if self.kind == "word":
            return self.word_terms(text)
        if self.kind == "char_wb":
            return self.char_wb_terms(text)
        return self.char_terms(text)

    def stem(self, tok):
        s = self.cache.get(tok)
        if s is None:
            s = self.cache[tok] = self.stemmer.stemWord(tok)
        return s

    def word_terms(self, text):
        toks = word_runs(text) if self.token_re is None \
            else [m.group(0) for m in self.token_re.finditer(text)]
        # Stop words are matched before stemming (after lower-casing and accent stripping).
        toks = [t for t in toks if t not in self.stop]
        if self.stemmer is not None:
            toks = [self.stem(t) for t in toks]
        out = list(toks) if self.nmin == 1 else []
        for n in range(max(self.nmin, 2), min(self.nmax, len(toks)) + 1):
            for i in range(len(toks) - n + 1):
                out.append(" ".join(toks[i:i + n]))
        return out

    def char_wb_terms(self, text):
        # Each white-space separated word is padded with one space on each side; n-grams
        # never cross words. The first window of each n is always emitted, even when the
        # padded word is shorter than n, and a padded word no longer than n stops the
        # loop over larger n (scikit-learn's rule): "ab" with n = 2..3 gives
        # " a", "ab", "b ", " ab", "ab ".
        out = []
        for word in split_whitespace(collapse_whitespace(text)):
            w = " " + word + " "
            for n in range(self.nmin, self.nmax + 1):
                offset = 0
                out.append(w[:n])
                while offset + n < len(w):
                    offset += 1
                    out.append(w[offset:offset + n])
                if offset == 0:
                    break
        return out

    def char_terms(self, text):
        text = collapse_whitespace(text)
        out = []
        for n in range(self.nmin, min(self.nmax, len(text)) + 1):
            for i in range(len(text) - n + 1):
                out.append(text[i:i + n])
        return out


# --- Model ----------------------------------------------------------------------------------

class Part:
    def __init__(self, part, offset):
        cfg = part["config"]
        self.analyzer = Analyzer(cfg["analyzer"])
        self.index = {t: i for i, t in enumerate(part["vocabulary"])}
        self.idf = part["idf"]
        self.nb_scale = part.get("nb_scale")  # present only for parts trained with nb
        self.sublinear = cfg["sublinear_tf"]
        self.norm = cfg["norm"]
        self.offset = offset
        if len(self.idf) != len(self.index):
            raise ValueError("vocabulary and idf differ in length")
        if self.norm not in ("l2", "none"):
            raise ValueError(f"unknown norm {self.norm!r}")

    def transform(self, text):
        """{column: value} of this part for one text."""
        counts = {}
        for t in self.analyzer.terms(text):
            j = self.index.get(t)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        row = {}
        for j in sorted(counts):
            tf = counts[j]
            v = (1.0 + math.log(tf) if self.sublinear else float(tf)) * self.idf[j]
            if self.nb_scale is not None:
                v *= self.nb_scale[j]  # before normalisation
            row[j] = v
        if self.norm == "l2":
            n = math.sqrt(sum(v * v for v in row.values()))
            if n > 0.0:
                row = {j: v / n for j, v in row.items()}
        return {j + self.offset: v for j, v in row.items()}


class Model:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        if m.get("format") != FORMAT:
            raise ValueError(f"{path}: not a framelens model file")
        if m.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{path}: model format version {m.get('format_version')}, this "
                             f"script reads version {FORMAT_VERSION}")
        self.path = path
        self.parts = []
        offset = 0
        for p in m["features"]["parts"]:
            self.parts.append(Part(p, offset))
            offset += len(p["vocabulary"])
        clf = m["classifier"]
        self.classes = clf["classes"]
        self.coef = clf["coef"]
        self.intercept = clf["intercept"]
        # Optional calibration: p'_k ∝ exp(slope · ln p_k + bias_k) (README, model format).
        self.calibration = clf.get("calibration")
        k = len(self.classes)
        expected = 1 if k == 2 else k
        if k < 2 or len(self.coef) != expected or len(self.intercept) != expected:
            raise ValueError(f"{path}: {k} classes need {expected} weight vectors")
        if any(len(w) != offset for w in self.coef):
            raise ValueError(f"{path}: weight vectors do not match {offset} features")

    def features(self, text):
        row = {}
        for p in self.parts:
            row.update(p.transform(text))
        return row

    def proba(self, text):
        row = sorted(self.features(text).items())
        z = [b + sum(w[j] * v for j, v in row) for w, b in zip(self.coef, self.intercept)]
        cal = self.calibration
        if cal is not None:
            # Logits whose softmax is the uncalibrated probability, scaled and shifted.
            logits = [0.0, z[0]] if len(self.classes) == 2 else z
            s = [cal["slope"] * v + b for v, b in zip(logits, cal["bias"])]
            m = max(s)
            e = [math.exp(v - m) for v in s]
            return [v / sum(e) for v in e]
        if len(self.classes) == 2:
            # One weight vector, for classes[1].
            p1 = 1.0 / (1.0 + math.exp(-z[0])) if z[0] >= 0 else \
                math.exp(z[0]) / (1.0 + math.exp(z[0]))
            return [1.0 - p1, p1]
        m = max(z)
        e = [math.exp(v - m) for v in z]
        s = sum(e)
        return [v / s for v in e]


# --- Check against framelens ----------------------------------------------------------------

TRICKY = [
    "Café au lait, naïve résumé: the Élysée's coöperation with Zelenskyy's office.",
    "NATO's 2024 budget rose 2.5% to $1,300,000,000 — and U.S. troops (10,000+) moved east!!!",
    "#StandWithUkraine @kremlin_russia_E: RUSSIA SAYS 'NO' TO NATO EXPANSION?!",
    "Organization, organizations, organised; generously, news, added, adding, dying, skies.",
    "Москва заявила о переговорах с Киевом; Kyiv (Київ) rejected the «ultimatum».",
    "ΟΔΟΣ ΣΑΣ — Greek final sigma, İstanbul, straße, ǅemal, ﬁnance, ① ² ½ Ⓐⓑ 🇺🇦.",
    "𝐍𝐀𝐓𝐎 ℌ𝔞𝔩𝔩 Ｆｕｌｌｗｉｄｔｈ ＮＡＴＯ x² H₂O ﬀ Ǆ ǈ",
    "tabs\tand  double   spaces\u00a0nbsp\u2003em-space\u2028line-sep\nnewline \x1cfs",
    "e\u0301 combining acute, x\u0301y, a_b_c snake_case, Zero\u200dWidth\u200cJoiners",
    "١٢٣ Arabic-Indic digits, 東京 and 北京 talks, 서울, ภาษาไทย",
    "I a b c d e: one-letter words, then a verylongwordthatkeepsgoingwithoutanyspaces.",
    "https://example.org/news?id=42&lang=en mail@example.com 3pm 24/7 9/11",
    "\"Quoted\", 'single', “curly” ‘quotes’ … ellipsis; semi; colon: dash – — -",
    "   leading and trailing white space   ",
    "!!!",
    "",
    "x",
]

# Option sets trained by --check on the seed sentences (plus TRICKY), besides --preset best.
TRAIN_VARIANTS = [
    ("best", ["--preset", "best"]),
    ("binary_char_nb", ["--skip-label", "neutral", "--analyzer", "char", "--ngram-range", "1,4",
                        "--nb", "--strip-accents", "ascii", "--no-lowercase", "--norm", "none",
                        "--max-df", "0.9", "--sublinear-tf"]),
    ("word_pattern", ["--token-pattern", r"(?u)\b\w+\b", "--stop-words", "{stopfile}",
                      "--ngram-range", "1,2", "--char-wb", "2,4", "--nb"]),
    ("word_accents", ["--strip-accents", "unicode", "--stem", "none", "--ngram-range", "1,1",
                      "--sublinear-tf", "--max-df", "0.5"]),
    ("russian_stem", ["--stem", "russian", "--stop-words", "english", "--ngram-range", "2,3",
                      "--max-features", "300", "--class-weight", "balanced"]),
]


def read_texts(path, column):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [r[column] for r in csv.DictReader(f)]


def framelens_proba(framelens, model_path, texts):
    """framelens score --no-split on `texts`: one list of probabilities per text."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "text"])
    for i, t in enumerate(texts):
        w.writerow([f"r{i}", t])
    cmd = [framelens, "score", "--model", model_path, "--no-split", "--stdin-format", "csv",
           "--doc", "id", "-"]
    r = subprocess.run(cmd, input=buf.getvalue().encode("utf-8"), capture_output=True)
    if r.returncode != 0:
        raise SystemExit(f"error: {' '.join(cmd)} failed ({r.returncode}):\n"
                         f"{r.stderr.decode('utf-8', 'replace')}")
    rows = list(csv.DictReader(io.StringIO(r.stdout.decode("utf-8"), newline="")))
    stem = os.path.splitext(os.path.basename(model_path))[0]
    by_doc = {row["doc"]: row for row in rows}
    out = []
    for i, t in enumerate(texts):
        row = by_doc.get(f"r{i}")
        if row is None:
            raise SystemExit(f"error: framelens printed no row for sentence {i} {t!r}")
        if row["text"] != t:
            raise SystemExit(f"error: framelens row r{i} has text {row['text']!r}, sent {t!r}")
        out.append((row[f"{stem}_label"], row, stem))
    return out


def check_model(model_path, framelens, texts, tol):
    """Compares every probability; returns (max |dp|, number compared, failures)."""
    model = Model(model_path)
    theirs = framelens_proba(framelens, model_path, texts)
    worst, n, failures = 0.0, 0, []
    for i, (text, (label, row, stem)) in enumerate(zip(texts, theirs)):
        ours = model.proba(text)
        for c, p in zip(model.classes, ours):
            q = float(row[f"{stem}_p_{c}"])
            d = abs(p - q)
            worst = max(worst, d)
            n += 1
            if d > tol:
                failures.append(f"{model_path}: sentence {i} {text!r}: p({c}) = {p:.9f} in "
                                f"Python, {q} from framelens (|diff| {d:.2e} > {tol:g})")
        top = sorted(ours, reverse=True)
        best = model.classes[ours.index(top[0])]
        if best != label and top[0] - top[1] > tol:
            failures.append(f"{model_path}: sentence {i} {text!r}: label {best} in Python, "
                            f"{label} from framelens")
    return worst, n, failures


def check_stop_list(root):
    """Compares ENGLISH_STOP_WORDS with framelens's source, when the source is there."""
    for dirpath, _, files in os.walk(os.path.join(root, "src")):
        for name in files:
            if not name.endswith(".rs"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                src = f.read()
            m = re.search(r"ENGLISH_STOP_WORDS\s*:\s*&\[&str\]\s*=\s*&\[(.*?)\];", src, re.S)
            if m:
                words = frozenset(re.findall(r'"([^"]*)"', m.group(1)))
                if words != ENGLISH_STOP_WORDS:
                    return (f"the english stop list differs from {name}: only in Rust "
                            f"{sorted(words - ENGLISH_STOP_WORDS)}, only here "
                            f"{sorted(ENGLISH_STOP_WORDS - words)}")
                print(f"stop list: the 298 english stop words equal those of "
                      f"{os.path.relpath(os.path.join(dirpath, name), root)}")
                return None
    print("stop list: ENGLISH_STOP_WORDS not found under src/; not compared")
    return None


def train_variants(framelens, data, text_col, label_col, tmp):
    """Trains the TRAIN_VARIANTS on `data` + TRICKY; returns the model paths."""
    with open(data, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    classes = sorted({r[label_col] for r in rows if r[label_col]})
    train_csv = os.path.join(tmp, "train.csv")
    with open(train_csv, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text", "label"])
        for r in rows:
            w.writerow([r[text_col], r[label_col]])
        for i, t in enumerate(TRICKY):
            if t.strip():
                w.writerow([t, classes[i % len(classes)]])
    stopfile = os.path.join(tmp, "stop.txt")
    with open(stopfile, "w", encoding="utf-8") as f:
        f.write("the\nof\nrussia\nnato\nand\n")
    paths = []
    for name, opts in TRAIN_VARIANTS:
        out = os.path.join(tmp, f"{name}.json")
        cmd = [framelens, "train", "--data", train_csv, "--text", "text", "--label", "label",
               "--out", out] + [o.replace("{stopfile}", stopfile) for o in opts]
        r = subprocess.run(cmd, capture_output=True)
        if r.returncode != 0:
            raise SystemExit(f"error: {' '.join(cmd)} failed ({r.returncode}):\n"
                             f"{r.stderr.decode('utf-8', 'replace')}")
        paths.append(out)
    return paths


def run_check(args):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not os.access(args.framelens, os.X_OK):
        sys.exit(f"error: {args.framelens} is not an executable (cargo build --release)")
    try:
        from importlib.metadata import version
        found = version("snowballstemmer")
    except Exception:  # noqa: BLE001
        found = None
    if found != SNOWBALL_VERSION:
        sys.exit(f"error: --check needs snowballstemmer=={SNOWBALL_VERSION} (found {found}); "
                 "pip install -r scripts/requirements.txt")
    if args.data is None:
        args.data = os.path.join(root, "labels", "seed_sentences.csv")
    failures = []
    problem = check_stop_list(root)
    if problem:
        failures.append(problem)
    texts = read_texts(args.data, args.text) + TRICKY
    models = args.models or [os.path.join(root, "models", "stance.json"),
                             os.path.join(root, "models", "frame.json")]
    worst_all, n_all = 0.0, 0
    with tempfile.TemporaryDirectory(prefix="framelens-proba-") as tmp:
        if not args.no_train:
            models = models + train_variants(args.framelens, args.data, args.text, args.label,
                                             tmp)
        for path in models:
            m = Model(path)
            desc = " + ".join(
                f"{p.analyzer.kind} {p.analyzer.nmin}-{p.analyzer.nmax}"
                + (" nb" if p.nb_scale is not None else "") for p in m.parts)
            worst, n, fails = check_model(path, args.framelens, texts, args.tol)
            print(f"{os.path.basename(path)}: {len(m.classes)} classes, {desc}: "
                  f"{len(texts)} sentences, {n} probabilities, max |diff| {worst:.2e}"
                  + ("" if not fails else f", {len(fails)} MISMATCHES"))
            failures += fails
            worst_all, n_all = max(worst_all, worst), n_all + n
    if failures:
        for f in failures[:50]:
            print("MISMATCH: " + f, file=sys.stderr)
        if len(failures) > 50:
            print(f"... and {len(failures) - 50} more", file=sys.stderr)
        sys.exit(f"error: {len(failures)} mismatches between this script and framelens")
    print(f"ok: {n_all} probabilities of {len(models)} models agree with framelens within "
          f"{args.tol:g} (max |diff| {worst_all:.2e})")


def main():
    ap = argparse.ArgumentParser(
        description="Class probabilities of a framelens model, from the model file alone.")
    ap.add_argument("--check", action="store_true",
                    help="compare with `framelens score` (models default to models/stance.json "
                         "and models/frame.json, plus models trained on the fly)")
    ap.add_argument("--framelens", default="target/release/framelens",
                    help="framelens binary for --check")
    ap.add_argument("--data", default=None,
                    help="CSV whose text column gives the --check sentences and training data "
                         "(default labels/seed_sentences.csv of this repository)")
    ap.add_argument("--text", default="text", help="text column of --data")
    ap.add_argument("--label", default="stance", help="label column of --data to train on")
    ap.add_argument("--no-train", action="store_true",
                    help="--check only the given models; train none")
    ap.add_argument("--tol", type=float, default=1e-5, help="largest |difference| allowed")
    ap.add_argument("args", nargs="*", metavar="ARG",
                    help="MODEL.json then sentences ('-' reads one per line from standard "
                         "input); with --check, model files")
    args = ap.parse_args()
    if args.check:
        args.models = args.args
        run_check(args)
        return
    if not args.args:
        ap.error("give MODEL.json and sentences")
    model = Model(args.args[0])
    sentences = args.args[1:]
    if sentences == ["-"] or not sentences:
        sentences = [line.rstrip("\n") for line in sys.stdin]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["text", "label"] + [f"p_{c}" for c in model.classes])
    for s in sentences:
        p = model.proba(s)
        out.writerow([s, model.classes[p.index(max(p))]] + [f"{x:.6f}" for x in p])


if __name__ == "__main__":
    main()
