import Foundation

/// Scenario 3: 32 processes each importing one report at the same moment, first
/// into a store none of them has made yet (all race to create it), then into the
/// store that now exists. Every one must succeed, and every report be there.
struct ManyAtOnce: Scenario {
    let name = "32-at-once"
    let summary = "32 processes importing one report each at once"
    static let processes = 32

    func run(_ context: Context, _ scratch: Scratch, _ tally: inout Tally) throws {
        var factory = ReportFactory(random: context.random(for: name + "/reports"))
        let db = scratch.path + "/store.sqlite"
        let round = ImportRound(speakup: context.speakup, scratch: scratch, db: db)
        var ledger = Ledger()
        let rounds = context.scale(short: 2, full: 6)
        let deadline = 90.0
        for index in 0..<rounds {
            let batches = (0..<Self.processes).map { _ in [factory.report()] }
            // Files first, so the processes start as close together as spawning allows.
            var children: [Child] = []
            for batch in batches { children.append(try round.start(batch, ledger: &ledger)) }
            var slowest = 0.0
            var refused = 0
            for (child, batch) in zip(children, batches) {
                let ending = ImportRound.finish(child, batch, killed: false, deadline: deadline, ledger: &ledger, tally: &tally)
                slowest = max(slowest, ending.seconds)
                if !ending.succeeded && !ending.stalled { refused += 1 }
            }
            if refused > 0 {
                tally.fail("Round \(index + 1): \(refused) of \(Self.processes) imports at once did not succeed; all must.")
            }
            say("round \(index + 1)\(index == 0 ? " (new store)" : ""): \(Self.processes - refused) of \(Self.processes) succeeded, slowest \(format(slowest)) s")
        }
        StoreCheck(speakup: context.speakup, folder: scratch.path).verify(db, ledger, into: &tally)
    }
}
