import Foundation
import SpeakUpCore

/// The release `speakup` binary under test, and what this build of it offers.
struct SpeakUp {
    let path: String
    /// Where children run and keep their output; HOME points here too, so no one's own store is touched.
    let home: String
    /// `export json`, or `export --format json` in builds that spell it so.
    let exportArguments: [String]
    /// Whether `speakup import --help` mentions `--wait` (how long a command waits for the store).
    let importTakesWait: Bool

    init(path: String, home: String) throws(TortureError) {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TortureError("\(path) is not an executable speakup binary. Build it first (make torture does).")
        }
        self.path = path
        self.home = home
        let probe = Probe(path: path, home: home)
        importTakesWait = probe.help(["import"]).contains("--wait")
        exportArguments = probe.help(["export"]).contains("--format") ? ["export", "--format", "json"] : ["export", "json"]
    }

    /// Starts `speakup ARGUMENTS`, its output kept in `folder` under `name`.
    func start(_ arguments: [String], in folder: String, name: String) throws(TortureError) -> Child {
        try Child([path] + arguments, in: folder, name: name, environment: Child.environment(home: home))
    }

    /// Runs `speakup ARGUMENTS` to its end, or kills it at `seconds` (a stall).
    func run(_ arguments: [String], in folder: String, name: String, seconds: Double) throws(TortureError) -> Child.Ending {
        let child = try start(arguments, in: folder, name: name)
        return child.wait(until: monotonicSeconds() + seconds)
    }

    /// `speakup import FILE --db DB`, with `--wait` when this build has it and one is given.
    func importArguments(_ file: String, db: String, wait: Int? = nil) -> [String] {
        var arguments = ["import", file, "--db", db]
        if let wait, importTakesWait { arguments += ["--wait", String(wait)] }
        return arguments
    }

    /// True when an import that ended this way acknowledged every one of `references`:
    /// it exited 0 and said what it kept (each reference, or "Imported N reports").
    static func acknowledges(_ ending: Child.Ending, _ references: [String]) -> Bool {
        guard ending.succeeded else { return false }
        let said = ending.output + ending.error
        if said.contains("SU-") { return references.allSatisfy(said.contains) }
        // The count as SpeakUp writes it for people: "Imported 1 report", "Imported 2,000 reports".
        return said.contains("Imported \(references.count.grouped) report")
    }

    private struct Probe {
        let path: String
        let home: String

        func help(_ command: [String]) -> String {
            guard let child = try? Child([path] + command + ["--help"], in: home, name: "help", environment: Child.environment(home: home))
            else { return "" }
            let ending = child.wait(until: monotonicSeconds() + 20)
            return ending.output + ending.error
        }
    }
}
