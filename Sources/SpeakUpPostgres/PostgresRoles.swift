/// The database logins SpeakUp uses, created once per PostgreSQL cluster by its database
/// administrator (as `postgres`, with `psql`), before the store's database and its first migration:
///
/// - `speakup_owner` owns the database and everything in it, and runs the migrations
///   (`PostgresSchema.migrate`): tables, triggers and privileges are its to change.
/// - `speakup_app` is what the program logs in as, with the password in the secret file
///   `passfile=` names (or a client certificate). It may read, and append to, what SpeakUp
///   appends to; it may change only what SpeakUp legitimately changes (drafts, the directory,
///   the workspace's projection, reminders, anonymous reporters' waiting audit records, the
///   audit chain's head), as the migrations grant. It owns nothing, so it cannot drop a
///   trigger, and it can never UPDATE or DELETE a report, a case event, a receipt or an audit record.
///
/// Staff never log in to the database: no one but these two (and administrators) is let in
/// by `pg_hba.conf` (docs/store.md).
public enum PostgresRoles {
    /// Creates both logins if they are missing; running it again changes nothing. Set their
    /// passwords afterwards with `\password speakup_app` (and `speakup_owner`) in psql, so they
    /// never appear in a command line or a log.
    public static let sql = #"""
        DO $roles$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'speakup_owner') THEN
                CREATE ROLE speakup_owner LOGIN;
            END IF;
            IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'speakup_app') THEN
                CREATE ROLE speakup_app LOGIN;
            END IF;
        END
        $roles$
        """#

    /// The store's database, made by the administrator after `sql` (`CREATE DATABASE` cannot
    /// run inside a transaction, so these are separate statements, run in order): owned by
    /// `speakup_owner`, reachable by `speakup_app` and by nobody else.
    public static func database(named name: String) -> [String] {
        let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        return [
            "CREATE DATABASE \(quoted) OWNER speakup_owner ENCODING 'UTF8'",
            "REVOKE ALL ON DATABASE \(quoted) FROM PUBLIC",
            "GRANT CONNECT, TEMPORARY ON DATABASE \(quoted) TO speakup_app",
        ]
    }

    /// Run inside the new database (psql's `\connect`), before the first migration: only its owner
    /// may create anything in it (PostgreSQL before 15 let everyone create in `public`).
    public static let insideDatabase = [
        "ALTER SCHEMA public OWNER TO speakup_owner",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
    ]
}
