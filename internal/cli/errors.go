package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/ingest"
)

// Exit codes, documented in the root command's help.
const (
	ExitOK      = 0 // success
	ExitFailure = 1 // the command failed (I/O, internal error)
	ExitInput   = 2 // bad usage or invalid input (model, flags, feeds)
	ExitFound   = 3 // the analysis found what --fail-on asked to fail on
)

// FlagError is a usage mistake; Main prints the command's usage after it.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// flagErrorf builds a FlagError.
func flagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// InputError wraps an error caused by invalid input (exit code 2).
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// FoundError reports that the analysis found what the user asked to fail
// on (exit code 3); the findings have already been printed.
type FoundError struct{ What string }

func (e *FoundError) Error() string { return e.What }

// exitCode maps an error to the process exit code.
func exitCode(err error) int {
	var fe *FlagError
	var ie *InputError
	var found *FoundError
	var el ingest.ErrorList
	var unk *blast.UnknownNodeError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &found):
		return ExitFound
	case errors.As(err, &fe), errors.As(err, &ie), errors.As(err, &el), errors.As(err, &unk):
		return ExitInput
	}
	return ExitFailure
}

// commandError is an error whose message was reworded to name the command
// the user ran; it unwraps to the original (exit codes follow it).
type commandError struct {
	msg string
	err error
}

func (e *commandError) Error() string { return e.msg }
func (e *commandError) Unwrap() error { return e.err }

// nameCommand rewords errors from shared analysis code so they name the
// command the user ran, not the package that found the problem: an unknown
// node met by domains, explain or graph --focus said "blast: no node …".
func nameCommand(cmd *cobra.Command, err error) error {
	var unk *blast.UnknownNodeError
	if cmd == nil || !errors.As(err, &unk) {
		return err
	}
	name := strings.TrimSpace(strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()))
	if name == "" {
		return err
	}
	msg := err.Error()
	if i := strings.Index(msg, "blast: no node "); i >= 0 {
		msg = msg[:i] + name + ": " + msg[i+len("blast: "):]
	}
	if !strings.HasPrefix(msg, name+":") {
		msg = name + ": " + msg
	}
	return &commandError{msg: msg, err: err}
}

// printError writes err on w in the house style, one "depgraph: error:"
// line per error of a list, and hints as "depgraph: hint:" lines.
func printError(w io.Writer, err error) {
	var el ingest.ErrorList
	if errors.As(err, &el) {
		for i, e := range el {
			if i == 50 {
				fmt.Fprintf(w, "depgraph: error: ... and %d more errors\n", len(el)-50)
				break
			}
			msg := e.Msg
			if p := e.Where(); p != "" {
				msg = p + ": " + msg
			}
			fmt.Fprintf(w, "depgraph: error: %s\n", msg)
			if e.Hint != "" {
				fmt.Fprintf(w, "depgraph: hint: %s\n", e.Hint)
			}
		}
		return
	}
	msg := err.Error()
	msg = strings.TrimSuffix(msg, ".")
	fmt.Fprintf(w, "depgraph: error: %s\n", msg)
}

// warn writes a warning line.
func warn(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "depgraph: warning: "+format+"\n", args...)
}
