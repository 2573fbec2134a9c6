package cli

import (
	"os"
	"testing"

	"github.com/fittui/fittui/tui/cli/clitest"
)

// TestMain shares one build of fittui between the package's tests of the
// real binary (clitest.Binary).
func TestMain(m *testing.M) { os.Exit(clitest.Main(m)) }
