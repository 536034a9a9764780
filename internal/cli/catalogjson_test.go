package cli

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"

	"github.com/depgraph/depgraph/internal/iostreams"
)

// TestCatalogListJSONKeys is issue 16 item 12: `catalog list --json`
// wrote Go field names ("Name", "OldestAsOf") and null lists where every
// other command writes snake_case keys and [].
func TestCatalogListJSONKeys(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	if code := Main(context.Background(), []string{"catalog", "list", "--json"}, ios); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		SchemaVersion int              `json:"schema_version"`
		Catalogs      []map[string]any `json:"catalogs"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != 1 || len(doc.Catalogs) == 0 {
		t.Fatalf("got schema_version %d and %d catalogs", doc.SchemaVersion, len(doc.Catalogs))
	}
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	for _, c := range doc.Catalogs {
		for k, v := range c {
			if !snake.MatchString(k) {
				t.Errorf("catalog %v: key %q is not snake_case", c["name"], k)
			}
			if v == nil {
				t.Errorf("catalog %v: %q is null", c["name"], k)
			}
		}
		for _, k := range []string{"name", "file", "nodes", "kinds", "includes", "feed_types", "oldest_as_of", "newest_as_of"} {
			if _, ok := c[k]; !ok {
				t.Errorf("catalog %v: no %q", c["name"], k)
			}
		}
	}
}
