// Command ferretdb runs the embedded FerretDB v1 server (SQLite backend) that Pikir uses when no
// MONGODB_URI is given. It embeds FerretDB's library package: the upstream command panics when built
// outside FerretDB's own module (its version file is not published), and ours skips that check.
package main

import (
	"context"
	"flag"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("data", "./data/db", "directory for the SQLite files")
	watchStdin := flag.Bool("exit-on-stdin-eof", false, "stop when standard input closes (the parent process died)")
	flag.Parse()

	abs, err := filepath.Abs(*dir)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
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

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *addr},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("ferretdb listening on %s, data in %s", *addr, abs)
	f.Run(ctx)
}
