package store

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// childEnv, when set, makes the test binary act as another process reading
// the database it names (TestReaderProcess).
const childEnv = "GYRE_STORE_CHILD_DB"

// childWriteEnv, when set, makes the test binary write to the database it
// names and wait to be killed (TestCommitSurvivesKill).
const childWriteEnv = "GYRE_STORE_CHILD_WRITE"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(readerChild(path))
	}
	if path := os.Getenv(childWriteEnv); path != "" {
		os.Exit(writerChild(path))
	}
	goleak.VerifyTestMain(m)
}
