// The periodic WAL checkpoint. SQLite's write-ahead log keeps every changed page image in write order
// until the log is reset, and even a reset log keeps its old frames past the write position: a copy of
// the data directory would show which unused-token record left which page just before which response
// arrived. PRAGMA wal_checkpoint(TRUNCATE) copies every frame into the database file (where secure_delete
// has already zeroed deleted records) and truncates the WAL to zero bytes, so it never holds more than
// one period of history.
package main

import (
	"context"
	"database/sql"
	"log"
	"net/url"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the same driver FerretDB uses
)

// checkpointLoop truncates the WAL of every database in dir every period until ctx ends.
func checkpointLoop(ctx context.Context, dir string, period time.Duration) {
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
			if err != nil {
				log.Printf("checkpoint: %v", err)
				continue
			}
			for _, file := range files {
				if err := checkpoint(ctx, file); err != nil {
					// Busy (a long read holds an old snapshot) or the file is being dropped: the next tick retries.
					log.Printf("checkpoint of %s: %v", filepath.Base(file), err)
				}
			}
		}
	}
}

// checkpoint opens file on a connection of its own (never creating it: a dropped database stays
// dropped), waits briefly for the writer and old readers, and truncates the WAL.
func checkpoint(ctx context.Context, file string) error {
	// A short busy timeout: while the checkpoint waits, new writers wait too, so a submission is delayed
	// by at most this much once per period; a checkpoint that cannot finish in time is retried next tick.
	query := url.Values{"mode": {"rw"}, "_pragma": {"busy_timeout(200)"}}
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: file, RawQuery: query.Encode()}).String())
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var busy, frames, copied int
	if err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied); err != nil {
		return err
	}
	if busy != 0 {
		return errBusy
	}
	return nil
}

type busyError struct{}

func (busyError) Error() string { return "busy; retried at the next tick" }

var errBusy error = busyError{}
