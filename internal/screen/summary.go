package screen

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/outsidein/outsidein/internal/drivers"
	"github.com/outsidein/outsidein/internal/motive"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// Summary is the body of GET /api/v1/summary.
type Summary struct {
	GeneratedAt time.Time `json:"generated_at"`
	// Motives and Quadrants name the keys below, in display order.
	Motives   []string `json:"motives"`
	Quadrants []string `json:"quadrants"`
	// BucketSeconds is the width of a complaint bucket.
	BucketSeconds float64 `json:"bucket_seconds"`
	// MinPosts is the fewest posts a window needs for its shares and gaps
	// to be reliable.
	MinPosts int `json:"min_posts"`
	// Watermark is the event time up to which complaint buckets are closed
	// and judged; absent before the first post.
	Watermark *time.Time `json:"watermark,omitempty"`
	// Progress tells whether the screen has read the whole output topic yet;
	// absent without a source that reports it.
	Progress *Progress      `json:"progress,omitempty"`
	Brands   []BrandSummary `json:"brands"`
}

// BrandSummary is what the screen shows of one brand.
type BrandSummary struct {
	Brand string `json:"brand"`
	// Configured is true for brands from the configuration file.
	Configured bool `json:"configured"`
	// Windows holds the motive mix of the last 15 minutes ("15m") and 24
	// hours ("24h").
	Windows    map[string]Window `json:"windows"`
	Complaints Complaints        `json:"complaints"`
	Spike      Spike             `json:"spike"`
	// Expected is the declared motive mix; absent when not configured.
	Expected map[string]float64 `json:"expected,omitempty"`
	// Gap is the observed 24h share minus Expected, per motive; absent
	// without an expected mix or without posts. GapPosts is the number of
	// posts it rests on, and GapReliable whether that reaches MinPosts.
	Gap         map[string]Num `json:"gap,omitempty"`
	GapPosts    uint64         `json:"gap_posts,omitempty"`
	GapReliable bool           `json:"gap_reliable,omitempty"`
	// Quadrants counts the last 24 hours' posts from tiered customers.
	Quadrants map[string]uint64 `json:"quadrants"`
	// ComplaintDrivers are the words and phrases the brand's complaints of
	// the last few minutes share most beyond their usual share, best first
	// (empty when none stands out).
	ComplaintDrivers []Driver `json:"complaint_drivers"`
	// Trend is the brand's volume and complaints per quarter-hour over the
	// last 24 hours.
	Trend Trend `json:"trend"`
}

// Driver is a term a brand's recent complaints share more than usual.
type Driver struct {
	Term string `json:"term"`
	// Count is how many recent complaints carry it; Share their share of
	// the recent complaints.
	Count int `json:"count"`
	Share Num `json:"share"`
	// BaselineShare is its share of the brand's usual complaints (a
	// decaying baseline of the last hours); Lift is Share over it (0 for a
	// brand without a baseline yet, whose drivers are then its commonest
	// terms).
	BaselineShare Num `json:"baseline_share"`
	Lift          Num `json:"lift"`
}

func driversOf(ds []drivers.Driver) []Driver {
	out := make([]Driver, 0, len(ds))
	for _, d := range ds {
		out = append(out, Driver{Term: clip(d.Term, maxPostField), Count: d.Count, Share: Num(d.Share),
			BaselineShare: Num(d.BaselineShare), Lift: Num(d.Lift)})
	}
	return out
}

// Trend is a brand's posts and complaints per slot, oldest first.
type Trend struct {
	Start       *time.Time `json:"start,omitempty"`
	SlotSeconds float64    `json:"slot_seconds"`
	Posts       []uint64   `json:"posts"`
	Complaints  []uint64   `json:"complaints"`
}

// BrandDetail is the body of GET /api/v1/brands/{brand}: what the screen
// shows when a brand is picked.
type BrandDetail struct {
	Brand            string   `json:"brand"`
	ComplaintDrivers []Driver `json:"complaint_drivers"`
	// Latest are the brand's latest posts of each motive, newest first.
	Latest map[string][]Post `json:"latest"`
}

// Window is the motive mix of one window.
type Window struct {
	Posts      uint64            `json:"posts"`
	Complaints uint64            `json:"complaints"`
	Counts     map[string]uint64 `json:"counts"`
	// Shares are absent when the window holds no posts. Reliable is true
	// when the window holds at least MinPosts posts.
	Shares   map[string]Num `json:"shares,omitempty"`
	Reliable bool           `json:"reliable"`
}

// Complaints is the complaint series per closed bucket, oldest first.
type Complaints struct {
	// Counts are the complaints of each closed bucket (the last 60).
	Counts []uint64 `json:"counts"`
	// Thresholds are the spike thresholds that applied to each bucket, in
	// complaints per bucket (null while the baseline was still learned).
	Thresholds []Num `json:"thresholds"`
	// Start is when the first bucket of Counts began; absent without one.
	Start *time.Time `json:"start,omitempty"`
	// Current is the figure the tile and the spike banner both show: the
	// complaints of the bucket under way, or of the one before when it had
	// more.
	Current uint64 `json:"current"`
	// PerMinute, ThresholdPerMinute and CurrentPerMinute are the same
	// scaled to a minute (extrapolated when buckets are shorter: prefer the
	// counts at low volume).
	PerMinute          []Num `json:"per_minute"`
	ThresholdPerMinute []Num `json:"threshold_per_minute"`
	CurrentPerMinute   Num   `json:"current_per_minute"`
}

// Spike is a brand's spike state.
type Spike struct {
	Active bool `json:"active"`
	// Score is the z-score of the current figure against the baseline.
	Score Num `json:"score"`
	// Warm is false while the baseline is still being learned.
	Warm bool `json:"warm"`
	// Count is the current figure (Complaints.Current), Baseline the
	// baseline's median and Threshold the count that makes a spike, all in
	// complaints per bucket; the *PerMinute fields scale them to a minute.
	Count              uint64 `json:"count"`
	Baseline           Num    `json:"baseline"`
	Threshold          Num    `json:"threshold"`
	RatePerMinute      Num    `json:"rate_per_minute"`
	BaselinePerMinute  Num    `json:"baseline_per_minute"`
	ThresholdPerMinute Num    `json:"threshold_per_minute"`
	// Since is when the current spike was first seen; PeakCount,
	// PeakPerMinute and PeakScore are its highest bucket so far. All are
	// absent when no spike is up.
	Since         *time.Time `json:"since,omitempty"`
	PeakCount     uint64     `json:"peak_count,omitempty"`
	PeakPerMinute Num        `json:"peak_per_minute,omitempty"`
	PeakScore     Num        `json:"peak_score,omitempty"`
	// Posts are the latest complaints of the spike, newest first, each once.
	Posts []Post `json:"posts,omitempty"`
}

// Post is a classified post as the screen shows it (the live feed's event
// data and a spike's evidence). Its text is the poster's and untrusted.
type Post struct {
	ID         string    `json:"id,omitempty"`
	Brand      string    `json:"brand"`
	Channel    string    `json:"channel,omitempty"`
	Author     string    `json:"author,omitempty"`
	Text       string    `json:"text"`
	Motive     string    `json:"motive"`
	Complaint  bool      `json:"complaint"`
	Sentiment  Num       `json:"sentiment"`
	Confidence Num       `json:"confidence"`
	Tier       string    `json:"tier,omitempty"`
	At         time.Time `json:"at"`
}

// Num is a float rounded to 4 decimals in JSON; NaN and infinities encode
// as null.
type Num float64

// MarshalJSON implements json.Marshaler.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, math.Round(f*1e4)/1e4, 'f', -1, 64), nil
}

const (
	maxPostText  = 1000
	maxPostField = 120
)

// postOf converts a classified mention for display, bounding its fields.
func postOf(brandLabel string, m *pb.ClassifiedMention) Post {
	mn, c := m.GetMention(), m.GetClassification()
	p := Post{
		ID:         clip(mn.GetId(), maxPostField),
		Brand:      brandLabel,
		Channel:    clip(mn.GetChannel(), maxPostField),
		Author:     clip(mn.GetAuthor(), maxPostField),
		Text:       clip(mn.GetText(), maxPostText),
		Motive:     motive.FromProto(c.GetMotive()).String(),
		Complaint:  c.GetComplaint(),
		Sentiment:  Num(c.GetSentiment()),
		Confidence: Num(c.GetConfidence()),
	}
	switch mn.GetCustomerTier() {
	case pb.ValueTier_VALUE_TIER_HIGH:
		p.Tier = "high"
	case pb.ValueTier_VALUE_TIER_LOW:
		p.Tier = "low"
	}
	if t := m.GetProcessedAt(); t != nil {
		p.At = t.AsTime().UTC()
	}
	return p
}

// clip cuts s to at most n bytes on a rune boundary, marking the cut, and
// replaces invalid UTF-8.
func clip(s string, n int) string {
	if !utf8.ValidString(s) {
		s = string([]rune(s))
	}
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
