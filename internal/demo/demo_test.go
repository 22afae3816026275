package demo

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/outsidein/outsidein/internal/brands"
	"github.com/outsidein/outsidein/internal/wire"
)

func TestCorpusCoversBrandsAndMotives(t *testing.T) {
	posts, err := Corpus()
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) < 300 {
		t.Fatalf("corpus has %d posts, want several hundred", len(posts))
	}
	perBrand := map[string]map[string]int{}
	for _, p := range posts {
		if perBrand[p.Brand] == nil {
			perBrand[p.Brand] = map[string]int{}
		}
		perBrand[p.Brand][p.Motive]++
		if p.Complaint {
			perBrand[p.Brand]["complaint"]++
		}
	}
	if len(perBrand) < 6 {
		t.Fatalf("corpus covers %d brands, want at least 6", len(perBrand))
	}
	for b, m := range perBrand {
		for _, motive := range []string{"discounts", "information", "community", "service", "none", "complaint"} {
			if m[motive] == 0 {
				t.Errorf("brand %s has no %s posts", b, motive)
			}
		}
	}
	cfg, err := Config()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := brands.NewCatalog(cfg.Brands)
	if err != nil {
		t.Fatalf("demo brand configuration: %v", err)
	}
	if len(cat.Brands()) != len(perBrand) {
		t.Errorf("configuration names %d brands, corpus %d", len(cat.Brands()), len(perBrand))
	}
}

func TestGeneratorVariesAndBursts(t *testing.T) {
	g, err := NewGenerator(Options{BurstEvery: time.Minute, FirstBurst: 10 * time.Second, BurstLength: 20 * time.Second, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	clock := g.start
	g.now = func() time.Time { return clock }

	ids := map[string]bool{}
	formats := map[string]int{}
	for i := 0; i < 500; i++ {
		m, _ := g.Next()
		ct := string(m.Headers[0].Value)
		formats[ct]++
		mention, err := wire.Decode(ct, m.Value, wire.Limits{})
		if err != nil {
			t.Fatalf("generated post does not decode: %v", err)
		}
		if ids[mention.GetId()] {
			t.Fatalf("duplicate id %s", mention.GetId())
		}
		ids[mention.GetId()] = true
	}
	if formats["application/json"] == 0 || formats["application/x-protobuf"] == 0 {
		t.Errorf("formats = %v, want both", formats)
	}
	if b := g.BurstBrand(); b != "" {
		t.Fatalf("burst %q before FirstBurst", b)
	}
	clock = clock.Add(15 * time.Second)
	burst := g.BurstBrand()
	if burst == "" {
		t.Fatal("no burst inside the first burst window")
	}
	complaints := 0
	for i := 0; i < 400; i++ {
		if _, p := g.Next(); p.Brand == burst && p.Complaint {
			complaints++
		}
	}
	if complaints < 150 {
		t.Errorf("burst brand %s got %d complaints of 400 posts, want about half", burst, complaints)
	}
	clock = clock.Add(20 * time.Second)
	if b := g.BurstBrand(); b != "" {
		t.Errorf("burst %q after BurstLength", b)
	}
	clock = clock.Add(40 * time.Second)
	if b := g.BurstBrand(); b == "" || b == burst {
		t.Errorf("second burst brand = %q, want another brand than %q", b, burst)
	}
}

// Every brand's burst has a theme whose word is in every one of its posts,
// and the burst's posts are its theme's.
func TestBurstsHaveAThemeWord(t *testing.T) {
	themes, err := Themes()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Config()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range cfg.Brands {
		th, ok := themes[b.Name]
		if !ok || th.Word == "" || len(th.Texts) < 5 {
			t.Errorf("brand %s: theme %+v, want a word and at least 5 texts", b.Name, th)
			continue
		}
		for _, text := range th.Texts {
			if !strings.Contains(strings.ToLower(text), th.Word) {
				t.Errorf("brand %s: theme post %q lacks its word %q", b.Name, text, th.Word)
			}
		}
	}

	g, err := NewGenerator(Options{BurstEvery: time.Minute, BurstLength: 20 * time.Second, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	clock := g.start.Add(time.Second)
	g.now = func() time.Time { return clock }
	brand, th := g.Burst()
	if brand == "" || th.Brand != brand {
		t.Fatalf("burst %q with theme %+v", brand, th)
	}
	withWord, complaints := 0, 0
	for i := 0; i < 400; i++ {
		if _, p := g.Next(); p.Brand == brand && p.Complaint {
			complaints++
			if strings.Contains(strings.ToLower(p.Text), th.Word) {
				withWord++
			}
		}
	}
	if withWord < complaints*8/10 {
		t.Errorf("%d of %s's %d burst complaints name %q, want most", withWord, brand, complaints, th.Word)
	}
}

// Generated posts carry links as their channel shows them, never the
// corpus' {link} placeholder.
func TestPostsHaveRealLinks(t *testing.T) {
	g, err := NewGenerator(Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`https://(t\.co/[A-Za-z0-9]{10}|bit\.ly/[A-Za-z0-9]{7})\b`)
	links := 0
	for i := 0; i < 3000; i++ {
		_, p := g.Next()
		if strings.Contains(p.Text, "{link}") {
			t.Fatalf("post with a placeholder: %q", p.Text)
		}
		if link.MatchString(p.Text) {
			links++
		}
	}
	if links < 30 {
		t.Errorf("%d of 3000 posts have a link, want the corpus' share (about 4%%)", links)
	}
}
