package feed

import (
	"os"
	"path/filepath"
	"testing"
)

// benchFiles are the inputs of each format's benchmark: real samples
// (skipped when absent) or, for formats without one, fixtures.
var benchFiles = []struct {
	name   string
	format Format
	real   bool
	files  []string
}{
	{"Statuspage", FormatStatuspage, true, []string{
		"statuspage/components/duo-components.json", "statuspage/components/coinbase-components.json",
		"statuspage/components/twilio-components.json", "statuspage/components/linode-components.json",
		"statuspage/components/box-components.json", "statuspage/summary/github-summary-2022-11-25.json",
		"statuspage/incident/github-incident-c2jg911dtkjb.json", "statuspage/incident/github-incident-gqx5l06jjxhp.json",
	}},
	{"GCP", FormatGCP, true, []string{"gcp/incidents-2022-07-03-trimmed-excl-nov-dec-2021.json"}},
	{"AWSEvents", FormatAWSEvents, true, []string{"aws/legacy-data-json-2022-07-03-trimmed-excl-dec-2021.json"}},
	{"AWSEventsUTF16", FormatAWSEvents, false, []string{"aws-events-utf16le.json"}},
	{"AWSRSS", FormatAWSRSS, true, []string{"aws/rss/s3-us-standard-2017-03-08-excerpt.rss"}},
	{"RSS", FormatRSS, true, []string{"statuspage/rss/parse-history-2014-01-09.rss"}},
	{"Atom", FormatAtom, true, []string{"gcp/atom/feed-2022-04-01-excerpt.atom"}},
	{"AzureRSS", FormatAzureRSS, false, []string{"azure-constructed.rss"}},
	{"Upptime", FormatUpptime, true, []string{"upptime/manticore-history-summary-2026-08-22.json"}},
	{"Slack", FormatSlack, false, []string{"slack-active.json"}},
	{"Instatus", FormatInstatus, false, []string{"instatus-summary.json"}},
	{"IncidentIO", FormatIncidentIO, false, []string{"incidentio-widget.json"}},
}

// BenchmarkParse reports MB/s per format.
func BenchmarkParse(b *testing.B) {
	for _, bf := range benchFiles {
		b.Run(bf.name, func(b *testing.B) {
			var inputs [][]byte
			total := 0
			for _, f := range bf.files {
				var data []byte
				var err error
				if bf.real {
					data, err = os.ReadFile(filepath.Join(realDataDir, f))
					if os.IsNotExist(err) {
						b.Skipf("%s absent: skipping", f)
					}
				} else {
					data, err = os.ReadFile(filepath.Join("testdata", f))
				}
				if err != nil {
					b.Fatal(err)
				}
				inputs = append(inputs, data)
				total += len(data)
			}
			b.SetBytes(int64(total))
			b.ReportAllocs()
			for b.Loop() {
				for _, data := range inputs {
					if _, err := Parse(data, bf.format, "bench"); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkDetect measures format detection on the largest real sample.
func BenchmarkDetect(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(realDataDir, "gcp/incidents-2022-07-03-trimmed-excl-nov-dec-2021.json"))
	if err != nil {
		b.Skip("real GCP sample absent: skipping")
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Detect(data); err != nil {
			b.Fatal(err)
		}
	}
}
