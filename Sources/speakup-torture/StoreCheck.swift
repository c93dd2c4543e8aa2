import Foundation
import Glibc

/// The checks after every scenario: the file holds together, every acknowledged
/// report is there exactly as sent, and the audit trail verifies.
struct StoreCheck {
    let speakup: SpeakUp
    /// Where the checks' own output files go.
    let folder: String

    var sqlite: SQLiteShell { SQLiteShell(folder: folder, home: speakup.home) }

    /// `speakup export json`: the reports by reference, or a failure sentence.
    func export(_ db: String) -> Result<[String: ReportRecord], TortureError> {
        let ending: Child.Ending
        do { ending = try reading(speakup.exportArguments + ["--db", db], name: "export") } catch {
            return .failure(error)
        }
        guard ending.succeeded else {
            return .failure(TortureError("speakup export ended with \(ending.said): \(ErrorKind.firstSentence(of: ending.error))"))
        }
        do {
            let records = try ReportRecord.export(Data(ending.output.utf8))
            return .success(Dictionary(records.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first }))
        } catch {
            return .failure(TortureError("speakup export wrote something that is not the export format: \(error)"))
        }
    }

    /// `speakup export json`'s bytes, to tell whether anything at all changed.
    func exportBytes(_ db: String) -> String? {
        guard let ending = try? reading(speakup.exportArguments + ["--db", db], name: "export"),
            ending.succeeded
        else { return nil }
        return ending.output
    }

    /// `speakup audit verify`: nil when it exits 0, else why not.
    func auditProblem(_ db: String) -> String? {
        guard let ending = try? reading(["audit", "verify", "--db", db], name: "audit") else {
            return "speakup audit verify could not be started"
        }
        if ending.succeeded { return nil }
        return "speakup audit verify ended with \(ending.said): \(ErrorKind.firstSentence(of: ending.error + ending.output))"
    }

    /// Runs a checking command. One ended by SIGTERM, SIGINT or SIGHUP (which no program sends
    /// itself: someone else on the machine did, such as a `pkill speakup`) is run once more, so a
    /// stray signal is not taken for a lost store; a crash is never retried.
    private func reading(_ arguments: [String], name: String) throws(TortureError) -> Child.Ending {
        var ending = try speakup.run(arguments, in: folder, name: name, seconds: 180)
        if let signal = ending.signal, [SIGTERM, SIGINT, SIGHUP].contains(signal), !ending.stalled {
            emit("  (speakup \(arguments[0]) was ended by signal \(signal) from outside the suite; run again)")
            ending = try speakup.run(arguments, in: folder, name: name, seconds: 180)
        }
        return ending
    }

    /// Every check, counted into `tally`. `alsoExpected` names reports made another way
    /// (the form), checked by their scenario, which are therefore not strangers.
    func verify(_ db: String, _ ledger: Ledger, into tally: inout Tally, alsoExpected: Set<String> = []) {
        if let problem = sqlite.integrityProblem(db) { tally.fail("\(db): \(problem)") }
        switch export(db) {
        case .failure(let error):
            tally.fail("\(db): \(error)")
            tally.lost += ledger.acknowledged.count
            tally.acknowledged += ledger.acknowledged.count
        case .success(let stored):
            compare(ledger, stored, alsoExpected: alsoExpected, into: &tally)
        }
        if let problem = auditProblem(db) { tally.fail("\(db): \(problem)") }
    }

    private func compare(_ ledger: Ledger, _ stored: [String: ReportRecord], alsoExpected: Set<String>, into tally: inout Tally) {
        var missing: [String] = []
        tally.acknowledged += ledger.acknowledged.count
        for reference in ledger.acknowledged.sorted() {
            guard let sent = ledger.sent[reference] else { continue }
            guard let kept = stored[reference] else {
                missing.append(reference)
                continue
            }
            let differences = RecordComparison.differences(sent: sent, stored: kept)
            if differences.isEmpty {
                tally.found += 1
            } else {
                tally.altered += 1
                tally.fail("\(reference) was acknowledged but is stored differently: \(differences.joined(separator: ", ")).")
            }
        }
        tally.lost += missing.count
        if !missing.isEmpty {
            tally.fail("\(missing.count) acknowledged report\(missing.count == 1 ? " is" : "s are") missing: \(missing.prefix(8).joined(separator: ", "))\(missing.count > 8 ? "…" : "").")
        }
        // Reports never acknowledged (their process was killed) may be kept or not, but if kept, exactly.
        for (reference, sent) in ledger.sent where !ledger.acknowledged.contains(reference) {
            guard let kept = stored[reference] else { continue }
            let differences = RecordComparison.differences(sent: sent, stored: kept)
            if !differences.isEmpty {
                tally.altered += 1
                tally.fail("\(reference) (sent, not acknowledged) is stored differently: \(differences.joined(separator: ", ")).")
            }
        }
        var unacknowledged = (whole: 0, absent: 0)
        for batch in ledger.batches {
            let present = batch.filter { stored[$0] != nil }.count
            if !batch.contains(where: ledger.acknowledged.contains) {
                if present == batch.count { unacknowledged.whole += 1 } else if present == 0 { unacknowledged.absent += 1 }
            }
            if present > 0 && present < batch.count {
                tally.torn += 1
                tally.fail("An import of \(batch.count) reports, all or nothing, is stored in part: \(present) of them (first \(batch[0])).")
            }
        }
        tally.unacknowledgedKept += unacknowledged.whole
        tally.unacknowledgedAbsent += unacknowledged.absent
        for reference in stored.keys.sorted() where ledger.sent[reference] == nil && !alsoExpected.contains(reference) {
            tally.altered += 1
            tally.fail("\(reference) is in the store, but nobody sent it.")
        }
        for (reference, record) in stored {
            if record.events.map(\.sequence) != Array(1...max(1, record.events.count)) && !record.events.isEmpty {
                tally.fail("\(reference)'s case events are not numbered 1, 2, 3…: \(record.events.map(\.sequence)).")
            }
            for heading in Escalation.headings {
                let count = record.events.filter { $0.kind == "escalated" && ($0.text ?? "").hasPrefix(heading) }.count
                if count > 1 { tally.fail("\(reference) was escalated \(count) times for one deadline (\"\(heading)\").") }
            }
        }
        for (reference, heading) in ledger.escalations {
            tally.acknowledged += 1
            let kept = stored[reference]?.events.contains { $0.kind == "escalated" && ($0.text ?? "").hasPrefix(heading) } ?? false
            if kept {
                tally.found += 1
            } else {
                tally.lost += 1
                tally.fail("The tick said it escalated \(reference) (\(heading)), but no such escalation is stored.")
            }
        }
    }
}

/// What an escalation looks like in the export and in the tick's words.
enum Escalation {
    /// The first line of an escalated event's text, one for each deadline (docs/escalation.md).
    static let headings = ["Not acknowledged in time.", "No feedback in time."]

    /// The escalations a tick printed: "SU-…: not acknowledged in time, escalated."
    static func printed(by output: String) -> [(reference: String, heading: String)] {
        output.split(separator: "\n").compactMap { line in
            guard line.hasSuffix("escalated."), let colon = line.firstIndex(of: ":") else { return nil }
            let reference = String(line[..<colon])
            if line.contains("not acknowledged in time") { return (reference, headings[0]) }
            if line.contains("no feedback in time") { return (reference, headings[1]) }
            return nil
        }
    }
}
