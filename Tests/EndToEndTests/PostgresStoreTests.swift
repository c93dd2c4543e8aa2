import Foundation
import Glibc
import Testing
import TestPostgres

/// The real binary on a PostgreSQL store (`--db postgresql://…`), on the test process's own throwaway
/// cluster: reports in and out, the audit trail, a whole store copied both ways, and every wrong address.
@Suite("End to end: the program on a PostgreSQL store")
struct PostgresStoreTests {
    /// A fresh database with SpeakUp's logins made (once per cluster), and its socket address.
    static func database() throws -> (name: String, address: String, tcp: String, cluster: ThrowawayCluster) {
        let cluster = try ThrowawayCluster.shared()
        try logins.get()
        let made = try cluster.makeDatabase()
        return (made.name, made.socketURL, made.tcpURL, cluster)
    }

    /// SpeakUp's two logins, made once for the cluster (tests run at once would race to make them).
    static let logins: Result<Void, any Error> = Result {
        try ThrowawayCluster.shared().sqlAlone("""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'speakup_owner') THEN CREATE ROLE speakup_owner LOGIN; END IF;
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'speakup_app') THEN CREATE ROLE speakup_app LOGIN; END IF;
            END $$
            """)
    }

    @Test("import, export json, audit verify and check on PostgreSQL; copied to SQLite and back, the export is byte for byte the same")
    func reportsInAndOut() throws {
        let scratch = try BoardTests.seeded()  // eight reports in a SQLite store
        let server = try Self.database()
        let copied = try Binary.run(["store", "copy", "--from", scratch.store, "--to", server.address])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(copied.stderr.contains("Copied 8 reports"), "\(copied.stderr)")
        let fromFile = try Binary.run(["export", "json", "--db", scratch.store])
        let fromServer = try Binary.run(["export", "json", "--db", server.address])
        #expect(fromServer.status == 0, "\(fromServer.stderr)")
        #expect(fromServer.stdout == fromFile.stdout && fromFile.stdout.contains("SU-BRD0-0001"))
        let verified = try Binary.run(["audit", "verify", "--db", server.address])
        #expect(verified.status == 0, "\(verified.stderr)")
        let one = ImportTests.write("""
            [{"format_version":2,"reference":"SU-PGE2-0001","way_of_raising":"open","concerns":["rude-or-aggressive"],"subject_seniority":"practitioner","location":"Ward 2","account":"Snapped at a porter.","reporter":{"user":"ben","uid":1002},"submitted":"2026-11-02T10:00:00Z","events":[]}]
            """, in: scratch)
        let imported = try Binary.run(["import", one, "--db", server.address])
        #expect(imported.status == 0, "\(imported.stderr)")
        let again = try Binary.run(["import", one, "--db", server.address])
        #expect(again.status != 0 && again.stderr.contains("SU-PGE2-0001"), "\(again.stderr)")
        let back = scratch.path + "/back.sqlite"
        let home = try Binary.run(["store", "copy", "--from", server.address, "--to", back])
        #expect(home.status == 0, "\(home.stderr)")
        #expect(try Binary.run(["export", "json", "--db", back]).stdout == (try Binary.run(["export", "json", "--db", server.address])).stdout)
        let check = try Binary.run(["check", "--db", server.address])
        #expect(check.stdout.contains("answers, accepts writes, and its schema is up to date"), "\(check.stdout)\(check.stderr)")
    }

    @Test("over TCP with the password in a passfile; a passfile open to others is refused")
    func passwordFromAFile() throws {
        let server = try Self.database()
        let scratch = Scratch()
        let passfile = scratch.path + "/password"
        FileManager.default.createFile(atPath: passfile, contents: Data((server.cluster.password + "\n").utf8), attributes: [.posixPermissions: 0o600])
        try server.cluster.sql("GRANT ALL ON DATABASE \(server.name) TO \(server.cluster.passwordUser); ALTER DATABASE \(server.name) OWNER TO \(server.cluster.passwordUser)")
        let address = server.tcp + "&passfile=" + passfile
        let exported = try Binary.run(["export", "json", "--db", address])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.hasPrefix("["))
        chmod(passfile, 0o644)
        let open = try Binary.run(["export", "json", "--db", address])
        #expect(open.status != 0)
        #expect(open.stderr.contains(passfile), "\(open.stderr)")
    }

    @Test("wrong port, database, password in the address, unknown parameter: a sentence each, and the exit says which")
    func wrongAddresses() throws {
        let server = try Self.database()
        let port = try ThrowawayCluster.freePort()
        let socket = server.cluster.socketFolder
        let cases: [(String, Int32, String)] = [
            ("postgresql://postgres@:\(port)/\(server.name)?host=\(socket)", 69, "No PostgreSQL server answered"),
            ("postgresql://postgres@:\(server.cluster.port)/no_such_db?host=\(socket)", 69, "has no database named no_such_db"),
            ("postgresql://postgres:hunter2@:\(server.cluster.port)/\(server.name)?host=\(socket)", 64, "Passwords never go in the store's address"),
            ("postgresql://postgres@:\(server.cluster.port)/\(server.name)?host=\(socket)&colour=blue", 64, "colour"),
            ("postgresql://postgres@127.0.0.1:70000/\(server.name)", 64, "70000"),
        ]
        for (address, status, words) in cases {
            let result = try Binary.run(["export", "json", "--db", address])
            #expect(result.status == status, "\(address): \(result.stderr)")
            #expect(result.stderr.contains(words), "\(address): \(result.stderr)")
            #expect(!result.stderr.contains("hunter2"), "a password is never repeated back")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("as in a trust: SpeakUp's own login cannot set a database up and says who can; store migrate as the owner does, once; then the program works as speakup_app")
    func ownerSetsUpTheTables() throws {
        let server = try Self.database()
        let cluster = server.cluster
        let scratch = Scratch()
        // The same password the conformance suite gives speakup_app: every suite shares the cluster's logins.
        try cluster.sql("ALTER ROLE speakup_owner PASSWORD 'owner-Secret-1'; ALTER ROLE speakup_app PASSWORD 'throwaway-App-1'")
        try cluster.sql("ALTER DATABASE \(server.name) OWNER TO speakup_owner")
        try cluster.sql("REVOKE ALL ON DATABASE \(server.name) FROM PUBLIC")
        try cluster.sql("GRANT CONNECT, TEMPORARY ON DATABASE \(server.name) TO speakup_app")
        try cluster.sql("ALTER SCHEMA public OWNER TO speakup_owner; REVOKE CREATE ON SCHEMA public FROM PUBLIC", database: server.name)
        func address(_ user: String, _ password: String) -> String {
            let file = scratch.path + "/" + user
            FileManager.default.createFile(atPath: file, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600])
            return "postgresql://\(user)@:\(cluster.port)/\(server.name)?host=\(cluster.socketFolder)&passfile=\(file)"
        }
        let app = address("speakup_app", "throwaway-App-1")
        let owner = address("speakup_owner", "owner-Secret-1")
        let early = try Binary.run(["export", "json", "--db", app])
        #expect(early.status == 69)
        #expect(early.stderr.contains("speakup store migrate"), "\(early.stderr)")
        let first = try Binary.run(["store", "migrate", owner])
        #expect(first.status == 0 && first.stderr.contains("applied pg-v1"), "\(first.stderr)")
        let second = try Binary.run(["store", "migrate", owner])
        #expect(second.status == 0 && second.stderr.contains("already up to date"), "\(second.stderr)")
        let one = ImportTests.write("""
            [{"format_version":2,"reference":"SU-PGE2-0002","way_of_raising":"confidential","concerns":["rude-or-aggressive"],"subject_seniority":"practitioner","location":"Ward 2","account":"Snapped at a porter.","reporter":{"user":"ben","uid":1002},"submitted":"2026-11-02T10:00:00Z","events":[]}]
            """, in: scratch)
        let imported = try Binary.run(["import", one, "--db", app])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try Binary.run(["audit", "verify", "--db", app]).status == 0)
        let notServer = try Binary.run(["store", "migrate", scratch.path + "/file.sqlite"])
        #expect(notServer.status == 64 && notServer.stderr.contains("for a PostgreSQL store"), "\(notServer.stderr)")
    }
}
