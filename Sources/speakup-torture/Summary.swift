/// The table printed at the end of a run (and copied into docs/reliability.md).
enum Summary {
    static func print(_ tallies: [Tally], seed: UInt64, replay: String, seconds: Double) {
        emit("## Summary (seed \(seed), \(format(seconds)) s)")
        emit("| scenario | kills | acknowledged | found | lost | altered | torn | stalls | errors | skipped | result |")
        emit("|---|---|---|---|---|---|---|---|---|---|---|")
        for tally in tallies {
            let errors = tally.errorCount == 0 ? "0"
                : "\(tally.errorCount): " + tally.errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let skipped = tally.skipped.isEmpty ? "0" : "\(tally.skipped.count)"
            emit("| \(tally.scenario) | \(tally.kills) | \(tally.acknowledged) | \(tally.found) | \(tally.lost) | \(tally.altered) | \(tally.torn) | \(tally.stalls) | \(errors) | \(skipped) | \(tally.failed ? "FAILED" : "ok") |")
        }
        let total = tallies.reduce(into: Tally(scenario: "total")) { sum, tally in
            sum.kills += tally.kills
            sum.acknowledged += tally.acknowledged
            sum.found += tally.found
            sum.lost += tally.lost
            sum.altered += tally.altered
            sum.torn += tally.torn
            sum.stalls += tally.stalls
            for (kind, count) in tally.errors { sum.errors[kind, default: 0] += count }
            sum.skipped += tally.skipped
        }
        let failed = tallies.filter(\.failed)
        emit("| **total** | \(total.kills) | \(total.acknowledged) | \(total.found) | \(total.lost) | \(total.altered) | \(total.torn) | \(total.stalls) | \(total.errorCount) | \(total.skipped.count) | \(failed.isEmpty ? "ok" : "FAILED") |")
        emit("")
        for tally in tallies where !tally.examples.isEmpty {
            for (kind, example) in tally.examples.sorted(by: { $0.key < $1.key }) {
                emit("- \(tally.scenario), \(kind): \"\(example)\"")
            }
        }
        for tally in tallies where tally.unacknowledgedKept + tally.unacknowledgedAbsent > 0 {
            emit("- \(tally.scenario): of the imports that acknowledged nothing, \(tally.unacknowledgedKept) had committed whole before they were killed or refused, \(tally.unacknowledgedAbsent) left nothing, and \(tally.torn) left part.")
        }
        for tally in tallies {
            for reason in tally.skipped { emit("- SKIPPED \(tally.scenario): \(reason)") }
            for note in tally.notes { emit("- note, \(tally.scenario): \(note)") }
        }
        emit("")
        if failed.isEmpty {
            emit("PASSED: nothing acknowledged was lost or altered, nothing stalled, and every store verified.")
        } else {
            emit("FAILED: \(failed.map(\.scenario).joined(separator: ", ")). Replay with: \(replay)")
        }
    }
}
