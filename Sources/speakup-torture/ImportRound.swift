import Foundation
import Glibc

/// One import of a batch of reports into a store, as every scenario does it:
/// the batch is written to a file, entered in the ledger as sent, imported, and
/// acknowledged in the ledger only if speakup exited 0 and said it kept them.
struct ImportRound {
    let speakup: SpeakUp
    let scratch: Scratch
    let db: String

    /// Writes the batch's file and starts the import (under `prefix`, such as strace, when given).
    func start(_ batch: [ReportRecord], ledger: inout Ledger, prefix: [String] = [], wait: Int? = nil) throws -> Child {
        let file = try scratch.write(ReportRecord.file(batch), name: "batch")
        ledger.send(batch)
        let arguments = speakup.importArguments(file, db: db, wait: wait)
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return try Child(prefix + [speakup.path] + arguments, in: scratch.path, name: name,
                         environment: Child.environment(home: speakup.home))
    }

    /// Waits for a started import, then counts how it ended: acknowledged, killed
    /// (by the suite, on purpose), stalled, or refused with a sentence.
    @discardableResult
    static func finish(_ child: Child, _ batch: [ReportRecord], killed: Bool, deadline seconds: Double,
                       ledger: inout Ledger, tally: inout Tally) -> Child.Ending {
        let ending = child.wait(until: child.started + seconds)
        if ending.stalled {
            tally.countStall(ending, doing: "An import of \(batch.count) report\(batch.count == 1 ? "" : "s")", deadline: seconds)
        } else if SpeakUp.acknowledges(ending, batch.map(\.reference)) {
            ledger.acknowledge(batch)
        } else if ending.succeeded {
            tally.fail("An import of \(batch.count) reports exited 0 without saying it kept them: \(ErrorKind.firstSentence(of: ending.error + ending.output))")
        } else if killed && ending.signal == SIGKILL {
            // Killed on purpose: acknowledged nothing, and owes no sentence.
        } else {
            tally.countError(ending, doing: "An import of \(batch.count) report\(batch.count == 1 ? "" : "s")")
        }
        return ending
    }

    /// Imports a batch with no fault, to the end; a setup step whose failure stops the scenario.
    func importWhole(_ batch: [ReportRecord], ledger: inout Ledger, tally: inout Tally) throws -> Double {
        let child = try start(batch, ledger: &ledger)
        let ending = Self.finish(child, batch, killed: false, deadline: 300, ledger: &ledger, tally: &tally)
        guard ending.succeeded else {
            throw TortureError("a plain import of \(batch.count) reports into \(db) ended with \(ending.said): \(ErrorKind.firstSentence(of: ending.error))")
        }
        return ending.seconds
    }
}
