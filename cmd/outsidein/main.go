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

	"github.com/outsidein/outsidein/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := app.Main(ctx, os.Args[1:], app.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	if err != nil {
		if !errors.Is(err, app.ErrUsage) || err.Error() != app.ErrUsage.Error() {
			fmt.Fprintln(os.Stderr, "outsidein:", err)
		}
		if errors.Is(err, app.ErrUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
