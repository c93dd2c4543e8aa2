import Foundation
import Glibc

/// Scenario 1a: `kill -9` at seeded random moments while `speakup import` adds
/// batches of reports (1 to 150 at a time) to one growing store. Each import is
/// all or nothing: after the kills, every acknowledged batch must be there
/// exactly, and every other batch there whole or not at all.
struct KillDuringImport: Scenario {
    let name = "kill-import"
    let summary = "kill -9 at random moments during imports of many reports"

    /// Imports into one store before the next is started: every import first reads the whole store
    /// (to refuse references it already has), so one ever-growing store would make the run slow.
    static let roundsPerStore = 30

    func run(_ context: Context, _ scratch: Scratch, _ tally: inout Tally) throws {
        var timing = context.random(for: name)
        var factory = ReportFactory(random: context.random(for: name + "/reports"))
        let rounds = context.scale(short: 12, full: 200)
        var acknowledged = 0
        for store in 0..<(rounds + Self.roundsPerStore - 1) / Self.roundsPerStore {
            let db = scratch.path + "/store-\(store + 1).sqlite"
            let round = ImportRound(speakup: context.speakup, scratch: scratch, db: db)
            var ledger = Ledger()
            // How long a whole import takes here, so the kills land across all of it.
            var longest = try round.importWhole(factory.reports(120), ledger: &ledger, tally: &tally)
            for _ in 0..<min(Self.roundsPerStore, rounds - store * Self.roundsPerStore) {
                let batch = factory.reports(factory.chance(0.2) ? 1 : Int.random(in: 2...150, using: &timing))
                // Smaller batches take less time: the window shrinks with the size (the startup stays).
                let delay = timing.seconds(in: 0...(longest * 1.5 * max(0.3, Double(batch.count) / 150)))
                let child = try round.start(batch, ledger: &ledger)
                pause(delay)
                let killed = child.isRunning
                if killed {
                    child.send(SIGKILL)
                    tally.kills += 1
                }
                let ending = ImportRound.finish(child, batch, killed: killed, deadline: 120, ledger: &ledger, tally: &tally)
                if !killed && ending.succeeded { longest = max(longest, ending.seconds) }
            }
            acknowledged += ledger.acknowledged.count
            StoreCheck(speakup: context.speakup, folder: scratch.path).verify(db, ledger, into: &tally)
        }
        say("\(tally.kills) kills in \(rounds) imports; \(acknowledged) reports acknowledged")
    }
}
