package train

// Rebuild the shipped model from the corpus: `go generate ./internal/classify/train`.
//go:generate go run ./corpus/gen -out corpus/gen-templates.jsonl
//go:generate go run ../../../cmd/outsidein train --data corpus --out ../model/shipped.json
