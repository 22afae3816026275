package train

// The shipped model is trained on this corpus and on the real-post set,
// whose texts are not in the repository: tools/realset/ship-model.sh
// rebuilds it. `go generate` regenerates the template posts only.
//go:generate go run ./corpus/gen -out corpus/gen-templates.jsonl
