package store

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// t0 is the origin of the interval tests; h(n) is t0 + n hours.
var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func h(n float64) time.Time { return t0.Add(time.Duration(n * float64(time.Hour))) }

func iv(a, b float64) Interval { return Interval{h(a), h(b)} }

var mergeTests = []struct {
	name string
	in   []Interval
	want []Interval
}{
	{"nil", nil, nil},
	{"one", []Interval{iv(1, 2)}, []Interval{iv(1, 2)}},
	{"empty dropped", []Interval{iv(1, 1), iv(3, 2)}, nil},
	{"disjoint unsorted", []Interval{iv(5, 6), iv(1, 2)}, []Interval{iv(1, 2), iv(5, 6)}},
	{"overlap", []Interval{iv(1, 3), iv(2, 4)}, []Interval{iv(1, 4)}},
	{"touching joined", []Interval{iv(1, 2), iv(2, 3)}, []Interval{iv(1, 3)}},
	{"nested", []Interval{iv(1, 10), iv(2, 3), iv(4, 5)}, []Interval{iv(1, 10)}},
	{"duplicate", []Interval{iv(1, 2), iv(1, 2)}, []Interval{iv(1, 2)}},
	{"chain", []Interval{iv(4, 6), iv(1, 3), iv(2, 5), iv(8, 9)}, []Interval{iv(1, 6), iv(8, 9)}},
}

func TestMergeIntervals(t *testing.T) {
	for _, tt := range mergeTests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]Interval(nil), tt.in...)
			got := MergeIntervals(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("MergeIntervals(%v) (-want +got):\n%s", tt.in, diff)
			}
			if diff := cmp.Diff(in, tt.in); diff != "" {
				t.Errorf("MergeIntervals modified its input:\n%s", diff)
			}
		})
	}
}

var subtractTests = []struct {
	name string
	a, b []Interval
	want []Interval
}{
	{"nothing to remove", []Interval{iv(1, 5)}, nil, []Interval{iv(1, 5)}},
	{"all removed", []Interval{iv(1, 5)}, []Interval{iv(0, 6)}, nil},
	{"exact", []Interval{iv(1, 5)}, []Interval{iv(1, 5)}, nil},
	{"hole", []Interval{iv(1, 5)}, []Interval{iv(2, 3)}, []Interval{iv(1, 2), iv(3, 5)}},
	{"head", []Interval{iv(1, 5)}, []Interval{iv(0, 2)}, []Interval{iv(2, 5)}},
	{"tail", []Interval{iv(1, 5)}, []Interval{iv(4, 9)}, []Interval{iv(1, 4)}},
	{"two holes", []Interval{iv(0, 10)}, []Interval{iv(2, 3), iv(5, 6)}, []Interval{iv(0, 2), iv(3, 5), iv(6, 10)}},
	{"b spans two a", []Interval{iv(0, 2), iv(3, 5)}, []Interval{iv(1, 4)}, []Interval{iv(0, 1), iv(4, 5)}},
	{"disjoint", []Interval{iv(0, 1)}, []Interval{iv(2, 3)}, []Interval{iv(0, 1)}},
	{"a overlapping itself", []Interval{iv(0, 4), iv(2, 6)}, []Interval{iv(3, 4)}, []Interval{iv(0, 3), iv(4, 6)}},
}

func TestSubtractIntervals(t *testing.T) {
	for _, tt := range subtractTests {
		t.Run(tt.name, func(t *testing.T) {
			got := SubtractIntervals(tt.a, tt.b)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("SubtractIntervals(%v, %v) (-want +got):\n%s", tt.a, tt.b, diff)
			}
		})
	}
}

var clipTests = []struct {
	name     string
	in       []Interval
	from, to float64
	want     []Interval
}{
	{"inside", []Interval{iv(2, 3)}, 0, 10, []Interval{iv(2, 3)}},
	{"straddles start", []Interval{iv(-5, 3)}, 0, 10, []Interval{iv(0, 3)}},
	{"straddles end", []Interval{iv(8, 30)}, 0, 10, []Interval{iv(8, 10)}},
	{"covers window", []Interval{iv(-1, 11)}, 0, 10, []Interval{iv(0, 10)}},
	{"before", []Interval{iv(-3, -1)}, 0, 10, nil},
	{"after", []Interval{iv(11, 12)}, 0, 10, nil},
	{"ends at window start", []Interval{iv(-3, 0)}, 0, 10, nil},
}

func TestClipIntervals(t *testing.T) {
	for _, tt := range clipTests {
		t.Run(tt.name, func(t *testing.T) {
			got := ClipIntervals(tt.in, h(tt.from), h(tt.to))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ClipIntervals (-want +got):\n%s", diff)
			}
		})
	}
}

var outageTests = []struct {
	name         string
	major, minor []Interval
	from, to     float64
	weight       float64
	wantMajor    float64 // hours
	wantMinor    float64 // hours
	wantUnavail  float64
}{
	{"nothing", nil, nil, 0, 100, 0.5, 0, 0, 0},
	{"one major", []Interval{iv(10, 20)}, nil, 0, 100, 0.5, 10, 0, 0.1},
	{"overlapping majors count once", []Interval{iv(10, 20), iv(15, 25)}, nil, 0, 100, 0.5, 15, 0, 0.15},
	{"minor weighted", nil, []Interval{iv(0, 20)}, 0, 100, 0.5, 0, 20, 0.1},
	{"minor under major counts as major", []Interval{iv(10, 20)}, []Interval{iv(5, 25)}, 0, 100, 0.5, 10, 10, 0.15},
	{"minor wholly inside major", []Interval{iv(0, 50)}, []Interval{iv(10, 20)}, 0, 100, 1, 50, 0, 0.5},
	{"clipped to window", []Interval{iv(-10, 10)}, []Interval{iv(90, 200)}, 0, 100, 0.5, 10, 10, 0.15},
	{"weight zero ignores minor", nil, []Interval{iv(0, 50)}, 0, 100, 0, 0, 50, 0},
	{"empty window", []Interval{iv(0, 5)}, nil, 10, 10, 0.5, 0, 0, 0},
	{"capped at one", []Interval{iv(0, 100)}, nil, 0, 100, 0.5, 100, 0, 1},
}

func TestOutageIn(t *testing.T) {
	for _, tt := range outageTests {
		t.Run(tt.name, func(t *testing.T) {
			o := OutageIn(tt.major, tt.minor, h(tt.from), h(tt.to))
			if got := o.Major.Hours(); got != tt.wantMajor {
				t.Errorf("major got:%v want:%v", got, tt.wantMajor)
			}
			if got := o.Minor.Hours(); got != tt.wantMinor {
				t.Errorf("minor got:%v want:%v", got, tt.wantMinor)
			}
			if got := o.Unavailability(h(tt.to).Sub(h(tt.from)), tt.weight); !near(got, tt.wantUnavail) {
				t.Errorf("unavailability got:%v want:%v", got, tt.wantUnavail)
			}
		})
	}
}

func near(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }

// TestOutageInBruteForce checks OutageIn against a minute-by-minute count on
// random intervals (fixed seed).
func TestOutageInBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	const span = 600 // minutes
	randIvs := func() []Interval {
		var out []Interval
		for range r.IntN(6) {
			a := r.IntN(span+100) - 50
			out = append(out, Interval{t0.Add(time.Duration(a) * time.Minute), t0.Add(time.Duration(a+r.IntN(120)) * time.Minute)})
		}
		return out
	}
	covered := func(ivs []Interval, m time.Time) bool {
		for _, iv := range ivs {
			if !m.Before(iv.Start) && m.Before(iv.End) {
				return true
			}
		}
		return false
	}
	for i := range 300 {
		major, minor := randIvs(), randIvs()
		from, to := t0, t0.Add(span*time.Minute)
		var wantMajor, wantMinor time.Duration
		for m := from; m.Before(to); m = m.Add(time.Minute) {
			switch {
			case covered(major, m):
				wantMajor += time.Minute
			case covered(minor, m):
				wantMinor += time.Minute
			}
		}
		got := OutageIn(major, minor, from, to)
		if got.Major != wantMajor || got.Minor != wantMinor {
			t.Fatalf("case %d: major=%v minor=%v: got %+v, want major %v minor %v", i, major, minor, got, wantMajor, wantMinor)
		}
	}
}
