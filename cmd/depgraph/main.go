package main

import (
	"context"
	"os"

	"github.com/depgraph/depgraph/internal/cli"
	"github.com/depgraph/depgraph/internal/iostreams"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], iostreams.System()))
}
