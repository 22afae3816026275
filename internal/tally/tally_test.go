package tally

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/outsidein/outsidein/internal/motive"
)

func TestKnownSeriesStartAtZero(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	New(reg, Config{Brands: []string{"skyjet"}, Channels: []string{"twitter"}})
	want := `
# HELP outsidein_mentions_total Classified mentions by brand, channel and motive.
# TYPE outsidein_mentions_total counter
outsidein_mentions_total{brand="skyjet",channel="twitter",motive="community"} 0
outsidein_mentions_total{brand="skyjet",channel="twitter",motive="discounts"} 0
outsidein_mentions_total{brand="skyjet",channel="twitter",motive="information"} 0
outsidein_mentions_total{brand="skyjet",channel="twitter",motive="none"} 0
outsidein_mentions_total{brand="skyjet",channel="twitter",motive="service"} 0
# HELP outsidein_complaints_total Classified mentions flagged as complaints, by brand and channel.
# TYPE outsidein_complaints_total counter
outsidein_complaints_total{brand="skyjet",channel="twitter"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "outsidein_mentions_total", "outsidein_complaints_total"); err != nil {
		t.Fatal(err)
	}
}

func TestRecordCountsAndBoundsLabels(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	tl := New(reg, Config{Brands: []string{"skyjet"}, MaxExtraBrands: 2, Channels: []string{"twitter"}})
	record := func(brand, channel string, m motive.Motive, complaint bool) {
		b, c := tl.Labels(brand, channel)
		tl.Record(b, c, m, complaint, time.Microsecond, time.Second)
	}
	record("skyjet", "twitter", motive.Service, true)
	record("skyjet", "myspace", motive.Service, false)
	for i := 0; i < 10; i++ {
		record(fmt.Sprintf("flood%d", i), "twitter", motive.None, false)
	}
	want := `
# HELP outsidein_complaints_total Classified mentions flagged as complaints, by brand and channel.
# TYPE outsidein_complaints_total counter
outsidein_complaints_total{brand="flood0",channel="twitter"} 0
outsidein_complaints_total{brand="flood1",channel="twitter"} 0
outsidein_complaints_total{brand="other",channel="twitter"} 0
outsidein_complaints_total{brand="skyjet",channel="other"} 0
outsidein_complaints_total{brand="skyjet",channel="twitter"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "outsidein_complaints_total"); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(tl.mentions.WithLabelValues("other", "twitter", "none")); got != 8 {
		t.Fatalf("other = %v, want 8", got)
	}
	if n := testutil.CollectAndCount(tl.mentions); n != 5+1+1+1+1 {
		t.Fatalf("mention series = %d, want 9 (5 pre-created + skyjet/other + flood0 + flood1 + other)", n)
	}
}
