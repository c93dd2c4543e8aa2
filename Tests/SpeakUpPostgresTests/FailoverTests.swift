import Foundation
import SpeakUpPostgres
import Testing
import TestPostgres

/// Issue 12, "Surviving a server": a primary with a synchronous standby, 32 processes submitting,
/// the primary killed with SIGKILL and the standby promoted. Nothing anyone was told was saved is
/// lost, nothing is stored twice, the audit chain verifies, every interrupted submit ends with a
/// sentence, and every writer carries on against the promoted standby by itself.
///
/// The writers are the real program: each is a bash loop running `speakup import ONE.json --db
/// ADDRESS` (a report with a reference of its own each time), so each submit is a separate process
/// going through the program's own store code (`PostgresReportStore`, connecting afresh, trying
/// the hosts of the address in order), and the ledger is what the program said: its exit status
/// and its sentence. The address names both servers over TCP on 127.0.0.1 (a Unix socket address
/// names one socket folder, so it cannot name two servers); the password is in a passfile.
@Suite("Failover: a primary killed while 32 processes submit, the synchronous standby promoted")
struct FailoverTests {
    static let writers = 32
    static let database = "speakup_failover"
    static let appPassword = "failover-App-1"
    static let ownerPassword = "failover-Owner-1"
    static let staffPassword = "failover-Staff-1"

    /// Only SpeakUp's two logins, only to its database, only from this machine (the SpeakUp hosts):
    /// the lines docs/deployment.md gives, over plain TCP here (no certificates on a test machine).
    static let clientRules = """
        host \(database) speakup_app   127.0.0.1/32 scram-sha-256
        host \(database) speakup_owner 127.0.0.1/32 scram-sha-256
        host all all 0.0.0.0/0 reject
        host all all ::/0 reject
        local all all reject
        """

    @Test(.timeLimit(.minutes(3)))
    func nothingAcknowledgedIsLost() throws {
        let pair = try ReplicatedPair.start(clientRules: Self.clientRules)
        defer { pair.stop() }
        let scratch = try WriterFolder()
        defer { scratch.remove() }

        // The administrator's part, once, on the primary: the logins, the database, the first migration.
        try pair.sql(PostgresRoles.sql, on: pair.primary)
        try pair.sql("ALTER ROLE speakup_app PASSWORD '\(Self.appPassword)'", on: pair.primary)
        try pair.sql("ALTER ROLE speakup_owner PASSWORD '\(Self.ownerPassword)'", on: pair.primary)
        try pair.sql("CREATE ROLE ward_nurse LOGIN PASSWORD '\(Self.staffPassword)'", on: pair.primary)
        for statement in PostgresRoles.database(named: Self.database) { try pair.sql(statement, on: pair.primary) }
        for statement in PostgresRoles.insideDatabase { try pair.sql(statement, on: pair.primary, database: Self.database) }
        // The tables, made by the database's owner through the program, as an administrator would.
        let ownerSecret = scratch.path + "/owner-secret"
        _ = FileManager.default.createFile(atPath: ownerSecret, contents: Data((Self.ownerPassword + "\n").utf8), attributes: [.posixPermissions: 0o600])
        let migrated = try Program.run(Program.speakup, ["store", "migrate",
            "postgresql://speakup_owner@127.0.0.1:\(pair.primary.port)/\(Self.database)?sslmode=disable&passfile=\(ownerSecret)"])
        try #require(migrated.status == 0, "speakup store migrate failed (\(migrated.status)): \(migrated.stderr)")

        // A member of staff with a login of their own is still refused: pg_hba.conf lets in only SpeakUp's.
        let staff = pair.psqlOverTCP(as: "ward_nurse", password: Self.staffPassword, on: pair.primary, database: Self.database)
        #expect(staff.status != 0)
        #expect(staff.output.contains("pg_hba.conf rejects connection"), "\(staff.output)")

        // Both servers, the primary first; the password in a file only its owner reads.
        let passfile = scratch.path + "/db-secret"
        _ = FileManager.default.createFile(atPath: passfile, contents: Data((Self.appPassword + "\n").utf8), attributes: [.posixPermissions: 0o600])
        let address = "postgresql://speakup_app@127.0.0.1:\(pair.primary.port),127.0.0.1:\(pair.standby.port)/\(Self.database)"
            + "?sslmode=disable&passfile=\(passfile)&target_session_attrs=read-write&connect_timeout=2"

        // One import first, alone: if the program cannot use the store at all, say so plainly.
        let first = scratch.path + "/first.json"
        _ = FileManager.default.createFile(atPath: first, contents: Data(Self.report(reference: "SU-F990-0001").utf8))
        let alone = try Program.run(Program.speakup, ["import", first, "--db", address])
        try #require(alone.status == 0, "speakup import on the primary failed (\(alone.status)): \(alone.stderr)")

        // The fleet: 32 writers, each a loop of imports, each writing what happened to its ledger.
        try scratch.writeScripts(template: Self.report(reference: "@REF@"), address: address, writers: Self.writers)
        let fleet = try Program.startGroup(["/bin/bash", scratch.path + "/fleet.sh"],
                                           environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C", "DIR": scratch.path,
                                                         "SPEAKUP": Program.speakup, "ADDRESS": address, "TESTPID": String(getpid())],
                                           output: scratch.path + "/fleet.out")
        var fleetEnded = false
        defer {
            if !fleetEnded {
                _ = FileManager.default.createFile(atPath: scratch.path + "/stop", contents: nil)
                if !Program.wait(fleet, seconds: 40) { kill(-fleet, SIGKILL); _ = Program.wait(fleet, seconds: 5) }
            }
        }

        // Writing for a while: at least two seconds and one acknowledged import per writer.
        let began = Date()
        try waitFor("32 writers to have imports acknowledged by the primary", seconds: 90) {
            Date().timeIntervalSince(began) >= 2 && scratch.ledger().filter { $0.status == 0 }.count >= Self.writers
        }

        // The server dies: SIGKILL to the primary's postmaster and all its processes; then the standby is promoted.
        let killed = Date().timeIntervalSince1970
        try pair.killPrimary()
        try pair.promoteStandby()
        let promoted = Date().timeIntervalSince1970
        print("failover: primary killed; standby promoted \(String(format: "%.2f", promoted - killed)) s later")

        // The writers carry on by themselves: every one has an import acknowledged that began after the promotion.
        try waitFor("every writer to have an import acknowledged by the promoted standby", seconds: 90) {
            let after = scratch.ledger().filter { $0.status == 0 && $0.started > promoted }
            return Date().timeIntervalSince1970 - promoted >= 3 && Set(after.map(\.writer)).count == Self.writers
        }
        _ = FileManager.default.createFile(atPath: scratch.path + "/stop", contents: nil)
        fleetEnded = Program.wait(fleet, seconds: 60)
        #expect(fleetEnded, "the writers did not stop within a minute of being asked")
        if !fleetEnded { kill(-fleet, SIGKILL); _ = Program.wait(fleet, seconds: 5); fleetEnded = true }

        // What the program said, against what the promoted standby holds.
        let ledger = scratch.ledger()
        let acknowledged = Set(ledger.filter { $0.status == 0 }.map(\.reference)).union(["SU-F990-0001"])
        let failed = ledger.filter { $0.status != 0 }
        let storedRows = try pair.sql("SELECT reference FROM report", on: pair.standby, database: Self.database)
            .split(separator: "\n").map(String.init)
        let stored = Set(storedRows)
        let attempted = Set(ledger.map(\.reference)).union(["SU-F990-0001"])

        let lost = acknowledged.subtracting(stored)
        #expect(lost.isEmpty, "acknowledged but not on the promoted standby: \(lost.sorted())")
        #expect(storedRows.count == stored.count, "a reference is stored twice")
        #expect(stored.isSubset(of: attempted), "stored but never submitted: \(stored.subtracting(attempted).sorted())")

        // Every import that failed ended with a sentence; none failed while a primary was up.
        for failure in failed {
            #expect(!failure.sentence.isEmpty, "\(failure.reference) exited \(failure.status) with nothing said")
        }
        let beforeTheKill = failed.filter { $0.ended < killed }
        #expect(beforeTheKill.isEmpty, "imports failed before the primary was killed: \(beforeTheKill.map(\.line))")
        let afterThePromotion = failed.filter { $0.started > promoted }
        #expect(afterThePromotion.isEmpty, "imports failed after the standby was promoted: \(afterThePromotion.map(\.line))")

        // The audit chain verifies on the new primary, through the program and the same address.
        let verify = try Program.run(Program.speakup, ["audit", "verify", "--db", address])
        #expect(verify.status == 0, "speakup audit verify: \(verify.stdout) \(verify.stderr)")

        // The figures.
        let firstAfter = ledger.filter { $0.status == 0 && $0.started > killed }.map(\.ended).min()
        let failoverSeconds = try #require(firstAfter) - killed
        let storedAfterFailure = Set(failed.map(\.reference)).intersection(stored)
        print("failover: \(ledger.count + 1) imports by \(Self.writers) writers: \(acknowledged.count) acknowledged, \(stored.count) stored, "
              + "\(failed.count) failed with a sentence (\(storedAfterFailure.count) of those stored after all: the commit reached the standby, the answer did not reach the writer)")
        let statuses = Dictionary(grouping: failed, by: \.status).map { "exit \($0.key): \($0.value.count)" }.sorted()
        print("failover: the failures: \(statuses.joined(separator: ", "))")
        for (sentence, count) in Dictionary(grouping: failed, by: { Self.general($0.sentence) }).mapValues(\.count).sorted(by: { $0.value > $1.value }) {
            print("failover:   \(count) x \(sentence)")
        }
        print("failover: the first import acknowledged by the promoted standby ended \(String(format: "%.2f", failoverSeconds)) s after the SIGKILL")
        print("failover-seconds \(String(format: "%.2f", failoverSeconds))")
        #expect(verify.status == 0 && stored.count >= acknowledged.count)
    }

    /// One report in the export format, with `reference`: confidential, so its audit record joins
    /// the chain at once (an anonymous reporter's would wait for the day's end), every writer
    /// locking the chain's head in turn.
    static func report(reference: String) -> String {
        """
        {"format_version": 2, "reference": "\(reference)", "way_of_raising": "confidential", "concerns": ["unsafe-practice"],
         "subject_seniority": "unknown", "location": "Ward 7", "account": "Told by phone during the failover test.",
         "reporter": null, "reporter_details": {"name": "Asha Patel", "contact": "ext 4321", "professional_group": "nursing"},
         "submitted": "2026-11-20T10:00:00Z", "events": []}
        """
    }

    /// A sentence with its ports and references taken out, so the same one is counted once.
    static func general(_ sentence: String) -> String {
        sentence.replacingOccurrences(of: #"127\.0\.0\.1:\d+"#, with: "127.0.0.1:PORT", options: .regularExpression)
            .replacingOccurrences(of: #"SU-[0-9A-Z]{4}-[0-9A-Z]{4}"#, with: "SU-…", options: .regularExpression)
    }

    private func waitFor(_ what: String, seconds: Double, _ condition: () -> Bool) throws {
        let giveUp = Date(timeIntervalSinceNow: seconds)
        while !condition() {
            guard Date() < giveUp else { throw Problem(description: "Waited \(Int(seconds)) s for \(what).") }
            usleep(100_000)
        }
    }

    struct Problem: Error, CustomStringConvertible { let description: String }
}

/// The writers' folder: the passfile, the report template, the scripts and one ledger per writer.
struct WriterFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "speakup-failover-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// One import, as a writer recorded it.
    struct Entry {
        let writer: Int
        let reference: String
        let status: Int
        let started: Double
        let ended: Double
        let sentence: String
        let line: String
    }

    /// `writer.sh N` imports until `stop` appears (or the test process is gone), a new reference each
    /// time (SU-F + the writer's two digits + a count), appending `reference status start end sentence`
    /// to `ledgerN`; `fleet.sh` starts them all and waits for them.
    func writeScripts(template: String, address: String, writers: Int) throws {
        try template.write(toFile: path + "/report.json", atomically: true, encoding: .utf8)
        let writer = #"""
            w=$1
            template=$(<"$DIR/report.json")
            i=0
            while [ ! -e "$DIR/stop" ] && kill -0 "$TESTPID" 2>/dev/null; do
              i=$((i+1))
              printf -v ref 'SU-F%02d%01d-%04d' "$w" $((i/10000)) $((i%10000))
              printf '%s' "${template//@REF@/$ref}" > "$DIR/w$w.json"
              start=$EPOCHREALTIME
              "$SPEAKUP" import "$DIR/w$w.json" --db "$ADDRESS" >/dev/null 2>"$DIR/w$w.err"
              status=$?
              end=$EPOCHREALTIME
              err=$(<"$DIR/w$w.err")
              err=${err//$'\n'/ }
              printf '%s %s %s %s %s\n' "$ref" "$status" "$start" "$end" "$err" >> "$DIR/ledger$w"
            done
            """#
        try writer.write(toFile: path + "/writer.sh", atomically: true, encoding: .utf8)
        let fleet = "for w in $(seq 0 \(writers - 1)); do /bin/bash \"$DIR/writer.sh\" $w & done; wait\n"
        try fleet.write(toFile: path + "/fleet.sh", atomically: true, encoding: .utf8)
    }

    /// Every writer's ledger so far (a line still being written is left for next time).
    func ledger() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasPrefix("ledger") }.flatMap { name -> [Entry] in
            guard let writer = Int(name.dropFirst("ledger".count)),
                  let text = try? String(contentsOfFile: path + "/" + name, encoding: .utf8) else { return [] }
            return text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line -> Entry? in
                let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
                guard fields.count >= 4, let status = Int(fields[1]), let started = Double(fields[2]), let ended = Double(fields[3]) else { return nil }
                return Entry(writer: writer, reference: String(fields[0]), status: status, started: started, ended: ended,
                             sentence: fields.count > 4 ? fields[4].trimmingCharacters(in: .whitespaces) : "", line: String(line))
            }
        }
    }
}

/// Running the program, and the writers, as separate processes.
enum Program {
    /// The built `speakup`: $SPEAKUP_BIN (set by `make test`), else this checkout's debug build.
    static let speakup: String = {
        if let path = ProcessInfo.processInfo.environment["SPEAKUP_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/speakup").path
    }()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `path ARGS` to its end (output to files: nothing it starts can hold a pipe open).
    static func run(_ path: String, _ arguments: [String]) throws -> Result {
        let base = NSTemporaryDirectory() + "speakup-failover-command-" + UUID().uuidString
        defer { unlink(base + ".out"); unlink(base + ".err") }
        let pid = try ServerCommand.spawn([path] + arguments, output: base + ".out", errors: base + ".err", environment: ["PATH": "/usr/bin:/bin"])
        let status = waitForExit(pid)
        return Result(status: status, stdout: String(decoding: FileManager.default.contents(atPath: base + ".out") ?? Data(), as: UTF8.self),
                      stderr: String(decoding: FileManager.default.contents(atPath: base + ".err") ?? Data(), as: UTF8.self))
    }

    /// Starts `arguments` in a process group of its own (its pid is the group's), not waiting for it.
    static func startGroup(_ arguments: [String], environment: [String: String], output: String) throws -> pid_t {
        try ServerCommand.spawn(arguments, output: output, environment: environment, newGroup: true)
    }

    /// Waits up to `seconds` for `pid` to end; whether it did.
    static func wait(_ pid: pid_t, seconds: Double) -> Bool {
        let giveUp = Date(timeIntervalSinceNow: seconds)
        var status: Int32 = 0
        while Date() < giveUp {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid || (done == -1 && errno == ECHILD) { return true }
            usleep(50_000)
        }
        return false
    }

    private static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
