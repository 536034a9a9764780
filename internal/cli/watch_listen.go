package cli

import (
	"context"
	"errors"
)

// listen starts the live server (wired to internal/watchweb).
func (w *watcher) listen(ctx context.Context) (stop func(), err error) {
	return nil, errors.New("--listen: not wired yet")
}
