#!/usr/bin/python3
"""scikit-learn quality baseline: TF-IDF (words and bigrams) + logistic regression
trained on the same corpus as the shipped model, scored like `outsidein eval`
(macro-F1 over the four engagement motives with none as a negative, accuracy
over all five, complaint F1 from a second logistic regression).

usage: sklearn_quality.py CORPUS_DIR LABELLED.jsonl...

Needs scikit-learn (Debian: apt-get install python3-sklearn; run with
/usr/bin/python3). Not part of CI: it gives the comparison figure in
docs/history/2026-classifier-experiments.md.
"""
import glob, json, os, sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

corpus = sys.argv[1]
texts, motives, complaints = [], [], []
for f in sorted(glob.glob(os.path.join(corpus, "*.jsonl"))):
    with open(f, encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            texts.append(o["text"])
            motives.append(o["motive"])
            complaints.append(bool(o["complaint"]))
vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
X = vec.fit_transform(texts)
motive_clf = LogisticRegression(max_iter=2000, C=4).fit(X, motives)
complaint_clf = LogisticRegression(max_iter=2000, C=4).fit(X, complaints)
four = ["discounts", "information", "community", "service"]
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as fh:
        gold = [json.loads(line) for line in fh if line.strip()]
    Xt = vec.transform([o["text"] for o in gold])
    pred = motive_clf.predict(Xt)
    y = [o["motive"] for o in gold]
    macro = f1_score(y, pred, labels=four, average="macro")
    acc = accuracy_score(y, pred)
    cf1 = f1_score([bool(o["complaint"]) for o in gold], complaint_clf.predict(Xt))
    print(f"{path}: macro_f1={macro:.3f} accuracy={acc:.3f} complaint_f1={cf1:.3f} n={len(gold)}")
