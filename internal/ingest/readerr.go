package ingest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
)

// The reasons of outsidein_reader_errors_total: what the Kafka reader keeps
// reporting, in a small fixed set.
const (
	ReasonOffsetOutOfRange = "offset_out_of_range"
	ReasonUnknownTopic     = "unknown_topic"
	ReasonAuthorization    = "authorization"
	ReasonUnreachable      = "broker_unreachable"
	ReasonUnassigned       = "partitions_unassigned"
	ReasonOther            = "other"
)

// ReaderErrorReasons lists every reason, so that each series exists from the
// start.
var ReaderErrorReasons = []string{ReasonOffsetOutOfRange, ReasonUnknownTopic, ReasonAuthorization, ReasonUnreachable, ReasonUnassigned, ReasonOther}

// Offset reset policies: where a partition resumes when its position lies
// beyond its end (the topic was deleted and created again, or its log was
// truncated).
const (
	ResetEarliest = "earliest"
	ResetLatest   = "latest"
)

// The kafka-go (v0.4.51, reader.go) messages readerErrorLog recognises, with
// their arguments: partition (int), topic (string), then an error or an
// offset. TestKafkaFormats checks them against the kafka-go source in use.
const (
	// kafkaInitErrorFormat: a partition reader could not start; with
	// OffsetOutOfRange, its offset lies past the partition's end and it
	// retries every second, forever.
	kafkaInitErrorFormat = "error initializing the kafka reader for partition %d of %s: %s"
	// kafkaPastEndFormat: a running partition reader is past the end.
	kafkaPastEndFormat = "the kafka reader is reading passed the last offset for partition %d of %s at offset %d"
)

// readerIssue is a run of one kind of reader error, on one partition or on
// none.
type readerIssue struct {
	reason, detail string
	first, last    time.Time
}

type issueKey struct {
	reason string
	tp     topicPartition // zero when the error names no partition
}

// issues remembers the reader's recent errors, for /healthz.
type issues struct {
	mu sync.Mutex
	m  map[issueKey]*readerIssue
}

// note records an error at now.
func (s *issues) note(k issueKey, detail string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[issueKey]*readerIssue{}
	}
	i := s.m[k]
	if i == nil {
		i = &readerIssue{reason: k.reason, first: now}
		s.m[k] = i
	}
	i.last, i.detail = now, detail
}

// persistent describes the errors that have been reported for at least
// grace and again within the last grace ("" when none): a reader stuck on
// them consumes nothing of what they name. Older runs are forgotten.
func (s *issues) persistent(now time.Time, grace time.Duration) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k, i := range s.m {
		if now.Sub(i.last) > 2*grace {
			delete(s.m, k)
			continue
		}
		if now.Sub(i.last) <= grace && i.last.Sub(i.first) >= grace {
			where := ""
			if k.tp.topic != "" {
				where = fmt.Sprintf(" on %s[%d]", k.tp.topic, k.tp.partition)
			}
			out = append(out, fmt.Sprintf("%s%s for %v: %s", i.reason, where, i.last.Sub(i.first).Round(time.Second), i.detail))
		}
	}
	if len(out) == 0 {
		return ""
	}
	sort.Strings(out)
	return "the Kafka reader keeps failing: " + strings.Join(out, "; ")
}

// classifyReaderError maps what the reader reported to a reason.
func classifyReaderError(err error, text string) string {
	var kerr kafka.Error
	if errors.As(err, &kerr) {
		switch {
		case errors.Is(kerr, kafka.OffsetOutOfRange):
			return ReasonOffsetOutOfRange
		case errors.Is(kerr, kafka.UnknownTopicOrPartition), errors.Is(kerr, kafka.LeaderNotAvailable):
			return ReasonUnknownTopic
		case errors.Is(kerr, kafka.TopicAuthorizationFailed), errors.Is(kerr, kafka.GroupAuthorizationFailed),
			errors.Is(kerr, kafka.ClusterAuthorizationFailed), errors.Is(kerr, kafka.SASLAuthenticationFailed):
			return ReasonAuthorization
		}
	}
	t := strings.ToLower(text)
	switch {
	case strings.Contains(t, "offset out of range"), strings.Contains(t, "passed the last offset"):
		return ReasonOffsetOutOfRange
	case strings.Contains(t, "unknown topic"), strings.Contains(t, "leader not available"):
		return ReasonUnknownTopic
	case strings.Contains(t, "authoriz"), strings.Contains(t, "authentication"):
		return ReasonAuthorization
	case strings.Contains(t, "connection refused"), strings.Contains(t, "dial"), strings.Contains(t, "i/o timeout"),
		strings.Contains(t, "no such host"), strings.Contains(t, "connection reset"), strings.Contains(t, "eof"):
		return ReasonUnreachable
	}
	return ReasonOther
}

// readerErrorLog takes what kafka-go's reader of session id logs as errors:
// it counts each by reason and remembers it for /healthz, counts the
// records a running reader skipped (kafkaSkipFormat), and asks for a reset
// of a partition whose position lies past its end.
func (c *Consumer) readerErrorLog(session int64, msg string, args ...any) {
	text := fmt.Sprintf(msg, args...)
	if msg == kafkaSkipFormat && len(args) == 5 {
		// The from offset is a kafka-go type: from = to - count.
		partition, okP := args[0].(int)
		topic, okT := args[1].(string)
		to, okTo := args[3].(int64)
		n, okN := args[4].(int64)
		if okP && okT && okTo && okN && n > 0 {
			c.skippedRecords(topic, partition, to-n, to)
			return
		}
	}
	var tp topicPartition
	var err error
	if (msg == kafkaInitErrorFormat || msg == kafkaPastEndFormat) && len(args) == 3 {
		p, okP := args[0].(int)
		t, okT := args[1].(string)
		if okP && okT {
			tp = topicPartition{t, p}
		}
		err, _ = args[2].(error)
	}
	reason := classifyReaderError(err, text)
	if msg == kafkaPastEndFormat {
		reason = ReasonOffsetOutOfRange
	}
	c.noteReaderError(reason, tp, text)
	if reason == ReasonOffsetOutOfRange && tp.topic != "" && session == c.session.Load() {
		c.requestReset(tp)
		return
	}
	c.log.Warn("kafka reader", "msg", text)
}

// noteReaderError counts a reader error and remembers it for /healthz.
func (c *Consumer) noteReaderError(reason string, tp topicPartition, detail string) {
	c.metrics.readerErrors.WithLabelValues(reason).Inc()
	c.issues.note(issueKey{reason, tp}, detail, time.Now())
}

// requestReset asks the running session to reset tp's position by the
// offset-reset policy. The partition's offsets in flight are forgotten at
// once, so that none of them commits a position from before the reset.
func (c *Consumer) requestReset(tp topicPartition) {
	c.resetMu.Lock()
	defer c.resetMu.Unlock()
	if c.resets[tp] {
		return
	}
	c.resets[tp] = true
	c.resetAt = time.Now()
	c.track.forget(tp)
	select {
	case c.resetSignal <- struct{}{}:
	default:
	}
}

// requestRejoin asks the running session to end and a new reader to join the
// group, with no position to reset.
func (c *Consumer) requestRejoin() {
	select {
	case c.resetSignal <- struct{}{}:
	default:
	}
}

// checkAssignment asks the cluster whether the group, once stable, holds
// every partition of the input topics. It may not: when a topic was deleted
// and created again while the group rebalanced, kafka-go's group can settle
// with the topic's partitions assigned to nobody, and its partition watcher,
// started after the topic came back, sees no change and never rebalances.
// Unassigned partitions are counted as a reader error; when they stay so for
// ErrorGrace, this member rejoins the group, which assigns them again.
// since holds when they were first seen unassigned (zero: not now).
func (c *Consumer) checkAssignment(ctx context.Context, since *time.Time) {
	actx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	res, err := c.cfg.Client.DescribeGroups(actx, &kafka.DescribeGroupsRequest{GroupIDs: []string{c.cfg.GroupID}})
	if err != nil || len(res.Groups) != 1 || res.Groups[0].Error != nil || res.Groups[0].GroupState != "Stable" {
		return
	}
	assigned := map[topicPartition]bool{}
	for _, m := range res.Groups[0].Members {
		for _, t := range m.MemberAssignments.Topics {
			for _, p := range t.Partitions {
				assigned[topicPartition{t.Topic, p}] = true
			}
		}
	}
	meta, err := c.cfg.Client.Metadata(actx, &kafka.MetadataRequest{Topics: c.cfg.Topics})
	if err != nil {
		return
	}
	var missing []string
	for _, t := range meta.Topics {
		if t.Error != nil {
			continue
		}
		for _, p := range t.Partitions {
			if !assigned[topicPartition{t.Name, p.ID}] {
				missing = append(missing, fmt.Sprintf("%s[%d]", t.Name, p.ID))
			}
		}
	}
	if len(missing) == 0 {
		*since = time.Time{}
		return
	}
	now := time.Now()
	detail := "partitions assigned to no member of the group: " + strings.Join(missing, ", ")
	c.noteReaderError(ReasonUnassigned, topicPartition{}, detail)
	if since.IsZero() {
		*since = now
		return
	}
	if now.Sub(*since) >= c.cfg.ErrorGrace {
		c.log.Warn("rejoining the consumer group: it holds input partitions nobody consumes", "partitions", strings.Join(missing, ", "), "for", now.Sub(*since).Round(time.Second))
		*since = time.Time{}
		c.requestRejoin()
	}
}

// takeResets returns the partitions to reset and when the last was asked.
func (c *Consumer) takeResets() (map[topicPartition]bool, time.Time) {
	c.resetMu.Lock()
	defer c.resetMu.Unlock()
	r, at := c.resets, c.resetAt
	c.resets = map[topicPartition]bool{}
	return r, at
}

// applyResets commits, through reader (still a member of the group), each
// partition's new position by the policy: its first offset (earliest) or its
// end (latest, the records skipped counted). A member that joins next starts
// there.
func (c *Consumer) applyResets(ctx context.Context, reader *kafka.Reader, resets map[topicPartition]bool) {
	if c.cfg.Client == nil || len(resets) == 0 {
		return
	}
	req := &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{}}
	for tp := range resets {
		req.Topics[tp.topic] = append(req.Topics[tp.topic], kafka.FirstOffsetOf(tp.partition), kafka.LastOffsetOf(tp.partition))
	}
	lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := c.cfg.Client.ListOffsets(lctx, req)
	if err != nil {
		c.log.Warn("could not read the offsets to reset partitions; they are retried on the next error", "err", err)
		return
	}
	var commits []kafka.Message
	for topic, parts := range res.Topics {
		for _, p := range parts {
			tp := topicPartition{topic, p.Partition}
			if !resets[tp] || p.Error != nil {
				continue
			}
			to := p.FirstOffset
			if c.cfg.OffsetReset == ResetLatest {
				to = p.LastOffset
				if n := p.LastOffset - p.FirstOffset; n > 0 {
					c.metrics.skipped.WithLabelValues(topic).Add(float64(n))
				}
			}
			c.log.Warn("the group's position in a partition lies past its end (was the topic deleted and created again?); resetting it",
				"topic", topic, "partition", p.Partition, "policy", c.cfg.OffsetReset, "log_start", p.FirstOffset, "log_end", p.LastOffset,
				"resume_at", to, "skipped", to-p.FirstOffset)
			commits = append(commits, kafka.Message{Topic: topic, Partition: p.Partition, Offset: to - 1})
		}
	}
	if len(commits) == 0 {
		return
	}
	if err := reader.CommitMessages(ctx, commits...); err != nil {
		c.log.Warn("committing the reset positions failed; they are retried on the next error", "err", err)
	}
}
