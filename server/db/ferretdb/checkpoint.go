// The periodic WAL checkpoint. SQLite's write-ahead log keeps every changed page image in write order
// until the log is reset, and even a reset log keeps its old frames past the write position: a copy of
// the data directory would show which unused-token record left which page just before which response
// arrived. PRAGMA wal_checkpoint(TRUNCATE) copies every frame into the database file (where secure_delete
// has already zeroed deleted records) and truncates the WAL to zero bytes, so it never holds more than
// one period of history.
//
// The truncated log leaves one more trace: the -shm file (the WAL index) still lists, frame by frame, the
// number of every page the log held — the order in which pages were written, e.g. "a page of
// unused_tokens, then a page of responses". SQLite zeroes an index block when the first frame of that
// block is written again, so after each checkpoint that found frames we write harmless frames (page 1,
// unchanged: PRAGMA user_version set to its own value) until every block that still lists old pages has
// been zeroed, and truncate again (wipeIndex).
package main

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"
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
// dropped), waits briefly for the writer and old readers, truncates the WAL and wipes the WAL index.
func checkpoint(ctx context.Context, file string) error {
	// A short busy timeout: while the checkpoint waits, new writers wait too, so a submission is delayed
	// by at most this much once per period; a checkpoint that cannot finish in time is retried next tick.
	// No automatic checkpoint on this connection: it would reset the log in the middle of wipeIndex.
	db, err := openExisting(file, "busy_timeout(200)", "wal_autocheckpoint(0)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := truncateWAL(ctx, db); err != nil {
		return err
	}
	wiped, err := wipeIndex(ctx, db, file+"-shm")
	if err != nil || !wiped {
		return err
	}
	_, err = truncateWAL(ctx, db)
	return err
}

// openExisting opens a database file on one connection of its own, never creating it (a dropped
// database stays dropped), with these pragmas on the connection.
func openExisting(file string, pragmas ...string) (*sql.DB, error) {
	query := url.Values{"mode": {"rw"}, "_pragma": pragmas}
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: file, RawQuery: query.Encode()}).String())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// truncateWAL runs PRAGMA wal_checkpoint(TRUNCATE); it returns how many frames the log held.
func truncateWAL(ctx context.Context, db *sql.DB) (int, error) {
	var busy, frames, copied int
	if err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied); err != nil {
		return 0, err
	}
	if busy != 0 {
		return 0, errBusy
	}
	return frames, nil
}

// The WAL index layout (SQLite wal.c): blocks of 32 KiB, each an array of page numbers (u32, native byte
// order) followed by a hash table. Block 0 starts with the 136-byte index header (mxFrame at offset 16,
// the last valid frame) and lists frames 1..4062; block b ≥ 1 lists frames 4062+(b-1)·4096+1 onwards.
const (
	indexBlock      = 32768
	indexHeader     = 136
	framesInBlock0  = (indexBlock/2 - indexHeader) / 4 // 4062
	framesPerBlock  = indexBlock / 2 / 4               // 4096
	maxWipeRounds   = 8
	wipeCommitBatch = 200
)

func firstFrameOf(block int) int {
	if block == 0 {
		return 1
	}
	return framesInBlock0 + (block-1)*framesPerBlock + 1
}

// staleFrame reads the WAL index and returns the highest frame past the log's end (mxFrame) that still
// names a page other than page 1 (0: none), and mxFrame.
func staleFrame(shmFile string) (stale, mxFrame int, err error) {
	shm, err := os.ReadFile(shmFile)
	if errors.Is(err, os.ErrNotExist) {
		return 0, 0, nil
	}
	if err != nil || len(shm) < indexHeader {
		return 0, 0, err
	}
	mxFrame = int(binary.NativeEndian.Uint32(shm[16:]))
	for block := 0; block*indexBlock < len(shm); block++ {
		start, count := block*indexBlock, framesPerBlock
		if block == 0 {
			start, count = indexHeader, framesInBlock0
		}
		for i := 0; i < count && start+4*i+4 <= len(shm); i++ {
			frame := firstFrameOf(block) + i
			if frame > mxFrame && binary.NativeEndian.Uint32(shm[start+4*i:]) > 1 {
				stale = frame
			}
		}
	}
	return stale, mxFrame, nil
}

// wipeIndex writes one-page commits until no block of the WAL index lists a page written before; it
// reports whether it wrote anything. Commits are unsynced (they change nothing) and come in small batches
// with pauses, so the server's own writes are not kept waiting.
func wipeIndex(ctx context.Context, db *sql.DB, shmFile string) (bool, error) {
	if stale, _, err := staleFrame(shmFile); err != nil || stale == 0 {
		return false, err // nothing was written since the last wipe
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	var version, synchronous int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return false, err
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&synchronous); err != nil {
		return false, err
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = OFF"); err != nil {
		return false, err
	}
	// The checkpoint that follows must sync the database file as the server's own connections would.
	defer func() {
		_, _ = conn.ExecContext(context.Background(), fmt.Sprintf("PRAGMA synchronous = %d", synchronous))
	}()
	wrote := false
	for round := 0; round < maxWipeRounds; round++ {
		stale, mxFrame, err := staleFrame(shmFile)
		if err != nil || stale == 0 {
			return wrote, err
		}
		// Writing the first frame of a block zeroes the whole block; within the current block, frames up
		// to the stale one overwrite it.
		target := firstFrameOf(blockOf(stale))
		if target <= mxFrame {
			target = stale
		}
		for n := 0; n < target-mxFrame; n++ {
			if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
				return wrote, err
			}
			wrote = true
			if n%wipeCommitBatch == wipeCommitBatch-1 {
				time.Sleep(5 * time.Millisecond)
			}
		}
	}
	return wrote, errors.New("the WAL index still lists old pages; retried at the next tick")
}

func blockOf(frame int) int {
	if frame <= framesInBlock0 {
		return 0
	}
	return (frame-framesInBlock0-1)/framesPerBlock + 1
}

type busyError struct{}

func (busyError) Error() string { return "busy; retried at the next tick" }

var errBusy error = busyError{}
