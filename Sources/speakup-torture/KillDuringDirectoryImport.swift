import Foundation
import Glibc
import SpeakUpCore

/// Scenario 1c: `kill -9` at seeded random moments during `speakup directory
/// import`, which replaces the whole staff directory in one transaction. After
/// each round the store's `staff` table must be exactly one directory: the one
/// just imported if it was acknowledged ("now lists N people"), else that one or
/// the one before; never a mixture, never empty.
struct KillDuringDirectoryImport: Scenario {
    let name = "kill-directory"
    let summary = "kill -9 at random moments during directory import"

    func run(_ context: Context, _ scratch: Scratch, _ tally: inout Tally) throws {
        var timing = context.random(for: name)
        var factory = ReportFactory(random: context.random(for: name + "/reports"))
        let db = scratch.path + "/store.sqlite"
        let check = StoreCheck(speakup: context.speakup, folder: scratch.path)
        var ledger = Ledger()
        _ = try ImportRound(speakup: context.speakup, scratch: scratch, db: db).importWhole(factory.reports(20), ledger: &ledger, tally: &tally)
        var held = StaffList(people: [])  // the directory the store holds now
        var longest = 0.3
        let rounds = context.scale(short: 8, full: 40)
        var acknowledged = 0
        var found = 0
        for index in 0..<rounds {
            let list = StaffList.make(Int.random(in: 50...1_500, using: &timing), tag: "R\(index)", random: &timing)
            let file = try scratch.write(list.csv, name: "staff", extension: "csv")
            // Smaller directories take less time: the window shrinks with the size (the startup stays).
            let delay = timing.seconds(in: 0...(longest * 1.5 * max(0.3, Double(list.people.count) / 1_500)))
            let child = try context.speakup.start(["directory", "import", file, "--db", db], in: scratch.path, name: "directory")
            pause(delay)
            let killed = child.isRunning
            if killed {
                child.send(SIGKILL)
                tally.kills += 1
            }
            let ending = child.wait(until: child.started + 120)
            let said = ending.succeeded && ending.error.contains("now lists \(list.people.count.counted("person", "people")).")
            if ending.stalled {
                tally.countStall(ending, doing: "directory import", deadline: 120)
            } else if ending.succeeded && !said {
                tally.fail("A directory import exited 0 without saying how many people it now lists: \(ErrorKind.firstSentence(of: ending.error))")
            } else if !ending.succeeded && !(killed && ending.signal == SIGKILL) {
                tally.countError(ending, doing: "directory import")
            }
            if !killed && ending.succeeded { longest = max(longest, ending.seconds) }
            if said { acknowledged += 1 }
            switch StaffList.stored(in: db, sqlite: check.sqlite) {
            case .failure(let error):
                tally.fail("The staff table could not be read after round \(index + 1): \(error)")
            case .success(let rows):
                if list.isExactly(rows) {
                    if said { found += 1 }
                    held = list
                } else if said {
                    tally.lost += 1
                    tally.fail("Round \(index + 1)'s directory (\(list.people.count) people) was acknowledged, but the store holds \(rows.count) other rows.")
                } else if !held.isExactly(rows) {
                    tally.altered += 1
                    tally.fail("After round \(index + 1) the staff table (\(rows.count) rows) is neither the directory before nor the one sent: a mixture.")
                }
            }
        }
        say("\(tally.kills) kills in \(rounds) directory imports; \(acknowledged) acknowledged")
        check.verify(db, ledger, into: &tally)
        tally.acknowledged += acknowledged
        tally.found += found
    }
}
