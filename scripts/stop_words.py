"""Prints framelens's English stop list: scikit-learn's ENGLISH_STOP_WORDS minus stance cues.

Used to produce ENGLISH_STOP_WORDS in src/text/filters.rs (python3 scripts/stop_words.py).
"""
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

KEEP = {"not", "no", "never", "against", "without", "but", "cannot", "nor", "none", "nobody",
        "nothing", "nowhere", "neither", "noone", "except", "although", "though", "however",
        "yet", "only"}
words = sorted(w for w in ENGLISH_STOP_WORDS if w not in KEEP)
print(len(ENGLISH_STOP_WORDS), "->", len(words))
print(", ".join(f'"{w}"' for w in words))
