package train

import (
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
		data, err := Train(train, opt)
		if err != nil {
			return nil, Report{}, err
		}
		c, err := classify.LoadBytes(data)
		if err != nil {
			return nil, Report{}, err
		}
		folds = append(folds, Fold{Group: g, Report: Evaluate(c, test)})
		for _, e := range test {
			pooled = append(pooled, e)
			pooledPred = append(pooledPred, c.Classify(e.Text))
		}
	}
	return folds, score(pooled, pooledPred), nil
}
