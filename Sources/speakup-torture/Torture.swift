import ArgumentParser
import Foundation
import Glibc

/// `make torture`: drives the release `speakup` through faults (kill -9 at random
/// moments and at chosen system calls, 32 writers at once, a stopped writer, a full
/// disk, hostile files) and proves that no acknowledged report is lost or altered.
/// See docs/reliability.md.
@main
struct Torture: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speakup-torture",
        abstract: "Drive the speakup binary through faults; exit 1 if any acknowledged report is lost or altered, or anything stalls."
    )

    @Option(help: ArgumentHelp("The speakup binary to test (the release build).", valueName: "path"))
    var speakup = ".build/release/speakup"

    @Option(help: ArgumentHelp("Replay a run: the seed it printed. Without it, a new seed is drawn.", valueName: "n"))
    var seed: UInt64?

    @Flag(help: "A reduced run for CI (a few dozen kills, well under 3 minutes).")
    var short = false

    @Option(help: ArgumentHelp("Run only these scenarios (repeatable): \(Scenarios.all.map(\.name).joined(separator: ", ")).", valueName: "name"))
    var only: [String] = []

    @Flag(help: "Keep each scenario's folder (stores, files sent, output) instead of removing it.")
    var keep = false

    func validate() throws {
        let names = Scenarios.all.map(\.name)
        for name in only where !names.contains(name) {
            throw ValidationError("There is no scenario \(name). The scenarios are: \(names.joined(separator: ", ")).")
        }
    }

    func run() throws {
        // Stores made here are opened by speakup, which refuses any that others could read.
        umask(0o077)
        let seed = self.seed ?? UInt64.random(in: 0...UInt64(Int64.max))
        let home: Scratch
        let binary: SpeakUp
        do {
            home = try Scratch(named: "home", keep: false)
            binary = try SpeakUp(path: speakup, home: home.path)
        } catch {
            emit("speakup-torture: \(error)")
            throw ExitCode(2)
        }
        let replay = "make torture TORTURE_ARGS='--seed \(seed)\(short ? " --short" : "")'"
        emit("# SpeakUp torture run, \(short ? "short" : "full")")
        emit("seed: \(seed)   (replay: \(replay))")
        emit("binary: \(speakup)")
        emit("this build: import \(binary.importTakesWait ? "takes --wait" : "has no --wait option"); export spelled `\(binary.exportArguments.joined(separator: " "))`")
        emit("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, running as \(getuid() == 0 ? "root" : "uid \(getuid())")")
        emit("")
        let context = Context(speakup: binary, seed: seed, short: short, keep: keep)
        var tallies: [Tally] = []
        let started = monotonicSeconds()
        for scenario in Scenarios.all where only.isEmpty || only.contains(scenario.name) {
            emit("## \(scenario.name): \(scenario.summary)")
            let began = monotonicSeconds()
            var tally = Tally(scenario: scenario.name)
            do {
                let scratch = try Scratch(named: scenario.name, keep: keep)
                defer { scratch.remove() }
                try scenario.run(context, scratch, &tally)
            } catch {
                tally.fail("The suite could not finish this scenario: \(error)")
            }
            emit("  \(tally.failed ? "FAILED" : "passed") in \(format(monotonicSeconds() - began)) s")
            let grouped = Tally.grouped(tally.failures)
            for (failure, count) in grouped.prefix(20) { emit("  ! \(failure)\(count > 1 ? " (\(count) times)" : "")") }
            if grouped.count > 20 { emit("  ! … and \(grouped.count - 20) more") }
            emit("")
            tallies.append(tally)
        }
        Summary.print(tallies, seed: seed, replay: replay, seconds: monotonicSeconds() - started)
        if tallies.contains(where: \.failed) { throw ExitCode(1) }
    }
}

/// What every scenario is given.
struct Context {
    let speakup: SpeakUp
    let seed: UInt64
    let short: Bool
    let keep: Bool

    /// The scenario's own seeded generator.
    func random(for scenario: String) -> SeededRandom { SeededRandom(seed: seed, scenario: scenario) }

    /// `short` in a --short run, else `full`.
    func scale(short: Int, full: Int) -> Int { self.short ? short : full }
}

/// One part of the suite.
protocol Scenario: Sendable {
    var name: String { get }
    var summary: String { get }
    func run(_ context: Context, _ scratch: Scratch, _ tally: inout Tally) throws
}

enum Scenarios {
    static let all: [any Scenario] = [
        KillDuringImport(), KillDuringTick(), KillDuringDirectoryImport(), KillTheForm(), KillAtSystemCalls(),
        ManyAtOnce(), StoppedWriter(), FullDisk(), HostileFiles(),
    ]
}

/// Progress, indented under the scenario's heading.
func say(_ line: String) { emit("  " + line) }

/// Writes a line to standard output at once (no buffer: progress shows as it happens, and
/// nothing is lost if the suite itself is killed).
func emit(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
        if written <= 0 { if errno == EINTR { continue } else { return } }
        offset += written
    }
}
