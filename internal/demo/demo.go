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

//go:embed themes.json
var themesJSON []byte

// Theme is what one brand's complaint burst is about: its posts share a
// word (the driver an operator should see) and otherwise vary.
type Theme struct {
	Brand string   `json:"brand"`
	Name  string   `json:"name"`
	Word  string   `json:"word"`
	Texts []string `json:"texts"`
}

// Themes returns the bundled burst themes, one per brand.
func Themes() (map[string]Theme, error) {
	var f struct {
		Themes []Theme `json:"themes"`
	}
	if err := json.Unmarshal(themesJSON, &f); err != nil {
		return nil, fmt.Errorf("demo themes: %w", err)
	}
	out := map[string]Theme{}
	for _, t := range f.Themes {
		out[t.Brand] = t
	}
	return out, nil
}

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
	themes     map[string]Theme
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
	themes, err := Themes()
	if err != nil {
		return nil, err
	}
	g := &Generator{opts: opts, posts: posts, complaints: map[string][]Post{}, themes: themes,
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

// Burst returns the brand whose complaints are bursting now and what about,
// or "" and a zero Theme.
func (g *Generator) Burst() (string, Theme) {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := g.burstBrand(g.now())
	return b, g.themes[b]
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
		if th, ok := g.themes[b]; ok && len(th.Texts) > 0 {
			p = Post{Brand: b, Channel: "twitter", Author: g.posts[g.rng.IntN(len(g.posts))].Author,
				Text: th.Texts[g.rng.IntN(len(th.Texts))], Motive: "service", Complaint: true}
		} else {
			c := g.complaints[b]
			p = c[g.rng.IntN(len(c))]
		}
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
	for strings.Contains(text, linkPlaceholder) {
		text = strings.Replace(text, linkPlaceholder, g.link(p), 1)
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

// linkPlaceholder marks where a corpus post had a link.
const linkPlaceholder = "{link}"

const linkChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// link returns a link as the post's channel would show one: tweets carry
// t.co short links, other channels a bit.ly one. Call with g.mu held.
func (g *Generator) link(p Post) string {
	host, n := "https://bit.ly/", 7
	if p.Channel == "twitter" || p.Channel == "" {
		host, n = "https://t.co/", 10
	}
	b := []byte(host)
	for i := 0; i < n; i++ {
		b = append(b, linkChars[g.rng.IntN(len(linkChars))])
	}
	return string(b)
}

func pow10(n int) int {
	r := 1
	for ; n > 0; n-- {
		r *= 10
	}
	return r
}
