// Package cli is outsidein's command line: it parses each command's flags
// (and their environment variables) into settings, checks them, and runs the
// command. The long-running commands (serve, demo) hand the pipeline to
// app.Run; the one-shot commands (classify, train, eval, bench, broker,
// replay, healthcheck, version) run here.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"

	"github.com/outsidein/outsidein/internal/config"
)

// Stdio are a command's standard streams.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, args []string, s Stdio) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":       {"run the pipeline against a Kafka cluster", serveCommand},
		"demo":        {"run the pipeline on an embedded broker fed with sample posts", demoCommand},
		"classify":    {"classify JSON lines posts from a file or stdin", classifyCommand},
		"train":       {"train a classifier model from labelled JSON lines", trainCommand},
		"eval":        {"score the classifier on labelled JSON lines", evalCommand},
		"bench":       {"benchmarks: `bench classify [FILE]`, `bench pipeline [FILE]`", benchCommand},
		"broker":      {"run an embedded Kafka-protocol broker (kfake) for local development and benchmarks", brokerCommand},
		"healthcheck": {"exit 0 when the service's /healthz answers 200 (for container healthchecks)", healthcheckCommand},
		"replay":      {"produce a JSON lines file (or the sample corpus) into a topic at a given rate", replayCommand},
		"version":     {"print the version, VCS revision and model version", versionCommand},
	}
}

// isHelp reports whether a command's first argument asks for its usage.
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "help" }

// Main runs the command named by args[0] with the rest of args. A bad command
// line returns an error wrapping config.ErrUsage (exit status 2); asking for
// help prints it and returns nil.
func Main(ctx context.Context, args []string, s Stdio) error {
	cmds := commands()
	if len(args) == 0 || isHelp(args[0]) {
		usage(s.Err, cmds)
		if len(args) == 0 {
			return fmt.Errorf("%w: no command given", config.ErrUsage)
		}
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		usage(s.Err, cmds)
		return fmt.Errorf("%w: unknown command %q", config.ErrUsage, args[0])
	}
	err := c.run(ctx, args[1:], s)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "outsidein: why customers engage your brand, measured live from social posts on Kafka.")
	fmt.Fprintln(w, "\nusage: outsidein COMMAND [flags]   (outsidein COMMAND -h for its flags)\n\ncommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, cmds[n].summary)
	}
}

// newFlags returns a flag set for command name that prints to stderr, with a
// usage line ("usage: outsidein " + use) and an optional description.
func newFlags(name, use, about string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: outsidein "+use)
		if about != "" {
			fmt.Fprintln(stderr, "\n"+about)
		}
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args into fs; a bad flag is a usage error.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", config.ErrUsage, err)
	}
	return nil
}

// usageErr returns a usage error with the message.
func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{config.ErrUsage}, args...)...)
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usageErr("--log-level %q: %v", level, err)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}
