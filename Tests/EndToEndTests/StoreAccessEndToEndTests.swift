import Foundation
import Glibc
import Testing
import SpeakUpCore

/// The real binary against stores it may not write. Permission bits mean nothing to root, so as
/// root (as CI runs) the program is run as `nobody` through setpriv, and the files are given to
/// `nobody`; as anyone else it runs as they are.
enum OrdinaryUser {
    static let setpriv = "/usr/bin/setpriv"

    /// Why these tests cannot run here, or nil.
    static var unavailable: String? {
        guard getuid() == 0 else { return nil }
        guard FileManager.default.isExecutableFile(atPath: setpriv), getpwnam("nobody") != nil else {
            return "running as root, and without setpriv or a nobody account the permission bits would not be checked"
        }
        // nobody must be able to reach the binary.
        return access(Binary.speakup, X_OK) == 0 ? nil : "the built binary is not reachable"
    }

    /// The command line that runs `speakup ARGS` as an ordinary user.
    static func command(_ arguments: [String]) -> [String] {
        getuid() == 0
            ? [setpriv, "--reuid=nobody", "--regid=\(getpwnam("nobody")!.pointee.pw_gid)", "--clear-groups", Binary.speakup] + arguments
            : [Binary.speakup] + arguments
    }

    /// Runs `speakup ARGS` as that user, without a terminal.
    static func run(_ arguments: [String]) throws -> Command.Result {
        let line = command(arguments)
        return try Command.run(line[0], Array(line.dropFirst()), environment: ["PATH": "/usr/bin:/bin"])
    }

    /// Makes `path` that user's, with `mode`.
    static func give(_ path: String, mode: mode_t) {
        if getuid() == 0 {
            let nobody = getpwnam("nobody")!.pointee
            chown(path, nobody.pw_uid, nobody.pw_gid)
        }
        chmod(path, mode)
    }

    /// A new, empty store at `path` (made by an export of the default store), with the folders on the way open to read.
    static func makeStore(at path: String, in scratch: Scratch) throws {
        _ = try Binary.run(["export", "json"], environment: ["XDG_DATA_HOME": scratch.path + "/made"])
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: scratch.path + "/made/speakup/speakup.sqlite", toPath: path)
        chmod(scratch.path, 0o755)
    }
}

@Suite("End to end: a store that cannot be written is found at start, before the form", .serialized)
struct ReadOnlyStoreAtStartTests {
    @Test("a store file with no write permission: the form, ward and kiosk say so in a sentence and exit 77 before anything is drawn; reading still works",
          .enabled(if: OrdinaryUser.unavailable == nil, "\(OrdinaryUser.unavailable ?? "")"))
    func readOnlyFile() throws {
        let scratch = Scratch()
        let folder = scratch.path + "/mine"
        let store = folder + "/speakup.sqlite"
        try OrdinaryUser.makeStore(at: store, in: scratch)
        OrdinaryUser.give(folder, mode: 0o700)
        OrdinaryUser.give(store, mode: 0o400)
        for arguments in [["--db", store], ["report", "--db", store], ["ward", "--db", store], ["kiosk", "--db", store]] {
            let tmux = try Tmux(command: OrdinaryUser.command(arguments), environment: ["TERM": "xterm-256color"])
            let status = try tmux.exitStatus()
            let screen = try tmux.screen()
            #expect(status == 77, "\(arguments): \(screen)")
            let joined = screen.replacingOccurrences(of: "\n", with: "")
            #expect(joined.contains("SpeakUp can read the store at \(store) but not write to it"), "\(arguments): \(screen)")
            #expect(joined.contains("has no permission to write to it"), "\(arguments)")
            // Nothing of the form: the sentence is the first thing on the screen, and no page or key bar was drawn.
            #expect(joined.hasPrefix("SpeakUp can read the store"), "\(arguments): \(screen)")
            #expect(!screen.contains("How would you like") && !screen.contains("Esc "), "\(arguments): \(screen)")
        }
        // Commands that only read work on it, with no sentence about writing.
        for arguments in [["export", "json", "--db", store], ["stats", "--db", store], ["audit", "verify", "--db", store], ["whoami", "--db", store]] {
            let result = try OrdinaryUser.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("write"), "\(arguments): \(result.stderr)")
        }
        // A write command gets the same sentence, and the same code.
        let tick = try OrdinaryUser.run(["escalate", "tick", "--db", store])
        #expect(tick.status == 77)
        #expect(tick.stderr.contains("but not write to it"))
    }

    @Test("a store in a folder with no write permission (SQLite keeps its journal there): the form says so and exits 77 before anything is drawn",
          .enabled(if: OrdinaryUser.unavailable == nil, "\(OrdinaryUser.unavailable ?? "")"))
    func readOnlyFolder() throws {
        let scratch = Scratch()
        let folder = scratch.path + "/shut"
        let store = folder + "/speakup.sqlite"
        try OrdinaryUser.makeStore(at: store, in: scratch)
        OrdinaryUser.give(store, mode: 0o600)
        OrdinaryUser.give(folder, mode: 0o555)
        defer { chmod(folder, 0o755) }
        let tmux = try Tmux(command: OrdinaryUser.command(["--db", store]), environment: ["TERM": "xterm-256color"])
        #expect(try tmux.exitStatus() == 77)
        let screen = try tmux.screen().replacingOccurrences(of: "\n", with: "")
        #expect(screen.contains("SpeakUp can read the store at \(store) but not save into it"), "\(screen)")
        #expect(screen.contains("no permission to write in its folder \(folder)"), "\(screen)")
        #expect(screen.contains("mode 0555"), "\(screen)")
        // A read gets a read sentence (SQLite needs an index file beside the store even to read it).
        let export = try OrdinaryUser.run(["export", "json", "--db", store])
        #expect(export.status == 77)
        #expect(export.stderr.hasPrefix("SpeakUp cannot read the store at \(store)"), "\(export.stderr)")
    }

    @Test("a store file open to everyone (0444) is refused before the form too, for what it is",
          .enabled(if: OrdinaryUser.unavailable == nil, "\(OrdinaryUser.unavailable ?? "")"))
    func openToEveryone() throws {
        let scratch = Scratch()
        let store = scratch.path + "/open/speakup.sqlite"
        try OrdinaryUser.makeStore(at: store, in: scratch)
        OrdinaryUser.give(store, mode: 0o444)
        let tmux = try Tmux(command: OrdinaryUser.command(["--db", store]), environment: ["TERM": "xterm-256color"])
        #expect(try tmux.exitStatus() == 78)
        #expect(try tmux.screen().contains("can be opened by people other than you"))
    }

    @Test("an unreadable store names the permission and whose file it is, for a command that only reads",
          .enabled(if: OrdinaryUser.unavailable == nil, "\(OrdinaryUser.unavailable ?? "")"))
    func unreadable() throws {
        let scratch = Scratch()
        let store = scratch.path + "/theirs/speakup.sqlite"
        try OrdinaryUser.makeStore(at: store, in: scratch)
        chmod(store, 0o000)
        if getuid() != 0 { return }  // as anyone else the file is their own, and chmod 000 on it is theirs to undo
        let result = try OrdinaryUser.run(["export", "json", "--db", store])
        #expect(result.status == 77)
        #expect(result.stderr.hasPrefix("SpeakUp cannot read the store at \(store): your login (nobody) has no permission to read it (owner root, group root, mode 0000)."), "\(result.stderr)")
    }
}

@Suite("End to end: screens started without a terminal say what to do instead")
struct NoTerminalTests {
    @Test("each screen has its own sentence, exit 2, and no store is made", arguments: [
        (["report"], "The SpeakUp form needs a terminal to type in."),
        (["follow-up"], "Following up a report needs a terminal to read messages and reply in."),
        (["cases"], "The cases workspace needs a terminal. To read cases out, use `speakup export json`; for the figures, `speakup stats`."),
        (["ward"], "A ward terminal needs a terminal to run on"),
        (["kiosk"], "A kiosk needs a terminal to run on"),
    ])
    func withoutTerminal(_ arguments: [String], _ sentence: String) throws {
        let scratch = Scratch()
        let result = try Binary.run(arguments + ["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix(sentence), "\(result.stderr)")
        #expect(!result.stderr.contains("The SpeakUp form") || arguments == ["report"])
        #expect(!FileManager.default.fileExists(atPath: scratch.store))
    }
}

@Suite("End to end: what the commands print for people")
struct PrintedForPeopleTests {
    @Test("counts of one are singular: one person in the directory, one report imported, one role and route")
    func plurals() throws {
        let scratch = Scratch()
        let staff = scratch.path + "/staff.csv"
        FileManager.default.createFile(atPath: staff, contents: Data("""
            staff_id,name,unix_user,role,seniority,manager_id,ward
            S1,Helen Chief,hchief,chief executive,chief-executive,,Board
            """.utf8))
        let directory = try Binary.run(["directory", "import", staff, "--db", scratch.store])
        #expect(directory.stderr.contains("The staff directory now lists 1 person."), "\(directory.stderr)")
        let check = try Binary.run(["check", "--db", scratch.store])
        #expect(check.stdout.contains("Staff directory: 1 person,"), "\(check.stdout)")
        let one = scratch.path + "/one.json"
        let records = try JSONSerialization.jsonObject(with: Data(ImportTests.good.utf8)) as! [Any]
        try JSONSerialization.data(withJSONObject: [records[0]]).write(to: URL(fileURLWithPath: one))
        let imported = try Binary.run(["import", one, "--db", scratch.store])
        #expect(imported.stderr.contains("Imported 1 report into"), "\(imported.stderr)")
        let rules = scratch.path + "/rules.yaml"
        FileManager.default.createFile(atPath: rules, contents: Data("""
            version: 1
            roles:
              guardian: { users: [root] }
            fallback: guardian
            routes:
              - name: everything
                notify: [guardian]
            """.utf8))
        let checked = try Binary.run(["rules", "check", rules])
        #expect(checked.stdout.contains("the rules are valid: 1 role, 1 route,"), "\(checked.stdout)\(checked.stderr)")
    }

    @Test("speakup stats prints categories and answers in words, with no line ending in spaces")
    func stats() throws {
        let scratch = Scratch()
        let file = ImportTests.write(ImportTests.good, in: scratch)
        #expect(try Binary.run(["import", file, "--db", scratch.store]).status == 0)
        let result = try Binary.run(["stats", "--db", scratch.store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("  Unsafe practice "))
        #expect(result.stdout.contains("  Rude or aggressive "))
        #expect(result.stdout.contains("I don't know: 0"))
        for slug in ["unsafe-practice", "rude-or-aggressive", "dont-know"] { #expect(!result.stdout.contains(slug)) }
        for line in result.stdout.split(separator: "\n") { #expect(!line.hasSuffix(" "), "\(line)") }
    }

    @Test("the deadlines rules explain prints read 27 Nov 2026, 10:00, not ISO 8601")
    func dates() throws {
        let scratch = Scratch()
        let file = ImportTests.write(ImportTests.good, in: scratch)
        #expect(try Binary.run(["import", file, "--db", scratch.store]).status == 0)
        let explained = try Binary.run(["rules", "explain", "SU-7KQ4-M2XD", "--db", scratch.store], environment: ["TZ": "UTC"])
        #expect(explained.status == 0, "\(explained.stderr)")
        let line = explained.stdout.split(separator: "\n").first { $0.hasPrefix("Acknowledge by") }.map(String.init) ?? ""
        #expect(line.firstMatch(of: /^Acknowledge by \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}; feed back by \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}\.$/) != nil, "\(line)")
    }
}
