package train

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/outsidein/outsidein/internal/classify"
)

// Floors for the shipped model on the shared development set. They sit just under
// what the model reaches. They fell once, by 0.02, when the model trained on real
// posts (chosen by leave-one-source-out over 16,821 real posts, +0.05 there) replaced
// the corpus-only one: a difference within the dev set's sampling error (see the
// model card). They rise from here.
const (
	floorMacroF1     = 0.65
	floorAccuracy    = 0.66
	floorComplaintF1 = 0.84
)

// devSetPath finds ../shared/data/mentions-dev.jsonl relative to the repository
// root (the directory holding go.mod).
func devSetPath(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root (go.mod) not found")
		}
		dir = parent
	}
	return filepath.Join(dir, "..", "shared", "data", "mentions-dev.jsonl")
}

func TestDevSet(t *testing.T) {
	path := devSetPath(t)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("dev set %s is absent; skipping the quality floor", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ex, err := ReadExamples(f, path)
	if err != nil {
		t.Fatal(err)
	}
	rep := Evaluate(mustDefault(t), ex)
	t.Log(rep.Summary())
	for _, c := range rep.Classes {
		t.Logf("%-12s P=%.3f R=%.3f F1=%.3f n=%d", c.Label, c.Precision, c.Recall, c.F1, c.Support)
	}
	if rep.MacroF1 < floorMacroF1 || rep.Accuracy < floorAccuracy || rep.Complaint.F1 < floorComplaintF1 {
		t.Errorf("%s is below the floor macro_f1=%.3f accuracy=%.3f complaint_f1=%.3f",
			rep.Summary(), floorMacroF1, floorAccuracy, floorComplaintF1)
	}
}

func mustDefault(t testing.TB) *classify.Classifier {
	t.Helper()
	c, err := classify.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
