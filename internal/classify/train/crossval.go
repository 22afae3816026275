package train

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"github.com/outsidein/outsidein/internal/classify"
)

// Fold is the outcome of one held-out group in CrossValidate.
type Fold struct {
	Group  string
	Report Report
}

// CrossValidate measures how the model carries over to unseen industries: for
// each industry group, it trains on every other group and evaluates on the
// group's hand-written posts. Template-generated posts (industry "gen-...") of the
// held-out group are left out of training too, since they share its vocabulary.
// It returns the folds and a report pooled over all held-out posts.
func CrossValidate(examples []Example, opt Options) ([]Fold, Report, error) {
	groups := map[string]bool{}
	for _, e := range examples {
		if !strings.HasPrefix(e.Industry, "gen-") {
			groups[industryKey(e.Industry)] = true
		}
	}
	var keys []string
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var folds []Fold
	var pooled []Example
	var pooledPred []classify.Result
	for _, g := range keys {
		var train, test []Example
		for _, e := range examples {
			switch {
			case industryKey(e.Industry) != g:
				train = append(train, e)
			case !strings.HasPrefix(e.Industry, "gen-"):
				test = append(test, e)
			}
		}
		if len(test) == 0 {
			continue
		}
		preds, err := trainAndClassify(train, test, opt)
		if err != nil {
			return nil, Report{}, err
		}
		folds = append(folds, Fold{Group: g, Report: score(test, preds)})
		pooled = append(pooled, test...)
		pooledPred = append(pooledPred, preds...)
	}
	return folds, score(pooled, pooledPred), nil
}

// trainAndClassify trains a model on train and classifies test with it.
func trainAndClassify(train, test []Example, opt Options) ([]classify.Result, error) {
	data, err := Train(train, opt)
	if err != nil {
		return nil, err
	}
	c, err := classify.LoadBytes(data)
	if err != nil {
		return nil, err
	}
	preds := make([]classify.Result, len(test))
	for i, e := range test {
		preds[i] = c.Classify(e.Text)
	}
	return preds, nil
}

// SourceCV says how LeaveOneSourceOut splits the real examples.
type SourceCV struct {
	// Folds, when between 2 and the number of sources, groups the sources
	// into that many folds of about equal size (largest first, each to the
	// smallest fold); 0 holds out one source at a time.
	Folds int
	// RealFraction, in (0, 1), trains each fold on that share of the other
	// folds' real posts (a fixed sample: a post's hash of its id and text
	// decides), for a learning curve; 0 or 1 uses them all. Posts without a
	// source (the hand-written corpus) are always all used.
	RealFraction float64
}

// LeaveOneSourceOut measures how the model carries over to a data set it has
// not seen: for each source of the real examples (those with a Source), or
// group of sources, it trains on every other example, the hand-written
// corpus included, and scores the held-out posts. It returns a fold per
// source or group and a report pooled over all of them.
func LeaveOneSourceOut(examples []Example, opt Options, cv SourceCV) ([]Fold, Report, error) {
	size := map[string]int{}
	for _, e := range examples {
		if e.Source != "" {
			size[e.Source]++
		}
	}
	fold := sourceFolds(size, cv.Folds)
	names := map[int][]string{}
	for s, f := range fold {
		names[f] = append(names[f], s)
	}
	var folds []Fold
	var pooled []Example
	var pooledPred []classify.Result
	for f := 0; f < len(names); f++ {
		sort.Strings(names[f])
		var train, test []Example
		for _, e := range examples {
			switch {
			case e.Source == "":
				train = append(train, e)
			case fold[e.Source] == f:
				test = append(test, e)
			case cv.RealFraction <= 0 || cv.RealFraction >= 1 || sampled(e, cv.RealFraction):
				train = append(train, e)
			}
		}
		preds, err := trainAndClassify(train, test, opt)
		if err != nil {
			return nil, Report{}, err
		}
		folds = append(folds, Fold{Group: strings.Join(names[f], "+"), Report: score(test, preds)})
		pooled = append(pooled, test...)
		pooledPred = append(pooledPred, preds...)
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, "held out %s: %s\n", folds[len(folds)-1].Group, folds[len(folds)-1].Report.Summary())
		}
	}
	return folds, score(pooled, pooledPred), nil
}

// sourceFolds assigns each source a fold: its own when k is 0 or not below
// the number of sources, else k folds balanced by size.
func sourceFolds(size map[string]int, k int) map[string]int {
	srcs := make([]string, 0, len(size))
	for s := range size {
		srcs = append(srcs, s)
	}
	sort.Slice(srcs, func(a, b int) bool {
		if size[srcs[a]] != size[srcs[b]] {
			return size[srcs[a]] > size[srcs[b]]
		}
		return srcs[a] < srcs[b]
	})
	fold := map[string]int{}
	if k < 2 || k >= len(srcs) {
		sort.Strings(srcs)
		for i, s := range srcs {
			fold[s] = i
		}
		return fold
	}
	load := make([]int, k)
	for _, s := range srcs {
		best := 0
		for f := range load {
			if load[f] < load[best] {
				best = f
			}
		}
		fold[s] = best
		load[best] += size[s]
	}
	return fold
}

// sampled reports whether e is in the fixed sample of a share frac of the
// examples.
func sampled(e Example, frac float64) bool {
	h := fnv.New64a()
	h.Write([]byte(e.ID))
	h.Write([]byte{0})
	h.Write([]byte(e.Text))
	return float64(h.Sum64()>>11)/(1<<53) < frac
}
