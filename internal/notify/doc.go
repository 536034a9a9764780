// Package notify delivers watch events: as JSON lines to a file or
// stdout, and as POSTs to a webhook (Slack-compatible: the event's JSON
// with a "text" summary added), with retries and backoff.
//
// A webhook delivery is retried on network errors, timeouts, 408, 429 and
// 5xx answers, waiting Backoff, then twice as long each time (a 429's or
// 503's Retry-After when it says longer, up to MaxWait); other 4xx
// answers are permanent: the receiver refused the body and sending it again
// would not help. Every request carries the event's sequence number in
// the Idempotency-Key header, so a receiver can drop the duplicate a lost
// answer would cause.
package notify
