import Foundation
import Glibc

/// Scenario 1b: `kill -9` at seeded random moments during `speakup escalate tick`.
/// Each round imports reports whose deadlines have passed (sent 2 to 200 days
/// ago: acknowledge within 7 days, feed back within 3 months), then ticks and
/// kills the tick. A tick escalates each case in a transaction of its own, so a
/// kill may leave some done: the next tick must finish the rest, never escalate a
/// case twice for one deadline, and never change a report. Every escalation a
/// tick printed (it exited 0) must be stored.
struct KillDuringTick: Scenario {
    let name = "kill-tick"
    let summary = "kill -9 at random moments during escalate tick"

    func run(_ context: Context, _ scratch: Scratch, _ tally: inout Tally) throws {
        var timing = context.random(for: name)
        var factory = ReportFactory(random: context.random(for: name + "/reports"))
        let db = scratch.path + "/store.sqlite"
        let round = ImportRound(speakup: context.speakup, scratch: scratch, db: db)
        var ledger = Ledger()
        var longest = 0.5
        let rounds = context.scale(short: 6, full: 40)
        for _ in 0..<rounds {
            let fresh = Int.random(in: 10...40, using: &timing)
            _ = try round.importWhole(factory.reports(fresh, accountLength: 20...300), ledger: &ledger, tally: &tally)
            // A tick's work grows with the reports whose deadlines it finds passed.
            let delay = timing.seconds(in: 0...(longest * 1.5 * max(0.3, Double(fresh) / 40)))
            let tick = try context.speakup.start(["escalate", "tick", "--db", db], in: scratch.path, name: "tick")
            pause(delay)
            let killed = tick.isRunning
            if killed {
                tick.send(SIGKILL)
                tally.kills += 1
            }
            let ending = tick.wait(until: tick.started + 120)
            record(ending, killed: killed, ledger: &ledger, tally: &tally)
            if !killed && ending.succeeded { longest = max(longest, ending.seconds) }
        }
        // One tick left to finish, as cron's next run would.
        let last = try context.speakup.run(["escalate", "tick", "--db", db], in: scratch.path, name: "tick", seconds: 300)
        record(last, killed: false, ledger: &ledger, tally: &tally)
        if !last.succeeded { tally.fail("The last tick, with nothing killed, ended with \(last.said).") }
        say("\(tally.kills) kills in \(rounds) ticks; \(ledger.escalations.count) escalations acknowledged")
        StoreCheck(speakup: context.speakup, folder: scratch.path).verify(db, ledger, into: &tally)
    }

    private func record(_ ending: Child.Ending, killed: Bool, ledger: inout Ledger, tally: inout Tally) {
        if ending.stalled {
            tally.countStall(ending, doing: "escalate tick", deadline: 120)
        } else if ending.succeeded {
            for (reference, heading) in Escalation.printed(by: ending.output) {
                ledger.acknowledgeEscalation(of: reference, heading: heading)
            }
        } else if !(killed && ending.signal == SIGKILL) {
            tally.countError(ending, doing: "escalate tick")
        }
    }
}
