package screen

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/outsidein/outsidein/internal/web"
)

// nonReader opens a live-feed stream from local address from with a tiny
// receive buffer and never reads it.
func nonReader(t *testing.T, addr, from string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		_ = c.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		return err
	}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := fmt.Fprintf(c, "GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	return c
}

// streamStatus opens a stream from local address from and returns the
// status it answers with within 2 s.
func streamStatus(addr, from string) (int, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 2 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := fmt.Fprintf(c, "GET /api/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		return 0, err
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, err
	}
	return res.StatusCode, nil
}

// TestStreamCannotBeStarved: clients that open the live feed and never read
// cannot keep others out. 40 of them from one address hold at most that
// address's share of the slots, and a 41st client (from the same address or
// another) connects at once; and a client that stops reading is dropped by
// the heartbeat's write deadline even when no post flows.
func TestStreamCannotBeStarved(t *testing.T) {
	s, addr := streamServer(t)

	for range 40 {
		nonReader(t, addr, "127.0.0.1")
	}
	waitFor(t, func() bool { return testutil.ToFloat64(s.met.dropEvicted) >= 36 })
	if n := testutil.ToFloat64(s.met.sseClients); n > 4 {
		t.Errorf("%v streams held by one address, want at most 4", n)
	}
	for _, from := range []string{"127.0.0.1", "127.0.0.2"} {
		start := time.Now()
		code, err := streamStatus(addr, from)
		if err != nil || code != http.StatusOK {
			t.Errorf("41st client from %s: %d, %v; want 200", from, code, err)
		}
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("41st client from %s waited %v", from, el)
		}
	}

}

// TestStalledStreamIsDropped: no post flows; a lone client that does not
// read is found by its heartbeats' write deadline and its slot freed.
func TestStalledStreamIsDropped(t *testing.T) {
	s, addr := streamServer(t)
	nonReader(t, addr, "127.0.0.3")
	waitFor(t, func() bool { return testutil.ToFloat64(s.met.sseClients) == 1 })
	waitFor(t, func() bool { return testutil.ToFloat64(s.met.sseClients) == 0 })
	if n := testutil.ToFloat64(s.met.dropStalled); n != 1 {
		t.Errorf("outsidein_sse_closed_total{reason=\"stalled\"} = %v, want 1", n)
	}
}

// streamServer serves a screen with fast heartbeats and a short write
// deadline, its connections recorded as web.Server records them.
func streamServer(t *testing.T) (*Screen, string) {
	t.Helper()
	s := New(prometheus.NewRegistry(), testBrands, Options{Heartbeat: 20 * time.Millisecond, WriteTimeout: 300 * time.Millisecond})
	mux := http.NewServeMux()
	s.Register(mux.Handle)
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ConnContext = web.ConnContext
	srv.Start()
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { s.Run(ctx); close(ran) }()
	t.Cleanup(func() { cancel(); <-ran; srv.Close() })
	return s, strings.TrimPrefix(srv.URL, "http://")
}
