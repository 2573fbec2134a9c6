// Command fittui is a terminal dashboard for your fitness tracker's data.
package main

import (
	"os"

	"github.com/fittui/fittui/tui/cli"
)

// Stamped by the linker: -X main.version=... -X main.commit=... -X main.date=...
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	os.Exit(cli.Execute(cli.BuildInfo{Version: version, Commit: commit, Date: date}))
}
