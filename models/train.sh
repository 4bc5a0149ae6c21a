#!/usr/bin/env bash
# Rebuilds models/stance.json and models/frame.json byte-identically from labels/seed_sentences.csv.
# Run from the repository root: bash models/train.sh
# 1. `eval --grid` chooses the settings by 5-fold cross-validated macro-F1 (saved as models/<name>.eval.json);
# 2. `train --from-eval` trains on all body sentences with them, storing the 5-fold CV confusion matrix (--cv 5).
# SOURCE_DATE_EPOCH pins the training date recorded in the file (2026-11-22), so reruns are identical.
set -euo pipefail
export SOURCE_DATE_EPOCH=1795305600
FL=${FRAMELENS:-target/release/framelens}
[ -x "$FL" ] || cargo build --release --quiet
for label in stance frame; do
  "$FL" eval --data labels/seed_sentences.csv --text text --label "$label" --filter section=body \
    --min-df 1 --seed 0 --folds 5 \
    --grid c=0.25,1,4,16,64 --grid class-weight=none:balanced --grid ngram-range=1,1:1,2 \
    --grid char-wb=none:2,5 --grid stop-words=none:english \
    --save "models/$label.eval.json" > /dev/null
  "$FL" train --data labels/seed_sentences.csv --text text --label "$label" --filter section=body \
    --from-eval "models/$label.eval.json" --cv 5 --seed 0 --out "models/$label.json"
done
