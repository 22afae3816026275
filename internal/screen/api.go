package screen

import (
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/outsidein/outsidein/internal/brands"
	"github.com/outsidein/outsidein/internal/web"
)

//go:embed assets
var assets embed.FS

// Register adds the screen's routes with handle (web.Server.Handle):
// the page at /, its files under /assets/, and the API under /api/v1/.
func (s *Screen) Register(handle func(pattern string, h http.Handler)) {
	handle("GET /{$}", http.HandlerFunc(serveIndex))
	handle("GET /assets/", assetHandler())
	handle("GET /api/v1/summary", http.HandlerFunc(s.serveSummary))
	handle("GET /api/v1/recent", http.HandlerFunc(s.serveRecent))
	handle("GET /api/v1/stream", http.HandlerFunc(s.serveStream))
	handle("GET /api/v1/brands/{brand}", http.HandlerFunc(s.serveBrand))
}

// serveBrand answers a brand's detail: its complaint drivers and latest posts
// of each motive; 404 for a brand the screen has no tile for.
func (s *Screen) serveBrand(w http.ResponseWriter, r *http.Request) {
	name := brands.Normalize(r.PathValue("brand"))
	if len(name) > maxFilterLen {
		http.Error(w, "brand name too long", http.StatusBadRequest)
		return
	}
	d, ok := s.Detail(name)
	if !ok {
		http.Error(w, "no such brand on the screen", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(d)
}

func serveIndex(w http.ResponseWriter, r *http.Request) {
	page, err := assets.ReadFile("assets/index.html")
	if err != nil { // cannot happen: embedded
		http.Error(w, "page missing", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(page)
}

func assetHandler() http.Handler {
	files := http.FileServerFS(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
			http.NotFound(w, r)
			return
		}
		if _, err := fs.Stat(assets, strings.TrimPrefix(r.URL.Path, "/")); err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// serveSummary answers the summary; ?include_unknown=true adds the tile of
// posts that name no brand.
func (s *Screen) serveSummary(w http.ResponseWriter, r *http.Request) {
	withUnknown, _ := strconv.ParseBool(r.URL.Query().Get("include_unknown"))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(s.Summary(withUnknown))
}

// heartbeat is the comment an idle stream gets every Heartbeat: 1 KiB, so
// that, against the small send buffer, a client that has stopped reading
// fills its window within minutes, not days, and its write times out.
var heartbeat = []byte(": " + strings.Repeat("-", 1020) + "\n\n")

// streamSendBuffer is the kernel send buffer of a live-feed connection.
const streamSendBuffer = 16 << 10

// maxFilterLen bounds the brand filter; brand labels are short.
const maxFilterLen = 100

// filters reads the ?brand= and ?motive= filters ("" and -1: any), writing
// a 400 response and returning ok false when they are invalid.
func filters(w http.ResponseWriter, r *http.Request) (brandFilter string, motive int, ok bool) {
	q := r.URL.Query()
	brandFilter = brands.Normalize(q.Get("brand"))
	if len(brandFilter) > maxFilterLen {
		http.Error(w, "brand filter too long", http.StatusBadRequest)
		return "", 0, false
	}
	motive = -1
	if m := strings.ToLower(strings.TrimSpace(q.Get("motive"))); m != "" {
		for i, name := range motiveNames {
			if name == m {
				motive = i
			}
		}
		if motive < 0 {
			http.Error(w, "unknown motive; want one of "+strings.Join(motiveNames, ", "), http.StatusBadRequest)
			return "", 0, false
		}
	}
	return brandFilter, motive, true
}

// Recent is the body of GET /api/v1/recent.
type Recent struct {
	// LastEventID is the id of the latest post; a stream opened with
	// ?after=LastEventID continues exactly after Posts.
	LastEventID int64 `json:"last_event_id"`
	// Posts are the latest posts matching the filters, oldest first.
	Posts []Post `json:"posts"`
}

// serveRecent returns the live feed's backlog, with the same filters as the
// stream, so that a page can show posts at once and then follow the stream.
func (s *Screen) serveRecent(w http.ResponseWriter, r *http.Request) {
	brandFilter, motive, ok := filters(w, r)
	if !ok {
		return
	}
	posts, last := s.hub.recent(brandFilter, motive)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(Recent{LastEventID: last, Posts: posts})
}

// serveStream is the live feed: server-sent events named "post", with
// increasing ids, whose data is a Post in JSON: first the backlog's posts
// after ?after= or the Last-Event-ID header (all of it without either),
// then each post as it is classified; only those of ?brand= and ?motive=
// when given. A client that reads too slowly misses posts (counted) rather
// than slowing anything; a write that does not finish within the write
// timeout ends the stream.
func (s *Screen) serveStream(w http.ResponseWriter, r *http.Request) {
	brandFilter, motive, ok := filters(w, r)
	if !ok {
		return
	}
	if r.Method == http.MethodHead { // headers only: a HEAD must not hold the connection
		w.Header().Set("Content-Type", "text/event-stream")
		return
	}
	var after int64
	for _, v := range []string{r.URL.Query().Get("after"), r.Header.Get("Last-Event-ID")} {
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n > after {
			after = n
		}
	}
	addr, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		addr = r.RemoteAddr
	}
	c, backlog, err := s.hub.subscribe(brandFilter, motive, after, addr)
	if errors.Is(err, ErrTooManyClients) {
		w.Header().Set("Retry-After", "30")
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer s.hub.unsubscribe(c)
	// A small send buffer lets a client that stopped reading block a
	// heartbeat's write soon, so its slot is freed even when no post flows.
	if conn, ok := web.Conn(r); ok {
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetWriteBuffer(streamSendBuffer)
		}
	}

	rc := http.NewResponseController(w)
	// The server's read timeout would end this long request; the request
	// has been read, and a closed connection still ends the context.
	_ = rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(b ...[]byte) bool {
		if err := rc.SetWriteDeadline(time.Now().Add(s.opts.WriteTimeout)); err != nil {
			return false
		}
		for _, p := range b {
			if _, err := w.Write(p); err != nil {
				s.met.dropStalled.Inc()
				return false
			}
		}
		if rc.Flush() != nil {
			s.met.dropStalled.Inc()
			return false
		}
		return true
	}
	if !write(append([][]byte{[]byte("retry: 3000\n\n")}, backlog...)...) {
		return
	}
	ping := time.NewTicker(s.opts.Heartbeat)
	defer ping.Stop()
	for {
		var frame []byte
		select {
		case <-r.Context().Done():
			return
		case <-s.hub.done:
			return
		case <-c.evicted:
			return
		case <-ping.C:
			frame = heartbeat
		case frame = <-c.ch:
		}
		if !write(frame) {
			return
		}
	}
}
