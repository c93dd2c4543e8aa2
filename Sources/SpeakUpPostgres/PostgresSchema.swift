import Foundation
import PostgresNIO
import SpeakUpCore

/// The PostgreSQL store's schema, one frozen, versioned migration at a time: plain SQL, never
/// application code, so what a migration does cannot change when the program does. Never
/// edit a shipped migration: add the next one.
///
/// `pg-v1` is the SQLite store's schema after its v14 migration (`StoreSchema`), translated:
/// - times stay TEXT in the same formats, so the same row code reads both engines; text that
///   is compared or ordered (keys, ranks, days, deadlines) is `COLLATE "C"`, byte by byte as in SQLite;
/// - the anonymity rules are CHECK constraints on `report` (SQLite's insert triggers become checks,
///   which also hold for any later change); naming an anonymous reporter in a case event stays a trigger;
/// - reports, their concerns, case events, receipts and audit records are appended, never
///   changed: triggers refuse UPDATE, DELETE and TRUNCATE, and `speakup_app` is granted neither;
/// - the audit chain's head is a one-row table, `audit_head`: a writer locks it (`SELECT … FOR
///   UPDATE`) before working out the next record, and a trigger refuses a record that does not
///   follow it, then moves it on, so two writers can never chain onto the same record;
/// - FTS5's `case_text` becomes a table with a `tsvector` column and a GIN index. The writer keeps
///   `terms`: the words as `SearchTerms` folds them (lower case, accents off), separated by single
///   spaces; the index holds those words exactly, with no stemming, and is queried with
///   `search @@ $1::tsquery` where $1 is `'shouted' & 'at' & 'p':*` (the last word a prefix);
/// - `speakup_app` is granted what the program needs (see `PostgresRoles`).
public enum PostgresSchema {
    /// A migration: its name, recorded in `speakup_schema` once applied, and its SQL.
    public struct Migration: Sendable {
        public var name: String
        public var sql: String
    }

    /// The key of the transaction-level advisory lock migrations run under ("SPEAKUP" + 1), so two
    /// hosts starting at once run them one after the other: the second then finds nothing to do.
    public static let migrationLock: Int64 = 0x5350_4541_4B55_5001

    /// Seconds a migration may take, including the wait for another host's.
    public static let migrationDeadline = 300.0

    /// Every migration, in order.
    public static let migrations: [Migration] = [
        Migration(name: "pg-v1", sql: pgV1), Migration(name: "pg-v2", sql: pgV2), Migration(name: "pg-v3", sql: pgV3),
        Migration(name: "pg-v4", sql: pgV4), Migration(name: "pg-v5-board-facts", sql: pgV5BoardFacts),
        Migration(name: "pg-v6-retention-index", sql: pgV6RetentionIndex),
        Migration(name: "pg-v7-sealing-keys", sql: pgV7SealingKeys),
        Migration(name: "pg-v8-sealed-reports", sql: pgV8SealedReports),
        Migration(name: "pg-v9-sealed-in-place", sql: pgV9SealedInPlace),
        Migration(name: "pg-v10-sealed-subject", sql: pgV10SealedSubject),
        Migration(name: "pg-v11-subject-checks", sql: pgV11SubjectChecks),
        Migration(name: "pg-v12-search-from-matches", sql: pgV12SearchFromMatches),
        Migration(name: "pg-v13-sealed-names", sql: pgV13SealedNames),
        Migration(name: "pg-v14-submit-in-one-statement", sql: pgV14SubmitInOneStatement),
        Migration(name: "pg-v15-chained-at-commit", sql: pgV15ChainedAtCommit),
        Migration(name: "pg-v16-audit-hash-inlined", sql: pgV16AuditHashInlined),
    ]

    /// Applies the migrations the database has not had yet, all in one transaction, under the
    /// advisory lock. A database with a migration this program does not know was set up by a
    /// newer SpeakUp: it is refused (`.newerVersion`) and left as it is. Run it logged in as
    /// `speakup_owner`, which owns what it creates. Returns the names of those applied.
    @discardableResult
    public static func migrate(_ session: PostgresSession) throws(StoreError) -> [String] {
        do {
            return try session.transaction { session throws(StoreError) -> [String] in
                _ = try session.query("SELECT pg_advisory_xact_lock(\(migrationLock))", deadline: migrationDeadline)
                // The program's own login may not create anything: the table is made only where it is
                // missing (a new database, set up by its owner with `speakup store migrate`).
                let listed = try session.query("SELECT to_regclass('speakup_schema') IS NOT NULL", deadline: migrationDeadline)
                let isListed: Bool
                do { isListed = try listed.first?.decode(Bool.self) ?? false } catch {
                    throw StoreError(.damaged, "The PostgreSQL store at \(session.endpoint) did not say whether its schema is set up. Please tell IT.")
                }
                if !isListed {
                    _ = try session.query("""
                        CREATE TABLE speakup_schema (
                            name TEXT COLLATE "C" PRIMARY KEY,
                            applied TEXT NOT NULL
                        )
                        """)
                }
                var applied: [String] = []
                for row in try session.query("SELECT name FROM speakup_schema ORDER BY name") {
                    do { applied.append(try row.decode(String.self)) } catch {
                        throw StoreError(.damaged, "The list of applied migrations in the PostgreSQL store at \(session.endpoint) cannot be read. Please tell IT.")
                    }
                }
                let known = Set(migrations.map(\.name))
                if let unknown = applied.first(where: { !known.contains($0) }) {
                    throw StoreError(.newerVersion, "The PostgreSQL store at \(session.endpoint) was set up by a newer SpeakUp (it has the change \"\(unknown)\", which this SpeakUp does not know), so this one will not use it or change it. Please install the newer SpeakUp on this host too.")
                }
                var done: [String] = []
                for migration in migrations where !applied.contains(migration.name) {
                    try session.execute(migration.sql, deadline: migrationDeadline)
                    let moment = SubmissionTime.instant(Date()).text
                    _ = try session.query("INSERT INTO speakup_schema (name, applied) VALUES (\(migration.name), \(moment))")
                    done.append(migration.name)
                }
                return done
            }
        } catch let error as StoreError {
            throw error.kind == .readOnly && error.sentence.contains("does not allow SpeakUp's login") ? ownerNeeded(at: session.endpoint) : error
        } catch {
            throw PostgresFailure.failed(error, at: session.endpoint, doing: "setting up the store")
        }
    }

    /// Why a login that may not create tables could not set the store up, and who can.
    static func ownerNeeded(at endpoint: PostgresAddress.Endpoint) -> StoreError {
        StoreError(.cannotOpen, "The PostgreSQL store at \(endpoint) has not been set up for this version of SpeakUp, and SpeakUp's own login may not change its tables. The database's owner sets it up, once: speakup store migrate 'postgresql://speakup_owner@…' (docs/deployment.md). Please tell IT.")
    }

    /// The retention run's plan finds closings old enough to be due through this index, rather than
    /// reading every case event (SQLite's v19-retention-index; a partial index: closings only).
    /// Handlers' sealing keys and the trust recovery key's public half: SQLite's v20 (docs/security.md).
    /// The program may add a handler's key and change it (a new passphrase, a count of wrong ones),
    /// never remove one; the recovery key is written once.
    static let pgV7SealingKeys = #"""
        CREATE TABLE sealing_key (
            handler text PRIMARY KEY,
            public_key bytea NOT NULL CHECK (length(public_key) = 32),
            locked_key bytea NOT NULL,
            kept_at text NOT NULL,
            failed_unlocks bigint NOT NULL DEFAULT 0,
            last_failed_unlock text
        );
        CREATE TABLE recovery_key (
            id bigint PRIMARY KEY CHECK (id = 1),
            public_key bytea NOT NULL CHECK (length(public_key) = 32),
            made_at text NOT NULL
        );
        GRANT SELECT, INSERT, UPDATE ON sealing_key TO speakup_app;
        GRANT SELECT, INSERT ON recovery_key TO speakup_app;
        """#

    /// A report's words sealed, and its content key wrapped per recipient: SQLite's v21 (docs/security.md).
    /// Erasure under the retention policy blanks `sealed` and removes the wrapped keys.
    static let pgV8SealedReports = #"""
        ALTER TABLE report ADD COLUMN sealed bytea;
        CREATE TABLE case_key (
            reference text NOT NULL REFERENCES report(reference),
            recipient text NOT NULL,
            wrapped bytea NOT NULL,
            PRIMARY KEY (reference, recipient)
        );
        GRANT SELECT, INSERT, DELETE ON case_key TO speakup_app;
        GRANT UPDATE (wrapped) ON case_key TO speakup_app;
        GRANT UPDATE (sealed) ON report TO speakup_app;
        """#

    /// Sealing earlier reports in place (`speakup store seal`): SQLite's v22. One tombstone per event changed,
    /// appended, never changed; the update check lets through, besides an erasure, a report's words emptied
    /// with its sealed words set where there were none, and a note's text set to its sealed form.
    /// SQLite's v23: what stands in for a sealed subject's name (`SubjectFacts`), blanked by an erasure.
    static let pgV10SealedSubject = #"""
        ALTER TABLE report ADD COLUMN subject_facts TEXT;
        GRANT UPDATE (subject_facts) ON report TO speakup_app;
        CREATE OR REPLACE FUNCTION speakup_erase_or_refuse() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            -- (Nested: each table's columns are named only where that table is the one changed.)
            IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM case_erasure WHERE reference = OLD.reference) THEN
                IF TG_TABLE_NAME = 'report' THEN
                    IF NEW.reference = OLD.reference AND NEW.way_of_raising = OLD.way_of_raising AND NEW.submitted = OLD.submitted THEN
                        RETURN NEW;
                    END IF;
                ELSIF TG_TABLE_NAME = 'case_event' THEN
                    IF NEW.reference = OLD.reference AND NEW.sequence = OLD.sequence AND NEW.kind = OLD.kind AND NEW.at = OLD.at
                        AND NEW.actor IS NOT DISTINCT FROM OLD.actor THEN
                        RETURN NEW;
                    END IF;
                END IF;
            END IF;
            -- Sealing in place: words emptied where sealed words are set for the first time (and the subject's name and role,
            -- with the facts kept in their place); a note's text sealed.
            IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'report' THEN
                IF OLD.sealed IS NULL AND NEW.sealed IS NOT NULL AND NEW.account = '' AND NEW.witnesses = '' AND NEW.staff_impact = ''
                    AND NEW.reference = OLD.reference AND NEW.way_of_raising = OLD.way_of_raising AND NEW.submitted = OLD.submitted
                    AND NEW.location IS NOT DISTINCT FROM OLD.location AND NEW.reporter_user IS NOT DISTINCT FROM OLD.reporter_user
                    AND NEW.reporter_uid IS NOT DISTINCT FROM OLD.reporter_uid
                    AND ((NEW.subject_name IS NOT DISTINCT FROM OLD.subject_name AND NEW.subject_role IS NOT DISTINCT FROM OLD.subject_role
                          AND NEW.subject_facts IS NOT DISTINCT FROM OLD.subject_facts)
                         OR (OLD.subject_facts IS NULL AND NEW.subject_facts IS NOT NULL AND NEW.subject_name IS NULL AND NEW.subject_role = '')) THEN
                    RETURN NEW;
                END IF;
            ELSIF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'case_event' THEN
                IF OLD.kind = 'note' AND OLD.text NOT LIKE 'sealed-v1:%' AND NEW.text LIKE 'sealed-v1:%'
                    AND NEW.reference = OLD.reference AND NEW.sequence = OLD.sequence AND NEW.kind = OLD.kind AND NEW.at = OLD.at
                    AND NEW.actor IS NOT DISTINCT FROM OLD.actor AND NEW.detail IS NOT DISTINCT FROM OLD.detail THEN
                    RETURN NEW;
                END IF;
            END IF;
            IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'receipt'
                AND EXISTS (SELECT 1 FROM case_file WHERE reference = OLD.reference AND status = 'closed') THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001';
        END
        $fn$;
        """#

    /// The server's audit hash worked out in the statement that calls it, not by calling a function per
    /// field: `speakup_audit_field` uses `convert_to`, which PostgreSQL counts as STABLE, so a function
    /// marked IMMUTABLE around it was never written into its caller (inlined) but run on its own, its body
    /// parsed and planned again at every call (seven calls a record, at each COMMIT: about a tenth of
    /// the server's time for a submit, by `perf`). Marked STABLE, as what they call is, both are inlined;
    /// the hash is the same bytes (the tests compare it with `AuditChain.digest`).
    static let pgV16AuditHashInlined = #"""
        ALTER FUNCTION speakup_audit_field(TEXT) STABLE;
        ALTER FUNCTION speakup_audit_hash(BIGINT, BYTEA, TEXT, TEXT, TEXT, TEXT, TEXT, INTEGER, BYTEA) STABLE;
        """#

    /// The audit records of a submit in one statement are chained as its transaction commits: written to
    /// `audit_unchained`, whose deferred trigger locks the chain's head, chains each (in the order written,
    /// its hash by `speakup_audit_hash`; `audit_record`'s own trigger checks the link and moves the head on)
    /// and removes it, all inside the COMMIT. The head is then held from the COMMIT to its flush, with no
    /// wait on the client between. The table is empty outside a transaction.
    static let pgV15ChainedAtCommit = #"""
        CREATE TABLE audit_unchained (
            id TEXT COLLATE "C" PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT,
            action TEXT NOT NULL,
            reference TEXT COLLATE "C",
            detail TEXT,
            event INTEGER,
            content BYTEA
        );
        CREATE FUNCTION audit_unchained_chain() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE
            head_position BIGINT;
            head_hash BYTEA;
        BEGIN
            SELECT h.position, h.hash INTO head_position, head_hash FROM audit_head h FOR UPDATE;
            INSERT INTO audit_record (position, at, actor, action, reference, detail, event, content, previous_hash, hash)
            VALUES (head_position + 1, NEW.at, NEW.actor, NEW.action, NEW.reference, NEW.detail, NEW.event, NEW.content, head_hash,
                    speakup_audit_hash(head_position + 1, head_hash, NEW.at, NEW.actor, NEW.action, NEW.reference, NEW.detail,
                                       NEW.event, NEW.content));
            DELETE FROM audit_unchained WHERE id = NEW.id;
            RETURN NULL;
        END
        $fn$;
        CREATE CONSTRAINT TRIGGER audit_unchained_chain AFTER INSERT ON audit_unchained DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION audit_unchained_chain();
        GRANT SELECT, INSERT, DELETE ON audit_unchained TO speakup_app;
        """#

    /// A submit in one statement (`PostgresSubmitStatement`): the server works out an audit record's
    /// hash (`speakup_audit_hash`, byte for byte `AuditChain.digest`: the previous hash, then each field
    /// as its UTF-8 length in four bytes, big-endian, and its bytes, or FF FF FF FF for none), so the
    /// record can be written in the statement that locks the chain's head; and the check that an
    /// anonymous reporter's events name nobody runs after the row is written (at the end of its
    /// statement), so it sees a report written by the same statement.
    static let pgV14SubmitInOneStatement = #"""
        CREATE FUNCTION speakup_audit_field(field TEXT) RETURNS BYTEA LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
            SELECT CASE WHEN field IS NULL THEN '\xffffffff'::bytea
                        ELSE int4send(octet_length(convert_to(field, 'UTF8'))) || convert_to(field, 'UTF8') END
        $fn$;
        CREATE FUNCTION speakup_audit_hash(chain_position BIGINT, previous BYTEA, at_text TEXT, actor TEXT, action TEXT,
                                           case_reference TEXT, detail TEXT, event INTEGER, content BYTEA)
            RETURNS BYTEA LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
            SELECT sha256(previous || speakup_audit_field(chain_position::text) || speakup_audit_field(at_text)
                          || speakup_audit_field(actor) || speakup_audit_field(action) || speakup_audit_field(case_reference)
                          || speakup_audit_field(detail)
                          || CASE WHEN content IS NULL THEN ''::bytea
                                  ELSE speakup_audit_field(encode(content, 'hex')) || speakup_audit_field(event::text) END)
        $fn$;
        DROP TRIGGER case_event_anonymous_reporter_unnamed ON case_event;
        CREATE TRIGGER case_event_anonymous_reporter_unnamed AFTER INSERT ON case_event
            FOR EACH ROW EXECUTE FUNCTION case_event_anonymous_reporter_unnamed();
        """#

    /// SQLite's v26: a report's subject's name sealed later, with words sealed already (`speakup store seal
    /// --names`): one tombstone per case, appended, never changed; the update check lets that one change through.
    static let pgV13SealedNames = #"""
        CREATE TABLE sealed_name (
            reference TEXT COLLATE "C" PRIMARY KEY REFERENCES report (reference),
            content BYTEA NOT NULL,
            remains BYTEA NOT NULL
        );
        CREATE TRIGGER sealed_name_no_change BEFORE UPDATE OR DELETE ON sealed_name
            FOR EACH ROW EXECUTE FUNCTION speakup_refuse_change('sealed_name rows are appended, never changed');
        CREATE TRIGGER sealed_name_no_truncate BEFORE TRUNCATE ON sealed_name
            FOR EACH STATEMENT EXECUTE FUNCTION speakup_refuse_change('sealed_name rows are appended, never changed');
        GRANT SELECT, INSERT ON sealed_name TO speakup_app;
        CREATE OR REPLACE FUNCTION speakup_erase_or_refuse() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            -- (Nested: each table's columns are named only where that table is the one changed.)
            IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM case_erasure WHERE reference = OLD.reference) THEN
                IF TG_TABLE_NAME = 'report' THEN
                    IF NEW.reference = OLD.reference AND NEW.way_of_raising = OLD.way_of_raising AND NEW.submitted = OLD.submitted THEN
                        RETURN NEW;
                    END IF;
                ELSIF TG_TABLE_NAME = 'case_event' THEN
                    IF NEW.reference = OLD.reference AND NEW.sequence = OLD.sequence AND NEW.kind = OLD.kind AND NEW.at = OLD.at
                        AND NEW.actor IS NOT DISTINCT FROM OLD.actor THEN
                        RETURN NEW;
                    END IF;
                END IF;
            END IF;
            -- Sealing in place: words emptied where sealed words are set for the first time (and the subject's name and role,
            -- with the facts kept in their place); a note's text sealed.
            IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'report' THEN
                IF OLD.sealed IS NULL AND NEW.sealed IS NOT NULL AND NEW.account = '' AND NEW.witnesses = '' AND NEW.staff_impact = ''
                    AND NEW.reference = OLD.reference AND NEW.way_of_raising = OLD.way_of_raising AND NEW.submitted = OLD.submitted
                    AND NEW.location IS NOT DISTINCT FROM OLD.location AND NEW.reporter_user IS NOT DISTINCT FROM OLD.reporter_user
                    AND NEW.reporter_uid IS NOT DISTINCT FROM OLD.reporter_uid
                    AND ((NEW.subject_name IS NOT DISTINCT FROM OLD.subject_name AND NEW.subject_role IS NOT DISTINCT FROM OLD.subject_role
                          AND NEW.subject_facts IS NOT DISTINCT FROM OLD.subject_facts)
                         OR (OLD.subject_facts IS NULL AND NEW.subject_facts IS NOT NULL AND NEW.subject_name IS NULL AND NEW.subject_role = '')) THEN
                    RETURN NEW;
                END IF;
                -- A name sealed later with words sealed already: the words sealed again, the name and role emptied, the facts
                -- set for the first time, the same-person key changed, and nothing else.
                IF OLD.sealed IS NOT NULL AND NEW.sealed IS NOT NULL AND OLD.subject_facts IS NULL AND NEW.subject_facts IS NOT NULL
                    AND NEW.subject_name IS NULL AND NEW.subject_role = ''
                    AND to_jsonb(NEW) - ARRAY['sealed', 'subject_name', 'subject_role', 'subject_key', 'subject_facts']
                        = to_jsonb(OLD) - ARRAY['sealed', 'subject_name', 'subject_role', 'subject_key', 'subject_facts'] THEN
                    RETURN NEW;
                END IF;
            ELSIF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'case_event' THEN
                IF OLD.kind = 'note' AND OLD.text NOT LIKE 'sealed-v1:%' AND NEW.text LIKE 'sealed-v1:%'
                    AND NEW.reference = OLD.reference AND NEW.sequence = OLD.sequence AND NEW.kind = OLD.kind AND NEW.at = OLD.at
                    AND NEW.actor IS NOT DISTINCT FROM OLD.actor AND NEW.detail IS NOT DISTINCT FROM OLD.detail THEN
                    RETURN NEW;
                END IF;
            END IF;
            IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'receipt'
                AND EXISTS (SELECT 1 FROM case_file WHERE reference = OLD.reference AND status = 'closed') THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001';
        END
        $fn$;
        """#

    /// Handlers checked against a sealed name after the report was routed (`SubjectCheck`): appended,
    /// never changed; removed only with the rest of an erased case (a check that fits says whom the name
    /// may mean).
    /// A search for words in few cases starts from the matches (`PostgresQueueSearch`): each one's
    /// handler row, with what the queue sorts and filters on, from the index alone.
    static let pgV12SearchFromMatches = #"""
        CREATE UNIQUE INDEX case_handler_by_case_ranked ON case_handler (reference, handler) INCLUDE (rank, level);
        DROP INDEX case_handler_by_case;
        """#

    static let pgV11SubjectChecks = #"""
        CREATE TABLE subject_check (
            reference TEXT COLLATE "C" NOT NULL REFERENCES report (reference),
            handler TEXT COLLATE "C" NOT NULL,
            fits INTEGER NOT NULL CHECK (fits IN (0, 1)),
            checked_at TEXT NOT NULL,
            checked_by TEXT NOT NULL,
            PRIMARY KEY (reference, handler)
        );
        CREATE FUNCTION speakup_subject_check_refuse() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM case_erasure WHERE reference = OLD.reference) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'subject checks are appended, never changed';
        END
        $fn$;
        CREATE TRIGGER subject_check_no_change BEFORE UPDATE OR DELETE ON subject_check
            FOR EACH ROW EXECUTE FUNCTION speakup_subject_check_refuse();
        CREATE TRIGGER subject_check_no_truncate BEFORE TRUNCATE ON subject_check
            FOR EACH STATEMENT EXECUTE FUNCTION speakup_refuse_change('subject checks are appended, never changed');
        GRANT SELECT, INSERT, DELETE ON subject_check TO speakup_app;
        """#

    static let pgV9SealedInPlace = #"""
        CREATE TABLE sealed_event (
            reference TEXT COLLATE "C" NOT NULL REFERENCES report (reference),
            sequence INTEGER NOT NULL CHECK (sequence >= 1),
            content BYTEA NOT NULL,
            remains BYTEA NOT NULL,
            PRIMARY KEY (reference, sequence)
        );
        CREATE TRIGGER sealed_event_no_change BEFORE UPDATE OR DELETE ON sealed_event
            FOR EACH ROW EXECUTE FUNCTION speakup_refuse_change('sealed_event rows are appended, never changed');
        CREATE TRIGGER sealed_event_no_truncate BEFORE TRUNCATE ON sealed_event
            FOR EACH STATEMENT EXECUTE FUNCTION speakup_refuse_change('sealed_event rows are appended, never changed');
        CREATE OR REPLACE FUNCTION speakup_erase_or_refuse() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            -- (Nested: each table's columns are named only where that table is the one changed.)
            IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM case_erasure WHERE reference = OLD.reference) THEN
                IF TG_TABLE_NAME = 'report' THEN
                    IF NEW.reference = OLD.reference AND NEW.way_of_raising = OLD.way_of_raising AND NEW.submitted = OLD.submitted THEN
                        RETURN NEW;
                    END IF;
                ELSIF TG_TABLE_NAME = 'case_event' THEN
                    IF NEW.reference = OLD.reference AND NEW.sequence = OLD.sequence AND NEW.kind = OLD.kind AND NEW.at = OLD.at
                        AND NEW.actor IS NOT DISTINCT FROM OLD.actor THEN
                        RETURN NEW;
                    END IF;
                END IF;
            END IF;
            -- Sealing in place: words emptied where sealed words are set for the first time; a note's text sealed.
            IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'report' THEN
                IF OLD.sealed IS NULL AND NEW.sealed IS NOT NULL AND NEW.account = '' AND NEW.witnesses = '' AND NEW.staff_impact = ''
                    AND NEW.reference = OLD.reference AND NEW.way_of_raising = OLD.way_of_raising AND NEW.submitted = OLD.submitted
                    AND NEW.location IS NOT DISTINCT FROM OLD.location AND NEW.subject_name IS NOT DISTINCT FROM OLD.subject_name
                    AND NEW.subject_role IS NOT DISTINCT FROM OLD.subject_role AND NEW.reporter_user IS NOT DISTINCT FROM OLD.reporter_user
                    AND NEW.reporter_uid IS NOT DISTINCT FROM OLD.reporter_uid THEN
                    RETURN NEW;
                END IF;
            ELSIF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'case_event' THEN
                IF OLD.kind = 'note' AND OLD.text NOT LIKE 'sealed-v1:%' AND NEW.text LIKE 'sealed-v1:%'
                    AND NEW.reference = OLD.reference AND NEW.sequence = OLD.sequence AND NEW.kind = OLD.kind AND NEW.at = OLD.at
                    AND NEW.actor IS NOT DISTINCT FROM OLD.actor AND NEW.detail IS NOT DISTINCT FROM OLD.detail THEN
                    RETURN NEW;
                END IF;
            END IF;
            IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'receipt'
                AND EXISTS (SELECT 1 FROM case_file WHERE reference = OLD.reference AND status = 'closed') THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001';
        END
        $fn$;
        GRANT SELECT, INSERT ON sealed_event TO speakup_app;
        """#

    static let pgV6RetentionIndex = #"""
        CREATE INDEX case_event_closings ON case_event (at COLLATE "C") WHERE kind = 'closed';
        """#

    /// How open and confidential reporters described themselves, for counting only: SQLite's v17
    /// (`CharacteristicsKeeping`). No reference, reporter or day; a random key; appended, never changed.
    /// What the board counts, kept on each case's row: SQLite's v18 (`BoardColumns`, docs/store.md),
    /// filled from the events as `CaseFactsTally` reads them. Times are read as UTC (a day alone is
    /// its midnight, as `SubmissionTime` reads it).
    static let pgV5BoardFacts = #"""
        SET LOCAL TimeZone = 'UTC';
        ALTER TABLE case_file
            ADD COLUMN raised_on TEXT COLLATE "C" NOT NULL DEFAULT '',
            ADD COLUMN detriment INTEGER NOT NULL DEFAULT 0,
            ADD COLUMN subject_band TEXT COLLATE "C" NOT NULL DEFAULT 'unknown',
            ADD COLUMN highest_level TEXT COLLATE "C" NOT NULL DEFAULT 'informal',
            ADD COLUMN acknowledged_at DOUBLE PRECISION,
            ADD COLUMN acknowledged_days DOUBLE PRECISION,
            ADD COLUMN closed_at DOUBLE PRECISION,
            ADD COLUMN closed_days DOUBLE PRECISION,
            ADD COLUMN again TEXT COLLATE "C",
            ADD COLUMN again_on TEXT COLLATE "C";
        WITH band(name, rank) AS (VALUES ('student', 0), ('staff', 1), ('practitioner', 2), ('senior-practitioner', 3), ('manager', 4),
                                         ('senior-clinician', 5), ('director', 6), ('executive', 7), ('chief-executive', 8), ('board', 9)),
             pyramid(name, rank) AS (VALUES ('informal', 0), ('awareness', 1), ('authority', 2), ('disciplinary', 3), ('urgent', 4))
        UPDATE case_file SET
            raised_on = (SELECT substr(r.submitted, 1, 10) FROM report r WHERE r.reference = case_file.reference),
            detriment = CASE WHEN EXISTS (SELECT 1 FROM report_concern c WHERE c.reference = case_file.reference AND c.category = 'detriment')
                             THEN 1 ELSE 0 END,
            subject_band = coalesce((
                SELECT b.name FROM band b
                WHERE b.name = (SELECT r.subject_seniority FROM report r WHERE r.reference = case_file.reference)
                   OR b.name IN (
                        SELECT CASE WHEN strpos(t.taken, ',') > 0 THEN substr(t.taken, 1, strpos(t.taken, ',') - 1) ELSE t.taken END
                        FROM (SELECT substr(e.detail, strpos(e.detail, 'Seniority taken as ') + 19, 24) AS taken FROM case_event e
                              WHERE e.reference = case_file.reference AND e.kind = 'routed' AND strpos(e.detail, 'Seniority taken as ') > 0) t)
                ORDER BY b.rank DESC LIMIT 1), 'unknown'),
            highest_level = coalesce((
                SELECT p.name FROM pyramid p
                WHERE p.name = case_file.level
                   OR p.name IN (SELECT e.detail::jsonb ->> 'level' FROM case_event e
                                 WHERE e.reference = case_file.reference AND e.kind IN ('routed', 'escalated', 'level-changed'))
                ORDER BY p.rank DESC LIMIT 1), 'informal'),
            acknowledged_at = (SELECT extract(epoch FROM e.at::timestamptz)::float8 FROM case_event e
                               WHERE e.reference = case_file.reference AND e.kind IN ('acknowledged', 'handler-message', 'closed')
                               ORDER BY e.sequence LIMIT 1),
            closed_at = (SELECT extract(epoch FROM e.at::timestamptz)::float8 FROM case_event e
                         WHERE e.reference = case_file.reference AND e.kind = 'closed' ORDER BY e.sequence LIMIT 1),
            again = (SELECT e.text FROM case_event e WHERE e.reference = case_file.reference AND e.kind = 'speak-up-again'
                     ORDER BY e.sequence DESC LIMIT 1),
            again_on = (SELECT substr(e.at, 1, 10) FROM case_event e WHERE e.reference = case_file.reference AND e.kind = 'speak-up-again'
                        ORDER BY e.sequence DESC LIMIT 1);
        UPDATE case_file f SET
            acknowledged_days = greatest(0, f.acknowledged_at - extract(epoch FROM r.submitted::timestamptz)::float8) / 86400::float8,
            closed_days = CASE WHEN f.closed_at IS NOT NULL
                               THEN greatest(0, f.closed_at - extract(epoch FROM r.submitted::timestamptz)::float8) / 86400::float8 END
        FROM report r WHERE r.reference = f.reference AND f.acknowledged_at IS NOT NULL;
        -- The quarter's cases with everything the board groups them by; the answers by day; the check-ins.
        CREATE INDEX case_file_board ON case_file (raised_on, detriment, subject_band, highest_level, acknowledged_days,
            acknowledged_at, acknowledge_by, closed_days, closed_at, feed_back_by);
        CREATE INDEX case_file_again ON case_file (again_on, subject_band, again) WHERE again_on IS NOT NULL;
        CREATE INDEX case_event_check_in ON case_event (reference) WHERE kind = 'detriment-check-in';
        """#

    static let pgV4 = #"""
        CREATE TABLE reporter_characteristics (
            id TEXT COLLATE "C" PRIMARY KEY,
            month TEXT COLLATE "C" NOT NULL CHECK (length(month) = 7),
            ethnic_group TEXT NOT NULL,
            disability TEXT NOT NULL,
            sex TEXT NOT NULL,
            sexual_orientation TEXT NOT NULL,
            religion TEXT NOT NULL,
            age_band TEXT NOT NULL,
            training TEXT NOT NULL
        );
        CREATE TRIGGER reporter_characteristics_no_change BEFORE UPDATE OR DELETE ON reporter_characteristics
            FOR EACH ROW EXECUTE FUNCTION speakup_refuse_change('reporters'' descriptions are appended, never changed');
        CREATE TRIGGER reporter_characteristics_no_truncate BEFORE TRUNCATE ON reporter_characteristics
            FOR EACH STATEMENT EXECUTE FUNCTION speakup_refuse_change('reporters'' descriptions are appended, never changed');
        GRANT SELECT, INSERT ON reporter_characteristics TO speakup_app;
        """#

    /// Detriment check-ins (SQLite's v16): their answers and the link on the case a yes opens are
    /// case events, and an anonymous reporter's name nobody, like their report, replies and feedback.
    static let pgV3 = #"""
        CREATE OR REPLACE FUNCTION case_event_anonymous_reporter_unnamed() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF NEW.actor IS NOT NULL
                AND NEW.kind IN ('received', 'reporter-message', 'speak-up-again', 'detriment-check-in', 'detriment-linked')
                AND (SELECT way_of_raising FROM report WHERE reference = NEW.reference) = 'anonymous' THEN
                RAISE EXCEPTION 'an anonymous reporter is never named' USING ERRCODE = 'P0001';
            END IF;
            RETURN NEW;
        END
        $fn$;
        """#

    /// The first schema: the SQLite store's after v14.
    static let pgV1 = #"""
        -- Rows that are appended, never changed or removed: the trigger's argument says which.
        CREATE FUNCTION speakup_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001';
        END
        $fn$;

        CREATE TABLE report (
            reference TEXT COLLATE "C" PRIMARY KEY,
            way_of_raising TEXT NOT NULL CHECK (way_of_raising IN ('open', 'confidential', 'anonymous')),
            subject_seniority TEXT NOT NULL,
            location TEXT NOT NULL,
            account TEXT NOT NULL,
            reporter_user TEXT,
            reporter_uid BIGINT,
            submitted TEXT COLLATE "C" NOT NULL,
            subject_name TEXT,
            subject_role TEXT NOT NULL DEFAULT '',
            occurred_on TEXT,
            occurred_at TEXT,
            patient_harm TEXT NOT NULL DEFAULT 'unknown',
            staff_impact TEXT NOT NULL DEFAULT '',
            witnesses TEXT NOT NULL DEFAULT '',
            desired_outcome TEXT,
            hold_until TEXT COLLATE "C",
            reporter_name TEXT,
            reporter_contact TEXT,
            reporter_group TEXT,
            subject_key TEXT COLLATE "C",
            excluded_handlers TEXT NOT NULL DEFAULT '',
            subject_id TEXT,
            station TEXT NOT NULL DEFAULT 'personal',
            station_location TEXT,
            -- An anonymous report names no reporter and keeps only the day.
            CONSTRAINT report_anonymous_names_nobody CHECK (way_of_raising <> 'anonymous'
                OR (reporter_user IS NULL AND reporter_uid IS NULL AND length(submitted) = 10)),
            CONSTRAINT report_anonymous_keeps_no_details CHECK (way_of_raising <> 'anonymous'
                OR (reporter_name IS NULL AND reporter_contact IS NULL AND reporter_group IS NULL)),
            CONSTRAINT report_kiosk_is_anonymous CHECK (station <> 'kiosk' OR way_of_raising = 'anonymous'),
            CONSTRAINT report_shared_login_is_not_the_reporter CHECK (station = 'personal'
                OR (reporter_user IS NULL AND reporter_uid IS NULL))
        );
        CREATE INDEX report_by_subject ON report (subject_key, submitted);
        CREATE INDEX report_by_hold_end ON report (hold_until) WHERE hold_until IS NOT NULL;

        CREATE TABLE report_concern (
            reference TEXT COLLATE "C" NOT NULL REFERENCES report (reference),
            category TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (reference, category)
        );

        CREATE TABLE case_event (
            reference TEXT COLLATE "C" NOT NULL REFERENCES report (reference),
            sequence INTEGER NOT NULL CHECK (sequence >= 1),
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            text TEXT,
            detail TEXT,
            actor TEXT,
            PRIMARY KEY (reference, sequence)
        );
        CREATE FUNCTION case_event_anonymous_reporter_unnamed() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF NEW.actor IS NOT NULL AND NEW.kind IN ('received', 'reporter-message', 'speak-up-again')
                AND (SELECT way_of_raising FROM report WHERE reference = NEW.reference) = 'anonymous' THEN
                RAISE EXCEPTION 'an anonymous reporter is never named' USING ERRCODE = 'P0001';
            END IF;
            RETURN NEW;
        END
        $fn$;
        CREATE TRIGGER case_event_anonymous_reporter_unnamed BEFORE INSERT ON case_event
            FOR EACH ROW EXECUTE FUNCTION case_event_anonymous_reporter_unnamed();

        -- One random salt per store for receipt hashes (ReceiptHasher): 32 bytes from the server's
        -- strong random source (gen_random_uuid, built in from PostgreSQL 13).
        CREATE TABLE store_secret (
            name TEXT COLLATE "C" PRIMARY KEY,
            value BYTEA NOT NULL
        );
        INSERT INTO store_secret (name, value) VALUES ('receipt-salt', substring(decode(
            replace(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex') FROM 1 FOR 32));

        CREATE TABLE receipt (
            hash BYTEA PRIMARY KEY,
            reference TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES report (reference)
        );

        -- Drafts of open and confidential reports, one per reporter (uid), replaced at every step.
        CREATE TABLE draft (
            owner_uid BIGINT PRIMARY KEY,
            saved TEXT NOT NULL,
            body TEXT NOT NULL
        );

        -- The staff directory: reference data, replaced whole by each import.
        CREATE TABLE staff (
            id TEXT COLLATE "C" PRIMARY KEY,
            name TEXT NOT NULL,
            unix_user TEXT,
            role TEXT NOT NULL,
            seniority TEXT NOT NULL,
            manager_id TEXT,
            ward TEXT NOT NULL,
            known_as TEXT NOT NULL DEFAULT ''
        );

        -- The audit trail (AuditTrail): each record holds the hash of the one before.
        CREATE TABLE audit_record (
            position BIGINT PRIMARY KEY CHECK (position >= 1),
            at TEXT NOT NULL,
            actor TEXT,
            action TEXT NOT NULL,
            reference TEXT COLLATE "C",
            detail TEXT,
            previous_hash BYTEA NOT NULL,
            hash BYTEA NOT NULL,
            event INTEGER,
            content BYTEA
        );
        -- The chain's head: one row, locked FOR UPDATE by each writer before it chains a record.
        CREATE TABLE audit_head (
            one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
            position BIGINT NOT NULL CHECK (position >= 0),
            hash BYTEA NOT NULL
        );
        INSERT INTO audit_head (one, position, hash) VALUES (true, 0, decode(repeat('00', 32), 'hex'));
        CREATE FUNCTION audit_record_follows_head() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE
            head_position BIGINT;
            head_hash BYTEA;
        BEGIN
            SELECT h.position, h.hash INTO head_position, head_hash FROM audit_head h FOR UPDATE;
            IF NEW.position <> head_position + 1 OR NEW.previous_hash <> head_hash THEN
                RAISE EXCEPTION 'audit record % does not follow on from record %, the head of the chain', NEW.position, head_position
                    USING ERRCODE = 'P0001';
            END IF;
            UPDATE audit_head SET position = NEW.position, hash = NEW.hash;
            RETURN NEW;
        END
        $fn$;
        CREATE TRIGGER audit_record_follows_head BEFORE INSERT ON audit_record
            FOR EACH ROW EXECUTE FUNCTION audit_record_follows_head();

        -- What anonymous reporters did, unordered until their day ends (random ids).
        CREATE TABLE audit_waiting (
            id TEXT COLLATE "C" PRIMARY KEY,
            day TEXT COLLATE "C" NOT NULL CHECK (length(day) = 10),
            action TEXT NOT NULL,
            reference TEXT COLLATE "C",
            detail TEXT,
            event INTEGER,
            content BYTEA
        );

        -- The handlers' workspace (CaseProjection): kept in step with the events in the same transactions.
        CREATE TABLE case_file (
            reference TEXT COLLATE "C" PRIMARY KEY REFERENCES report (reference),
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'acknowledged', 'closed')),
            level TEXT NOT NULL DEFAULT 'informal',
            acknowledge_by TEXT COLLATE "C",
            feed_back_by TEXT COLLATE "C",
            held INTEGER NOT NULL DEFAULT 0,
            text_id BIGINT NOT NULL,
            unrouted INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX case_file_by_text ON case_file (text_id);
        CREATE INDEX case_file_acknowledge ON case_file (acknowledge_by) WHERE status = 'new';
        CREATE INDEX case_file_feed_back ON case_file (feed_back_by) WHERE status <> 'closed';
        CREATE INDEX case_file_unrouted ON case_file (reference) WHERE unrouted = 1;

        CREATE TABLE case_handler (
            handler TEXT COLLATE "C" NOT NULL,
            rank TEXT COLLATE "C" NOT NULL,
            reference TEXT COLLATE "C" NOT NULL REFERENCES report (reference),
            level TEXT COLLATE "C" NOT NULL,
            text_id BIGINT NOT NULL,
            PRIMARY KEY (handler, rank, reference)
        );
        CREATE UNIQUE INDEX case_handler_by_case ON case_handler (reference, handler);
        CREATE INDEX case_handler_by_level ON case_handler (handler, level, rank);

        -- The queue by concern: one row per handler and category, so a category filter reads in queue order.
        CREATE TABLE case_handler_concern (
            handler TEXT COLLATE "C" NOT NULL,
            category TEXT COLLATE "C" NOT NULL,
            rank TEXT COLLATE "C" NOT NULL,
            reference TEXT COLLATE "C" NOT NULL REFERENCES report (reference),
            level TEXT NOT NULL,
            PRIMARY KEY (handler, category, rank, reference)
        );
        CREATE INDEX case_handler_concern_by_case ON case_handler_concern (reference);

        CREATE TABLE case_recusal (
            reference TEXT COLLATE "C" NOT NULL REFERENCES report (reference),
            handler TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (reference, handler)
        );

        CREATE TABLE reminder (
            reference TEXT COLLATE "C" NOT NULL REFERENCES report (reference),
            handler TEXT COLLATE "C" NOT NULL,
            deadline TEXT COLLATE "C" NOT NULL,
            stage TEXT COLLATE "C" NOT NULL,
            due TEXT COLLATE "C" NOT NULL,
            seen INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (reference, handler, deadline, stage)
        );
        CREATE INDEX reminder_unseen ON reminder (handler, seen, due);

        -- Full-text search over each case's words (account, subject, place, witnesses, impact, notes).
        -- id is case_file.text_id, random, so nothing records the order cases were indexed in.
        CREATE TABLE case_text (
            id BIGINT PRIMARY KEY,
            reference TEXT COLLATE "C" NOT NULL,
            words TEXT NOT NULL,
            terms TEXT NOT NULL DEFAULT '',
            search tsvector GENERATED ALWAYS AS (array_to_tsvector(array_remove(string_to_array(terms, ' '), ''))) STORED
        );
        CREATE INDEX case_text_search ON case_text USING gin (search);
        -- Cases whose words are not in case_text yet (indexed by the first search after them, or the tick).
        CREATE TABLE case_text_pending (
            reference TEXT COLLATE "C" PRIMARY KEY
        );

        -- Appended, never changed: reports, their concerns, case events, receipts and audit records.
        DO $append_only$
        DECLARE
            kept TEXT[];
        BEGIN
            FOREACH kept SLICE 1 IN ARRAY ARRAY[
                ['report', 'report rows are appended, never changed'],
                ['report_concern', 'report_concern rows are appended, never changed'],
                ['case_event', 'case_event rows are appended, never changed'],
                ['receipt', 'receipt rows are appended, never changed'],
                ['audit_record', 'audit records are appended, never changed']
            ] LOOP
                EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION speakup_refuse_change(%L)',
                               kept[1] || '_no_change', kept[1], kept[2]);
                EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION speakup_refuse_change(%L)',
                               kept[1] || '_no_truncate', kept[1], kept[2]);
            END LOOP;
        END
        $append_only$;
        CREATE TRIGGER audit_head_stays BEFORE DELETE ON audit_head
            FOR EACH ROW EXECUTE FUNCTION speakup_refuse_change('the head of the audit chain is moved on, never removed');

        -- What the program's login may do: read and append everywhere it needs; change only the
        -- workspace, drafts, the directory, reminders, waiting audit records and the chain's head.
        GRANT SELECT ON speakup_schema, store_secret TO speakup_app;
        GRANT SELECT, INSERT ON report, report_concern, case_event, receipt, audit_record, case_recusal TO speakup_app;
        GRANT SELECT, UPDATE ON audit_head TO speakup_app;
        GRANT SELECT, INSERT, UPDATE ON case_file, case_text, reminder TO speakup_app;
        GRANT SELECT, INSERT, UPDATE, DELETE ON draft, staff, audit_waiting, case_handler, case_handler_concern, case_text_pending
            TO speakup_app;
        """#

    /// Erasure under the retention policy, as SQLite's v15: each erased case's row and one
    /// tombstone per erased event, appended, never changed; reports and events may be changed only
    /// by the erasing update of a case whose erasure is recorded, and only in the columns it blanks
    /// (the program's login may update nothing else); an erased case takes no new event; a closed
    /// case's receipt may be removed. On PostgreSQL 17 and later the program's login may also
    /// VACUUM the tables an erasure touches (`MAINTAIN`); before 17 autovacuum (or the owner) does it.
    static let pgV2 = #"""
        CREATE TABLE case_erasure (
            reference TEXT COLLATE "C" PRIMARY KEY REFERENCES report (reference),
            erased_on TEXT NOT NULL CHECK (length(erased_on) = 10),
            rule TEXT NOT NULL
        );
        CREATE TABLE erased_event (
            reference TEXT COLLATE "C" NOT NULL REFERENCES case_erasure (reference),
            sequence INTEGER NOT NULL CHECK (sequence >= 1),
            content BYTEA NOT NULL,
            remains BYTEA NOT NULL,
            PRIMARY KEY (reference, sequence)
        );
        CREATE TRIGGER case_erasure_no_change BEFORE UPDATE OR DELETE ON case_erasure
            FOR EACH ROW EXECUTE FUNCTION speakup_refuse_change('case_erasure rows are appended, never changed');
        CREATE TRIGGER case_erasure_no_truncate BEFORE TRUNCATE ON case_erasure
            FOR EACH STATEMENT EXECUTE FUNCTION speakup_refuse_change('case_erasure rows are appended, never changed');
        CREATE TRIGGER erased_event_no_change BEFORE UPDATE OR DELETE ON erased_event
            FOR EACH ROW EXECUTE FUNCTION speakup_refuse_change('erased_event rows are appended, never changed');
        CREATE TRIGGER erased_event_no_truncate BEFORE TRUNCATE ON erased_event
            FOR EACH STATEMENT EXECUTE FUNCTION speakup_refuse_change('erased_event rows are appended, never changed');

        -- An update lets through only the erasure of a case whose erasure is recorded, keeping what is never erased.
        CREATE FUNCTION speakup_erase_or_refuse() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            -- (Nested: each table's columns are named only where that table is the one changed.)
            IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM case_erasure WHERE reference = OLD.reference) THEN
                IF TG_TABLE_NAME = 'report' THEN
                    IF NEW.reference = OLD.reference AND NEW.way_of_raising = OLD.way_of_raising AND NEW.submitted = OLD.submitted THEN
                        RETURN NEW;
                    END IF;
                ELSIF TG_TABLE_NAME = 'case_event' THEN
                    IF NEW.reference = OLD.reference AND NEW.sequence = OLD.sequence AND NEW.kind = OLD.kind AND NEW.at = OLD.at
                        AND NEW.actor IS NOT DISTINCT FROM OLD.actor THEN
                        RETURN NEW;
                    END IF;
                END IF;
            END IF;
            IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'receipt'
                AND EXISTS (SELECT 1 FROM case_file WHERE reference = OLD.reference AND status = 'closed') THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001';
        END
        $fn$;
        DROP TRIGGER report_no_change ON report;
        CREATE TRIGGER report_no_change BEFORE UPDATE OR DELETE ON report
            FOR EACH ROW EXECUTE FUNCTION speakup_erase_or_refuse('report rows are appended, never changed');
        DROP TRIGGER case_event_no_change ON case_event;
        CREATE TRIGGER case_event_no_change BEFORE UPDATE OR DELETE ON case_event
            FOR EACH ROW EXECUTE FUNCTION speakup_erase_or_refuse('case_event rows are appended, never changed');
        DROP TRIGGER receipt_no_change ON receipt;
        CREATE TRIGGER receipt_no_change BEFORE UPDATE OR DELETE ON receipt
            FOR EACH ROW EXECUTE FUNCTION speakup_erase_or_refuse('receipt rows are appended, never changed');

        CREATE FUNCTION case_event_not_after_erasure() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF EXISTS (SELECT 1 FROM case_erasure WHERE reference = NEW.reference) THEN
                RAISE EXCEPTION 'an erased case takes no new event' USING ERRCODE = 'P0001';
            END IF;
            RETURN NEW;
        END
        $fn$;
        CREATE TRIGGER case_event_not_after_erasure BEFORE INSERT ON case_event
            FOR EACH ROW EXECUTE FUNCTION case_event_not_after_erasure();

        GRANT SELECT, INSERT ON case_erasure, erased_event TO speakup_app;
        GRANT UPDATE (location, account, reporter_user, reporter_uid, subject_name, subject_role, occurred_on, occurred_at,
                      staff_impact, witnesses, hold_until, reporter_name, reporter_contact, subject_key, excluded_handlers,
                      subject_id, station_location) ON report TO speakup_app;
        GRANT UPDATE (text, detail) ON case_event TO speakup_app;
        GRANT DELETE ON receipt, case_text, reminder TO speakup_app;
        DO $maintain$
        BEGIN
            IF current_setting('server_version_num')::int >= 170000 THEN
                EXECUTE 'GRANT MAINTAIN ON report, case_event, receipt, case_text, reminder, draft TO speakup_app';
            END IF;
        END
        $maintain$;
        """#
}
