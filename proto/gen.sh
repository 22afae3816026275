#!/bin/sh
# Regenerates the Go code of the schemas in proto/ with Debian's protoc and the
# protoc-gen-go that go.mod pins (google.golang.org/protobuf). Usage:
#   sh proto/gen.sh [OUTDIR]      (default: proto/, i.e. in place)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd "$here/.." && go build -o "$bin/protoc-gen-go" google.golang.org/protobuf/cmd/protoc-gen-go)
cd "$here"
protoc --plugin=protoc-gen-go="$bin/protoc-gen-go" --proto_path=. \
  --go_out="$out" --go_opt=paths=source_relative outsidein/v1/mention.proto
