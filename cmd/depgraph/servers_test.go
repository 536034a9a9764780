package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// scriptCmds are the scripts' own commands:
//
//	serve DIR           serve the files under DIR over HTTP (with ETags
//	                    and 304 answers, as a status page does) and set
//	                    $SERVER to its address; the script
//	                    changes the files between cycles to replay a
//	                    cascade step by step
//	hook CODE...        start a webhook receiver that answers each POST
//	                    with the next status code (the last one repeats),
//	                    appends each body it answers 2xx to as a line of
//	                    hook.log and every attempt to hook-attempts.log, and
//	                    set $HOOK to its address
//	expand IN OUT       copy IN to OUT with $VARS replaced by their values
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"serve": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 1 {
			ts.Fatalf("usage: serve DIR")
		}
		root := ts.MkAbs(args[0])
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// Content-addressed ETags, so that a file changed within the
			// same second is never answered 304 (Last-Modified has one
			// second's resolution).
			data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path.Clean("/"+r.URL.Path))))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("ETag", fmt.Sprintf("%q", fmt.Sprintf("%x", sha256.Sum256(data))))
			http.ServeContent(w, r, path.Base(r.URL.Path), time.Time{}, bytes.NewReader(data))
		}))
		ts.Defer(srv.Close)
		ts.Setenv("SERVER", srv.URL)
	},
	"hook": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) == 0 {
			ts.Fatalf("usage: hook CODE...")
		}
		var codes []int
		for _, a := range args {
			c, err := strconv.Atoi(a)
			ts.Check(err)
			codes = append(codes, c)
		}
		var mu sync.Mutex
		n := 0
		okLog, attemptsLog := ts.MkAbs("hook.log"), ts.MkAbs("hook-attempts.log")
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			code := codes[min(n, len(codes)-1)]
			n++
			appendLine(attemptsLog, strconv.Itoa(code)+" "+r.Header.Get("Idempotency-Key"))
			if code/100 == 2 {
				appendLine(okLog, strings.TrimSpace(string(body)))
			}
			mu.Unlock()
			w.WriteHeader(code)
		}))
		ts.Defer(srv.Close)
		ts.Setenv("HOOK", srv.URL)
	},
	"expand": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 2 {
			ts.Fatalf("usage: expand IN OUT")
		}
		data := ts.ReadFile(args[0])
		out := os.Expand(data, ts.Getenv)
		ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(out), 0o644))
	},
}

func appendLine(path, line string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	f.WriteString(line + "\n")
}
