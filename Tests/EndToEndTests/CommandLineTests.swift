import Foundation
import Glibc
import Testing
import SpeakUpCore

@Suite("End to end: the command line's bad inputs")
struct CommandLineTests {
    @Test("export from a store that does not exist says so, exits 1 and creates nothing")
    func exportMissing() throws {
        let scratch = Scratch()
        let result = try Binary.run(["export", "json", "--db", scratch.store])
        #expect(result.status == 1)
        #expect(result.stderr.contains("There is no SpeakUp store at \(scratch.store)"))
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: scratch.store))
    }

    @Test("a store path in a folder that does not exist is named")
    func missingFolder() throws {
        let scratch = Scratch()
        let result = try Binary.run(["export", "json", "--db", scratch.path + "/nope/x.sqlite"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("There is no SpeakUp store"))
    }

    @Test("a file that is not a store is refused and left as it was")
    func notAStore() throws {
        let scratch = Scratch()
        let notes = Data(String(repeating: "my own notes\n", count: 400).utf8)
        FileManager.default.createFile(atPath: scratch.store, contents: notes)
        let result = try Binary.run(["export", "json", "--db", scratch.store])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not a SpeakUp store"))
        #expect(FileManager.default.contents(atPath: scratch.store) == notes)
    }

    @Test("a named pipe or a device as the store is refused at once, with a sentence, and nothing is made beside it")
    func notAFile() throws {
        let scratch = Scratch()
        let pipe = scratch.path + "/pipe.sqlite"
        #expect(mkfifo(pipe, 0o600) == 0)
        for (path, kind) in [(pipe, "a named pipe"), ("/dev/null", "a device")] {
            for arguments in [["export", "json", "--db", path], ["whoami", "--db", path], ["check", "--db", path]] {
                let result = try Binary.run(arguments)  // it used to wait forever on the pipe
                #expect(result.status == 64, "\(arguments)")
                #expect(result.stderr.contains("\(path) is \(kind), not a file, so it cannot be a SpeakUp store"), "\(arguments)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-journal"))
        #expect(!FileManager.default.fileExists(atPath: pipe + "-journal") && !FileManager.default.fileExists(atPath: pipe + "-wal"))
    }

    @Test("SPEAKUP_DB chooses the store; an empty one is an error")
    func environmentStore() throws {
        let scratch = Scratch()
        let empty = try Binary.run(["export", "json"], environment: ["SPEAKUP_DB": ""])
        #expect(empty.status == 64)
        #expect(empty.stderr.contains("SPEAKUP_DB is set but empty"))
        let missing = try Binary.run(["export", "json"], environment: ["SPEAKUP_DB": scratch.store])
        #expect(missing.stderr.contains(scratch.store))
    }

    @Test("the default store lives under XDG_DATA_HOME, and its path is printed at exit")
    func defaultStore() throws {
        let scratch = Scratch()
        let result = try Binary.run(["export", "json"], environment: ["XDG_DATA_HOME": scratch.path])
        #expect(result.status == 0)
        #expect(try JSONDecoder().decode([ReportJSON.Record].self, from: result.stdoutData).isEmpty)
        #expect(result.stderr.contains(scratch.path + "/speakup/speakup.sqlite"))
        let attributes = try FileManager.default.attributesOfItem(atPath: scratch.path + "/speakup")
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        let store = try FileManager.default.attributesOfItem(atPath: scratch.path + "/speakup/speakup.sqlite")
        #expect((store[.posixPermissions] as? Int) == 0o600)
    }

    @Test("an unknown option or command is refused with what was wrong, the usage, and exit 64", arguments: [
        (["--bogus"], "Error: Unknown option '--bogus'", "Usage: speakup report"),
        (["export", "json", "--db"], "Error: Missing value for '--db <path>'", "Usage: speakup export json"),
    ])
    func badArguments(_ arguments: [String], _ error: String, _ usage: String) throws {
        let result = try Binary.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix(error + "\n"), "\(result.stderr)")
        #expect(result.stderr.contains(usage))
    }

    @Test("--version prints the one version the code holds, and exits 0")
    func version() throws {
        for arguments in [["--version"], ["--db", "x.sqlite", "--version"]] {
            let result = try Binary.run(arguments)
            #expect(result.status == 0)
            #expect(result.stdout == "speakup \(SpeakUpVersion.number)\n", "\(arguments)")
        }
    }

    @Test("a mistyped command is named, with the nearest command when one is close, the commands listed, and exit 64", arguments: [
        (["case"], "\"case\" is not a SpeakUp command. Did you mean \"cases\"?\nThe commands are: report, follow-up, ward, kiosk, export, import, rules, escalate, directory, audit, whoami, check, cases, stats, board, subject-access, store, retention, recover."),
        (["whoamii", "--db", "x.sqlite"], "\"whoamii\" is not a SpeakUp command. Did you mean \"whoami\"?\n"),
        (["--db", "x.sqlite", "stat"], "\"stat\" is not a SpeakUp command. Did you mean \"stats\"?\n"),
        (["frobnicate"], "\"frobnicate\" is not a SpeakUp command.\nThe commands are: report,"),
        (["export", "jsn"], "\"jsn\" is not a command of `speakup export`. Did you mean \"json\"?\nThe commands are: json, return, ngo."),
        (["export", "xml"], "\"xml\" is not a command of `speakup export`.\nThe commands are: json, return, ngo."),
        (["rules", "chek", "x.yaml"], "\"chek\" is not a command of `speakup rules`. Did you mean \"check\"?"),
    ])
    func mistypedCommand(_ arguments: [String], _ sentence: String) throws {
        let result = try Binary.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix(sentence), "\(result.stderr)")
        #expect(!result.stderr.contains("Usage: speakup report"))
        #expect(!result.stderr.contains("Unexpected argument"))
    }

    @Test("--db (and --rules, --wait) before the command are the command's, for every command that reads a store")
    func storeOptionBeforeCommand() throws {
        let scratch = Scratch()
        _ = try Binary.run(["export", "json"], environment: ["XDG_DATA_HOME": scratch.path])
        let store = scratch.path + "/speakup/speakup.sqlite"
        for command in [["whoami"], ["export", "json"], ["stats"], ["check"], ["audit", "verify"], ["escalate", "tick"], ["cases"]] {
            for arguments in [["--db", store] + command, ["--db=\(store)", "--wait", "5"] + command, command + ["--db", store]] {
                let result = try Binary.run(arguments)
                #expect(!result.stderr.contains("Unexpected argument") && !result.stderr.contains("Unknown option"), "\(arguments): \(result.stderr)")
                // `check` finds problems with an empty store (no directory), `cases` needs a terminal: neither is a usage error.
                #expect(result.status != 64, "\(arguments): \(result.stderr)")
            }
        }
        let whoami = try Binary.run(["--db", store, "whoami"])
        #expect(whoami.status == 0)
        #expect(whoami.stdout.contains("Reports in \(store) are routed"))
    }

    @Test("--help describes the commands")
    func help() throws {
        let result = try Binary.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("export"))
        #expect(result.stdout.contains("--db"))
    }
}

@Suite("End to end: what SpeakUp prints is as safe as what it draws")
struct PrintedTextTests {
    @Test("a --db path holding an escape sequence is printed with placeholders, never raw")
    func escapeInPath() throws {
        let scratch = Scratch()
        let path = scratch.path + "/x\u{1B}]0;PWNED\u{07}/y.sqlite"
        let result = try Binary.run(["export", "json", "--db", path])
        #expect(result.status == 1)
        #expect(!result.stderr.contains("\u{1B}"))
        #expect(result.stderr.contains("␛]0;PWNED␇"))
    }

    @Test("an unknown argument holding an escape sequence is quoted safely")
    func escapeInArgument() throws {
        let result = try Binary.run(["--bogus\u{1B}[2J"])
        #expect(result.status == 64)
        #expect(!result.stderr.contains("\u{1B}"))
    }

    @Test("export never turns an empty file into a store")
    func emptyFile() throws {
        let scratch = Scratch()
        FileManager.default.createFile(atPath: scratch.store, contents: Data())
        let result = try Binary.run(["export", "json", "--db", scratch.store])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is empty, not a SpeakUp store"))
        #expect(FileManager.default.contents(atPath: scratch.store) == Data())
    }
}

@Suite("End to end: store subject-key makes the secret once, and never replaces it")
struct SubjectKeyCommandTests {
    @Test("made once (64 hexadecimal digits, mode 0600 for a SpeakUp run on its own); asked again, refused (73) and kept; with nowhere to keep it, told how (64)")
    func madeOnce() throws {
        let scratch = Scratch()
        let path = scratch.path + "/subject-key"
        let made = try Binary.run(["store", "subject-key"], environment: ["SPEAKUP_SUBJECT_KEY": path])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stderr.contains("Made \(path)."))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.count == 65 && text.dropLast().allSatisfy(\.isHexDigit))
        #expect(SharedHost.mode(path).mode == 0o600)
        let again = try Binary.run(["store", "subject-key"], environment: ["SPEAKUP_SUBJECT_KEY": path])
        #expect(again.status == 73)
        #expect(again.stderr.contains("exists already, so nothing was changed"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        let nowhere = try Binary.run(["store", "subject-key"])
        #expect(nowhere.status == 64)
        #expect(nowhere.stderr.contains("set SPEAKUP_SUBJECT_KEY"))
        let missingFolder = try Binary.run(["store", "subject-key"], environment: ["SPEAKUP_SUBJECT_KEY": scratch.path + "/no/such/folder/key"])
        #expect(missingFolder.status == 73)
        #expect(missingFolder.stderr.contains("could not make"))
    }
}
