package render

import (
	"bytes"
	"context"
	"fmt"
	"github.com/depgraph/depgraph/internal/view"
	"io"
	"sync"

	"github.com/goccy/go-graphviz"
)

// MaxRenderNodes is the largest view rendered to SVG: Graphviz's
// layout beyond it takes long and gives an unreadable picture. Cut the
// view down with --focus and --depth, or write DOT.
const MaxRenderNodes = 600

// renderMu serializes go-graphviz use: its one WebAssembly module is not
// safe for concurrent use (goccy/go-graphviz#117).
var renderMu sync.Mutex

// Image writes a view as SVG through go-graphviz (dot layout).
//
// PNG is refused: go-graphviz v0.2.10's raster renderer fills every edge
// curve as a polygon and drops node outlines (seen on this project's
// graphs), so its pictures mislead. Convert the SVG instead.
func Image(w io.Writer, v *view.View, f Format) error {
	if len(v.Nodes) > MaxRenderNodes {
		return fmt.Errorf("render: the view has %d nodes, more than the %d a picture can show: cut it down with --focus and --depth, or write DOT", len(v.Nodes), MaxRenderNodes)
	}
	var dot bytes.Buffer
	if err := DOT(&dot, v); err != nil {
		return err
	}
	var gf graphviz.Format
	switch f {
	case FormatSVG:
		gf = graphviz.SVG
	case FormatPNG:
		return fmt.Errorf("render: png is not supported: go-graphviz's raster renderer draws edges as filled shapes; write svg and convert it (e.g. rsvg-convert -o out.png out.svg)")
	default:
		return fmt.Errorf("render: %s is not an image format", f)
	}
	renderMu.Lock()
	defer renderMu.Unlock()
	// No deadline: a cancelled render leaves the module closed (#118).
	ctx := context.Background()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return fmt.Errorf("render: start graphviz: %w", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dot.Bytes())
	if err != nil {
		return fmt.Errorf("render: parse dot: %w", err)
	}
	defer g.Close()
	var out bytes.Buffer
	if err := gv.Render(ctx, g, gf, &out); err != nil {
		return fmt.Errorf("render: %s: %w", f, err)
	}
	_, err = w.Write(out.Bytes())
	return err
}
