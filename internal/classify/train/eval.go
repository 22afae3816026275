package train

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/outsidein/outsidein/internal/classify"
	"github.com/outsidein/outsidein/internal/motive"
)

// ClassScore is precision, recall and F1 for one label.
type ClassScore struct {
	Label     string
	Precision float64
	Recall    float64
	F1        float64
	Support   int
}

// Miss is one misclassified post.
type Miss struct {
	Example
	Got classify.Result
}

// Report is the outcome of scoring a classifier against labelled posts.
type Report struct {
	N         int
	Accuracy  float64 // over all five motives
	MacroF1   float64 // mean F1 of the four engagement motives; none is a negative for each
	Classes   []ClassScore
	Confusion [numMotives][numMotives]int // [gold][predicted], indexed by motive
	Complaint ClassScore
	// MixError is the mean absolute difference, over the motives, between
	// the predicted and the true motive shares: how far off a dashboard's
	// mix would be.
	MixError float64
	Misses   []Miss
}

// Evaluate classifies every example and scores the predictions.
func Evaluate(c *classify.Classifier, examples []Example) Report {
	preds := make([]classify.Result, len(examples))
	for i, e := range examples {
		preds[i] = c.Classify(e.Text)
	}
	return score(examples, preds)
}

// score compares predictions with the examples' labels.
func score(examples []Example, preds []classify.Result) Report {
	var r Report
	r.N = len(examples)
	var ctp, cfp, cfn float64
	correct := 0
	for i, e := range examples {
		got := preds[i]
		g, p := e.Motive, got.Motive
		r.Confusion[g][p]++
		wrong := g != p || got.Complaint != e.Complaint
		if g == p {
			correct++
		}
		switch {
		case got.Complaint && e.Complaint:
			ctp++
		case got.Complaint && !e.Complaint:
			cfp++
		case !got.Complaint && e.Complaint:
			cfn++
		}
		if wrong {
			r.Misses = append(r.Misses, Miss{Example: e, Got: got})
		}
	}
	if r.N > 0 {
		r.Accuracy = float64(correct) / float64(r.N)
	}
	for k, m := range motive.All {
		var tp, fp, fn float64
		support := 0
		for j := range motive.All {
			support += r.Confusion[k][j]
			if j != k {
				fp += float64(r.Confusion[j][k])
				fn += float64(r.Confusion[k][j])
			}
		}
		tp = float64(r.Confusion[k][k])
		cs := ClassScore{Label: m.String(), Precision: ratio(tp, tp+fp), Recall: ratio(tp, tp+fn), F1: f1(tp, fp, fn), Support: support}
		r.Classes = append(r.Classes, cs)
		if m != motive.None {
			r.MacroF1 += cs.F1 / 4
		}
	}
	if r.N > 0 {
		for k := range motive.All {
			var gold, pred int
			for j := range motive.All {
				gold += r.Confusion[k][j]
				pred += r.Confusion[j][k]
			}
			r.MixError += math.Abs(float64(pred-gold)) / float64(r.N) / float64(numMotives)
		}
	}
	r.Complaint = ClassScore{Label: "complaint", Precision: ratio(ctp, ctp+cfp), Recall: ratio(ctp, ctp+cfn),
		F1: f1(ctp, cfp, cfn), Support: int(ctp + cfn)}
	return r
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// Summary is the report's last line: macro_f1, accuracy, complaint_f1 and n.
func (r Report) Summary() string {
	return fmt.Sprintf("macro_f1=%.3f accuracy=%.3f complaint_f1=%.3f n=%d", r.MacroF1, r.Accuracy, r.Complaint.F1, r.N)
}

// Write prints the per-motive scores, the confusion matrix and complaint scores,
// then (when errors is set) the misclassified posts, and ends with Summary.
func (r Report) Write(w io.Writer, errors bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %9s %9s %9s %8s\n", "motive", "precision", "recall", "f1", "support")
	for _, c := range r.Classes {
		fmt.Fprintf(&b, "%-12s %9.3f %9.3f %9.3f %8d\n", c.Label, c.Precision, c.Recall, c.F1, c.Support)
	}
	c := r.Complaint
	fmt.Fprintf(&b, "%-12s %9.3f %9.3f %9.3f %8d\n\n", c.Label, c.Precision, c.Recall, c.F1, c.Support)
	fmt.Fprintf(&b, "confusion (rows gold, columns predicted)\n%-12s", "")
	for _, m := range motive.All {
		fmt.Fprintf(&b, " %11s", m)
	}
	b.WriteString("\n")
	for g, m := range motive.All {
		fmt.Fprintf(&b, "%-12s", m)
		for p := range motive.All {
			fmt.Fprintf(&b, " %11d", r.Confusion[g][p])
		}
		b.WriteString("\n")
	}
	if errors {
		fmt.Fprintf(&b, "\nerrors (%d)\n", len(r.Misses))
		for _, m := range r.Misses {
			id := m.ID
			if id == "" {
				id = "-"
			}
			fmt.Fprintf(&b, "%s\tgold=%s/%v\tgot=%s/%v\tconf=%.2f\t%s\n", id, m.Motive, m.Example.Complaint,
				m.Got.Motive, m.Got.Complaint, m.Got.Confidence, strings.ReplaceAll(m.Text, "\n", " "))
		}
	}
	fmt.Fprintf(&b, "\nmotive mix error (mean absolute difference of predicted and true shares): %.3f\n", r.MixError)
	b.WriteString(r.Summary())
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}
