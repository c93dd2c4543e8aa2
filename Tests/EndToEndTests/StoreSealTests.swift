import Foundation
import Glibc
import Testing
import SpeakUpCore

@Suite("End to end: speakup store seal (an existing store sealed in place, all or nothing, even when killed)")
struct StoreSealTests {
    /// How many reports are still in clear, and how many notes are sealed.
    static func counts(_ scratch: Scratch) throws -> (clear: Int, sealedNotes: Int) {
        let result = try Command.run("/usr/bin/sqlite3", [scratch.store,
            "SELECT (SELECT count(*) FROM report WHERE sealed IS NULL), (SELECT count(*) FROM case_event WHERE kind = 'note' AND text LIKE 'sealed-v1:%')"])
        let parts = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").compactMap { Int($0) }
        guard parts.count == 2 else { throw CommandFailed(description: "sqlite3: \(result.stdout)\(result.stderr)") }
        return (parts[0], parts[1])
    }

    /// A store of `count` cases in clear, each with a note, then given a recovery key.
    static func clearStore(_ count: Int) throws -> Scratch {
        let scratch = Scratch()
        _ = try RetentionTests.importClosed(count, into: scratch)
        let key = try Binary.run(["store", "recovery-key", "--db", scratch.store])
        #expect(key.status == 0, "\(key.stderr)")
        return scratch
    }

    /// Starts `speakup store seal` on the scratch store (with `extra` words, the environment's `extra`
    /// variables and standard input read from `input`, a file); its pid.
    static func startSeal(_ scratch: Scratch, _ words: [String] = [], environment extra: [String: String] = [:],
                          input: String = "/dev/null", output: String = "/dev/null") -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let words: [String] = [Binary.speakup, "store", "seal"] + words + ["--db", scratch.store]
        let environment: [String] = ["PATH=/usr/bin:/bin"] + extra.map { "\($0.key)=\($0.value)" }
        let argv = words.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        _ = posix_spawn(&pid, Binary.speakup, &actions, nil, argv, envp)
        return pid
    }

    @Test("sealing needs a recovery key; then every case and note is sealed, the words gone from the files, the audit trail verifies, and a second run seals nothing")
    func sealsAStore() throws {
        let scratch = Scratch()
        _ = try RetentionTests.importClosed(3, into: scratch)
        let refused = try Binary.run(["store", "seal", "--db", scratch.store])
        #expect(refused.status == 1 && refused.stderr.contains("no trust recovery key"), "\(refused.status) \(refused.stderr)")
        #expect(try Self.counts(scratch).clear == 3)
        #expect(try Binary.run(["store", "recovery-key", "--db", scratch.store]).status == 0)
        let before = try Binary.run(["check", "--db", scratch.store])
        #expect(before.stdout.contains("3 reports sent before this store had its recovery key are still kept in clear") && before.status == 1,
                "\(before.stdout)")
        // With a subject-key secret, the names of the people the reports are about are sealed too.
        let secret = ["SPEAKUP_SUBJECT_KEY": scratch.path + "/subject-key"]
        #expect(try Binary.run(["store", "subject-key"], environment: secret).status == 0)
        let sealed = try Binary.run(["store", "seal", "--db", scratch.store], environment: secret)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        #expect(sealed.stdout.contains("Sealed 3 cases in place, with 3 notes"), "\(sealed.stdout)")
        #expect(sealed.stdout.contains("The names of the people they are about are sealed with them (3 of 3)."), "\(sealed.stdout)")
        #expect(sealed.stdout.contains("erased from the store's file and its log"), "\(sealed.stdout)")
        #expect(try Self.counts(scratch) == (0, 3))
        let bytes = [scratch.store, scratch.store + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }.reduce(Data(), +)
        for words in ["the erasable words", "Erasable", "Asha Patel", "ext 4321"] {
            #expect(bytes.range(of: Data(words.utf8)) == nil, "\(words) is still in the store's files")
        }
        let verified = try Binary.run(["audit", "verify", "--db", scratch.store])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(!(try Binary.run(["check", "--db", scratch.store])).stdout.contains("kept in clear"))
        let again = try Binary.run(["store", "seal", "--db", scratch.store])
        #expect(again.status == 0 && again.stdout.contains("sealed already"), "\(again.stdout)\(again.stderr)")
        #expect(Tmux.words(again.stdout).contains("the store's files were cleaned all the same"), "\(again.stdout)")
    }

    @Test("killed once its transaction is done but before it erased the copies in clear, a sealing run again erases them")
    func killedBeforeErasing() throws {
        let scratch = try Self.clearStore(300)
        // Its output in a file; killed as soon as it says the cases are sealed (the erasing comes after that line).
        let output = scratch.path + "/seal.out"
        let pid = Self.startSeal(scratch, output: output)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, !((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").contains("Sealed 300 cases") {
            usleep(2_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        #expect(try Self.counts(scratch) == (0, 300), "the sealing's transaction was not done when it said so")
        let again = try Binary.run(["store", "seal", "--db", scratch.store])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(Tmux.words(again.stdout).contains("the store's files were cleaned all the same"), "\(again.stdout)")
        let bytes = [scratch.store, scratch.store + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }.reduce(Data(), +)
        for words in ["the erasable words", "Asha Patel", "naming Dr Erasable"] {
            #expect(bytes.range(of: Data(words.utf8)) == nil, "\(words) is still in the store's files")
        }
        #expect(try Binary.run(["audit", "verify", "--db", scratch.store]).status == 0)
    }

    @Test("names left in clear beside words sealed before the subject-key secret: --names refuses without the secret or the right recovery key, then seals them; gone from the files, the trail verifies")
    func sealsNamesLater() throws {
        let scratch = Scratch()
        _ = try RetentionTests.importClosed(2, into: scratch)
        let made = try Binary.run(["store", "recovery-key", "--db", scratch.store])
        let keyLine = try #require(made.stdout.range(of: #"SPEAKUP RECOVERY [0-9A-Z]{5}(-[0-9A-Z]{5}){10}"#, options: .regularExpression)
            .map { String(made.stdout[$0]) })
        func names() throws -> String {
            try Command.run("/usr/bin/sqlite3", [scratch.store, "SELECT count(*) FROM report WHERE subject_name = 'Dr Erasable'"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func sealNames(_ input: String, _ environment: [String: String] = [:]) throws -> Command.Result {
            try Command.run(Binary.speakup, ["store", "seal", "--names", "--db", scratch.store],
                            environment: ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }, input: input)
        }
        // Without a secret the words are sealed and the names stay, and both the sealing and the check say how to seal them.
        let first = try Binary.run(["store", "seal", "--db", scratch.store])
        #expect(first.status == 0 && first.stdout.contains("still in clear: there is no subject-key secret"), "\(first.stdout)\(first.stderr)")
        #expect(Tmux.words(first.stdout).contains("2 reports sealed before this installation had its subject-key secret keep the name"), "\(first.stdout)")
        #expect(Tmux.words(try Binary.run(["check", "--db", scratch.store]).stdout).contains("`speakup store seal --names` seals them"))
        let noSecret = try sealNames(keyLine + "\n")
        #expect(noSecret.status == 1 && noSecret.stderr.contains("no subject-key secret"), "\(noSecret.stderr)")
        let secret = ["SPEAKUP_SUBJECT_KEY": scratch.path + "/subject-key"]
        #expect(try Binary.run(["store", "subject-key"], environment: secret).status == 0)
        let wrong = try sealNames("SPEAKUP RECOVERY 00000-00000-00000-00000-00000-00000-00000-00000-00000-00000-00000\n", secret)
        #expect(wrong.status != 0 && wrong.stderr.contains("Nothing was changed"), "\(wrong.stderr)")
        #expect(try names() == "2")

        let done = try sealNames(keyLine + "\n", secret)
        #expect(done.status == 0, "\(done.stdout)\(done.stderr)")
        #expect(Tmux.words(done.stdout).contains("Sealed the names of the people 2 reports are about with their words"), "\(done.stdout)")
        #expect(!done.stdout.contains(keyLine) && !done.stderr.contains(keyLine))
        #expect(try names() == "0")
        let bytes = [scratch.store, scratch.store + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }.reduce(Data(), +)
        #expect(bytes.range(of: Data("Erasable".utf8)) == nil && bytes.range(of: Data("erasable".utf8)) == nil, "the name is still in the store's files")
        let verified = try Binary.run(["audit", "verify", "--db", scratch.store])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(!(try Binary.run(["check", "--db", scratch.store], environment: secret)).stdout.contains("name or role of the person"))
        let again = try sealNames(keyLine + "\n", secret)
        #expect(again.status == 0 && again.stdout.contains("No report with sealed words keeps the name"), "\(again.stdout)\(again.stderr)")
    }

    /// Seals a fresh store of `count` clear cases, killing the sealing after `delay` seconds; checks that it is
    /// all or nothing, verifies, and that a second run finishes. Whether the kill came while it ran.
    static func killSealing(_ count: Int, after delay: Double) throws -> Bool {
        let scratch = try clearStore(count)
        let pid = startSeal(scratch)
        usleep(useconds_t(delay * 1_000_000))
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let (clear, notes) = try counts(scratch)
        #expect((clear == count && notes == 0) || (clear == 0 && notes == count), "half sealed after a kill at \(delay) s: \(clear) clear, \(notes) notes sealed")
        let verified = try Binary.run(["audit", "verify", "--db", scratch.store])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let again = try Binary.run(["store", "seal", "--db", scratch.store])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try counts(scratch) == (0, count))
        #expect(try Binary.run(["audit", "verify", "--db", scratch.store]).status == 0)
        return (status & 0x7F) == SIGKILL
    }

    @Test("killed with SIGKILL at any point, a sealing leaves every case in clear or every case sealed; run again, it finishes and verifies")
    func killedPartWay() throws {
        let count = 600
        // How long a whole run takes here, to kill the others part way through it.
        let timed = try Self.clearStore(count)
        let started = Date()
        let whole = try Binary.run(["store", "seal", "--db", timed.store])
        let seconds = Date().timeIntervalSince(started)
        #expect(whole.status == 0, "\(whole.stderr)")
        var killedRunning = 0
        for fraction in [0.3, 0.5, 0.7, 0.9] {
            // The timed run may have been slower than the ones after it (a cold cache): a kill that came after a
            // run had finished is tried again, sooner, on a fresh store (up to three times).
            var delay = seconds * fraction
            for _ in 0..<3 {
                let killed = try Self.killSealing(count, after: delay)
                if killed {
                    killedRunning += 1
                    break
                }
                delay /= 2
            }
        }
        #expect(killedRunning >= 2, "the kills came while sealing ran (a whole run took \(seconds) s)")
    }

    /// How many reports keep the subject's name in clear.
    static func clearNames(_ scratch: Scratch) throws -> Int {
        let result = try Command.run("/usr/bin/sqlite3", [scratch.store, "SELECT count(*) FROM report WHERE subject_name = 'Dr Erasable'"])
        guard let count = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CommandFailed(description: "sqlite3: \(result.stdout)\(result.stderr)")
        }
        return count
    }

    /// A store of `count` cases whose words were sealed before the installation had a subject-key secret
    /// (so their names stay in clear), then given one: what `store seal --names` is for. The recovery key's
    /// line is written to a file, for the sealing's standard input, and the secret's variable returned.
    static func namesInClear(_ count: Int) throws -> (scratch: Scratch, keyFile: String, secret: [String: String]) {
        let scratch = Scratch()
        _ = try RetentionTests.importClosed(count, into: scratch)
        let made = try Binary.run(["store", "recovery-key", "--db", scratch.store])
        let keyLine = try #require(made.stdout.range(of: #"SPEAKUP RECOVERY [0-9A-Z]{5}(-[0-9A-Z]{5}){10}"#, options: .regularExpression)
            .map { String(made.stdout[$0]) })
        let sealed = try Binary.run(["store", "seal", "--db", scratch.store])
        #expect(sealed.status == 0, "\(sealed.stderr)")
        let secret = ["SPEAKUP_SUBJECT_KEY": scratch.path + "/subject-key"]
        #expect(try Binary.run(["store", "subject-key"], environment: secret).status == 0)
        let keyFile = scratch.path + "/recovery-key.txt"
        try (keyLine + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
        #expect(try clearNames(scratch) == count)
        return (scratch, keyFile, secret)
    }

    /// Seals the names of a fresh store's `count` cases, killing `store seal --names` after `delay` seconds;
    /// checks that every name is in clear or every name sealed, that the trail verifies, and that a second
    /// run finishes. Whether the kill came while it ran.
    static func killSealingNames(_ count: Int, after delay: Double) throws -> Bool {
        let (scratch, keyFile, secret) = try namesInClear(count)
        let pid = startSeal(scratch, ["--names"], environment: secret, input: keyFile)
        usleep(useconds_t(delay * 1_000_000))
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let left = try clearNames(scratch)
        #expect(left == count || left == 0, "names half sealed after a kill at \(delay) s: \(left) of \(count) still in clear")
        let verified = try Binary.run(["audit", "verify", "--db", scratch.store])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let input = try String(contentsOfFile: keyFile, encoding: .utf8)
        let again = try Command.run(Binary.speakup, ["store", "seal", "--names", "--db", scratch.store],
                                    environment: ["PATH": "/usr/bin:/bin"].merging(secret) { $1 }, input: input)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(try clearNames(scratch) == 0)
        let bytes = [scratch.store, scratch.store + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }.reduce(Data(), +)
        #expect(bytes.range(of: Data("Dr Erasable".utf8)) == nil, "the name is still in the store's files after a kill at \(delay) s and a second run")
        #expect(try Binary.run(["audit", "verify", "--db", scratch.store]).status == 0)
        return (status & 0x7F) == SIGKILL
    }

    @Test("killed with SIGKILL at any point, store seal --names leaves every name in clear or every name sealed; run again, it finishes and verifies")
    func namesKilledPartWay() throws {
        let count = 300
        let (timed, keyFile, secret) = try Self.namesInClear(count)
        let started = Date()
        let whole = try Command.run(Binary.speakup, ["store", "seal", "--names", "--db", timed.store],
                                    environment: ["PATH": "/usr/bin:/bin"].merging(secret) { $1 },
                                    input: try String(contentsOfFile: keyFile, encoding: .utf8))
        let seconds = Date().timeIntervalSince(started)
        #expect(whole.status == 0, "\(whole.stdout)\(whole.stderr)")
        #expect(try Self.clearNames(timed) == 0)
        var killedRunning = 0
        for fraction in [0.3, 0.6, 0.9] {
            var delay = seconds * fraction
            for _ in 0..<3 {
                if try Self.killSealingNames(count, after: delay) {
                    killedRunning += 1
                    break
                }
                delay /= 2
            }
        }
        #expect(killedRunning >= 2, "the kills came while the names were being sealed (a whole run took \(seconds) s)")
    }
}
