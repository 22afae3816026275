package screen

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/outsidein/outsidein/internal/brands"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// A brand's complaints of the last minutes that share a word far more than
// its usual complaints do put that word first in its complaint drivers, in
// the summary and the brand's detail; the brand's own names never are
// drivers, and no driver becomes a label value in /metrics.
func TestComplaintDriversInSummaryAndDetail(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	reg := prometheus.NewPedanticRegistry()
	configured := []brands.Brand{{Name: "skyjet", Handles: []string{"@skyjethelp"}, Hashtags: []string{"#flyskyjet"}}}
	s := New(reg, configured, Options{Bucket: 10 * time.Second, Now: clk.Now})
	usual := []string{
		"@skyjethelp my seat was broken the whole flight #flyskyjet",
		"@skyjet the wifi never worked and the crew shrugged",
		"@skyjet refund still missing after three weeks",
		"@skyjet rude gate agent at checkin, awful",
		"@skyjet delayed again and the app says on time",
	}
	n := 0
	send := func(text string, motive pb.Motive, complaint bool) {
		n++
		m := mention("skyjet", text, motive, complaint)
		m.Mention.Id = fmt.Sprint("p", n)
		feed(s, clk, m)
	}
	// An hour of usual complaints, two a minute, with chatter besides.
	for minute := 0; minute < 60; minute++ {
		send(usual[minute%len(usual)], pb.Motive_MOTIVE_SERVICE, true)
		send(usual[(minute+2)%len(usual)], pb.Motive_MOTIVE_SERVICE, true)
		send("@skyjet loved the new lounge", pb.Motive_MOTIVE_COMMUNITY, false)
		clk.Add(time.Minute)
	}
	if d := summary(t, s)["skyjet"].ComplaintDrivers; len(d) != 0 && d[0].Term == "baggage" {
		t.Fatalf("baggage leads the drivers before any post names it: %+v", d)
	}
	// Then a minute in which most complaints are about baggage at JFK.
	for i := 0; i < 30; i++ {
		send(fmt.Sprintf("@skyjet baggage claim at JFK is a mess, bags missing for %d of us #flyskyjet", i+2), pb.Motive_MOTIVE_SERVICE, true)
		if i%3 == 0 {
			send(usual[i%len(usual)], pb.Motive_MOTIVE_SERVICE, true)
		}
		clk.Add(2 * time.Second)
	}
	d := summary(t, s)["skyjet"].ComplaintDrivers
	if len(d) == 0 {
		t.Fatal("no complaint drivers during the burst")
	}
	if len(d) > summaryDrivers {
		t.Errorf("%d drivers in the summary, want at most %d", len(d), summaryDrivers)
	}
	top := d[0]
	if !strings.Contains(top.Term, "baggage") || top.Count < 25 || !(top.Lift > 10) || top.BaselineShare > 0.05 {
		t.Errorf("top driver %+v, want baggage (or a phrase with it) in most recent complaints, rare before", top)
	}
	for _, x := range d {
		for _, own := range []string{"skyjet", "skyjethelp", "flyskyjet"} {
			if strings.Contains(x.Term, own) {
				t.Errorf("the brand's own name %q is a driver: %+v", own, x)
			}
		}
	}

	// The detail: more drivers, and the latest posts of each motive.
	mux := http.NewServeMux()
	s.Register(mux.Handle)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	res, err := http.Get(srv.URL + "/api/v1/brands/SkyJet")
	if err != nil {
		t.Fatal(err)
	}
	var detail BrandDetail
	err = json.NewDecoder(res.Body).Decode(&detail)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("detail: %d %v", res.StatusCode, err)
	}
	if len(detail.ComplaintDrivers) == 0 || detail.ComplaintDrivers[0].Term != top.Term {
		t.Errorf("detail drivers %+v, want %q first", detail.ComplaintDrivers, top.Term)
	}
	if got := detail.Latest["service"]; len(got) != latestLen || !strings.Contains(got[0].Text, "for 31 of us") {
		t.Errorf("latest service posts %+v, want the %d newest, newest first", got, latestLen)
	}
	if got := detail.Latest["community"]; len(got) != latestLen || got[0].ID != "p180" || got[1].ID != "p177" {
		t.Errorf("latest community posts %+v, want the %d newest lounge posts, newest first", got, latestLen)
	}
	if got := detail.Latest["discounts"]; got == nil || len(got) != 0 {
		t.Errorf("latest discounts posts %+v, want an empty list", got)
	}
	if res, err := http.Get(srv.URL + "/api/v1/brands/nosuchbrand"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown brand: %v %v, want 404", res.StatusCode, err)
	}

	// Drivers are never label values.
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if v := strings.ToLower(l.GetValue()); strings.Contains(v, "baggage") || strings.Contains(v, "jfk") {
					t.Errorf("%s has the driver %q as a label value", mf.GetName(), l.GetValue())
				}
			}
		}
	}
	if testutil.ToFloat64(s.met.driversDropped) != 0 {
		t.Error("complaints left out of the drivers")
	}
}

// The trend holds the last 24 hours per quarter-hour, oldest first, with
// each post in its slot.
func TestTrendPerQuarterHour(t *testing.T) {
	s, clk, _ := newTestScreen(t)
	feed(s, clk, mention("skyjet", "a", pb.Motive_MOTIVE_SERVICE, true))
	clk.Add(20 * time.Minute)
	feed(s, clk, mention("skyjet", "b", pb.Motive_MOTIVE_COMMUNITY, false))
	feed(s, clk, mention("skyjet", "c", pb.Motive_MOTIVE_SERVICE, true))
	tr := summary(t, s)["skyjet"].Trend
	if len(tr.Posts) != longSlots || len(tr.Complaints) != longSlots || tr.SlotSeconds != 900 || tr.Start == nil {
		t.Fatalf("trend %+v, want %d quarter-hours", tr, longSlots)
	}
	last, prev := longSlots-1, longSlots-2
	if tr.Posts[last] != 2 || tr.Complaints[last] != 1 || tr.Posts[prev] != 1 || tr.Complaints[prev] != 1 {
		t.Errorf("last two slots: posts %d,%d complaints %d,%d; want 1,2 and 1,1",
			tr.Posts[prev], tr.Posts[last], tr.Complaints[prev], tr.Complaints[last])
	}
	end := tr.Start.Add(time.Duration(longSlots) * 15 * time.Minute)
	if !end.After(clk.Now()) || end.Sub(clk.Now()) > 15*time.Minute {
		t.Errorf("trend from %v ends at %v, want the quarter-hour holding now (%v)", tr.Start, end, clk.Now())
	}
}
