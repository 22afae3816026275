package brands

import (
	"fmt"
	"testing"
)

func TestResolve(t *testing.T) {
	c, err := NewCatalog([]Brand{
		{Name: "SkyJet", Handles: []string{"@SkyJetHelp"}, Hashtags: []string{"flyskyjet"}, Names: []string{"sky jet"}},
		{Name: "freshcart"},
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, brand, text, want string }{
		{"post brand wins", " Telnova ", "@skyjet hi", "telnova"},
		{"handle", "", "hey @skyjethelp my bag!", "skyjet"},
		{"brand name as handle", "", "@SKYJET thanks", "skyjet"},
		{"hashtag", "", "loving it #FlySkyJet", "skyjet"},
		{"name as words", "", "flew Sky Jet today", "skyjet"},
		{"name inside a word is not a match", "", "freshcarts everywhere", "unknown"},
		{"plain name", "", "ordered from freshcart again", "freshcart"},
		{"nothing", "", "what a day", "unknown"},
		{"unrelated handle", "", "@someone hello", "unknown"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Resolve(tc.brand, tc.text); got != tc.want {
				t.Fatalf("Resolve(%q,%q) = %q, want %q", tc.brand, tc.text, got, tc.want)
			}
		})
	}
}

func TestCatalogRejectsBadConfig(t *testing.T) {
	for name, bs := range map[string][]Brand{
		"empty name":     {{Name: " "}},
		"reserved":       {{Name: "other"}},
		"duplicate":      {{Name: "a"}, {Name: "A"}},
		"share above 1":  {{Name: "a", ExpectedMotives: map[string]float64{"service": 1.5}}},
		"shares not one": {{Name: "a", ExpectedMotives: map[string]float64{"service": 0.5, "community": 0.2}}},
		"unknown motive": {{Name: "a", ExpectedMotives: map[string]float64{"service": 0.5, "deals": 0.5}}},
		"capitalised":    {{Name: "a", ExpectedMotives: map[string]float64{"Service": 1}}},
		"unspecified":    {{Name: "a", ExpectedMotives: map[string]float64{"unspecified": 1}}},
	} {
		if _, err := NewCatalog(bs); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	all := map[string]float64{"discounts": 0.2, "information": 0.2, "community": 0.2, "service": 0.2, "none": 0.2}
	if _, err := NewCatalog([]Brand{{Name: "a", ExpectedMotives: all}}); err != nil {
		t.Errorf("the five motives refused: %v", err)
	}
}

func TestBounderCaps(t *testing.T) {
	b := NewBounder([]string{"skyjet"}, 3)
	got := map[string]int{}
	for i := 0; i < 50; i++ {
		got[b.Label(fmt.Sprintf("brand%d", i))]++
	}
	if len(got) != 4 || got[Other] != 47 {
		t.Fatalf("labels = %v, want 3 brands and 47 folded into other", got)
	}
	if b.Label("skyjet") != "skyjet" || b.Label("brand1") != "brand1" || b.Label(Unknown) != Unknown {
		t.Fatal("configured, admitted or unknown brand lost its label")
	}
}
