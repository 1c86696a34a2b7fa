// Lookups by _id that use an index. FerretDB v1.24.2 creates each collection's unique _id index on the
// expression  _ferretdb_sjson->"_id"  but filters {_id: value} with  _ferretdb_sjson->'$._id' = ?  — the
// same value, a different expression, so SQLite's planner never matches them (EXPLAIN QUERY PLAN: "SCAN
// <table>"). Every findOne/deleteOne/updateOne by _id therefore read the whole table: 14 ms for a token
// among 15,000, 30 ms to delete an unused-token record, growing with every slip printed.
//
// indexLoop adds, to every collection's table, an index on exactly the expression FerretDB's queries use,
// so those lookups become "SEARCH … USING INDEX". It is a plain (not unique) index: uniqueness stays with
// FerretDB's own index, and FerretDB never sees this one (it lists indexes from its metadata, and dropping
// a collection drops the table with its indexes). Like the unique index it orders entries by _id value, so
// it records nothing about the order in which documents arrived; deleted entries are zeroed by
// secure_delete like everything else.
package main

import (
	"context"
	"fmt"
	"log"
	"path/filepath"
	"regexp"
	"time"
)

// FerretDB's table names: the collection name cut to a safe alphabet and an 8-hex-digit hash.
var tableName = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

const idIndexSuffix = "_pikir_id"

// indexLoop indexes the tables of every database in dir at once and then every period (new collections —
// a campaign's responses, its issuance records — are created as the server runs) until ctx ends.
func indexLoop(ctx context.Context, dir string, period time.Duration) {
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	for {
		files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		if err != nil {
			log.Printf("id index: %v", err)
		}
		for _, file := range files {
			if err := indexIDs(ctx, file); err != nil {
				// Busy, or the database is being dropped: the next tick retries.
				log.Printf("id index of %s: %v", filepath.Base(file), err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// indexIDs creates the missing _id expression indexes of one database file (never creating the file).
func indexIDs(ctx context.Context, file string) error {
	db, err := openExisting(file, "busy_timeout(200)", "secure_delete(on)")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT c.table_name FROM _ferretdb_collections c
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || ?)`, idIndexSuffix)
	if err != nil {
		return err
	}
	var missing []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		if tableName.MatchString(table) {
			missing = append(missing, table)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, table := range missing {
		stmt := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS "%s%s" ON "%s" (_ferretdb_sjson->'$._id')`, table, idIndexSuffix, table)
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}
