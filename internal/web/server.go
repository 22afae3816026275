// Package web serves outsidein's HTTP endpoints: /metrics, /healthz, /livez
// and the command-center screen.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Health says why the service is not ready (broker unreachable, a topic
// missing, group not joined), or "" when it is.
type Health interface {
	NotReady() string
}

// Server is the HTTP server.
type Server struct {
	srv *http.Server
	mux *http.ServeMux
	log *slog.Logger
}

// New returns a server for addr serving the metrics in gatherer and the
// health of h.
func New(addr string, gatherer prometheus.Gatherer, h Health, log *slog.Logger) *Server {
	mux := http.NewServeMux()
	s := &Server{mux: mux, log: log}
	mux.Handle("GET /metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn), MaxRequestsInFlight: 4, Timeout: 10 * time.Second}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		why := h.NotReady()
		if why == "" {
			fmt.Fprintln(w, "ok")
			return
		}
		http.Error(w, "not ready: "+why, http.StatusServiceUnavailable)
	})
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	s.srv = &http.Server{
		Addr:              addr,
		Handler:           secure(mux),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ConnContext:       ConnContext,
		// No WriteTimeout: the live feed is a long-lived stream; its
		// handler bounds its own writes.
	}
	return s
}

type connKey struct{}

// ConnContext records a request's connection in its context, for Conn (it is
// the http.Server's ConnContext).
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

// Conn returns the connection r came on, when the server recorded it.
func Conn(r *http.Request) (net.Conn, bool) {
	c, ok := r.Context().Value(connKey{}).(net.Conn)
	return c, ok
}

// Handle adds a handler (pattern as in http.ServeMux).
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// secure rejects methods other than GET and HEAD and sets protective headers.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 1<<10)
		next.ServeHTTP(w, r)
	})
}

// Listen binds the address, so that a busy port fails before anything starts.
func (s *Server) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", s.srv.Addr)
	if err != nil {
		return nil, fmt.Errorf("http server: %w", err)
	}
	return ln, nil
}

// Serve serves on ln until ctx ends, then shuts down within 5 s.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.srv.Close()
	}
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	return err
}
