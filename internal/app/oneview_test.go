package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/classify"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/kafkatest"
)

// viewSummary is what the test reads of /api/v1/summary.
type viewSummary struct {
	Brands []struct {
		Brand   string `json:"brand"`
		Windows map[string]struct {
			Posts  uint64            `json:"posts"`
			Counts map[string]uint64 `json:"counts"`
		} `json:"windows"`
		Complaints struct {
			Current uint64 `json:"current"`
		} `json:"complaints"`
		Spike struct {
			Active bool   `json:"active"`
			Count  uint64 `json:"count"`
		} `json:"spike"`
	} `json:"brands"`
}

func fetchSummary(addr string) (viewSummary, error) {
	var s viewSummary
	res, err := http.Get("http://" + addr + "/api/v1/summary")
	if err != nil {
		return s, err
	}
	defer res.Body.Close()
	return s, json.NewDecoder(res.Body).Decode(&s)
}

// counts returns a summary's 24 h posts per brand and motive.
func (s viewSummary) counts() map[string]map[string]uint64 {
	out := map[string]map[string]uint64{}
	for _, b := range s.Brands {
		out[b.Brand] = b.Windows["24h"].Counts
	}
	return out
}

// brandPosts makes n posts for the brands, keyed so that they spread over
// the partitions, and the counts per brand and motive the model gives them.
func brandPosts(t *testing.T, n int, prefix string, want map[string]map[string]uint64) []kafka.Message {
	t.Helper()
	clf, err := classify.Default()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"@%s my order never arrived, where is it?", "@%s any discount codes this week?",
		"love @%s so much", "@%s what time do you open on sunday?"}
	var msgs []kafka.Message
	for i := range n {
		brand := []string{"acmeair", "beanco", "telzo"}[i%3]
		text := fmt.Sprintf(texts[i%4], brand)
		if want[brand] == nil {
			want[brand] = map[string]uint64{}
		}
		want[brand][clf.Classify(text).Motive.String()]++
		id := fmt.Sprintf("%s%d", prefix, i)
		msgs = append(msgs, kafka.Message{Key: []byte(id),
			Value:   []byte(fmt.Sprintf(`{"id":%q,"brand":%q,"channel":"twitter","text":%q}`, id, brand, text)),
			Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/json")}}})
	}
	return msgs
}

// TestOneViewAcrossReplicas: three replicas share the partitions, and each
// one's screen shows the whole cluster: every replica counts exactly the
// posts produced per brand and motive, a burst on one partition raises the
// spike on every screen, and with one replica gone the others stay whole.
func TestOneViewAcrossReplicas(t *testing.T) {
	b := kafkatest.Broker(t, broker.Config{Partitions: 6})
	tune := func(p *config.Pipeline) { p.SpikeBucket = time.Second }
	replicas := []*service{startService(t, b.Addr(), tune), startService(t, b.Addr(), tune), startService(t, b.Addr(), tune)}
	kafkatest.WaitFor(t, 60*time.Second, "three members holding partitions", func() bool {
		held := groupMembers(b.Addr(), "outsidein")
		return len(held) == 3 && held[0] > 0 && held[1] > 0 && held[2] > 0
	})

	want := map[string]map[string]uint64{}
	kafkatest.Produce(t, b.Addr(), "mentions", brandPosts(t, 600, "ov", want)...)
	same := func(rs []*service, what string) {
		t.Helper()
		for i, r := range rs {
			var got map[string]map[string]uint64
			kafkatest.WaitFor(t, 60*time.Second, fmt.Sprintf("replica %d's screen to count %s", i+1, what), func() bool {
				s, err := fetchSummary(r.http)
				if err != nil {
					return false
				}
				got = s.counts()
				for brand, motives := range want {
					for m, n := range motives {
						if got[brand][m] != n {
							return false
						}
					}
				}
				return true
			})
			for brand, motives := range got {
				for m, n := range motives {
					if want[brand][m] != n {
						t.Errorf("replica %d counts %d %s posts for %s, want %d", i+1, n, m, brand, want[brand][m])
					}
				}
			}
		}
	}
	same(replicas, "all 600 posts per brand and motive")
	consumed := 0.0
	for _, r := range replicas {
		c := r.counter("outsidein_consumed_total")
		if c == 600 {
			t.Errorf("one replica consumed all 600 posts: the partitions are not shared")
		}
		consumed += c
	}
	if consumed != 600 {
		t.Errorf("replicas consumed %v posts in all, want 600 (each its own partitions)", consumed)
	}

	// A burst of complaints on one partition (one key) after a few quiet
	// buckets: every replica's screen raises telzo's spike.
	time.Sleep(4 * time.Second)
	var burst []kafka.Message
	for i := range 60 {
		id := fmt.Sprintf("burst%d", i)
		burst = append(burst, kafka.Message{Key: []byte("one-partition"),
			Value:   []byte(fmt.Sprintf(`{"id":%q,"brand":"telzo","text":"@telzo my internet is down again, third time this week, fix it"}`, id)),
			Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/json")}}})
	}
	kafkatest.Produce(t, b.Addr(), "mentions", burst...)
	for i, r := range replicas {
		kafkatest.WaitFor(t, 20*time.Second, fmt.Sprintf("replica %d's screen to raise telzo's spike", i+1), func() bool {
			s, err := fetchSummary(r.http)
			if err != nil {
				return false
			}
			for _, br := range s.Brands {
				if br.Brand == "telzo" && br.Spike.Active {
					if br.Spike.Count != br.Complaints.Current {
						t.Errorf("replica %d: spike count %d, tile %d: want one figure", i+1, br.Spike.Count, br.Complaints.Current)
					}
					return true
				}
			}
			return false
		})
	}
	clf, _ := classify.Default()
	want["telzo"][clf.Classify("@telzo my internet is down again, third time this week, fix it").Motive.String()] += 60

	// One replica gone: the others' screens keep counting every post.
	replicas[2].shutdown(t)
	kafkatest.Produce(t, b.Addr(), "mentions", brandPosts(t, 300, "after", want)...)
	same(replicas[:2], "every post after a replica left")
}
