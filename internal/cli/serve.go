package cli

import (
	"context"
	"time"

	"github.com/outsidein/outsidein/internal/app"
	"github.com/outsidein/outsidein/internal/config"
)

// serveCommand runs the pipeline against a Kafka cluster until ctx ends.
func serveCommand(ctx context.Context, args []string, s Stdio) error {
	fs := newFlags("serve", "serve [flags]", "Runs the pipeline against a Kafka cluster. Every flag can also be set\nwith its environment variable OUTSIDEIN_<FLAG> (upper case, dashes as underscores).", s.Err)
	var p config.Pipeline
	config.BindPipeline(fs, &p, "localhost:9092", ":8080")
	if err := config.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("serve takes no arguments, got %q", fs.Arg(0))
	}
	if p.SpikeBucket == 0 {
		p.SpikeBucket = time.Minute
	}
	if err := p.Validate(); err != nil {
		return err
	}
	log, err := newLogger(s.Err, p.LogLevel)
	if err != nil {
		return err
	}
	f, err := config.LoadFile(p.ConfigFile)
	if err != nil {
		return err
	}
	return app.Run(ctx, p, f, app.Options{Logger: log})
}
