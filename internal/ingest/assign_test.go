package ingest

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/kafkatest"
)

// keepNothing is a group balancer that assigns no partition to anyone: a
// group led by it is stable with every partition unassigned, the state a
// group can settle in when its topic is deleted and created again while it
// rebalances.
type keepNothing struct{}

func (keepNothing) ProtocolName() string { return "range" }
func (keepNothing) UserData() ([]byte, error) {
	return nil, nil
}
func (keepNothing) AssignGroups([]kafka.GroupMember, []kafka.Partition) kafka.GroupMemberAssignments {
	return kafka.GroupMemberAssignments{}
}

// A stable group that leaves input partitions to nobody is reported at once
// and, once that has lasted ErrorGrace, the consumer asks to rejoin; a group
// holding every partition is not reported.
func TestUnassignedPartitionsAskForRejoin(t *testing.T) {
	b := kafkatest.Broker(t, broker.Config{Topics: []string{"mentions"}, Partitions: 2})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	m := NewMetrics(prometheus.NewRegistry())
	c, err := New(Config{Brokers: []string{b.Addr()}, GroupID: "g", Topics: []string{"mentions"},
		ErrorGrace: 50 * time.Millisecond, Client: &kafka.Client{Addr: kafka.TCP(b.Addr())},
		Logger: slog.New(slog.DiscardHandler)}, nil, nil, m)
	if err != nil {
		t.Fatal(err)
	}
	unassigned := func() float64 { return testutil.ToFloat64(m.readerErrors.WithLabelValues(ReasonUnassigned)) }

	for _, tc := range []struct {
		name     string
		balancer kafka.GroupBalancer
		want     bool
	}{
		{"every partition held", kafka.RangeGroupBalancer{}, false},
		{"none held", keepNothing{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			group, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{ID: "g", Brokers: []string{b.Addr()},
				Topics: []string{"mentions"}, GroupBalancers: []kafka.GroupBalancer{tc.balancer},
				Logger: kafka.LoggerFunc(func(string, ...any) {}), ErrorLogger: kafka.LoggerFunc(func(string, ...any) {})})
			if err != nil {
				t.Fatal(err)
			}
			defer group.Close()
			if _, err := group.Next(ctx); err != nil {
				t.Fatalf("joining the group: %v", err)
			}
			before := unassigned()
			var since time.Time
			c.checkAssignment(ctx, &since)
			if got := unassigned() > before; got != tc.want {
				t.Fatalf("reported unassigned partitions: %v, want %v", got, tc.want)
			}
			time.Sleep(60 * time.Millisecond)
			c.checkAssignment(ctx, &since)
			if got := len(c.resetSignal) == 1; got != tc.want {
				t.Errorf("asked to rejoin: %v, want %v", got, tc.want)
			}
			if tc.want && !since.IsZero() {
				t.Error("the unassigned clock still runs after asking to rejoin")
			}
		})
	}
}
