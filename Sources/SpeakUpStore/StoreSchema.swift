import GRDB

/// The store's schema, one versioned migration at a time. Never edit a shipped
/// migration: add the next one.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-reports-and-case-events") { db in
            // Tables are WITHOUT ROWID and keyed by the random reference, so
            // nothing in the file records the order reports arrived in (which
            // could tell an anonymous report's time from its neighbours).
            try db.execute(sql: """
                CREATE TABLE report (
                    reference TEXT PRIMARY KEY NOT NULL,
                    way_of_raising TEXT NOT NULL
                        CHECK (way_of_raising IN ('open', 'confidential', 'anonymous')),
                    subject_seniority TEXT NOT NULL,
                    location TEXT NOT NULL,
                    account TEXT NOT NULL,
                    reporter_user TEXT,
                    reporter_uid INTEGER,
                    submitted TEXT NOT NULL,
                    CHECK (way_of_raising <> 'anonymous'
                        OR (reporter_user IS NULL AND reporter_uid IS NULL AND length(submitted) = 10))
                ) WITHOUT ROWID;

                CREATE TABLE report_concern (
                    reference TEXT NOT NULL REFERENCES report(reference),
                    category TEXT NOT NULL,
                    PRIMARY KEY (reference, category)
                ) WITHOUT ROWID;

                CREATE TABLE case_event (
                    reference TEXT NOT NULL REFERENCES report(reference),
                    sequence INTEGER NOT NULL CHECK (sequence >= 1),
                    kind TEXT NOT NULL,
                    at TEXT NOT NULL,
                    PRIMARY KEY (reference, sequence)
                ) WITHOUT ROWID;
                """)
            // Reports and case events are appended, never changed or removed.
            for table in ["report", "report_concern", "case_event"] {
                for action in ["UPDATE", "DELETE"] {
                    try db.execute(sql: """
                        CREATE TRIGGER \(table)_no_\(action.lowercased()) BEFORE \(action) ON \(table)
                        BEGIN SELECT RAISE(ABORT, '\(table) rows are appended, never changed'); END;
                        """)
                }
            }
        }
        return migrator
    }
}
