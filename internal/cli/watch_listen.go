package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/watchweb"
)

// listen starts the live server on --listen and returns the function that
// stops it.
func (w *watcher) listen(ctx context.Context) (stop func(), err error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", w.opts.Listen)
	if err != nil {
		return nil, fmt.Errorf("--listen: %w", err)
	}
	name := "the built-in example"
	if len(w.opts.Model.Paths) > 0 {
		var bases []string
		for _, p := range w.opts.Model.Paths {
			bases = append(bases, filepath.Base(p))
		}
		name = strings.Join(bases, ", ")
	}
	srv := watchweb.New(watchweb.Options{Interval: w.opts.Interval, Model: name})
	w.server = srv
	hs := srv.HTTPServer()
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(w.opts.IO.ErrOut, "depgraph: warning: live server: %v\n", err)
		}
	}()
	addr := ln.Addr().String()
	if host, _, err := net.SplitHostPort(addr); err == nil && !net.ParseIP(host).IsLoopback() {
		fmt.Fprintf(w.opts.IO.ErrOut, "depgraph: warning: the live page listens on %s, beyond this machine: anyone who can reach it sees your dependencies and their state\n", addr)
	}
	fmt.Fprintf(w.opts.IO.ErrOut, "depgraph: watch: live page on http://%s/ (/api/situations, /metrics, /healthz)\n", addr)
	if w.opts.listening != nil {
		w.opts.listening(addr)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
	}, nil
}
