package catalog

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/depgraph/depgraph/internal/model"
)

// PlaceholderHosts is how many different hosts must share one as_of date
// in one catalog file (a date that is neither their published nor their
// read date) before Lint calls it a shared placeholder: one person reads
// a handful of pages on a day, but five unrelated sites do not all state
// the same date.
const PlaceholderHosts = 5

// KnownStatusPages lists the vendors (by organisation, the first id
// segment) known to run a public status page, from
// ../shared/facts/vendors.md and feeds.md. A vendor of a loaded catalog
// that is listed here, whose meta names one (status_page: URL), or whose
// sources cite one of its own (a url whose host has "status" in a label
// and the organisation's name in it, e.g. status.heroku.com,
// www.akamaistatus.com) must have a status block on some node, unless its
// meta says status_page: none (no live page) or status_feed: none (a page
// no feed type reads: a warning).
// noFeedReasons are words in meta.status_page or meta.status_product that
// say why no status block reads the page.
var noFeedReasons = []string{"not verified", "not read", "no feed", "not public", "no public feed", "not found", "bespoke"}

var KnownStatusPages = map[string]string{
	"adyen":         "https://www.adyenstatus.com",
	"akamai":        "https://www.akamaistatus.com",
	"anthropic":     "https://status.claude.com",
	"auth0":         "https://status.auth0.com",
	"aws":           "https://health.aws.amazon.com/health/status",
	"azure":         "https://azure.status.microsoft/en-us/status",
	"cloudflare":    "https://www.cloudflarestatus.com",
	"cohere":        "https://status.cohere.com",
	"datadog":       "https://status.datadoghq.com",
	"fastly":        "https://status.fastly.com",
	"gcp":           "https://status.cloud.google.com",
	"github":        "https://www.githubstatus.com",
	"gitlab":        "https://status.gitlab.com",
	"heroku":        "https://status.heroku.com",
	"intercom":      "https://www.intercomstatus.com",
	"mistral":       "https://status.mistral.ai",
	"mongodb-atlas": "https://status.mongodb.com",
	"netlify":       "https://www.netlifystatus.com",
	"okta":          "https://status.okta.com",
	"openai":        "https://status.openai.com",
	"pagerduty":     "https://status.pagerduty.com",
	"sendgrid":      "https://status.sendgrid.com",
	"sentry":        "https://status.sentry.io",
	"slack":         "https://slack-status.com",
	"snowflake":     "https://status.snowflake.com",
	"statuspage":    "https://metastatuspage.com",
	"stripe":        "https://status.stripe.com",
	"twilio":        "https://status.twilio.com",
	"vercel":        "https://www.vercel-status.com",
	"zendesk":       "https://status.zendesk.com",
}

// Host returns the host a source address names: the URL's host without
// "www.", the repository for "owner/repo:path" references, the address
// itself otherwise. Lint counts placeholder dates per host.
func Host(addr string) string {
	if u, err := url.Parse(addr); err == nil && u.Host != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	if repo, _, ok := strings.Cut(addr, ":"); ok {
		return repo
	}
	return addr
}

// statusPageURL reports whether addr looks like a status page: a host with
// "status" in one of its labels.
func statusPageURL(addr string) bool {
	u, err := url.Parse(addr)
	if err != nil || u.Host == "" {
		return false
	}
	for _, label := range strings.Split(strings.ToLower(u.Hostname()), ".") {
		if strings.Contains(label, "status") {
			return true
		}
	}
	return false
}

// linter holds the state of one Lint call.
type linter struct {
	out []Finding
}

func (l *linter) add(pos model.Pos, sev Severity, format string, args ...any) {
	l.out = append(l.out, Finding{Pos: pos, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

// partialShares: a dependency whose share is a number strictly between 0
// and 1 states how much of the dependent it carries, a fact of its own:
// it needs a source of its own.
func (l *linter) partialShares(n *model.Node) {
	for _, d := range n.DependsOn {
		if d.PartOf || d.ImpactUnknown || d.Impact <= 0 || d.Impact >= 1 || len(d.Sources) > 0 {
			continue
		}
		pos := d.Pos
		if pos == (model.Pos{}) {
			pos = n.Pos
		}
		l.add(pos, SeverityError, "dependency %s → %s has impact %g but no source for its share: add sources: [{url: ..., as_of: ...}] to the entry, or write impact: unknown",
			n.ID, strings.Join(d.Targets(), " | "), d.Impact)
	}
}

// placeholders finds as_of dates that sources of at least
// PlaceholderHosts different hosts share across the model, the date being
// neither the source's published nor its read date: one error per file
// holding such a date, at its first source there.
func (l *linter) placeholders(m *model.Model) {
	type key struct{ file, date string }
	hosts := map[string]map[string]bool{} // date → hosts
	total := map[string]int{}
	first := map[key]model.Pos{}
	count := map[key]int{}
	var keys []key
	note := func(s model.Source, owner model.Pos) {
		if s.AsOf == "" || s.AsOf == s.Published || s.AsOf == s.Read {
			return
		}
		pos := s.Pos
		if pos == (model.Pos{}) {
			pos = owner
		}
		if hosts[s.AsOf] == nil {
			hosts[s.AsOf] = map[string]bool{}
		}
		hosts[s.AsOf][Host(s.URL)] = true
		total[s.AsOf]++
		k := key{pos.File, s.AsOf}
		if _, ok := first[k]; !ok {
			first[k] = pos
			keys = append(keys, k)
		}
		count[k]++
	}
	for _, n := range m.Nodes {
		for _, s := range n.Sources {
			note(s, n.Pos)
		}
		for _, d := range n.DependsOn {
			for _, s := range d.Sources {
				note(s, d.Pos)
			}
		}
	}
	for _, k := range keys {
		if len(hosts[k.date]) < PlaceholderHosts {
			continue
		}
		l.add(first[k], SeverityError, "as_of %s is a shared placeholder: %s here and %d in all, of %d different hosts, carry it, and none states it (published) or was read that day (read); give each source the date it states, or the day it was read, or mark it verified: false",
			k.date, plural(count[k], "source"), total[k.date], len(hosts[k.date]))
	}
}

// statusBlocks finds vendors with a known status page and no status block
// on any of their nodes.
func (l *linter) statusBlocks(m *model.Model) {
	type org struct {
		first  *model.Node // the organisation's top node, else its first
		status bool
		page   string
		noFeed bool // meta status_feed: none
	}
	orgs := map[string]*org{}
	var names []string
	for _, n := range m.Nodes {
		name := model.Org(n.ID)
		o := orgs[name]
		if o == nil {
			o = &org{first: n, page: KnownStatusPages[name]}
			orgs[name] = o
			names = append(names, name)
		}
		if n.ID == name {
			o.first = n
		}
		if n.Status != nil {
			o.status = true
		}
		if o.page == "" {
			for _, s := range n.Sources {
				if statusPageURL(s.URL) && strings.Contains(Host(s.URL), strings.ReplaceAll(name, "-", "")) {
					o.page = s.URL
				}
			}
		}
		if v, ok := n.Meta["status_page"].(string); ok && v != "" {
			o.page = v
		}
		if v, ok := n.Meta["status_feed"].(string); ok && v == "none" {
			o.noFeed = true
		}
		// A reason written another way: meta status_binding, or the page or
		// product entry saying no feed type reads it.
		if _, ok := n.Meta["status_binding"]; ok {
			o.noFeed = true
		}
		for _, key := range []string{"status_page", "status_product"} {
			v, _ := n.Meta[key].(string)
			for _, reason := range noFeedReasons {
				if strings.Contains(v, reason) {
					o.noFeed = true
				}
			}
		}
	}
	for _, name := range names {
		o := orgs[name]
		if o.status || o.page == "" || o.page == "none" || o.first.Kind == model.KindService || o.first.Kind == model.KindUnknown {
			continue
		}
		if o.noFeed {
			l.add(o.first.Pos, SeverityWarning, "vendor %s has a status page (%s) that no feed type reads (meta status_feed: none): its incidents reach no node", name, o.page)
			continue
		}
		l.add(o.first.Pos, SeverityError, "vendor %s has a public status page (%s) but no node with a status block: add status: {type: ..., url: ...}", name, o.page)
	}
}

// aliases finds names claimed by two nodes: an alias of one node that is
// another node's alias, id or name, compared case-insensitively.
func (l *linter) aliases(m *model.Model) {
	type claim struct {
		node *model.Node
		what string // "alias", "id" or "name"
	}
	claims := map[string][]claim{}
	for _, n := range m.Nodes {
		seen := map[string]bool{}
		add := func(s, what string) {
			k := strings.ToLower(strings.TrimSpace(s))
			if k == "" || seen[k] {
				return
			}
			seen[k] = true
			claims[k] = append(claims[k], claim{n, what})
		}
		for _, a := range n.Aliases {
			if strings.TrimSpace(a) == "" {
				l.add(n.Pos, SeverityError, "node %s has an empty alias", n.ID)
			}
			add(a, "alias")
		}
		add(n.ID, "id")
		add(n.Name, "name")
	}
	keys := make([]string, 0, len(claims))
	for k, cs := range claims {
		if len(cs) > 1 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		cs := claims[k]
		hasAlias := slices.ContainsFunc(cs, func(c claim) bool { return c.what == "alias" })
		if !hasAlias {
			continue // two nodes sharing a display name is not an alias clash
		}
		slices.SortFunc(cs, func(a, b claim) int { return cmp.Compare(a.node.ID, b.node.ID) })
		var who []string
		for _, c := range cs {
			who = append(who, c.what+" of "+c.node.ID)
		}
		for _, c := range cs {
			if c.what == "alias" {
				l.add(c.node.Pos, SeverityError, "alias %q of %s is claimed by more than one node (%s): imports and the diagnosis could not tell them apart", k, c.node.ID, strings.Join(who, ", "))
				break
			}
		}
	}
}

// plural writes "1 source" or "n sources".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
