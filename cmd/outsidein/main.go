// Command outsidein tags brand mentions from Kafka with the reason customers
// engage the brand and exports the counts as Prometheus metrics. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/outsidein/outsidein/internal/cli"
	"github.com/outsidein/outsidein/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cli.Main(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}); err != nil {
		fmt.Fprintln(os.Stderr, "outsidein:", err)
		if errors.Is(err, config.ErrUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
