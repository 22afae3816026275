// Package demo generates a realistic, varied stream of brand mentions from
// the bundled sample corpus, with an occasional burst of complaints for one
// brand, for `outsidein demo`, the compose stack's producer and benchmarks.
package demo

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/outsidein/outsidein/internal/config"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

//go:embed corpus.jsonl
var corpusJSONL []byte

//go:embed brands.json
var brandsJSON []byte

// Post is one sample post with the label its author gave it.
type Post struct {
	Brand     string `json:"brand"`
	Channel   string `json:"channel"`
	Author    string `json:"author"`
	Text      string `json:"text"`
	Motive    string `json:"motive"`
	Complaint bool   `json:"complaint"`
}

// Corpus returns the bundled sample posts.
func Corpus() ([]Post, error) {
	var posts []Post
	sc := bufio.NewScanner(bytes.NewReader(corpusJSONL))
	for n := 1; sc.Scan(); n++ {
		var p Post
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, fmt.Errorf("demo corpus line %d: %w", n, err)
		}
		posts = append(posts, p)
	}
	return posts, sc.Err()
}

// Config returns the demo's brand configuration: the corpus' brands, with an
// example of the motive mix a business might expect for some of them.
func Config() (config.File, error) {
	var f config.File
	if err := json.Unmarshal(brandsJSON, &f); err != nil {
		return f, fmt.Errorf("demo brands: %w", err)
	}
	return f, nil
}

// Options shape the generated stream.
type Options struct {
	// BurstEvery is the time between complaint bursts (0: no bursts).
	BurstEvery time.Duration
	// FirstBurst is when the first burst starts, after the generator's start.
	FirstBurst time.Duration
	// BurstLength is how long a burst lasts.
	BurstLength time.Duration
	// BurstShare is the share of posts during a burst that are the burst
	// brand's complaints (0: 0.5).
	BurstShare float64
	// ProtobufShare is the share of posts encoded as protobuf; the rest are
	// JSON (0: 0.2; negative: none).
	ProtobufShare float64
	Seed          uint64
}

// Generator yields posts. It is safe for concurrent use.
type Generator struct {
	mu         sync.Mutex
	opts       Options
	posts      []Post
	complaints map[string][]Post
	brands     []string
	rng        *rand.Rand
	start      time.Time
	seq        int
	now        func() time.Time
}

// NewGenerator returns a generator over the bundled corpus.
func NewGenerator(opts Options) (*Generator, error) {
	posts, err := Corpus()
	if err != nil {
		return nil, err
	}
	if opts.BurstShare <= 0 {
		opts.BurstShare = 0.5
	}
	if opts.ProtobufShare == 0 {
		opts.ProtobufShare = 0.2
	}
	if opts.BurstLength <= 0 {
		opts.BurstLength = 40 * time.Second
	}
	g := &Generator{opts: opts, posts: posts, complaints: map[string][]Post{},
		rng: rand.New(rand.NewPCG(opts.Seed, 0x5eed)), now: time.Now}
	for _, p := range posts {
		if p.Complaint {
			if len(g.complaints[p.Brand]) == 0 {
				g.brands = append(g.brands, p.Brand)
			}
			g.complaints[p.Brand] = append(g.complaints[p.Brand], p)
		}
	}
	g.start = g.now()
	return g, nil
}

// BurstBrand returns the brand whose complaints are bursting now, or "".
func (g *Generator) BurstBrand() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.burstBrand(g.now())
}

func (g *Generator) burstBrand(now time.Time) string {
	if g.opts.BurstEvery <= 0 || len(g.brands) == 0 {
		return ""
	}
	since := now.Sub(g.start) - g.opts.FirstBurst
	if since < 0 {
		return ""
	}
	n := int(since / g.opts.BurstEvery)
	if since-time.Duration(n)*g.opts.BurstEvery >= g.opts.BurstLength {
		return ""
	}
	return g.brands[n%len(g.brands)]
}

var digits = regexp.MustCompile(`\b\d{2,4}\b`)

var tails = []string{"", "", "", "", " !", "!!", " pls", " 🙏", " lol", " ...", " smh", " 👀"}

// Next returns the next post as a Kafka message (JSON or protobuf, with a
// content-type header), the post it came from, and its id.
func (g *Generator) Next() (kafka.Message, Post) {
	g.mu.Lock()
	now := g.now()
	var p Post
	if b := g.burstBrand(now); b != "" && g.rng.Float64() < g.opts.BurstShare {
		c := g.complaints[b]
		p = c[g.rng.IntN(len(c))]
	} else {
		p = g.posts[g.rng.IntN(len(g.posts))]
	}
	g.seq++
	id := "demo-" + strconv.FormatInt(now.UnixMilli(), 36) + "-" + strconv.Itoa(g.seq)
	text := p.Text
	if g.rng.Float64() < 0.3 {
		text = digits.ReplaceAllStringFunc(text, func(d string) string {
			return strconv.Itoa(g.rng.IntN(9*pow10(len(d)-1)) + pow10(len(d)-1))
		})
	}
	if !p.Complaint || g.rng.Float64() < 0.5 {
		text = strings.TrimRight(text, " ") + tails[g.rng.IntN(len(tails))]
	}
	m := &pb.Mention{
		Id:        id,
		Brand:     p.Brand,
		Channel:   p.Channel,
		Author:    p.Author,
		Text:      text,
		CreatedAt: timestamppb.New(now.Add(-time.Duration(g.rng.IntN(3000)) * time.Millisecond)),
	}
	// Some posts come without a brand field: outsidein finds it in the text.
	if g.rng.Float64() < 0.15 {
		m.Brand = ""
	}
	switch r := g.rng.Float64(); {
	case r < 0.25:
		m.CustomerTier = pb.ValueTier_VALUE_TIER_HIGH
	case r < 0.75:
		m.CustomerTier = pb.ValueTier_VALUE_TIER_LOW
	}
	asProto := g.rng.Float64() < g.opts.ProtobufShare
	g.mu.Unlock()

	var value []byte
	ct := "application/json"
	if asProto {
		value, _ = proto.Marshal(m)
		ct = "application/x-protobuf"
	} else {
		value, _ = protojson.MarshalOptions{UseProtoNames: true}.Marshal(m)
	}
	p.Text = text
	return kafka.Message{Key: []byte(id), Value: value, Headers: []kafka.Header{{Key: "content-type", Value: []byte(ct)}}}, p
}

func pow10(n int) int {
	r := 1
	for ; n > 0; n-- {
		r *= 10
	}
	return r
}
