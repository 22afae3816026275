package classifycli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/outsidein/outsidein/internal/classify"
	"github.com/outsidein/outsidein/internal/classify/corpus"
)

// stringList is a repeatable flag that also accepts several values after it
// (`--data a.jsonl b.jsonl`).
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// Train implements `outsidein train --data FILE|DIR... --out MODEL`: it reads
// labelled JSON lines (every *.jsonl in a directory), trains a model and writes
// it to MODEL. Extra positional arguments are more data paths.
func Train(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("train", stderr)
	var data stringList
	fs.Var(&data, "data", "labelled JSON lines `FILE` or directory (repeatable)")
	out := fs.String("out", "", "write the model to `MODEL`")
	name := fs.String("name", "motive", "model name, the first part of its version")
	epochs := fs.Int("epochs", 0, "training passes (0: default)")
	l2 := fs.Float64("l2", 0, "L2 penalty (0: default)")
	dropout := fs.Float64("dropout", 0, "word-feature dropout per pass (0: default, negative: none)")
	seed := fs.Uint64("seed", 0, "shuffling seed (0: default)")
	biasFit := fs.Bool("bias-fit", false, "fit per-motive bias offsets on out-of-industry predictions")
	cueNB := fs.Float64("cue-nb", 0, "weight of the naive Bayes vote on intent cues (0: default, negative: none)")
	sentWords := fs.Bool("sentiment-words", false, "keep praise and negative-emotion words as word features (default: left out, their sentiment comes through the sentiment cues)")
	cv := fs.Bool("cv", false, "first report leave-one-industry-out scores (trains once per industry)")
	withCorpus := fs.Bool("with-corpus", false, "also train on the built-in corpus the shipped model is trained on")
	weight := fs.Float64("weight", 1, "multiply the weight of every post read from --data by `W` (e.g. 5 to let your own posts count more than the built-in corpus)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: outsidein train [--with-corpus] --data FILE|DIR... --out MODEL")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	data = append(data, fs.Args()...)
	if (len(data) == 0 && !*withCorpus) || *out == "" {
		fs.Usage()
		return fmt.Errorf("%w: --data (or --with-corpus) and --out are required", ErrUsage)
	}
	if !(*weight > 0) || math.IsInf(*weight, 0) {
		return fmt.Errorf("%w: --weight must be a positive number, got %v", ErrUsage, *weight)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var examples []classify.Example
	if len(data) > 0 {
		own, err := classify.ReadExampleFiles(data)
		if err != nil {
			return err
		}
		for i := range own {
			if own[i].Weight <= 0 {
				own[i].Weight = 1
			}
			own[i].Weight *= *weight
		}
		examples = own
	}
	if *withCorpus {
		base, err := corpus.Examples()
		if err != nil {
			return err
		}
		examples = append(base, examples...)
	}
	opt := classify.TrainOptions{Name: *name, Epochs: *epochs, L2: *l2, Dropout: *dropout, Seed: *seed, BiasFit: *biasFit, SentimentWords: *sentWords, CueNB: *cueNB}
	if *cv {
		folds, pooled, err := classify.CrossValidate(examples, opt)
		if err != nil {
			return fmt.Errorf("cross-validating: %w", err)
		}
		for _, f := range folds {
			fmt.Fprintf(stdout, "held out %-10s %s\n", f.Group, f.Report.Summary())
		}
		fmt.Fprintf(stdout, "leave-one-industry-out pooled %s\n", pooled.Summary())
	}
	opt.Log = stderr
	model, err := classify.Train(examples, opt)
	if err != nil {
		return fmt.Errorf("training: %w", err)
	}
	c, err := classify.LoadBytes(model)
	if err != nil {
		return fmt.Errorf("checking trained model: %w", err)
	}
	if err := os.WriteFile(*out, model, 0o644); err != nil {
		return fmt.Errorf("writing model: %w", err)
	}
	fmt.Fprintf(stdout, "trained %s on %d examples -> %s (%d bytes)\n", c.Version(), len(examples), *out, len(model))
	return nil
}

// Eval implements `outsidein eval --data FILE [--errors] [--model FILE]`: it scores
// the model against labelled JSON lines and prints per-motive precision, recall,
// F1 and support, the confusion matrix, complaint scores, optionally the errors,
// and a last line "macro_f1=... accuracy=... complaint_f1=... n=...".
func Eval(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("eval", stderr)
	dataPath := fs.String("data", "", "labelled JSON lines `FILE` (- for stdin)")
	errs := fs.Bool("errors", false, "list misclassified posts")
	modelPath := fs.String("model", "", "model `FILE` (default: the shipped model)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: outsidein eval --data FILE [--errors] [--model FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	if *dataPath == "" && fs.NArg() == 1 {
		*dataPath = fs.Arg(0)
	}
	if *dataPath == "" {
		fs.Usage()
		return fmt.Errorf("%w: --data is required", ErrUsage)
	}
	c, err := loadClassifier(*modelPath)
	if err != nil {
		return err
	}
	in, closeIn, err := openInput(*dataPath, stdin)
	if err != nil {
		return err
	}
	defer closeIn()
	examples, err := classify.ReadExamples(in, *dataPath)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rep := classify.Evaluate(c, examples)
	fmt.Fprintf(stdout, "model %s\n\n", c.Version())
	return rep.Write(stdout, *errs)
}

// Bench implements `outsidein bench classify [--model FILE] [FILE]` (args start
// after "classify"): it classifies every post of a JSON lines file (the built-in
// corpus when none is given) on all cores, repeating the set for at least
// --duration, and prints posts_per_sec=N.
func Bench(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("bench classify", stderr)
	modelPath := fs.String("model", "", "model `FILE` (default: the shipped model)")
	dur := fs.Duration("duration", 2*time.Second, "minimum time to run")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "parallel workers")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: outsidein bench classify [--model FILE] [FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	c, err := loadClassifier(*modelPath)
	if err != nil {
		return err
	}
	var input []byte
	if fs.NArg() > 0 {
		input, err = os.ReadFile(fs.Arg(0))
		if err != nil {
			return fmt.Errorf("reading input: %w", err)
		}
	} else {
		input = classify.BuiltinPosts()
	}
	if len(input) > 0 && input[len(input)-1] != '\n' {
		input = append(input, '\n')
	}
	n := bytes.Count(input, []byte("\n"))
	if n == 0 {
		return errors.New("no posts in input")
	}
	// Repeat a small file so each pass is long enough that starting the
	// workers does not weigh on the figure.
	if reps := 50000 / n; reps > 1 {
		input = bytes.Repeat(input, reps)
		n *= reps
	}
	// Warm up (loads the model, fills pools), then time whole passes over the file
	// through the same path as `outsidein classify`.
	if _, err := run(ctx, c, bytes.NewReader(input), io.Discard, *workers, false); err != nil {
		return err
	}
	start := time.Now()
	posts := 0
	for time.Since(start) < *dur {
		if _, err := run(ctx, c, bytes.NewReader(input), io.Discard, *workers, false); err != nil {
			return err
		}
		posts += n
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	el := time.Since(start).Seconds()
	fmt.Fprintf(stderr, "bench: %d posts in %.2fs on %d workers, model %s\n", posts, el, *workers, c.Version())
	fmt.Fprintf(stdout, "posts_per_sec=%d\n", int(float64(posts)/el))
	return nil
}
