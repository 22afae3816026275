#!/usr/bin/env python3
"""Build the real-post training file of outsidein's classifier.

    OUTSIDEIN_MIRRORS=/path/to/mirrors python3 tools/realset/build.py OUT.jsonl

1. runs extract.py, which reads the public source files at their pinned commits (see
   internal/classify/train/realset/SOURCES.md) from bare git mirrors in $OUTSIDEIN_MIRRORS;
2. joins the extracted posts with the committed labels (labels.jsonl: id, source, motive,
   complaint; no texts, whose licences do not allow shipping them);
3. adds the shared set ../shared/data/real-train/posts.jsonl (or $OUTSIDEIN_REAL_TRAIN),
   without the ids in exclude.txt, at weight 3 (SHARED_WEIGHT): its labels follow the
   convention of the project's reference labellers, which the dev exam shares;
4. decontaminates: drops any post whose normalised text (extract.norm) matches a post of the
   dev exam ../shared/data/mentions-dev.jsonl (or $OUTSIDEIN_DEV), when that file is present
   (the committed labels were built with it: none matched);

and writes OUT.jsonl: one post a line with id, source, brand, channel, text, motive,
complaint, ready for `outsidein train --data OUT.jsonl`. Exits non-zero when a labelled
post cannot be found in the sources (a mirror missing or at another commit).
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SET = os.path.join(HERE, "../../internal/classify/train/realset")
SHARED_WEIGHT = 3
GROUP = {"entity_val": "entity", "entity_train": "entity", "inecom20": "inecom", "inecom20b": "inecom"}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    real_train = os.environ.get("OUTSIDEIN_REAL_TRAIN", os.path.join(HERE, "../../../shared/data/real-train/posts.jsonl"))
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, OUTSIDEIN_CANDIDATES=tmp, OUTSIDEIN_REAL_TRAIN=real_train)
        subprocess.run([sys.executable, os.path.join(HERE, "extract.py")], env=env, check=True, stdout=subprocess.DEVNULL)
        posts = {}
        for name in sorted(os.listdir(tmp)):
            if name.endswith(".jsonl"):
                with open(os.path.join(tmp, name)) as f:
                    for line in f:
                        p = json.loads(line)
                        posts[p["id"]] = p
    rows, missing = [], 0
    with open(os.path.join(SET, "labels.jsonl")) as f:
        for line in f:
            lab = json.loads(line)
            p = posts.get(lab["id"])
            if p is None:
                missing += 1
                continue
            rows.append({"id": lab["id"], "source": lab["source"], "brand": p["brand"], "channel": p["channel"],
                         "text": p["text"], "motive": lab["motive"], "complaint": lab["complaint"]})
    with open(os.path.join(SET, "exclude.txt")) as f:
        exclude = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    with open(real_train) as f:
        for line in f:
            p = json.loads(line)
            if p["id"] in exclude:
                continue
            src = p["id"].split(":")[0]
            rows.append({"id": p["id"], "source": GROUP.get(src, src), "brand": p.get("brand", ""), "channel": p.get("channel", "twitter"),
                         "text": p["text"], "motive": p["motive"], "complaint": p["complaint"], "weight": SHARED_WEIGHT})
    dev_path = os.environ.get("OUTSIDEIN_DEV", os.path.join(HERE, "../../../shared/data/mentions-dev.jsonl"))
    if os.path.exists(dev_path):
        sys.path.insert(0, HERE)
        from extract import norm
        with open(dev_path) as f:
            dev = {norm(json.loads(line)["text"]) for line in f if line.strip()}
        kept = [r for r in rows if norm(r["text"]) not in dev]
        print("decontaminated against %s: dropped %d posts" % (dev_path, len(rows) - len(kept)))
        rows = kept
    else:
        print("warning: %s not found, not decontaminated against the dev exam" % dev_path, file=sys.stderr)
    with open(out, "w") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("wrote %d posts to %s" % (len(rows), out))
    if missing:
        sys.exit("%d labelled posts were not found in the sources: are the mirrors complete and at the pinned commits?" % missing)


if __name__ == "__main__":
    main()
