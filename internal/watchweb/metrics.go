package watchweb

import (
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/depgraph/depgraph/internal/watch"
)

// Metric descriptions. The names are the contract with dashboards and
// alert rules: doc.go lists them.
var (
	descNodeImpairment = prometheus.NewDesc("depgraph_node_impairment",
		"Impairment of the node (0 to 1) that the blast-radius propagation of every report gives it, as of the last cycle.",
		[]string{"node"}, nil)
	descNodeReported = prometheus.NewDesc("depgraph_node_reported_impairment",
		"Impairment (0 to 1) the node's own status feed reports, as of the last cycle.",
		[]string{"node"}, nil)
	descNodeUnknown = prometheus.NewDesc("depgraph_node_unknown",
		"1 when the node's state is unknown because its feed could not be read in the last cycle, else 0.",
		[]string{"node"}, nil)
	descFeedUp = prometheus.NewDesc("depgraph_feed_up",
		"1 when the feed could be read in the last cycle, else 0.",
		[]string{"feed"}, nil)
	descFeedLastSuccess = prometheus.NewDesc("depgraph_feed_last_success_timestamp_seconds",
		"Unix time of the feed's last successful read (absent for a feed never read).",
		[]string{"feed"}, nil)
	descFeedErrors = prometheus.NewDesc("depgraph_feed_errors_total",
		"Cycles in which the feed could not be read, since the watch state in the store began.",
		[]string{"feed"}, nil)
	descOpen = prometheus.NewDesc("depgraph_situations_open",
		"Open situations (one per upstream root) as of the last cycle.", nil, nil)
	descPending = prometheus.NewDesc("depgraph_situations_pending",
		"Groups of trouble held back by the hysteresis, not yet alerted, as of the last cycle.", nil, nil)
	descCycles = prometheus.NewDesc("depgraph_watch_cycles_total",
		"Cycles the watch has completed, since the watch state in the store began.", nil, nil)
	descLastCycle = prometheus.NewDesc("depgraph_watch_last_cycle_timestamp_seconds",
		"Unix time of the last completed cycle (absent before the first).", nil, nil)
	descInterval = prometheus.NewDesc("depgraph_watch_interval_seconds",
		"Time between cycles (absent when unknown).", nil, nil)
	descEvents = prometheus.NewDesc("depgraph_events_total",
		"Events emitted since this server started, by kind (opened, updated, resolved, blind).",
		[]string{"event"}, nil)
)

// eventKinds are the kinds depgraph_events_total always has, at 0 until
// the first one, so that rate() works from the start.
var eventKinds = []string{watch.Opened, watch.Updated, watch.Resolved, watch.Blind}

// collector is the prometheus.Collector of the watch's metrics. It
// exports the last snapshot as constant metrics, computed when scraped,
// so a scrape sees one snapshot whole (never a vector half reset) and a
// node or feed that left the snapshot leaves the metrics with it.
//
// The counters are counters: depgraph_feed_errors_total and
// depgraph_watch_cycles_total carry the engine's own counts, which
// only grow (the state in the store keeps them across restarts);
// depgraph_events_total counts the events that appear in a snapshot and
// were not in the one before (Snapshot.Events holds only the recent
// ones), those of the first snapshot only from the server's start on (a
// state restored from the store brings back events emitted before).
type collector struct {
	start time.Time

	mu       sync.Mutex
	snap     *watch.Snapshot
	at       time.Time // the last cycle's time
	interval time.Duration
	seen     map[string]int // the events of snap, by their JSON form
	events   map[string]float64
}

func newCollector(start time.Time) *collector {
	c := &collector{start: start, events: map[string]float64{}}
	for _, k := range eventKinds {
		c.events[k] = 0
	}
	return c
}

// update makes snap (a private copy), completed at at, the one exported
// and counts its new events.
func (c *collector) update(snap *watch.Snapshot, at time.Time, interval time.Duration) {
	seen := make(map[string]int, len(snap.Events))
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range snap.Events {
		b, _ := json.Marshal(e) // plain data, floats made finite: cannot fail
		k := string(b)
		seen[k]++
		if c.snap == nil && e.At.Before(c.start) {
			continue
		}
		if seen[k] > c.seen[k] {
			c.events[e.Event]++
		}
	}
	c.snap, c.seen, c.at, c.interval = snap, seen, at, interval
}

// Describe sends every description.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descNodeImpairment, descNodeReported, descNodeUnknown,
		descFeedUp, descFeedLastSuccess, descFeedErrors, descOpen, descPending,
		descCycles, descLastCycle, descInterval, descEvents} {
		ch <- d
	}
}

// Collect sends the metrics of the last snapshot.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	send := func(d *prometheus.Desc, t prometheus.ValueType, v float64, labels ...string) {
		for i, l := range labels {
			labels[i] = strings.ToValidUTF8(l, "\uFFFD")
		}
		m, err := prometheus.NewConstMetric(d, t, v, labels...)
		if err != nil {
			m = prometheus.NewInvalidMetric(d, err)
		}
		ch <- m
	}
	for k, n := range c.events {
		send(descEvents, prometheus.CounterValue, n, k)
	}
	s := c.snap
	if s == nil {
		send(descCycles, prometheus.CounterValue, 0)
		return
	}
	send(descCycles, prometheus.CounterValue, float64(s.Cycle))
	send(descLastCycle, prometheus.GaugeValue, unixSeconds(c.at))
	if c.interval > 0 {
		send(descInterval, prometheus.GaugeValue, c.interval.Seconds())
	}
	send(descOpen, prometheus.GaugeValue, float64(len(s.Open)))
	send(descPending, prometheus.GaugeValue, float64(len(s.Pending)))

	// A repeated node or feed (an engine bug) would make the scrape
	// fail: the first one counts.
	nodes := map[string]bool{}
	for _, n := range s.Nodes {
		if nodes[n.Node] {
			continue
		}
		nodes[n.Node] = true
		send(descNodeImpairment, prometheus.GaugeValue, n.Impairment, n.Node)
		send(descNodeReported, prometheus.GaugeValue, n.Reported, n.Node)
		send(descNodeUnknown, prometheus.GaugeValue, boolValue(n.Unknown), n.Node)
	}
	feeds := map[string]bool{}
	for _, f := range s.Feeds {
		if feeds[f.Key] {
			continue
		}
		feeds[f.Key] = true
		send(descFeedUp, prometheus.GaugeValue, boolValue(f.Read), f.Key)
		send(descFeedErrors, prometheus.CounterValue, float64(f.Errors), f.Key)
		if f.LastSuccess != nil && !f.LastSuccess.IsZero() {
			send(descFeedLastSuccess, prometheus.GaugeValue, unixSeconds(*f.LastSuccess), f.Key)
		}
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func unixSeconds(t time.Time) float64 { return float64(t.Unix()) + float64(t.Nanosecond())/1e9 }
