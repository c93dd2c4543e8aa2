import Foundation
import Glibc

/// Scenario 4: a writer stopped while it holds the store (`kill -STOP` in the
/// middle of a long import, once /proc/locks shows it holds SpeakUp's writer turn
/// or SQLite's write lock). Nobody may stop others from speaking up for longer
/// than the deadline: 32 one-report imports started then must each either finish
/// (exit 0, report kept) or give up with exit 75 and a sentence saying the store
/// is busy, within their wait (`--wait 5`, when this build has it) plus 5 s.
/// Then the stopped writer is let go (SIGCONT) or killed, and everything checked.
struct StoppedWriter: Scenario {
    let name = "stopped-holder"
    let summary = "a writer stopped (SIGSTOP) holding the store; 32 imports must finish or say busy in time"
    static let wait = 5

    func run(_ context: Context, _ scratch: Scratch, _ tally: inout Tally) throws {
        var factory = ReportFactory(random: context.random(for: name + "/reports"))
        let db = scratch.path + "/store.sqlite"
        let round = ImportRound(speakup: context.speakup, scratch: scratch, db: db)
        var ledger = Ledger()
        _ = try round.importWhole(factory.reports(10), ledger: &ledger, tally: &tally)
        let hasWait = context.speakup.importTakesWait
        // Without --wait, the longest a writer should wait is SQLite's busy timeout (15 s, docs/store.md).
        let deadline = Double(hasWait ? Self.wait : 15) + 5
        if !hasWait {
            tally.note("This build has no --wait: the 32 imports ran without it, with a deadline of SQLite's busy timeout (15 s) + 5 s.")
        }
        let endings = context.short ? ["let go"] : ["let go", "killed"]
        for ending in endings {
            let batch = factory.reports(context.scale(short: 2_000, full: 5_000), accountLength: 20...200)
            let holder = try round.start(batch, ledger: &ledger)
            guard let locks = waitUntilHolding(holder, db: db, seconds: 120) else {
                let said = holder.wait(until: monotonicSeconds() + 300)
                tally.fail("The long import (pid \(holder.pid)) was never seen holding the writer turn or SQLite's write lock; it ended with \(said.said).")
                continue
            }
            holder.send(SIGSTOP)
            say("stopped the holder, pid \(holder.pid): \(locks.lines.joined(separator: " | "))")
            checkNamesHolder(context, scratch, db: db, holder: holder.pid, tally: &tally)

            let batches = (0..<ManyAtOnce.processes).map { _ in [factory.report()] }
            var waiters: [Child] = []
            for batch in batches { waiters.append(try round.start(batch, ledger: &ledger, wait: Self.wait)) }
            var finished = 0
            var busy = 0
            for (child, one) in zip(waiters, batches) {
                let end = ImportRound.finish(child, one, killed: false, deadline: deadline, ledger: &ledger, tally: &tally)
                if end.succeeded { finished += 1 }
                if end.exitCode == 75 && end.error.lowercased().contains("busy") { busy += 1 }
                if !end.succeeded && !end.stalled && !(end.exitCode == 75 && end.error.lowercased().contains("busy")) {
                    tally.fail("An import waiting on a stopped writer ended with \(end.said) rather than 0, or 75 saying busy: \(ErrorKind.firstSentence(of: end.error))")
                }
            }
            let stalled = waiters.filter { $0.ending?.stalled == true }.count
            say("32 imports while it was stopped: \(finished) finished, \(busy) said busy (exit 75), \(stalled) stalled past \(format(deadline)) s")

            if ending == "let go" {
                holder.send(SIGCONT)
                let end = ImportRound.finish(holder, batch, killed: false, deadline: monotonicSeconds() - holder.started + 600,
                                             ledger: &ledger, tally: &tally)
                say("let go: the holder ended with \(end.said) after \(format(end.seconds)) s")
            } else {
                holder.send(SIGKILL)
                tally.kills += 1
                // Its deadline counts from now, not from its start long ago.
                ImportRound.finish(holder, batch, killed: true, deadline: monotonicSeconds() - holder.started + 60, ledger: &ledger, tally: &tally)
                say("killed the stopped holder")
            }
        }
        StoreCheck(speakup: context.speakup, folder: scratch.path).verify(db, ledger, into: &tally)
    }

    /// Whether `line` names `pid` as a number of its own (not inside a longer number).
    private static func mentions(_ line: String, _ pid: pid_t) -> Bool {
        line.split(whereSeparator: { !$0.isNumber }).contains { $0 == String(pid) }
    }

    /// Polls /proc/locks until `holder` holds the store, or it ends, or `seconds` pass.
    private func waitUntilHolding(_ holder: Child, db: String, seconds: Double) -> HeldLocks? {
        let deadline = monotonicSeconds() + seconds
        while monotonicSeconds() < deadline && holder.isRunning {
            let locks = HeldLocks(pid: holder.pid, store: db)
            if locks.holdsAny { return locks }
            pause(0.002)
        }
        return nil
    }

    /// `speakup check` while the holder is stopped: recorded, not yet required, to name it.
    private func checkNamesHolder(_ context: Context, _ scratch: Scratch, db: String, holder: pid_t, tally: inout Tally) {
        guard let ending = try? context.speakup.run(["check", "--db", db], in: scratch.path, name: "check", seconds: 20) else { return }
        let said = (ending.output + ending.error).split(separator: "\n").map(String.init)
        if ending.stalled {
            tally.countStall(ending, doing: "speakup check (with the writer stopped)", deadline: 20)
        } else if let line = said.first(where: { Self.mentions($0, holder) }) {
            tally.note("speakup check named the stopped holder: \"\(line.trimmingCharacters(in: .whitespaces))\"")
        } else {
            let about = said.filter { line in ["Store", "store", "lock", "busy", "writ", "hold"].contains(where: line.contains) }
            tally.note("speakup check naming the holder: not checked: binary lacks it (it ended with \(ending.said); about the store it said: \"\(about.joined(separator: " / "))\")")
        }
    }
}
