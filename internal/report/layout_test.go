package report

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestTimelineTicksNeverOverprint is issue 16 item 13: month labels
// overprinted on long timelines. Ticks are at least minTickGap apart for
// any window, from weeks to a century.
func TestTimelineTicksNeverOverprint(t *testing.T) {
	to := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, days := range []int{20, 180, 365, 1000, 3650, 36525} {
		s := layoutTimeline(&Timeline{From: to.AddDate(0, 0, -days), To: to})
		if days >= 60 && len(s.Ticks) < 2 {
			t.Errorf("%d days: %d ticks", days, len(s.Ticks))
		}
		for i := 1; i < len(s.Ticks); i++ {
			a, _ := strconv.ParseFloat(s.Ticks[i-1].X, 64)
			b, _ := strconv.ParseFloat(s.Ticks[i].X, 64)
			if b-a < minTickGap-1 {
				t.Errorf("%d days: ticks %q and %q only %.0f px apart", days, s.Ticks[i-1].Label, s.Ticks[i].Label, b-a)
			}
		}
	}
}

// TestPictureAtNaturalSize is issue 16 item 13: the picture was scaled
// down to the page width (7 px labels) and its legend left shapes and
// dotted edges unexplained.
func TestPictureAtNaturalSize(t *testing.T) {
	tmpl := htmlTemplate().Tree.Root.String()
	if !strings.Contains(tmpl, ".picture svg { display: block; max-width: none;") {
		t.Error("the picture is scaled to the page width")
	}
	for _, want := range []string{"dotted edge", "3-D box provider", "folder region", "diamond hosting not verified", "needs 1 of 2"} {
		if !strings.Contains(tmpl, want) {
			t.Errorf("the legend does not explain %q", want)
		}
	}
}
