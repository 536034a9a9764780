package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/iostreams"
)

const rootLong = `depgraph makes fourth-party risk visible: the failures that reach you not
from your vendors but from your vendors' vendors and the cloud regions
underneath them.

You describe your services, vendors, their vendors and the providers, regions
and zones underneath in YAML (see docs/model.md); bundled catalogs supply
sourced entries for real clouds and vendors. Without -m, commands use the
built-in example model.

Exit codes:
  0  success
  1  the command failed
  2  bad usage or invalid input (the model, a flag, a feed)
  3  the analysis found what you asked to fail on (--fail-on)`

// NewRootCmd builds the command tree.
func NewRootCmd(ios *iostreams.IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:           "depgraph <command>",
		Short:         "Map and analyse fourth-party risk: vendors' vendors and the clouds under them",
		Long:          rootLong,
		Version:       Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Example: `  $ depgraph blast aws/us-east-1
  $ depgraph validate -m acme.yaml
  $ depgraph graph --focus acme/support-bot -o support-bot.svg`,
	}
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetIn(ios.In)
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return checkNumericFlags(cmd) }
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &FlagError{Err: err}
	})
	root.AddCommand(
		newValidateCmd(ios, nil),
		newBlastCmd(ios, nil),
		newGraphCmd(ios, nil),
		newRenderCmd(ios, nil),
		newGenCmd(ios, nil),
		newCatalogCmd(ios),
		newFeedCmd(ios),
		newIngestCmd(ios),
		newIncidentsCmd(ios),
		newStatusCmd(ios),
		newWatchCmd(ios),
		newDomainsCmd(ios, nil),
		newExportCmd(ios),
		newExplainCmd(ios),
		newCheckCmd(ios),
		newReviewCmd(ios),
		newDiffCmd(ios),
		newImportCmd(ios),
		newDiscoverCmd(ios),
		newReportCmd(ios),
	)
	return root
}

// softMemoryLimit keeps the garbage collector ahead of YAML parsing on big
// models (yaml.v3's node tree is several times the file's size): with it a
// 100 000-node, 1 000 000-edge model loads within 1 GiB. GOMEMLIMIT
// overrides it.
const softMemoryLimit = 800 << 20

// Main runs depgraph with the given arguments and streams and returns the
// exit code.
func Main(ctx context.Context, args []string, ios *iostreams.IOStreams) int {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	root := NewRootCmd(ios)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	if strings.HasPrefix(err.Error(), "unknown command") {
		err = &FlagError{Err: err} // cobra reports these as plain errors
	}
	err = nameCommand(cmd, err)
	printError(ios.ErrOut, err)
	var fe *FlagError
	if errors.As(err, &fe) && cmd != nil {
		fmt.Fprintln(ios.ErrOut)
		fmt.Fprint(ios.ErrOut, cmd.UsageString())
	}
	return exitCode(err)
}
