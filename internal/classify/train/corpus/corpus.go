// Package corpus embeds the labelled posts the shipped motive model is trained
// on (the *.jsonl files of this directory), so that `outsidein train
// --with-corpus` can train a model on them plus a user's own labelled posts
// without a checkout of the repository.
package corpus

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/outsidein/outsidein/internal/classify/train"
)

//go:embed *.jsonl
var files embed.FS

// Examples returns every labelled post of the corpus, file by file in name
// order, as `outsidein train --data internal/classify/train/corpus` reads them.
func Examples() ([]train.Example, error) {
	names, err := fs.Glob(files, "*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("listing the built-in corpus: %w", err)
	}
	sort.Strings(names)
	var all []train.Example
	for _, n := range names {
		f, err := files.Open(n)
		if err != nil {
			return nil, fmt.Errorf("reading the built-in corpus: %w", err)
		}
		ex, err := train.ReadExamples(f, "corpus/"+n)
		f.Close()
		if err != nil {
			return nil, err
		}
		all = append(all, ex...)
	}
	return all, nil
}
