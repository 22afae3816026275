// Package brands knows the brands a deployment listens for: it finds the brand
// a post is about when the post does not say, and keeps the set of brand
// label values bounded.
package brands

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/outsidein/outsidein/internal/motive"
)

// Unknown is the brand of a post that names none of the configured brands.
const Unknown = "unknown"

// Other is the label value that brands beyond the cap fold into.
const Other = "other"

// Brand is one configured brand.
type Brand struct {
	Name     string   `json:"name"`
	Handles  []string `json:"handles,omitempty"`  // without or with the leading @
	Hashtags []string `json:"hashtags,omitempty"` // without or with the leading #
	Names    []string `json:"names,omitempty"`    // plain names matched as whole words
	// ExpectedMotives is the motive mix the business believes its customers
	// come for (shares by motive, summing to about 1). Empty when not declared.
	ExpectedMotives map[string]float64 `json:"expected_motives,omitempty"`
}

// Catalog matches posts to configured brands. It is safe for concurrent use.
type Catalog struct {
	brands   []Brand
	handles  map[string]string
	hashtags map[string]string
	names    []nameRule
}

type nameRule struct{ name, brand string }

// NewCatalog validates the configured brands and indexes them.
func NewCatalog(bs []Brand) (*Catalog, error) {
	c := &Catalog{handles: map[string]string{}, hashtags: map[string]string{}}
	seen := map[string]bool{}
	for _, b := range bs {
		name := Normalize(b.Name)
		if name == "" || name == Unknown || name == Other {
			return nil, fmt.Errorf("brand name %q: empty or reserved", b.Name)
		}
		if seen[name] {
			return nil, fmt.Errorf("brand %q configured twice", name)
		}
		seen[name] = true
		sum := 0.0
		for m, share := range b.ExpectedMotives {
			if _, err := motive.Parse(m); err != nil {
				return nil, fmt.Errorf("brand %q: expected_motives: %w", name, err)
			}
			if share < 0 || share > 1 {
				return nil, fmt.Errorf("brand %q: expected share of %q is %v, want 0..1", name, m, share)
			}
			sum += share
		}
		if len(b.ExpectedMotives) > 0 && (sum < 0.98 || sum > 1.02) {
			return nil, fmt.Errorf("brand %q: expected motive shares sum to %.3f, want 1", name, sum)
		}
		b.Name = name
		c.brands = append(c.brands, b)
		c.handles[name] = name
		c.hashtags[name] = name
		for _, h := range b.Handles {
			c.handles[strings.ToLower(strings.TrimPrefix(h, "@"))] = name
		}
		for _, h := range b.Hashtags {
			c.hashtags[strings.ToLower(strings.TrimPrefix(h, "#"))] = name
		}
		for _, n := range append([]string{name}, b.Names...) {
			if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
				c.names = append(c.names, nameRule{n, name})
			}
		}
	}
	// Longer names first, so "sky jet airways" wins over "sky jet".
	sort.SliceStable(c.names, func(i, j int) bool { return len(c.names[i].name) > len(c.names[j].name) })
	return c, nil
}

// Brands returns the configured brands, names normalised.
func (c *Catalog) Brands() []Brand { return c.brands }

// Normalize lowercases and trims a brand name from a post or configuration.
func Normalize(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Resolve returns the brand of a post: its own brand field when set,
// otherwise the first configured brand its text mentions by handle, hashtag
// or name, otherwise Unknown.
func (c *Catalog) Resolve(brand, text string) string {
	if b := Normalize(brand); b != "" {
		return b
	}
	if b := c.match(text); b != "" {
		return b
	}
	return Unknown
}

func (c *Catalog) match(text string) string {
	if len(c.brands) == 0 {
		return ""
	}
	for i := 0; i < len(text); i++ {
		if text[i] != '@' && text[i] != '#' {
			continue
		}
		j := i + 1
		for j < len(text) && isWordByte(text[j]) {
			j++
		}
		word := strings.ToLower(text[i+1 : j])
		table := c.handles
		if text[i] == '#' {
			table = c.hashtags
		}
		if b, ok := table[word]; ok {
			return b
		}
		i = j - 1
	}
	lower := strings.ToLower(text)
	for _, r := range c.names {
		if containsWord(lower, r.name) {
			return r.brand
		}
	}
	return ""
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func containsWord(s, w string) bool {
	for from := 0; ; {
		i := strings.Index(s[from:], w)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(w)
		before := i == 0 || !isWordRune(rune(s[i-1]))
		after := end == len(s) || !isWordRune(rune(s[end]))
		if before && after {
			return true
		}
		from = i + 1
	}
}

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// Bounder keeps brand label values to the configured brands plus the first
// Cap others seen; the rest fold into Other. It is safe for concurrent use.
type Bounder struct {
	mu    sync.RWMutex
	known map[string]bool
	extra int
	cap   int
}

// NewBounder returns a Bounder for the given configured brand names that
// admits up to cap further brands.
func NewBounder(configured []string, cap int) *Bounder {
	b := &Bounder{known: map[string]bool{Unknown: true, Other: true}, cap: cap}
	for _, n := range configured {
		b.known[n] = true
	}
	return b
}

// Label returns the label value for brand: brand itself when configured or
// among the first cap seen, Other otherwise.
func (b *Bounder) Label(brand string) string {
	b.mu.RLock()
	ok := b.known[brand]
	full := b.extra >= b.cap
	b.mu.RUnlock()
	if ok {
		return brand
	}
	if full {
		return Other
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.known[brand] {
		return brand
	}
	if b.extra >= b.cap {
		return Other
	}
	b.known[brand] = true
	b.extra++
	return brand
}
