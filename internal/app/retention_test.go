package app_test

import (
	"context"
	"encoding/binary"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kmsg"
	"google.golang.org/protobuf/proto"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/kafkatest"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// TestRestartAfterRetentionDeletedCommittedOffset stops the service, lets
// more posts arrive, then deletes the input records from below the group's
// committed offset to beyond it on every partition, as retention does when a
// service is down longer than the topic's retention. The restarted service
// must skip to the log start offset, publish every surviving post exactly
// once, commit up to the end, become ready and keep running.
func TestRestartAfterRetentionDeletedCommittedOffset(t *testing.T) {
	const group = "outsidein" // config.Defaults' group, the same for both runs
	b := kafkatest.Broker(t, broker.Config{Partitions: 3})
	addr := b.Addr()

	// First run: N posts, all published and committed, then a clean stop.
	tune := func(p *config.Pipeline) { p.SessionTimeout = 6 * time.Second }
	var logs1 kafkatest.SyncBuffer
	first := launchService(t, addr, tune, textLogger(&logs1))
	first.awaitHealthy(t)
	const n, m = 60, 90
	kafkatest.Produce(t, addr, "mentions", posts(n, "before")...)
	kafkatest.WaitFor(t, 15*time.Second, "the first run to publish and commit every post", func() bool {
		return kafkatest.Count(addr, "mentions.classified") == n && committedLag(t, addr, group, "mentions") == 0
	})
	first.shutdown(t)
	committedAtStop := partitionOffsets(t, addr, group, "mentions")

	// While it is down: M more posts, then "retention" deletes every record
	// below an offset beyond the committed one on each partition.
	kafkatest.Produce(t, addr, "mentions", posts(m, "during")...)
	ends := partitionOffsets(t, addr, "", "mentions")
	deleteTo := map[int]int64{}
	for p, c := range committedAtStop {
		end := ends[p][1]
		if c[0] != ends[p][0] || end-c[1] < 2 {
			t.Fatalf("partition %d: committed %d, log [%d, %d): want a commit at the old end and at least 2 new posts", p, c[1], ends[p][0], end)
		}
		deleteTo[p] = c[1] + (end-c[1])/2 // strictly between the commit and the end
	}
	deleteRecords(t, addr, "mentions", deleteTo)
	for p, o := range partitionOffsets(t, addr, "", "mentions") {
		if o[0] != deleteTo[p] {
			t.Fatalf("partition %d starts at %d after DeleteRecords, want %d", p, o[0], deleteTo[p])
		}
		if c := committedAtStop[p][1]; c >= o[0] {
			t.Fatalf("partition %d: committed offset %d is not below the log start %d", p, c, o[0])
		}
	}
	survivors := 0
	for p, to := range deleteTo {
		survivors += int(ends[p][1] - to)
	}
	t.Logf("committed %v, deleted below %v, ends %v: %d posts survive, %d deleted unread", committedAtStop, deleteTo, ends, survivors, m-survivors)

	// Second run, same group: it must become ready, consume the survivors
	// and commit up to the end of every partition.
	var logs2 kafkatest.SyncBuffer
	second := launchService(t, addr, tune, textLogger(&logs2))
	second.awaitHealthy(t)
	kafkatest.WaitFor(t, 15*time.Second, "the restarted service to publish the surviving posts and commit to the end", func() bool {
		select {
		case err := <-second.done:
			t.Fatalf("the restarted service exited: %v\nlog:\n%s", err, logs2.String())
		default:
		}
		return kafkatest.Count(addr, "mentions.classified") >= int64(n+survivors) && committedLag(t, addr, group, "mentions") == 0
	})

	// Every surviving post exactly once, nothing else from the second run.
	seen := map[[2]int64]int{}
	for _, rec := range kafkatest.ReadAll(t, addr, "mentions.classified") {
		var cm pb.ClassifiedMention
		if err := proto.Unmarshal(rec.Value, &cm); err != nil {
			t.Fatal(err)
		}
		seen[[2]int64{int64(cm.GetSourcePartition()), cm.GetSourceOffset()}]++
	}
	for _, in := range kafkatest.ReadAll(t, addr, "mentions") { // the survivors
		if c := seen[[2]int64{int64(in.Partition), in.Offset}]; c != 1 {
			t.Errorf("surviving post %d/%d (%s) published %d times, want 1", in.Partition, in.Offset, in.Key, c)
		}
	}
	for p, o := range partitionOffsets(t, addr, group, "mentions") {
		if o[1] != ends[p][1] {
			t.Errorf("partition %d: committed %d after the restart, want the end %d", p, o[1], ends[p][1])
		}
		for off := committedAtStop[p][1]; off < deleteTo[p]; off++ {
			if seen[[2]int64{int64(p), off}] != 0 {
				t.Errorf("deleted post %d/%d was published", p, off)
			}
		}
	}
	if got, want := kafkatest.Count(addr, "mentions.classified"), int64(n+survivors); got != want {
		t.Errorf("output topic holds %d records, want %d (%d before + %d survivors)", got, want, n, survivors)
	}
	if dlq := kafkatest.Count(addr, "mentions.dlq"); dlq != 0 {
		t.Errorf("dead-letter topic holds %d records, want 0", dlq)
	}

	// Still running and ready, not looping on fetch errors.
	if code, body := healthBody(second.http); code != http.StatusOK {
		t.Errorf("/healthz after catching up: %d %q, want 200", code, body)
	}
	select {
	case err := <-second.done:
		t.Fatalf("the restarted service exited: %v", err)
	default:
	}
	if fe := second.counter("outsidein_fetch_errors_total"); fe != 0 {
		t.Errorf("outsidein_fetch_errors_total = %v after the restart, want 0", fe)
	}
	// The loss is reported: kafka-go moves to the log start silently.
	log2 := logs2.String()
	if got, want := second.counter("outsidein_skipped_records_total", "topic", "mentions"), float64(m-survivors); got != want {
		t.Errorf("outsidein_skipped_records_total = %v after the restart, want %v (the posts deleted unread)", got, want)
	}
	if warned := grepLines(log2, "deleted by retention before they were consumed"); len(warned) != len(deleteTo) {
		t.Errorf("%d warnings about deleted records, want one per partition (%d):\n%s", len(warned), len(deleteTo), strings.Join(warned, "\n"))
	}
	if got := first.counter("outsidein_skipped_records_total"); got != 0 {
		t.Errorf("first run (new group, nothing deleted) counted %v skipped records, want 0", got)
	}
	second.shutdown(t)
	if t.Failed() {
		t.Logf("second run's log:\n%s", log2)
	}
}

// partitionOffsets returns per partition of topic its log start offset and,
// with group "", its end offset, else the group's committed offset (-1 if
// none).
func partitionOffsets(t *testing.T, addr, group, topic string) map[int][2]int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 10 * time.Second}
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil || len(md.Topics) != 1 || md.Topics[0].Error != nil {
		t.Fatalf("metadata of %s: %v %+v", topic, err, md)
	}
	var reqs []kafka.OffsetRequest
	var parts []int
	for _, p := range md.Topics[0].Partitions {
		reqs = append(reqs, kafka.FirstOffsetOf(p.ID), kafka.LastOffsetOf(p.ID))
		parts = append(parts, p.ID)
	}
	lo, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		t.Fatalf("list offsets of %s: %v", topic, err)
	}
	out := map[int][2]int64{}
	for _, po := range lo.Topics[topic] {
		if po.Error != nil {
			t.Fatalf("list offsets of %s/%d: %v", topic, po.Partition, po.Error)
		}
		out[po.Partition] = [2]int64{po.FirstOffset, po.LastOffset}
	}
	if group == "" {
		return out
	}
	of, err := c.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: parts}})
	if err != nil {
		t.Fatalf("offset fetch of %s: %v", group, err)
	}
	for p := range out {
		out[p] = [2]int64{out[p][0], -1}
	}
	for _, p := range of.Topics[topic] {
		if p.Error != nil {
			t.Fatalf("offset fetch of %s %s/%d: %v", group, topic, p.Partition, p.Error)
		}
		out[p.Partition] = [2]int64{out[p.Partition][0], p.CommittedOffset}
	}
	return out
}

// deleteRecords deletes the records of topic below to[partition], as
// retention does. kafka-go v0.4.51 has no DeleteRecords API, so the request
// (v1) is encoded with franz-go's kmsg and sent over a plain TCP connection;
// kfake implements DeleteRecords v0-2.
func deleteRecords(t *testing.T, addr, topic string, to map[int]int64) {
	t.Helper()
	req := kmsg.NewPtrDeleteRecordsRequest()
	req.Version = 1
	req.TimeoutMillis = 5000
	rt := kmsg.NewDeleteRecordsRequestTopic()
	rt.Topic = topic
	parts := make([]int, 0, len(to))
	for p := range to {
		parts = append(parts, p)
	}
	sort.Ints(parts)
	for _, p := range parts {
		rp := kmsg.NewDeleteRecordsRequestTopicPartition()
		rp.Partition, rp.Offset = int32(p), to[p]
		rt.Partitions = append(rt.Partitions, rp)
	}
	req.Topics = append(req.Topics, rt)

	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	const correlationID = 7
	if _, err := conn.Write(kmsg.NewRequestFormatter(kmsg.FormatterClientID("retention-test")).AppendRequest(nil, req, correlationID)); err != nil {
		t.Fatalf("sending DeleteRecords: %v", err)
	}
	var size [4]byte
	if _, err := io.ReadFull(conn, size[:]); err != nil {
		t.Fatalf("reading DeleteRecords response: %v", err)
	}
	body := make([]byte, binary.BigEndian.Uint32(size[:]))
	if _, err := io.ReadFull(conn, body); err != nil || len(body) < 4 {
		t.Fatalf("reading DeleteRecords response: %v", err)
	}
	if id := int32(binary.BigEndian.Uint32(body)); id != correlationID {
		t.Fatalf("DeleteRecords response has correlation id %d, want %d", id, correlationID)
	}
	resp := req.ResponseKind().(*kmsg.DeleteRecordsResponse)
	if err := resp.ReadFrom(body[4:]); err != nil {
		t.Fatalf("decoding DeleteRecords response: %v", err)
	}
	for _, rt := range resp.Topics {
		for _, rp := range rt.Partitions {
			if rp.ErrorCode != 0 || rp.LowWatermark != to[int(rp.Partition)] {
				t.Fatalf("DeleteRecords %s/%d: error code %d, low watermark %d, want 0 and %d", rt.Topic, rp.Partition, rp.ErrorCode, rp.LowWatermark, to[int(rp.Partition)])
			}
		}
	}
}

func grepLines(text string, words ...string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		for _, w := range words {
			if strings.Contains(line, w) {
				out = append(out, line)
				break
			}
		}
	}
	return out
}

func textLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
