#!/usr/bin/python3
"""scikit-learn baseline for `outsidein classify`'s speed target.

Trains TF-IDF (words and bigrams) + logistic regression on labelled JSON lines
(the project's corpus), then times a batch predict over a JSON lines file the
way the issue describes: read the file, parse each line, vectorise, predict,
write one result line per post.

usage: sklearn_baseline.py TRAIN_DIR_OR_FILE INPUT.jsonl [NGRAM_MAX]

Needs scikit-learn (Debian: apt-get install python3-sklearn; run with
/usr/bin/python3). Not part of CI: it measures the comparison figure in
docs/history/2026-classifier-experiments.md.
"""
import glob, json, os, sys, time

t_start = time.perf_counter()
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
t_import = time.perf_counter()

src, path = sys.argv[1], sys.argv[2]
ngram_max = int(sys.argv[3]) if len(sys.argv) > 3 else 2
files = sorted(glob.glob(os.path.join(src, "*.jsonl"))) if os.path.isdir(src) else [src]
texts, labels = [], []
for f in files:
    with open(f, encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            texts.append(o["text"])
            labels.append(o["motive"])
vec = TfidfVectorizer(ngram_range=(1, ngram_max), min_df=2, sublinear_tf=True)
X = vec.fit_transform(texts)
clf = LogisticRegression(max_iter=1000)
clf.fit(X, labels)

t0 = time.perf_counter()
with open(path, encoding="utf-8") as fh:
    objs = [json.loads(line) for line in fh if line.strip()]
Xp = vec.transform([o.get("text", "") for o in objs])
pred = clf.predict(Xp)
with open(os.devnull, "w") as out:
    for o, p in zip(objs, pred):
        o["motive"] = p
        out.write(json.dumps(o) + "\n")
t1 = time.perf_counter()
n = len(objs)
print(f"read+parse+predict+write: posts={n} {t1 - t0:.3f} s, {n / (t1 - t0):.0f} posts/s "
      f"(import {t_import - t_start:.2f} s and training not counted; {len(texts)} training posts, "
      f"n-grams 1-{ngram_max})")

# The same without writing output, the most favourable reading for scikit-learn.
t0 = time.perf_counter()
with open(path, encoding="utf-8") as fh:
    objs = [json.loads(line) for line in fh if line.strip()]
pred = clf.predict(vec.transform([o.get("text", "") for o in objs]))
t1 = time.perf_counter()
print(f"read+parse+predict only: {n / (t1 - t0):.0f} posts/s")
