package screen_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/app"
	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/demo"
	"github.com/outsidein/outsidein/internal/kafkatest"
	"github.com/outsidein/outsidein/internal/motive"
	"github.com/outsidein/outsidein/internal/screen"
)

// hostile is a post whose text would run script if it were rendered as HTML.
const hostile = `<img src=x onerror=alert(1)><script>window.pwned=1</script>`

// chromium returns the browser to drive: $OUTSIDEIN_CHROMIUM or chromium on
// the PATH. Without one the test skips, unless CI=true, where it fails.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("OUTSIDEIN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no chromium on the PATH (install it with `apt-get install -y chromium`, or set OUTSIDEIN_CHROMIUM)"
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatal(msg + "; CI is set, where the browser test must run")
	}
	t.Skip(msg + "; skipping the browser test (under CI=true this fails instead)")
	return ""
}

// artifactDir is where the screenshot goes: $OUTSIDEIN_ARTIFACTS, or a new
// folder under the system's temporary folder that outlives the test.
func artifactDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("OUTSIDEIN_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	d, err := os.MkdirTemp("", "outsidein-screen-")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// producer writes generated sample posts (no bursts) into the broker until
// stopped, about 40 a second.
func producer(t *testing.T, addr string) (stop func()) {
	gen, err := demo.NewGenerator(demo.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	w := &kafka.Writer{Addr: kafka.TCP(addr), Topic: "mentions", Balancer: &kafka.Hash{},
		BatchTimeout: time.Millisecond, RequiredAcks: kafka.RequireOne}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			msgs := make([]kafka.Message, 10)
			for i := range msgs {
				msgs[i], _ = gen.Next()
			}
			if err := w.WriteMessages(ctx, msgs...); err != nil && ctx.Err() == nil {
				t.Errorf("producing sample posts: %v", err)
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); wg.Wait(); w.Close() }
}

func jsonPost(t *testing.T, brand, text string) kafka.Message {
	v, err := json.Marshal(map[string]string{"brand": brand, "channel": "twitter", "text": text})
	if err != nil {
		t.Fatal(err)
	}
	return kafka.Message{Value: v, Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/json")}}}
}

// burst returns n posts of the demo's themed complaint burst for brand, and
// the theme's word.
func burst(t *testing.T, brand string, n int) ([]kafka.Message, string) {
	themes, err := demo.Themes()
	if err != nil {
		t.Fatal(err)
	}
	th, ok := themes[brand]
	if !ok {
		t.Fatalf("the demo has no burst theme for %s", brand)
	}
	texts := th.Texts
	msgs := make([]kafka.Message, n)
	for i := range msgs {
		msgs[i] = jsonPost(t, brand, texts[i%len(texts)])
	}
	return msgs, th.Word
}

// waitJS polls a JavaScript expression until it is true.
func waitJS(t *testing.T, ctx context.Context, what, expr string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("Boolean("+expr+")"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen did not show %s within %v (last error: %v)", what, timeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func get(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// TestScreenInBrowser runs the whole service on an embedded broker, opens
// the screen in headless Chromium and checks what a person would see.
func TestScreenInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test starts the service and Chromium; skipped in -short mode")
	}
	exe := chromium(t)
	b := kafkatest.Broker(t, broker.Config{})

	// Start the service with one-second complaint buckets, so that the
	// spike detector has a baseline after a few seconds; at least 10
	// complaints make a spike, so that a second in which the pipeline
	// catches up on a shared machine does not.
	p := config.Defaults(b.Addr(), kafkatest.FreeAddr(t))
	p.CommitInterval = 100 * time.Millisecond
	f, err := demo.Config()
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	appCtx, stopApp := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- app.Run(appCtx, p, f, app.Options{Registry: reg,
			Screen: screen.Options{Bucket: time.Second, Detector: screen.DetectorConfig{Warmup: 3, MinCount: 10}}})
	}()
	stopped := false
	shutdown := func() {
		if stopped {
			return
		}
		stopped = true
		stopApp()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run returned %v after cancellation, want nil", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("Run did not return within 30 s of cancellation (is a live feed stream holding the server?)")
		}
	}
	t.Cleanup(shutdown)
	base := "http://" + p.HTTPAddr
	kafkatest.WaitFor(t, 30*time.Second, "/healthz to answer 200", func() bool {
		res, err := http.Get(base + "/healthz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
	stopProducer := producer(t, b.Addr())
	defer stopProducer()

	// The browser, as the brief for CI runs it.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1920, 1080),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelTimeout()

	// Record dialogs (a hostile post's alert would open one) and the page's
	// errors: exceptions, CSP violations, failed requests.
	var mu sync.Mutex
	var dialogs, problems []string
	dialogEvents := chromedp.Events(ctx, page.JavascriptDialogOpening)
	console := chromedp.Console(ctx)
	go func() {
		for ev, err := range dialogEvents {
			if err != nil {
				return
			}
			mu.Lock()
			dialogs = append(dialogs, ev.Message)
			mu.Unlock()
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatalf("opening the screen: %v", err)
	}

	// Brands with motive bars, and a live feed that moves.
	waitJS(t, ctx, "three brand cards with motive bars",
		`document.querySelectorAll('#brands .card .bar span').length >= 15 && document.querySelectorAll('#brands .card').length >= 3`, 30*time.Second)
	waitJS(t, ctx, "a motive bar with a share",
		`[...document.querySelectorAll('#brands .card .bar span')].some(s => parseFloat(s.style.width) > 0)`, 30*time.Second)
	for _, m := range motive.Names() {
		waitJS(t, ctx, "the motive "+m+" in the bars", fmt.Sprintf(`document.querySelector('#brands .bar .m-%s') !== null`, m), 5*time.Second)
	}
	waitJS(t, ctx, "posts in the live feed", `document.querySelectorAll('#feed li.post').length > 0`, 30*time.Second)
	first := evalJS[string](t, ctx, `document.querySelector('#feed li.post').textContent`)
	waitJS(t, ctx, "the live feed moving", fmt.Sprintf(`document.querySelector('#feed li.post').textContent !== %q`, first), 20*time.Second)
	vol := evalJS[string](t, ctx, `document.querySelector('.card[data-brand="skyjet"] .vol').textContent`)
	waitJS(t, ctx, "skyjet's counts updating", fmt.Sprintf(`document.querySelector('.card[data-brand="skyjet"] .vol').textContent !== %q`, vol), 20*time.Second)
	waitJS(t, ctx, "the outside-in panel with expected shares and gaps",
		`document.querySelectorAll('#outside-in tbody tr').length >= 3 && document.querySelector('#outside-in .exp') !== null && document.querySelector('#outside-in .gap') !== null`, 20*time.Second)
	waitJS(t, ctx, "customer quadrants counted", `[...document.querySelectorAll('#quadrants .qn')].some(e => e.textContent !== '0')`, 20*time.Second)
	waitJS(t, ctx, "skyjet's complaint sparkline with its threshold",
		`document.querySelector('.card[data-brand="skyjet"] svg.spark polyline.threshold') !== null`, 20*time.Second)
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#spikes .spike').length`); n != 0 {
		t.Errorf("%d spike banners before any burst, want none: %s", n, evalJS[string](t, ctx, `document.getElementById('spikes').textContent`))
	}

	// Time axes under the sparklines, and a 24-hour trend on each tile.
	waitJS(t, ctx, "time axes under skyjet's sparkline and its 24-hour trend",
		`document.querySelectorAll('.card[data-brand="skyjet"] .axis time').length === 5 &&
			/^[0-9]{2}:[0-9]{2}:[0-9]{2}$/.test(document.querySelector('.card[data-brand="skyjet"] .trend .axis time').textContent) &&
			document.querySelector('.card[data-brand="skyjet"] svg.trend24 rect.vol') !== null`, 20*time.Second)

	// The demo's themed burst raises the spike banner with its posts and
	// names its theme as the top complaint driver, within a minute, in the
	// summary, the banner and the tile.
	msgs, word := burst(t, "skyjet", 150)
	kafkatest.Produce(t, b.Addr(), "mentions", msgs...)
	waitJS(t, ctx, "a spike banner for skyjet",
		`!document.getElementById('spikes').hidden && document.querySelector('#spikes .spike[data-brand="skyjet"] li') !== null`, 30*time.Second)
	// The banner and the tile show one figure: the complaints in the bucket.
	waitJS(t, ctx, "the banner's figure on skyjet's tile",
		`(() => { const s = document.querySelector('#spikes .spike[data-brand="skyjet"] .now');
			const c = document.querySelector('.card[data-brand="skyjet"] .rate b.now');
			return s !== null && c !== null && /^[0-9,]+ complaints? in the last /.test(s.textContent) &&
				s.textContent.startsWith(c.textContent + ' complaint'); })()`, 10*time.Second)
	if !strings.Contains(get(t, base+"/metrics"), `outsidein_complaint_spike{brand="skyjet"} 1`) {
		t.Error(`/metrics lacks outsidein_complaint_spike{brand="skyjet"} 1 while the banner shows`)
	}
	topDriver := func() string {
		var sum struct {
			Brands []screen.BrandSummary `json:"brands"`
		}
		if err := json.Unmarshal([]byte(get(t, base+"/api/v1/summary")), &sum); err != nil {
			t.Fatal(err)
		}
		for _, b := range sum.Brands {
			if b.Brand == "skyjet" && len(b.ComplaintDrivers) > 0 {
				return b.ComplaintDrivers[0].Term
			}
		}
		return ""
	}
	kafkatest.WaitFor(t, time.Minute, "the theme's word as skyjet's top complaint driver in /api/v1/summary", func() bool {
		return strings.Contains(topDriver(), word)
	})
	isFirst := fmt.Sprintf(`(sel => { const e = document.querySelector(sel); return e !== null && e.textContent.includes(%q); })`, word)
	waitJS(t, ctx, "the theme's word first among the drivers on the banner and the tile",
		isFirst+`('#spikes .spike[data-brand="skyjet"] .drivers em') && `+isFirst+`('.card[data-brand="skyjet"] .drivers em')`, 30*time.Second)
	if metrics := get(t, base+"/metrics"); strings.Contains(metrics, `"`+word+`"`) || strings.Contains(metrics, "="+`"`+word) {
		t.Errorf("the driver %q is a label value in /metrics", word)
	}

	// Clicking the tile shows only skyjet: the URL says so, the feed holds
	// only its posts, and the detail its drivers and latest posts by motive.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.card[data-brand="skyjet"] h3`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "skyjet picked: URL, detail with its drivers and latest posts, feed filtered",
		isFirst+`('#detail .drivers-table tbody th') && new URLSearchParams(location.search).get('brand') === 'skyjet' &&
			!document.getElementById('detail').hidden && document.querySelector('#detail details.latest li.post') !== null &&
			(() => { const b = [...document.querySelectorAll('#feed .post .brand')].map(e => e.textContent);
				return b.length > 0 && b.every(x => x === 'skyjet'); })()`, 20*time.Second)
	// An alert's link lands on the same view.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/?brand=skyjet")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the view of /?brand=skyjet",
		`document.getElementById('f-brand').value === 'skyjet' && !document.getElementById('detail').hidden &&
			document.querySelector('.card.selected[data-brand="skyjet"]') !== null`, 20*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#detail .close`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "every brand again after closing the detail",
		`document.getElementById('detail').hidden && location.search === '' && document.getElementById('f-brand').value === ''`, 10*time.Second)

	// A hostile post shows as text and runs nothing.
	kafkatest.Produce(t, b.Addr(), "mentions", jsonPost(t, "skyjet", hostile))
	waitJS(t, ctx, "the hostile post as text in the feed",
		fmt.Sprintf(`[...document.querySelectorAll('#feed .text')].some(e => e.textContent.includes(%q))`, hostile), 20*time.Second)
	if pwned := evalJS[bool](t, ctx, `typeof window.pwned !== 'undefined'`); pwned {
		t.Error("window.pwned is defined: the post's script ran")
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('img').length`); n != 0 {
		t.Errorf("%d img elements on the page, want none: the post's markup became elements", n)
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('script').length`); n != 1 {
		t.Errorf("%d script elements on the page, want only the screen's own", n)
	}

	shot := filepath.Join(artifactDir(t), "screen.png")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1920, 1080)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the screen: %s", shot)

	// Filters: one brand only.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('f-brand');
		s.value = 'bankly'; s.dispatchEvent(new Event('change')); })()`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "only bankly's posts after filtering by brand",
		`(() => { const b = [...document.querySelectorAll('#feed .post .brand')].map(e => e.textContent);
			return b.length > 3 && b.every(x => x === 'bankly'); })()`, 20*time.Second)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('f-motive');
		s.value = 'service'; s.dispatchEvent(new Event('change')); })()`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "only bankly's service posts after filtering by motive too",
		`(() => { const p = [...document.querySelectorAll('#feed .post')];
			return p.length > 0 && p.every(e => e.querySelector('.brand').textContent === 'bankly' && e.querySelector('.motive').textContent === 'service'); })()`, 20*time.Second)

	// Pause holds new posts back; resume shows them.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('f-brand'), m = document.getElementById('f-motive');
		s.value = ''; m.value = ''; m.dispatchEvent(new Event('change')); })()`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "posts of every brand again", `new Set([...document.querySelectorAll('#feed .post .brand')].map(e => e.textContent)).size > 2`, 20*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("pause"))); err != nil {
		t.Fatal(err)
	}
	top := evalJS[string](t, ctx, `document.querySelector('#feed li.post').textContent`)
	waitJS(t, ctx, "posts held while paused", `/^[1-9][0-9]* new$/.test(document.getElementById('held').textContent)`, 20*time.Second)
	if now := evalJS[string](t, ctx, `document.querySelector('#feed li.post').textContent`); now != top {
		t.Error("the feed moved while paused")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("pause"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the held posts after resuming", fmt.Sprintf(`document.getElementById('held').textContent === '' && document.querySelector('#feed li.post').textContent !== %q`, top), 10*time.Second)

	if !strings.Contains(get(t, base+"/metrics"), "outsidein_sse_clients 1") {
		t.Error("/metrics does not count the browser's live feed as outsidein_sse_clients 1")
	}
	mu.Lock()
	if len(dialogs) > 0 {
		t.Errorf("the page opened dialogs %q: something ran that should not", dialogs)
	}
	if len(problems) > 0 {
		t.Errorf("the page logged errors: %q", problems)
	}
	mu.Unlock()

	// Shutting down with the browser still streaming must be prompt and clean.
	stopProducer()
	shutdown()
}
