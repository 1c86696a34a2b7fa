// Command ferretdb runs the embedded FerretDB v1 server (SQLite backend) that Pikir uses when no
// MONGODB_URI is given. It embeds FerretDB's library package: the upstream command panics when built
// outside FerretDB's own module (its version file is not published), and ours skips that check.
//
// It also keeps the files private and free of history (README "Anonymity on disk"): files 0600 in a
// 0700 directory, SQLite's secure_delete on every connection (a deleted record's bytes are overwritten
// with zeros, so a redeemed token's unused-token record is gone, not merely unlinked), and a WAL that is
// checkpointed and truncated, and its index wiped, every -checkpoint-every (the WAL keeps old page images
// in write order, and its index their page numbers: exactly the order of token use and of submissions that
// the rest of the design hides; checkpoint.go). And it gives every collection an index that FerretDB's own
// lookups by _id can use (idindex.go).
package main

import (
	"context"
	"flag"
	"io"
	"log"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("data", "./data/db", "directory for the SQLite files")
	watchStdin := flag.Bool("exit-on-stdin-eof", false, "stop when standard input closes (the parent process died)")
	every := flag.Duration("checkpoint-every", 10*time.Second, "how often the WAL is checkpointed, truncated and its index wiped (0 = never)")
	flag.Parse()

	// Before anything creates a file: SQLite creates the database, -wal and -shm files with 0644 & ~umask.
	syscall.Umask(0o077)

	abs, err := filepath.Abs(*dir)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		log.Fatal(err)
	}
	// Directories made by older versions (or by hand) may be readable by others: close them now.
	if err := restrictModes(abs); err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The Node parent keeps our stdin open; if it dies, even by SIGKILL, the pipe closes and we stop,
	// so no orphaned server keeps the port and the SQLite files.
	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	// FerretDB passes _pragma parameters to every connection it opens and adds its own defaults
	// (busy_timeout, journal_mode=wal, auto_vacuum=none) when absent.
	query := url.Values{"_pragma": {"secure_delete(on)"}}
	sqliteURL := (&url.URL{Scheme: "file", Path: abs + "/", RawQuery: query.Encode()}).String()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *addr},
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		log.Fatal(err)
	}
	if *every > 0 {
		go checkpointLoop(ctx, abs, *every)
	}
	go indexLoop(ctx, abs, 2*time.Second)
	log.Printf("ferretdb listening on %s, data in %s", *addr, abs)
	f.Run(ctx)
}

// restrictModes makes dir and everything below it private to this user: directories 0700, files 0600.
func restrictModes(dir string) error {
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := os.FileMode(0o600)
		if d.IsDir() {
			mode = 0o700
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode().Perm() == mode {
			return nil
		}
		return os.Chmod(path, mode)
	})
}
