package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Webhook posts event bodies to URL.
type Webhook struct {
	URL    string
	Client *http.Client
	// Retries is how many times a failed POST is retried.
	Retries int
	// Backoff is the first wait between attempts; 0 means one second.
	Backoff time.Duration
	// MaxWait caps a single wait; 0 means one minute.
	MaxWait time.Duration
	// Timeout bounds each attempt; 0 means 10 seconds.
	Timeout   time.Duration
	UserAgent string
	// sleep waits; tests replace it.
	sleep func(context.Context, time.Duration) error
}

// PermanentError is a failure retrying cannot fix: the receiver answered
// with a 4xx other than 408 and 429.
type PermanentError struct {
	Status int
	Body   string
}

func (e *PermanentError) Error() string {
	return fmt.Sprintf("webhook refused the event: HTTP %d %s", e.Status, e.Body)
}

// Send posts body, retrying as the package doc says. It returns the
// attempts made and the last error (nil when delivered).
func (w *Webhook) Send(ctx context.Context, body []byte, key string) (attempts int, err error) {
	backoff := w.Backoff
	if backoff <= 0 {
		backoff = time.Second
	}
	maxWait := w.MaxWait
	if maxWait <= 0 {
		maxWait = time.Minute
	}
	sleep := w.sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	for {
		attempts++
		retryAfter, err := w.post(ctx, body, key)
		if err == nil {
			return attempts, nil
		}
		var perm *PermanentError
		if errors.As(err, &perm) || attempts > w.Retries || ctx.Err() != nil {
			return attempts, err
		}
		wait := min(max(backoff, retryAfter), maxWait)
		if err := sleep(ctx, wait); err != nil {
			return attempts, err
		}
		backoff *= 2
	}
}

// post makes one attempt; retryAfter is the answer's Retry-After, if any.
func (w *Webhook) post(ctx context.Context, body []byte, key string) (retryAfter time.Duration, err error) {
	timeout := w.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return 0, &PermanentError{Body: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	if w.UserAgent != "" {
		req.Header.Set("User-Agent", w.UserAgent)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	client := w.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return 0, nil
	}
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			retryAfter = time.Duration(n) * time.Second
		} else if t, err := http.ParseTime(s); err == nil {
			retryAfter = time.Until(t)
		}
	}
	switch {
	case resp.StatusCode == http.StatusRequestTimeout, resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500:
		return retryAfter, fmt.Errorf("webhook: HTTP %d %s", resp.StatusCode, bytes.TrimSpace(msg))
	}
	return 0, &PermanentError{Status: resp.StatusCode, Body: string(bytes.TrimSpace(msg))}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
