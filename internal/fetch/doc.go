// Package fetch downloads many status feeds over HTTP like a good citizen:
// a bounded number of requests in flight overall and per host, a timeout
// per attempt, conditional requests (If-None-Match, If-Modified-Since), a
// size limit, and retries with exponential backoff and jitter on server
// errors, timeouts and network errors, never on 4xx answers. One broken or
// slow feed never stops the others, and results come back in input order.
//
// The package returns raw bytes and HTTP metadata; the caller parses them
// (internal/feed) and records them (internal/store). With Fetcher.Offline
// set, feeds are read from files saved earlier (see Save and OfflineName)
// and the network is never touched.
package fetch
