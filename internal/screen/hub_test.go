package screen

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/outsidein/outsidein/internal/motive"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

func mention(brand, text string, motive pb.Motive, complaint bool) *pb.ClassifiedMention {
	return &pb.ClassifiedMention{
		Mention:        &pb.Mention{Id: "id-" + text, Brand: brand, Channel: "twitter", Text: text},
		Classification: &pb.Classification{Motive: motive, Complaint: complaint},
	}
}

func newTestHub(queue, maxClients, buf, backlog int) (*hub, *metrics) {
	met := newMetrics(prometheus.NewRegistry())
	return newHub(queue, maxClients, maxClients, buf, backlog, met), met
}

// drain returns the frames waiting in c.
func drain(c *client) []string {
	var out []string
	for {
		select {
		case f := <-c.ch:
			out = append(out, string(f))
		default:
			return out
		}
	}
}

func TestHubDropsForSlowClient(t *testing.T) {
	tests := []struct {
		name        string
		buf, posts  int
		wantGot     int
		wantDropped float64
	}{
		{"buffer holds all", 8, 5, 5, 0},
		{"slow client loses the overflow", 3, 10, 3, 7},
		{"stalled client with a one-post buffer", 1, 50, 1, 49},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, met := newTestHub(16, 4, tt.buf, 10)
			slow, _, err := h.subscribe("", -1, 0, "a")
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() { // dispatch must never wait for the client
				defer close(done)
				for i := range tt.posts {
					h.dispatch(event{brand: "skyjet", motive: 3, m: mention("skyjet", "post "+string(rune('a'+i%26)), pb.Motive_MOTIVE_SERVICE, false)})
				}
			}()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("dispatch blocked on a client that does not read")
			}
			if got := len(drain(slow)); got != tt.wantGot {
				t.Errorf("client received %d posts, want %d", got, tt.wantGot)
			}
			if got := testutil.ToFloat64(met.dropSlow); got != tt.wantDropped {
				t.Errorf("outsidein_sse_dropped_total{reason=slow_client} = %v, want %v", got, tt.wantDropped)
			}
		})
	}
}

func TestHubPublishNeverBlocks(t *testing.T) {
	h, met := newTestHub(2, 4, 4, 10) // nobody runs the hub: the queue fills
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 10 {
			h.publish("skyjet", 0, mention("skyjet", "x", pb.Motive_MOTIVE_DISCOUNTS, false))
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("publish blocked with a full queue")
	}
	if got := testutil.ToFloat64(met.dropQueue); got != 8 {
		t.Errorf("outsidein_sse_dropped_total{reason=queue_full} = %v, want 8", got)
	}
}

func TestHubFiltersBacklogAndLimit(t *testing.T) {
	h, met := newTestHub(16, 2, 16, 3)
	posts := []struct {
		brand  string
		motive pb.Motive
		text   string
	}{
		{"skyjet", pb.Motive_MOTIVE_SERVICE, "one"},
		{"bankly", pb.Motive_MOTIVE_DISCOUNTS, "two"},
		{"skyjet", pb.Motive_MOTIVE_DISCOUNTS, "three"},
		{"skyjet", pb.Motive_MOTIVE_SERVICE, "four"},
	}
	for _, p := range posts {
		h.dispatch(event{brand: p.brand, motive: int(motive.FromProto(p.motive)), m: mention(p.brand, p.text, p.motive, false)})
	}
	// The backlog keeps the last 3; a skyjet-only client gets "three" and "four".
	c, backlog, err := h.subscribe("skyjet", -1, 0, "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(backlog) != 2 || !strings.Contains(string(backlog[0]), `"three"`) || !strings.Contains(string(backlog[1]), `"four"`) {
		t.Errorf("skyjet backlog = %q, want three then four", backlog)
	}
	if !strings.HasPrefix(string(backlog[1]), "id: 4\nevent: post\ndata: {") || !strings.HasSuffix(string(backlog[1]), "}\n\n") {
		t.Errorf("frame = %q, want an SSE event with id 4", backlog[1])
	}
	// Resuming after id 3 replays only "four".
	d, backlog, err := h.subscribe("", int(motive.FromProto(pb.Motive_MOTIVE_SERVICE)), 3, "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(backlog) != 1 || !strings.Contains(string(backlog[0]), `"four"`) {
		t.Errorf("service backlog after id 3 = %q, want only four", backlog)
	}
	if _, _, err := h.subscribe("", -1, 0, "b"); !errors.Is(err, ErrTooManyClients) {
		t.Errorf("third client: err = %v, want ErrTooManyClients", err)
	}
	if got := testutil.ToFloat64(met.sseClients); got != 2 {
		t.Errorf("outsidein_sse_clients = %v, want 2", got)
	}
	h.dispatch(event{brand: "bankly", motive: 3, m: mention("bankly", "five", pb.Motive_MOTIVE_SERVICE, false)})
	if got := drain(c); len(got) != 0 {
		t.Errorf("skyjet client got %q, want nothing of bankly", got)
	}
	if got := drain(d); len(got) != 1 || !strings.Contains(got[0], `"five"`) {
		t.Errorf("service client got %q, want five", got)
	}
	h.unsubscribe(c)
	h.unsubscribe(d)
	if got := testutil.ToFloat64(met.sseClients); got != 0 {
		t.Errorf("outsidein_sse_clients after leaving = %v, want 0", got)
	}
	recent, last := h.recent("", -1)
	if last != 5 || len(recent) != 3 || recent[2].Text != "five" {
		t.Errorf("recent = %v (last id %d), want the last 3 posts ending with five, id 5", recent, last)
	}
}

func TestHubRunEndsStreams(t *testing.T) {
	h, _ := newTestHub(16, 2, 16, 3)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { h.run(ctx); close(ran) }()
	cancel()
	select {
	case <-h.done:
	case <-time.After(5 * time.Second):
		t.Fatal("done not closed after the context ended")
	}
	<-ran
}
