package screen

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"sync"

	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// ErrTooManyClients is returned by subscribe when the live feed already has
// its maximum number of clients.
var ErrTooManyClients = errors.New("too many live feed clients")

// event is one classified post on its way to the live feed.
type event struct {
	seq    int64 // 1, 2, ...: the SSE event id
	brand  string
	motive int
	m      *pb.ClassifiedMention
	frame  []byte // the encoded SSE frame, made once when first needed
}

// hub fans classified posts out to the live feed's clients. publish never
// blocks: when the hub's queue or a client's buffer is full, the post is
// dropped for that queue or client and counted.
type hub struct {
	in      chan event
	max     int
	perAddr int
	bufSize int
	met     *metrics
	done    chan struct{}

	mu      sync.Mutex
	clients map[*client]struct{}
	backlog []event // ring of the latest posts, for new clients
	seq     int64   // posts ever put in backlog; the last event id
	subs    int64   // subscriptions ever made
}

// client is one subscriber; filters are "" (any) or a value to match.
type client struct {
	ch     chan []byte
	brand  string
	motive int    // -1: any
	addr   string // the remote address (host only)
	seq    int64  // order of subscription
	// evicted is closed when a newer stream from the same address took
	// this client's place.
	evicted chan struct{}
}

func newHub(queue, maxClients, perAddr, bufSize, backlog int, met *metrics) *hub {
	return &hub{in: make(chan event, queue), max: maxClients, perAddr: perAddr, bufSize: bufSize, met: met,
		done: make(chan struct{}), clients: map[*client]struct{}{}, backlog: make([]event, backlog)}
}

// publish queues a post for the feed without blocking.
func (h *hub) publish(brandLabel string, motive int, m *pb.ClassifiedMention) {
	select {
	case h.in <- event{brand: brandLabel, motive: motive, m: m}:
	default:
		h.met.dropQueue.Inc()
	}
}

// run dispatches queued posts until ctx ends, then closes done, which ends
// every client's stream.
func (h *hub) run(ctx context.Context) {
	defer close(h.done)
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-h.in:
			h.dispatch(ev)
		}
	}
}

func (h *hub) dispatch(ev event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	ev.seq = h.seq
	slot := &h.backlog[h.seq%int64(len(h.backlog))]
	*slot = ev
	for c := range h.clients {
		if !c.matches(slot) {
			continue
		}
		select {
		case c.ch <- h.frame(slot):
		default:
			h.met.dropSlow.Inc()
		}
	}
}

func (c *client) matches(ev *event) bool {
	return (c.brand == "" || c.brand == ev.brand) && (c.motive < 0 || c.motive == ev.motive)
}

// frame returns ev's SSE frame, encoding it on first use. The caller holds
// h.mu.
func (h *hub) frame(ev *event) []byte {
	if ev.frame == nil {
		data, err := json.Marshal(postOf(ev.brand, ev.m))
		if err != nil { // cannot happen: Post has only plain fields
			data = []byte(`{}`)
		}
		// encoding/json escapes control characters and U+2028/9, so the
		// data is one line as SSE needs.
		f := make([]byte, 0, len(data)+40)
		f = append(f, "id: "...)
		f = strconv.AppendInt(f, ev.seq, 10)
		f = append(f, "\nevent: post\ndata: "...)
		f = append(f, data...)
		ev.frame = append(f, "\n\n"...)
	}
	return ev.frame
}

// backlogAfter calls f with the backlog's posts after event id after that
// match c, oldest first. The caller holds h.mu.
func (h *hub) backlogAfter(c *client, after int64, f func(*event)) {
	from := max(after+1, h.seq-int64(len(h.backlog))+1, 1)
	for i := from; i <= h.seq; i++ {
		ev := &h.backlog[i%int64(len(h.backlog))]
		if c.matches(ev) {
			f(ev)
		}
	}
}

// subscribe adds a client from address addr with the given filters and
// returns it with the frames of the backlog's matching posts after event id
// after, oldest first. An address holds at most perAddr streams: a newer one
// takes the place of its oldest (a reloaded page replaces its own stale
// stream; clients that never read cannot hold every slot).
func (h *hub) subscribe(brandLabel string, motive int, after int64, addr string) (*client, [][]byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var oldest *client
	n := 0
	for c := range h.clients {
		if c.addr == addr {
			n++
			if oldest == nil || c.seq < oldest.seq {
				oldest = c
			}
		}
	}
	if n >= h.perAddr && oldest != nil {
		close(oldest.evicted)
		delete(h.clients, oldest)
		h.met.dropEvicted.Inc()
	}
	if len(h.clients) >= h.max {
		return nil, nil, ErrTooManyClients
	}
	h.subs++
	c := &client{ch: make(chan []byte, h.bufSize), brand: brandLabel, motive: motive, addr: addr, seq: h.subs, evicted: make(chan struct{})}
	var frames [][]byte
	h.backlogAfter(c, after, func(ev *event) { frames = append(frames, h.frame(ev)) })
	h.clients[c] = struct{}{}
	h.met.sseClients.Set(float64(len(h.clients)))
	return c, frames, nil
}

// recent returns the backlog's posts matching the filters, oldest first,
// and the last event id, from which a stream can continue.
func (h *hub) recent(brandLabel string, motive int) ([]Post, int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	posts := []Post{}
	h.backlogAfter(&client{brand: brandLabel, motive: motive}, 0, func(ev *event) {
		posts = append(posts, postOf(ev.brand, ev.m))
	})
	return posts, h.seq
}

// unsubscribe removes a client.
func (h *hub) unsubscribe(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.clients, c)
	h.met.sseClients.Set(float64(len(h.clients)))
}
