package drivers_test

import (
	"fmt"
	"time"

	"github.com/outsidein/outsidein/internal/drivers"
)

func Example() {
	s := drivers.New(drivers.Config{})
	names := []string{"skyjet", "@skyjet", "@skyjethelp"}
	start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

	// An ordinary hour of complaints: delays, and some refunds.
	for i := range 120 {
		text := "Flight delayed again, no update at the gate @SkyJet"
		if i%4 == 0 {
			text = "Still waiting for my refund @skyjethelp {link}"
		}
		s.Observe(start.Add(time.Duration(i)*30*time.Second), "skyjet", names, text)
	}
	// Then bags go missing.
	s.Advance(start.Add(time.Hour))
	for i := range 8 {
		at := start.Add(time.Hour + time.Duration(i)*time.Minute)
		text := "@SkyJet my bag never showed up at baggage claim, 2 hours now"
		if i%2 == 1 {
			text = "Baggage claim chaos, lost bag again #skyjet"
		}
		s.Observe(at, "skyjet", names, text)
		s.Observe(at, "skyjet", names, "Flight delayed again, no update at the gate @SkyJet")
	}

	for _, d := range s.Drivers("skyjet", 5) {
		fmt.Printf("%-14s %2d posts  share %.2f  baseline %.2f  lift %.1f\n",
			d.Term, d.Count, d.Share, d.BaselineShare, d.Lift)
	}
	// Output:
	// bag             8 posts  share 0.40  baseline 0.00  lift 44.3
	// baggage claim   8 posts  share 0.40  baseline 0.00  lift 44.3
	// claim chaos     4 posts  share 0.20  baseline 0.00  lift 22.2
	// hours           4 posts  share 0.20  baseline 0.00  lift 22.2
	// lost bag        4 posts  share 0.20  baseline 0.00  lift 22.2
}
