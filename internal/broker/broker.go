// Package broker runs an in-process Kafka-protocol broker (franz-go's kfake)
// for the demo, benchmarks and tests. Clients reach it over TCP like any
// Kafka cluster.
package broker

import (
	"fmt"
	"net"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Config configures an embedded broker.
type Config struct {
	// Addr is the listen address, e.g. "127.0.0.1:9092" ("": a free port on
	// the loopback interface).
	Addr string
	// Topics are created at start with Partitions partitions each.
	Topics     []string
	Partitions int32
	// DataDir, when set, keeps the log on disk: a broker restarted with the
	// same DataDir has the same topics, records and committed offsets.
	DataDir string
	// Extra are further kfake options (TLS, SASL users, ...).
	Extra []kfake.Opt
}

// Broker is a running embedded broker.
type Broker struct {
	c    *kfake.Cluster
	addr string
}

// Start starts the broker and creates the topics.
func Start(cfg Config) (*Broker, error) {
	addr := cfg.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	// Listen first, so a busy port is a clear error and port 0 works.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("embedded broker: listening on %s: %w", addr, err)
	}
	_, portStr, _ := net.SplitHostPort(ln.Addr().String())
	var port int
	fmt.Sscan(portStr, &port)
	used := false
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.Ports(port),
		kfake.ListenFn(func(network, _ string) (net.Listener, error) {
			if used {
				return net.Listen(network, ln.Addr().String())
			}
			used = true
			return ln, nil
		}),
	}
	if cfg.Partitions <= 0 {
		cfg.Partitions = 6
	}
	if len(cfg.Topics) > 0 {
		opts = append(opts, kfake.SeedTopics(cfg.Partitions, cfg.Topics...))
	}
	if cfg.DataDir != "" {
		opts = append(opts, kfake.DataDir(cfg.DataDir))
	}
	opts = append(opts, cfg.Extra...)
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		if !used {
			ln.Close()
		}
		return nil, fmt.Errorf("embedded broker: %w", err)
	}
	return &Broker{c: c, addr: c.ListenAddrs()[0]}, nil
}

// Addr is the broker's host:port.
func (b *Broker) Addr() string { return b.addr }

// Close stops the broker (and, with a DataDir, flushes its log to disk).
func (b *Broker) Close() { b.c.Close() }

// Control intercepts the requests with the given key (kmsg.Produce, ...; -1
// for all): fn returns handled=false to let the broker answer normally. See
// kfake.Cluster.ControlKey; fault tests use it to make a topic unavailable.
func (b *Broker) Control(key int16, fn func(kmsg.Request) (kmsg.Response, error, bool)) {
	b.c.ControlKey(key, func(r kmsg.Request) (kmsg.Response, error, bool) {
		b.c.KeepControl()
		return fn(r)
	})
}
