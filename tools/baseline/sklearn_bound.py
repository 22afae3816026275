#!/usr/bin/python3
"""Upper-bound diagnostic (never shipped, not part of CI): other learners over
TF-IDF words and bigrams, scored like `outsidein eval` (macro-F1 over the four
engagement motives with none as a negative, accuracy over all five), in two
settings:

  corpus -> dev      trained on the project's corpus only, scored on the dev set;
  corpus + dev CV    five-fold cross-validation on the dev set (folds by id hash),
                     each fold's model trained on the corpus plus the other four
                     folds repeated five times (weight 5), scored on the pooled
                     held-out predictions.

The second setting uses the exam's own labels, so it is a ceiling for what a
learner over these features could reach with in-domain data, not a model.

usage: sklearn_bound.py CORPUS_DIR DEV.jsonl [lr|svm|cnb|mlp ...]

Needs scikit-learn (Debian: apt-get install python3-sklearn; run with
/usr/bin/python3). Figures: docs/history/2026-classifier-experiments.md.
"""
import glob, hashlib, json, os, sys, warnings

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.naive_bayes import ComplementNB
from sklearn.neural_network import MLPClassifier
from sklearn.svm import LinearSVC

warnings.filterwarnings("ignore")
FOUR = ["discounts", "information", "community", "service"]


def load(paths):
    texts, motives, complaints = [], [], []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    o = json.loads(line)
                    texts.append(o["text"])
                    motives.append(o["motive"])
                    complaints.append(bool(o["complaint"]))
    return texts, np.array(motives), np.array(complaints)


# (vectorizer options, motive model, complaint model or None)
MODELS = {
    "lr": ({}, lambda: LogisticRegression(max_iter=2000, C=4), lambda: LogisticRegression(max_iter=2000, C=4)),
    "svm": ({}, lambda: LinearSVC(C=0.5), lambda: LinearSVC(C=0.5)),
    "cnb": ({}, lambda: ComplementNB(alpha=0.3), lambda: ComplementNB(alpha=0.3)),
    # One hidden layer; 5,000 features keep it to about a minute.
    "mlp": ({"max_features": 5000},
            lambda: MLPClassifier(hidden_layer_sizes=(64,), early_stopping=True, max_iter=30, random_state=1, alpha=1e-4),
            None),
}


def main():
    corpus_dir, dev_path = sys.argv[1], sys.argv[2]
    ct, cm, cc = load(sorted(glob.glob(os.path.join(corpus_dir, "*.jsonl"))))
    dev = [json.loads(l) for l in open(dev_path, encoding="utf-8") if l.strip()]
    dt = [o["text"] for o in dev]
    dm = np.array([o["motive"] for o in dev])
    dc = np.array([bool(o["complaint"]) for o in dev])
    fold = np.array([int(hashlib.md5(o["id"].encode()).hexdigest(), 16) % 5 for o in dev])

    def score(pred, pred_c):
        s = "macro_f1=%.3f accuracy=%.3f" % (f1_score(dm, pred, labels=FOUR, average="macro"), accuracy_score(dm, pred))
        return s + (" complaint_f1=%.3f" % f1_score(dc, pred_c) if pred_c is not None else "")

    for name in sys.argv[3:] or list(MODELS):
        opts, motive_model, complaint_model = MODELS[name]

        def vec():
            return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, **opts)

        v = vec()
        X = v.fit_transform(ct)
        Xd = v.transform(dt)
        pred = motive_model().fit(X, cm).predict(Xd)
        pred_c = complaint_model().fit(X, cc).predict(Xd) if complaint_model else None
        print(f"{name} corpus -> dev: {score(pred, pred_c)}", flush=True)

        P = np.empty(len(dev), dtype=object)
        PC = np.zeros(len(dev), dtype=bool)
        for k in range(5):
            tr = [i for i in range(len(dev)) if fold[i] != k]
            te = [i for i in range(len(dev)) if fold[i] == k]
            T = ct + [dt[i] for i in tr] * 5
            v = vec()
            X = v.fit_transform(T)
            Xt = v.transform([dt[i] for i in te])
            P[te] = motive_model().fit(X, np.concatenate([cm] + [dm[tr]] * 5)).predict(Xt)
            if complaint_model:
                PC[te] = complaint_model().fit(X, np.concatenate([cc] + [dc[tr]] * 5)).predict(Xt)
        print(f"{name} corpus + dev CV: {score(P, PC if complaint_model else None)}", flush=True)


if __name__ == "__main__":
    main()
