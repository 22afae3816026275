package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// healthcheckCommand exits 0 when the service's health endpoint answers 200:
// the container image's health check, which has no shell or curl.
func healthcheckCommand(ctx context.Context, args []string, s Stdio) error {
	fs := newFlags("healthcheck", "healthcheck [--url U] [--timeout D]", "", s.Err)
	url := fs.String("url", "http://127.0.0.1:8080/healthz", "health endpoint to ask")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageErr("healthcheck takes no arguments, got %q", fs.Arg(0))
	case *timeout <= 0:
		return usageErr("--timeout %v: want more than 0", *timeout)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return usageErr("--url: %v", err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		return fmt.Errorf("healthcheck: %s: %s %s", *url, res.Status, strings.TrimSpace(string(body)))
	}
	return nil
}
