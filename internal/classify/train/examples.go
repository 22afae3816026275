package train

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/outsidein/outsidein/internal/motive"
)

// Example is one labelled post, as stored in the corpus and eval files.
type Example struct {
	ID        string        `json:"id,omitempty"`
	Text      string        `json:"text"`
	Motive    motive.Motive `json:"motive"`
	Complaint bool          `json:"complaint"`
	Industry  string        `json:"industry,omitempty"`
	Brand     string        `json:"brand,omitempty"`
	// Source names the data set a real post comes from (the group that
	// leave-one-source-out holds out); empty for the hand-written corpus.
	Source string `json:"source,omitempty"`
	// Weight scales the example in training; 0 means 1.
	Weight float64 `json:"weight,omitempty"`
}

// ErrNoExamples is returned when training data holds no usable example.
var ErrNoExamples = errors.New("no labelled examples")

// ReadExamples reads labelled JSON lines from r. Lines that are blank are skipped;
// a line that is not valid JSON, has no text, or has an unknown motive is an
// error naming the line.
func ReadExamples(r io.Reader, source string) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var e Example
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", source, n, err)
		}
		if strings.TrimSpace(e.Text) == "" {
			return nil, fmt.Errorf("%s:%d: no text", source, n)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", source, err)
	}
	return out, nil
}

// ReadExampleFiles reads labelled JSON lines from files and directories; a
// directory contributes every *.jsonl file directly inside it, in name order.
func ReadExampleFiles(paths []string) ([]Example, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("reading training data: %w", err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		m, err := filepath.Glob(filepath.Join(p, "*.jsonl"))
		if err != nil {
			return nil, err
		}
		sort.Strings(m)
		files = append(files, m...)
	}
	var all []Example
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, fmt.Errorf("reading training data: %w", err)
		}
		ex, err := ReadExamples(fh, f)
		fh.Close()
		if err != nil {
			return nil, err
		}
		all = append(all, ex...)
	}
	return all, nil
}
