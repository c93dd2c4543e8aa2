import Foundation
import GRDB
import SpeakUpCore

/// The store's schema, one versioned migration at a time. Never edit a shipped
/// migration: add the next one.
///
/// Shipped migrations are frozen: each is plain SQL, or a private copy in Migrations/ of the code it
/// ran when it shipped (GRDB, Foundation and Crypto only). A migration never calls application code
/// (SpeakUpStore's or SpeakUpCore's types, functions or constants): when that code changes, an old
/// store's upgrade would silently do something else, or fail. What this file may still pass in or
/// out is no logic: the clock's moment (which dates v13's upgrade record) and the `StoreError` a
/// stopped upgrade is reported as.
enum StoreSchema {
    static var migrator: DatabaseMigrator { migrator(clock: SystemClock()) }

    /// The migrations; `clock` dates the record an upgrade chains into the audit trail.
    static func migrator(clock: any Clock) -> DatabaseMigrator {
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
        migrator.registerMigration("v2-whole-reporter-journey") { db in
            // Added columns carry defaults so that version 1 rows stay valid.
            for column in [
                "subject_name TEXT", "subject_role TEXT NOT NULL DEFAULT ''", "occurred_on TEXT", "occurred_at TEXT",
                "patient_harm TEXT NOT NULL DEFAULT 'unknown'", "staff_impact TEXT NOT NULL DEFAULT ''",
                "witnesses TEXT NOT NULL DEFAULT ''", "desired_outcome TEXT", "hold_until TEXT",
                "reporter_name TEXT", "reporter_contact TEXT", "reporter_group TEXT",
            ] {
                try db.execute(sql: "ALTER TABLE report ADD COLUMN \(column)")
            }
            // What the reporter said about themselves is never kept with an anonymous report.
            try db.execute(sql: """
                CREATE TRIGGER report_anonymous_keeps_no_details BEFORE INSERT ON report
                WHEN NEW.way_of_raising = 'anonymous'
                    AND (NEW.reporter_name IS NOT NULL OR NEW.reporter_contact IS NOT NULL OR NEW.reporter_group IS NOT NULL)
                BEGIN SELECT RAISE(ABORT, 'an anonymous report keeps no reporter details'); END;
                """)
        }
        migrator.registerMigration("v3-receipts-and-drafts") { db in
            // One random salt per store for receipt hashes (see ReceiptHasher).
            try db.execute(sql: """
                CREATE TABLE store_secret (name TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;
                CREATE TABLE receipt (
                    hash BLOB PRIMARY KEY NOT NULL,
                    reference TEXT NOT NULL UNIQUE REFERENCES report(reference)
                ) WITHOUT ROWID;
                CREATE TRIGGER receipt_no_update BEFORE UPDATE ON receipt
                BEGIN SELECT RAISE(ABORT, 'receipt rows are appended, never changed'); END;
                CREATE TRIGGER receipt_no_delete BEFORE DELETE ON receipt
                BEGIN SELECT RAISE(ABORT, 'receipt rows are appended, never changed'); END;
                """)
            // 32 random bytes from the system's secure generator (as ReceiptHasher.newSalt made them).
            var generator = SystemRandomNumberGenerator()
            try db.execute(
                sql: "INSERT INTO store_secret (name, value) VALUES ('receipt-salt', ?)",
                arguments: [Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })])
            // Drafts of open and confidential reports, one per reporter (uid), replaced at
            // every step and removed on submit. Anonymous forms never reach this table.
            try db.execute(sql: """
                CREATE TABLE draft (
                    owner_uid INTEGER PRIMARY KEY NOT NULL,
                    saved TEXT NOT NULL,
                    body TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4-case-event-text") { db in
            // Messages between handler and reporter, and the reporter's answers.
            try db.execute(sql: "ALTER TABLE case_event ADD COLUMN text TEXT")
        }
        migrator.registerMigration("v5-routing") { db in
            // Who a report is about, as the same-person key patterns count by; and a
            // structured detail for events (the routing decision).
            try db.execute(sql: """
                ALTER TABLE report ADD COLUMN subject_key TEXT;
                CREATE INDEX report_by_subject ON report(subject_key, submitted);
                ALTER TABLE case_event ADD COLUMN detail TEXT;
                """)
        }
        migrator.registerMigration("v6-staff-directory") { db in
            // The staff directory: reference data, replaced whole by each import.
            try db.execute(sql: """
                CREATE TABLE staff (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    unix_user TEXT,
                    role TEXT NOT NULL,
                    seniority TEXT NOT NULL,
                    manager_id TEXT,
                    ward TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v7-hold-index") { db in
            // Finding holds that have ended without reading every report.
            try db.execute(sql: "CREATE INDEX report_by_hold_end ON report(hold_until) WHERE hold_until IS NOT NULL")
        }
        migrator.registerMigration("v8-excluded-handlers") { db in
            // Handlers the reporter asked not to see the report, one per line.
            try db.execute(sql: "ALTER TABLE report ADD COLUMN excluded_handlers TEXT NOT NULL DEFAULT ''")
        }
        migrator.registerMigration("v9-subject-id") { db in
            // The subject's staff id, when the reporter picked them from the directory.
            try db.execute(sql: "ALTER TABLE report ADD COLUMN subject_id TEXT")
        }
        migrator.registerMigration("v10-stations-actors-audit") { db in
            // Where a report was raised (own login, ward terminal, kiosk), who did each
            // case event, and the audit trail (see AuditTrail).
            try db.execute(sql: """
                ALTER TABLE report ADD COLUMN station TEXT NOT NULL DEFAULT 'personal';
                ALTER TABLE report ADD COLUMN station_location TEXT;
                ALTER TABLE case_event ADD COLUMN actor TEXT;
                CREATE TRIGGER report_kiosk_is_anonymous BEFORE INSERT ON report
                WHEN NEW.station = 'kiosk' AND NEW.way_of_raising <> 'anonymous'
                BEGIN SELECT RAISE(ABORT, 'a kiosk takes anonymous reports only'); END;
                CREATE TRIGGER report_shared_login_is_not_the_reporter BEFORE INSERT ON report
                WHEN NEW.station <> 'personal' AND (NEW.reporter_user IS NOT NULL OR NEW.reporter_uid IS NOT NULL)
                BEGIN SELECT RAISE(ABORT, 'a shared terminal''s login is not kept as the reporter'); END;
                CREATE TRIGGER case_event_anonymous_reporter_unnamed BEFORE INSERT ON case_event
                WHEN NEW.actor IS NOT NULL AND NEW.kind IN ('received', 'reporter-message', 'speak-up-again')
                    AND (SELECT way_of_raising FROM report WHERE reference = NEW.reference) = 'anonymous'
                BEGIN SELECT RAISE(ABORT, 'an anonymous reporter is never named'); END;

                CREATE TABLE audit_record (
                    position INTEGER PRIMARY KEY CHECK (position >= 1),
                    at TEXT NOT NULL,
                    actor TEXT,
                    action TEXT NOT NULL,
                    reference TEXT,
                    detail TEXT,
                    previous_hash BLOB NOT NULL,
                    hash BLOB NOT NULL
                );
                CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record
                BEGIN SELECT RAISE(ABORT, 'audit records are appended, never changed'); END;
                CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_record
                BEGIN SELECT RAISE(ABORT, 'audit records are appended, never changed'); END;

                CREATE TABLE audit_waiting (
                    id TEXT PRIMARY KEY NOT NULL,
                    day TEXT NOT NULL CHECK (length(day) = 10),
                    action TEXT NOT NULL,
                    reference TEXT,
                    detail TEXT
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v11-guardians-workspace") { db in
            // The handlers' workspace tables, built from the reports and their events (frozen: V11CaseFiles).
            do {
                try V11CaseFiles.migrate(db)
            } catch let unknown as V11CaseFiles.UnknownValue {
                // A value v11's program did not know stopped the upgrade; only how that is reported lives here.
                throw StoreError(.damaged, unknown.description)
            }
        }
        migrator.registerMigration("v12-safe-routing") { db in
            // Other names a person goes by (the directory's known_as column), and cases that
            // wait, unrouted, for someone who can take them.
            try db.execute(sql: """
                ALTER TABLE staff ADD COLUMN known_as TEXT NOT NULL DEFAULT '';
                ALTER TABLE case_file ADD COLUMN unrouted INTEGER NOT NULL DEFAULT 0;
                UPDATE case_file SET unrouted = 1
                WHERE held = 0 AND NOT EXISTS (SELECT 1 FROM case_handler h WHERE h.reference = case_file.reference);
                CREATE INDEX case_file_unrouted ON case_file(reference) WHERE unrouted = 1;
                """)
        }
        migrator.registerMigration("v13-content-digests") { db in
            // Content digests for the audit records already written, vouched for by a chained upgrade
            // record dated by `clock` (frozen: V13ContentDigests).
            try V13ContentDigests.migrate(db, now: clock.now())
        }
        migrator.registerMigration("v14-search-prefixes") { db in
            // The full-text index keeps the starts of words (one, two and three letters) as well as
            // the words, so a search for a short start ("n", "ne") reads one list rather than merging
            // the lists of every word that starts so (tens of milliseconds a key over 100,000 cases).
            try db.execute(sql: """
                CREATE VIRTUAL TABLE case_text_new USING fts5(reference UNINDEXED, words,
                    tokenize = 'unicode61 remove_diacritics 2', detail = none, prefix = '1 2 3');
                INSERT INTO case_text_new (rowid, reference, words) SELECT rowid, reference, words FROM case_text;
                DROP TABLE case_text;
                ALTER TABLE case_text_new RENAME TO case_text;
                """)
        }
        migrator.registerMigration("v15-retention-and-erasure") { db in
            // Erasure under the retention policy (RetentionErasure): a case's erasure row and one
            // tombstone per erased event (the digest its audit record holds, and the digest of what
            // the erasure left), both appended, never changed. Reports and events stay append-only
            // except for the erasing update of a case whose erasure is recorded; an erased case takes
            // no new event; a closed case's receipt may be removed once its time is over.
            try db.execute(sql: """
                CREATE TABLE case_erasure (
                    reference TEXT PRIMARY KEY NOT NULL REFERENCES report(reference),
                    erased_on TEXT NOT NULL CHECK (length(erased_on) = 10),
                    rule TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE erased_event (
                    reference TEXT NOT NULL REFERENCES case_erasure(reference),
                    sequence INTEGER NOT NULL CHECK (sequence >= 1),
                    content BLOB NOT NULL,
                    remains BLOB NOT NULL,
                    PRIMARY KEY (reference, sequence)
                ) WITHOUT ROWID;
                CREATE TRIGGER case_erasure_no_update BEFORE UPDATE ON case_erasure
                BEGIN SELECT RAISE(ABORT, 'case_erasure rows are appended, never changed'); END;
                CREATE TRIGGER case_erasure_no_delete BEFORE DELETE ON case_erasure
                BEGIN SELECT RAISE(ABORT, 'case_erasure rows are appended, never changed'); END;
                CREATE TRIGGER erased_event_no_update BEFORE UPDATE ON erased_event
                BEGIN SELECT RAISE(ABORT, 'erased_event rows are appended, never changed'); END;
                CREATE TRIGGER erased_event_no_delete BEFORE DELETE ON erased_event
                BEGIN SELECT RAISE(ABORT, 'erased_event rows are appended, never changed'); END;

                DROP TRIGGER report_no_update;
                CREATE TRIGGER report_no_update BEFORE UPDATE ON report
                WHEN NEW.reference IS NOT OLD.reference OR NEW.way_of_raising IS NOT OLD.way_of_raising
                    OR NEW.submitted IS NOT OLD.submitted
                    OR NOT EXISTS (SELECT 1 FROM case_erasure WHERE reference = OLD.reference)
                BEGIN SELECT RAISE(ABORT, 'report rows are appended, never changed'); END;
                DROP TRIGGER case_event_no_update;
                CREATE TRIGGER case_event_no_update BEFORE UPDATE ON case_event
                WHEN NEW.reference IS NOT OLD.reference OR NEW.sequence IS NOT OLD.sequence OR NEW.kind IS NOT OLD.kind
                    OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
                    OR NOT EXISTS (SELECT 1 FROM case_erasure WHERE reference = OLD.reference)
                BEGIN SELECT RAISE(ABORT, 'case_event rows are appended, never changed'); END;
                CREATE TRIGGER case_event_not_after_erasure BEFORE INSERT ON case_event
                WHEN EXISTS (SELECT 1 FROM case_erasure WHERE reference = NEW.reference)
                BEGIN SELECT RAISE(ABORT, 'an erased case takes no new event'); END;
                DROP TRIGGER receipt_no_delete;
                CREATE TRIGGER receipt_no_delete BEFORE DELETE ON receipt
                WHEN NOT EXISTS (SELECT 1 FROM case_file WHERE reference = OLD.reference AND status = 'closed')
                BEGIN SELECT RAISE(ABORT, 'receipt rows are appended, never changed'); END;
                """)
        }
        // v15 is another change's (retention); v16 neither reads nor needs what it makes. GRDB applies
        // the migrations a store lacks in the order registered, so one with v16 gets v15 after it.
        migrator.registerMigration("v16-detriment-check-ins") { db in
            // Answers to detriment check-ins, and the link on the case a yes opens, are case events
            // (`detriment-check-in`, `detriment-linked`): an anonymous reporter's answers name nobody,
            // like their report, replies and feedback.
            try db.execute(sql: """
                DROP TRIGGER case_event_anonymous_reporter_unnamed;
                CREATE TRIGGER case_event_anonymous_reporter_unnamed BEFORE INSERT ON case_event
                WHEN NEW.actor IS NOT NULL
                    AND NEW.kind IN ('received', 'reporter-message', 'speak-up-again', 'detriment-check-in', 'detriment-linked')
                    AND (SELECT way_of_raising FROM report WHERE reference = NEW.reference) = 'anonymous'
                BEGIN SELECT RAISE(ABORT, 'an anonymous reporter is never named'); END;
                """)
        }
        migrator.registerMigration("v17-reporter-characteristics") { db in
            // How open and confidential reporters described themselves, for counting only
            // (CharacteristicsKeeping): no reference, reporter or day, a random key so rows sort
            // in no order the reports do, and appended, never changed.
            try db.execute(sql: """
                CREATE TABLE reporter_characteristics (
                    id TEXT PRIMARY KEY NOT NULL,
                    month TEXT NOT NULL CHECK (length(month) = 7),
                    ethnic_group TEXT NOT NULL,
                    disability TEXT NOT NULL,
                    sex TEXT NOT NULL,
                    sexual_orientation TEXT NOT NULL,
                    religion TEXT NOT NULL,
                    age_band TEXT NOT NULL,
                    training TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TRIGGER reporter_characteristics_no_update BEFORE UPDATE ON reporter_characteristics
                BEGIN SELECT RAISE(ABORT, 'reporters'' descriptions are appended, never changed'); END;
                CREATE TRIGGER reporter_characteristics_no_delete BEFORE DELETE ON reporter_characteristics
                BEGIN SELECT RAISE(ABORT, 'reporters'' descriptions are appended, never changed'); END;
                """)
        }
        migrator.registerMigration("v18-board-facts") { db in
            // What the board counts, kept on each case's row by `CaseProjection` (`BoardColumns`), so
            // `speakup board` counts a quarter in SQL from an index instead of reading every case's
            // events (docs/store.md, docs/performance.md). Filled here from the events, as
            // `CaseFactsTally` reads them: the first acknowledgement (or message, or closing), the
            // first closing, the last speak-up-again answer, the highest level any routing,
            // escalation or handler's change named (or the case's level now), and the highest of the
            // report's seniority and any a routed event's explanation says routing took.
            try db.execute(sql: """
                ALTER TABLE case_file ADD COLUMN raised_on TEXT NOT NULL DEFAULT '';
                ALTER TABLE case_file ADD COLUMN detriment INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE case_file ADD COLUMN subject_band TEXT NOT NULL DEFAULT 'unknown';
                ALTER TABLE case_file ADD COLUMN highest_level TEXT NOT NULL DEFAULT 'informal';
                ALTER TABLE case_file ADD COLUMN acknowledged_at REAL;
                ALTER TABLE case_file ADD COLUMN acknowledged_days REAL;
                ALTER TABLE case_file ADD COLUMN closed_at REAL;
                ALTER TABLE case_file ADD COLUMN closed_days REAL;
                ALTER TABLE case_file ADD COLUMN again TEXT;
                ALTER TABLE case_file ADD COLUMN again_on TEXT;
                \(StoreSchema.boardFactsBackfill)
                -- The quarter's cases, with everything the board groups them by: read from the index alone.
                CREATE INDEX case_file_board ON case_file(raised_on, detriment, subject_band, highest_level, acknowledged_days,
                    acknowledged_at, acknowledge_by, closed_days, closed_at, feed_back_by);
                CREATE INDEX case_file_again ON case_file(again_on, subject_band, again) WHERE again_on IS NOT NULL;
                CREATE INDEX case_event_check_in ON case_event(at) WHERE kind = 'detriment-check-in';
                """)
        }
        migrator.registerMigration("v19-retention-index") { db in
            // The retention run's plan finds closings old enough to be due through this index, rather
            // than reading every case event of the store (a partial index: closings only).
            try db.execute(sql: "CREATE INDEX case_event_closings ON case_event(at) WHERE kind = 'closed'")
        }
        migrator.registerMigration("v20-sealing-keys") { db in
            // Handlers' sealing keys (public half in clear, private half locked under their passphrase)
            // and the trust recovery key's public half (docs/security.md).
            try db.execute(sql: """
                CREATE TABLE sealing_key (
                    handler TEXT PRIMARY KEY NOT NULL,
                    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
                    locked_key BLOB NOT NULL,
                    kept_at TEXT NOT NULL,
                    failed_unlocks INTEGER NOT NULL DEFAULT 0,
                    last_failed_unlock TEXT
                ) STRICT;
                CREATE TABLE recovery_key (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
                    made_at TEXT NOT NULL
                ) STRICT;
                CREATE TRIGGER sealing_key_not_removed BEFORE DELETE ON sealing_key
                    BEGIN SELECT RAISE(ABORT, 'a handler''s sealing key is changed, never removed'); END;
                CREATE TRIGGER recovery_key_not_changed BEFORE UPDATE ON recovery_key
                    BEGIN SELECT RAISE(ABORT, 'the trust recovery key is written once'); END;
                CREATE TRIGGER recovery_key_not_removed BEFORE DELETE ON recovery_key
                    BEGIN SELECT RAISE(ABORT, 'the trust recovery key is written once'); END;
                """)
        }
        migrator.registerMigration("v21-sealed-reports") { db in
            // A sealing store (one with a recovery key) keeps a report's words sealed in `sealed`, the
            // words' own columns left empty, and the case's content key wrapped once per recipient.
            try db.execute(sql: """
                ALTER TABLE report ADD COLUMN sealed BLOB;
                CREATE TABLE case_key (
                    reference TEXT NOT NULL REFERENCES report(reference),
                    recipient TEXT NOT NULL,
                    wrapped BLOB NOT NULL,
                    PRIMARY KEY (reference, recipient)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v22-sealed-in-place") { db in
            // Sealing a store's earlier reports in place (`speakup store seal`, SealingInPlace): one
            // tombstone per event it changes (the digest its audit record holds, and the digest of what
            // sealing left), appended, never changed. Reports and events stay append-only except for an
            // erasure (v15) and this one change: a report's words emptied with its sealed words set where
            // there were none, and a note's text set to its sealed form.
            try db.execute(sql: """
                CREATE TABLE sealed_event (
                    reference TEXT NOT NULL REFERENCES report(reference),
                    sequence INTEGER NOT NULL CHECK (sequence >= 1),
                    content BLOB NOT NULL,
                    remains BLOB NOT NULL,
                    PRIMARY KEY (reference, sequence)
                ) WITHOUT ROWID;
                CREATE TRIGGER sealed_event_no_update BEFORE UPDATE ON sealed_event
                BEGIN SELECT RAISE(ABORT, 'sealed_event rows are appended, never changed'); END;
                CREATE TRIGGER sealed_event_no_delete BEFORE DELETE ON sealed_event
                BEGIN SELECT RAISE(ABORT, 'sealed_event rows are appended, never changed'); END;

                DROP TRIGGER report_no_update;
                CREATE TRIGGER report_no_update BEFORE UPDATE ON report
                WHEN NEW.reference IS NOT OLD.reference OR NEW.way_of_raising IS NOT OLD.way_of_raising
                    OR NEW.submitted IS NOT OLD.submitted
                    OR (NOT EXISTS (SELECT 1 FROM case_erasure WHERE reference = OLD.reference)
                        AND NOT (OLD.sealed IS NULL AND NEW.sealed IS NOT NULL AND NEW.account = '' AND NEW.witnesses = ''
                                 AND NEW.staff_impact = '' AND NEW.location IS OLD.location AND NEW.subject_name IS OLD.subject_name
                                 AND NEW.subject_role IS OLD.subject_role AND NEW.reporter_user IS OLD.reporter_user
                                 AND NEW.reporter_uid IS OLD.reporter_uid))
                BEGIN SELECT RAISE(ABORT, 'report rows are appended, never changed'); END;
                DROP TRIGGER case_event_no_update;
                CREATE TRIGGER case_event_no_update BEFORE UPDATE ON case_event
                WHEN NEW.reference IS NOT OLD.reference OR NEW.sequence IS NOT OLD.sequence OR NEW.kind IS NOT OLD.kind
                    OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
                    OR (NOT EXISTS (SELECT 1 FROM case_erasure WHERE reference = OLD.reference)
                        AND NOT (OLD.kind = 'note' AND OLD.text NOT LIKE 'sealed-v1:%' AND NEW.text LIKE 'sealed-v1:%'
                                 AND NEW.detail IS OLD.detail))
                BEGIN SELECT RAISE(ABORT, 'case_event rows are appended, never changed'); END;
                """)
        }
        migrator.registerMigration("v23-sealed-subject") { db in
            // A store sealing the subject's name as typed keeps, in its place, what the conflict rules
            // found when the report was routed (`SubjectFacts`, JSON): candidates' staff ids and which
            // handlers the name fitted, never the name. NULL for every report whose name is in clear.
            // `store seal` may then seal a name in place too: emptied, with the facts set for the first time.
            try db.execute(sql: """
                ALTER TABLE report ADD COLUMN subject_facts TEXT;
                DROP TRIGGER report_no_update;
                CREATE TRIGGER report_no_update BEFORE UPDATE ON report
                WHEN NEW.reference IS NOT OLD.reference OR NEW.way_of_raising IS NOT OLD.way_of_raising
                    OR NEW.submitted IS NOT OLD.submitted
                    OR (NOT EXISTS (SELECT 1 FROM case_erasure WHERE reference = OLD.reference)
                        AND NOT (OLD.sealed IS NULL AND NEW.sealed IS NOT NULL AND NEW.account = '' AND NEW.witnesses = ''
                                 AND NEW.staff_impact = '' AND NEW.location IS OLD.location AND NEW.reporter_user IS OLD.reporter_user
                                 AND NEW.reporter_uid IS OLD.reporter_uid
                                 AND ((NEW.subject_name IS OLD.subject_name AND NEW.subject_role IS OLD.subject_role
                                       AND NEW.subject_facts IS OLD.subject_facts)
                                      OR (OLD.subject_facts IS NULL AND NEW.subject_facts IS NOT NULL
                                          AND NEW.subject_name IS NULL AND NEW.subject_role = ''))))
                BEGIN SELECT RAISE(ABORT, 'report rows are appended, never changed'); END;
                """)
        }
        migrator.registerMigration("v24-case-keys-appended") { db in
            // The same rows, kept in the order they are written: a submit's eleven or more wrapped keys
            // (about 1.3 KB) go to the end of the table, and only their short (case, recipient) entries to
            // the index. Keyed by the random case reference, as v21 kept them, they split a page of the
            // table nearly every submit: 4.3 pages written to the log a submit, measured (docs/performance.md).
            try db.execute(sql: """
                CREATE TABLE case_key_appended (
                    reference TEXT NOT NULL REFERENCES report(reference),
                    recipient TEXT NOT NULL,
                    wrapped BLOB NOT NULL,
                    UNIQUE (reference, recipient)
                );
                INSERT INTO case_key_appended (reference, recipient, wrapped) SELECT reference, recipient, wrapped FROM case_key;
                DROP TABLE case_key;
                ALTER TABLE case_key_appended RENAME TO case_key;
                """)
        }
        migrator.registerMigration("v25-subject-checks") { db in
            // Handlers checked against a sealed name after the report was routed (`SubjectCheck`), by
            // someone who could open the name: whether it fits them. Appended, never changed; removed only
            // with the rest of an erased case (a check that fits says whom the name may mean).
            try db.execute(sql: """
                CREATE TABLE subject_check (
                    reference TEXT NOT NULL REFERENCES report(reference),
                    handler TEXT NOT NULL,
                    fits INTEGER NOT NULL CHECK (fits IN (0, 1)),
                    checked_at TEXT NOT NULL,
                    checked_by TEXT NOT NULL,
                    PRIMARY KEY (reference, handler)
                ) WITHOUT ROWID;
                CREATE TRIGGER subject_check_no_update BEFORE UPDATE ON subject_check
                BEGIN SELECT RAISE(ABORT, 'subject checks are appended, never changed'); END;
                CREATE TRIGGER subject_check_no_delete BEFORE DELETE ON subject_check
                WHEN NOT EXISTS (SELECT 1 FROM case_erasure WHERE reference = OLD.reference)
                BEGIN SELECT RAISE(ABORT, 'subject checks are appended, never changed'); END;
                """)
        }
        migrator.registerMigration("v26-sealed-names") { db in
            // A report whose words were sealed before the installation had its subject-key secret may have
            // its subject's name and role sealed with them later (`speakup store seal --names`): its sealed
            // words replaced (the same content key, the name laid in), the name and role emptied, the facts set
            // for the first time, and nothing else of the row changed. Its first event's digest before and
            // after is kept as a tombstone, appended, never changed.
            try db.execute(sql: """
                CREATE TABLE sealed_name (
                    reference TEXT PRIMARY KEY NOT NULL REFERENCES report(reference),
                    content BLOB NOT NULL,
                    remains BLOB NOT NULL
                ) WITHOUT ROWID;
                CREATE TRIGGER sealed_name_no_update BEFORE UPDATE ON sealed_name
                BEGIN SELECT RAISE(ABORT, 'sealed_name rows are appended, never changed'); END;
                CREATE TRIGGER sealed_name_no_delete BEFORE DELETE ON sealed_name
                BEGIN SELECT RAISE(ABORT, 'sealed_name rows are appended, never changed'); END;

                DROP TRIGGER report_no_update;
                CREATE TRIGGER report_no_update BEFORE UPDATE ON report
                WHEN NEW.reference IS NOT OLD.reference OR NEW.way_of_raising IS NOT OLD.way_of_raising
                    OR NEW.submitted IS NOT OLD.submitted
                    OR (NOT EXISTS (SELECT 1 FROM case_erasure WHERE reference = OLD.reference)
                        AND NOT (OLD.sealed IS NULL AND NEW.sealed IS NOT NULL AND NEW.account = '' AND NEW.witnesses = ''
                                 AND NEW.staff_impact = '' AND NEW.location IS OLD.location AND NEW.reporter_user IS OLD.reporter_user
                                 AND NEW.reporter_uid IS OLD.reporter_uid
                                 AND ((NEW.subject_name IS OLD.subject_name AND NEW.subject_role IS OLD.subject_role
                                       AND NEW.subject_facts IS OLD.subject_facts)
                                      OR (OLD.subject_facts IS NULL AND NEW.subject_facts IS NOT NULL
                                          AND NEW.subject_name IS NULL AND NEW.subject_role = '')))
                        AND NOT (OLD.sealed IS NOT NULL AND NEW.sealed IS NOT NULL AND OLD.subject_facts IS NULL
                                 AND NEW.subject_facts IS NOT NULL AND NEW.subject_name IS NULL AND NEW.subject_role = ''
                                 AND NEW.subject_seniority IS OLD.subject_seniority AND NEW.location IS OLD.location
                                 AND NEW.account IS OLD.account AND NEW.reporter_user IS OLD.reporter_user
                                 AND NEW.reporter_uid IS OLD.reporter_uid AND NEW.occurred_on IS OLD.occurred_on
                                 AND NEW.occurred_at IS OLD.occurred_at AND NEW.patient_harm IS OLD.patient_harm
                                 AND NEW.staff_impact IS OLD.staff_impact AND NEW.witnesses IS OLD.witnesses
                                 AND NEW.desired_outcome IS OLD.desired_outcome AND NEW.hold_until IS OLD.hold_until
                                 AND NEW.reporter_name IS OLD.reporter_name AND NEW.reporter_contact IS OLD.reporter_contact
                                 AND NEW.reporter_group IS OLD.reporter_group AND NEW.excluded_handlers IS OLD.excluded_handlers
                                 AND NEW.subject_id IS OLD.subject_id AND NEW.station IS OLD.station
                                 AND NEW.station_location IS OLD.station_location))
                BEGIN SELECT RAISE(ABORT, 'report rows are appended, never changed'); END;
                """)
        }
        return migrator
    }

    /// Fills the board columns (v18) of every case from its report and events: also what
    /// `speakup-bench` runs after filling a store with SQL. (Frozen with v18: never change it.)
    public static let boardFactsBackfill = """
        WITH band(name, rank) AS (VALUES ('student', 0), ('staff', 1), ('practitioner', 2), ('senior-practitioner', 3), ('manager', 4),
                                         ('senior-clinician', 5), ('director', 6), ('executive', 7), ('chief-executive', 8), ('board', 9)),
             pyramid(name, rank) AS (VALUES ('informal', 0), ('awareness', 1), ('authority', 2), ('disciplinary', 3), ('urgent', 4))
        UPDATE case_file SET
            raised_on = (SELECT substr(r.submitted, 1, 10) FROM report r WHERE r.reference = case_file.reference),
            detriment = EXISTS (SELECT 1 FROM report_concern c WHERE c.reference = case_file.reference AND c.category = 'detriment'),
            subject_band = coalesce((
                SELECT b.name FROM band b
                WHERE b.name = (SELECT r.subject_seniority FROM report r WHERE r.reference = case_file.reference)
                   OR b.name IN (
                        SELECT CASE WHEN instr(t.taken, ',') > 0 THEN substr(t.taken, 1, instr(t.taken, ',') - 1) ELSE t.taken END
                        FROM (SELECT substr(e.detail, instr(e.detail, 'Seniority taken as ') + 19, 24) AS taken FROM case_event e
                              WHERE e.reference = case_file.reference AND e.kind = 'routed' AND instr(e.detail, 'Seniority taken as ') > 0) t)
                ORDER BY b.rank DESC LIMIT 1), 'unknown'),
            highest_level = coalesce((
                SELECT p.name FROM pyramid p
                WHERE p.name = case_file.level
                   OR p.name IN (SELECT json_extract(e.detail, '$.level') FROM case_event e
                                 WHERE e.reference = case_file.reference AND e.kind IN ('routed', 'escalated', 'level-changed'))
                ORDER BY p.rank DESC LIMIT 1), 'informal'),
            acknowledged_at = (SELECT unixepoch(e.at) FROM case_event e
                               WHERE e.reference = case_file.reference AND e.kind IN ('acknowledged', 'handler-message', 'closed')
                               ORDER BY e.sequence LIMIT 1),
            closed_at = (SELECT unixepoch(e.at) FROM case_event e WHERE e.reference = case_file.reference AND e.kind = 'closed'
                         ORDER BY e.sequence LIMIT 1),
            again = (SELECT e.text FROM case_event e WHERE e.reference = case_file.reference AND e.kind = 'speak-up-again'
                     ORDER BY e.sequence DESC LIMIT 1),
            again_on = (SELECT substr(e.at, 1, 10) FROM case_event e WHERE e.reference = case_file.reference AND e.kind = 'speak-up-again'
                        ORDER BY e.sequence DESC LIMIT 1);
        UPDATE case_file SET
            acknowledged_days = max(0, acknowledged_at - (SELECT unixepoch(r.submitted) FROM report r WHERE r.reference = case_file.reference)) / 86400.0,
            closed_days = max(0, closed_at - (SELECT unixepoch(r.submitted) FROM report r WHERE r.reference = case_file.reference)) / 86400.0
        WHERE acknowledged_at IS NOT NULL;
        """
}
