import Foundation
import Glibc

/// Scenario 2: a kill at chosen system calls, by strace's fault injection:
/// `strace -f -e inject=SYSCALL:signal=KILL:when=N speakup import …` kills the
/// import exactly at its Nth call of SYSCALL, for N = 1, 2, 3… until an import
/// gets through (so every call is hit, or a seeded sample of them in a short
/// run). A report counts as acknowledged only if the import exited 0 and said so.
///
/// Two kinds of store: one that already exists and grows with every import, and a
/// new one for each kill, killed while it is being made, then given a plain import
/// that must succeed on whatever the kill left.
struct KillAtSystemCalls: Scenario {
    let name = "syscall-kills"
    let summary = "kill -9 at the Nth call of fdatasync, pwrite64, write, fcntl, flock… (strace fault injection)"

    /// A system call, and the calls of it to kill at: every one up to `limit`, or every `step`th.
    struct Target {
        let call: String
        let limit: Int
        let step: Int
    }

    static let strace = "/usr/bin/strace"

    func run(_ context: Context, _ scratch: Scratch, _ tally: inout Tally) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.strace) else {
            tally.skipped.append("strace is not installed (make deps installs it)")
            say("SKIPPED: \(Self.strace) is missing")
            return
        }
        var factory = ReportFactory(random: context.random(for: name + "/reports"))
        var timing = context.random(for: name)
        let check = StoreCheck(speakup: context.speakup, folder: scratch.path)

        // An existing store, growing.
        let db = scratch.path + "/store.sqlite"
        let round = ImportRound(speakup: context.speakup, scratch: scratch, db: db)
        var ledger = Ledger()
        _ = try round.importWhole(factory.reports(5), ledger: &ledger, tally: &tally)
        let existing: [Target] = context.short
            ? [.init(call: "fdatasync", limit: 6, step: 1), .init(call: "pwrite64", limit: 70, step: 12), .init(call: "write", limit: 3, step: 1),
               .init(call: "flock", limit: 3, step: 1), .init(call: "ftruncate", limit: 3, step: 1)]
            : [.init(call: "fdatasync", limit: 40, step: 1), .init(call: "fsync", limit: 10, step: 1), .init(call: "pwrite64", limit: 200, step: 1),
               .init(call: "write", limit: 10, step: 1), .init(call: "flock", limit: 10, step: 1), .init(call: "fcntl", limit: 200, step: 3),
               .init(call: "ftruncate", limit: 10, step: 1), .init(call: "unlink", limit: 10, step: 1), .init(call: "openat", limit: 120, step: 4)]
        for target in existing {
            var kills = 0
            for when in calls(target, random: &timing) {
                let batch = factory.reports(Int.random(in: 1...3, using: &timing), accountLength: 20...400)
                let child = try round.start(batch, ledger: &ledger, prefix: injection(target.call, when))
                let ending = ImportRound.finish(child, batch, killed: true, deadline: 120, ledger: &ledger, tally: &tally)
                if ending.signal == SIGKILL && !ending.stalled { kills += 1 } else { break }  // this import got past every call
            }
            tally.kills += kills
            say("\(target.call): \(kills) kills on an existing store")
            // After each system call's kills, a plain import must still work.
            _ = try round.importWhole(factory.reports(1), ledger: &ledger, tally: &tally)
        }
        check.verify(db, ledger, into: &tally)

        // A new store each time, killed while it is made.
        let fresh: [Target] = context.short
            ? [.init(call: "fdatasync", limit: 24, step: 6), .init(call: "pwrite64", limit: 260, step: 90)]
            : [.init(call: "fdatasync", limit: 40, step: 1), .init(call: "pwrite64", limit: 400, step: 8), .init(call: "ftruncate", limit: 6, step: 1)]
        for target in fresh {
            var kills = 0
            for when in calls(target, random: &timing) {
                let store = scratch.path + "/new-\(target.call)-\(when).sqlite"
                let newRound = ImportRound(speakup: context.speakup, scratch: scratch, db: store)
                var newLedger = Ledger()
                let batch = factory.reports(2, accountLength: 20...200)
                let child = try newRound.start(batch, ledger: &newLedger, prefix: injection(target.call, when))
                let ending = ImportRound.finish(child, batch, killed: true, deadline: 120, ledger: &newLedger, tally: &tally)
                let killed = ending.signal == SIGKILL && !ending.stalled
                if killed { kills += 1 }
                // Whatever the kill left, the next import must make or mend the store and keep its reports.
                do {
                    _ = try newRound.importWhole(factory.reports(1), ledger: &newLedger, tally: &tally)
                } catch {
                    tally.fail("After a kill at \(target.call) call \(when) while a new store was made: \(error)")
                }
                check.verify(store, newLedger, into: &tally)
                if !killed { break }
            }
            tally.kills += kills
            say("\(target.call): \(kills) kills while a new store was made")
        }
    }

    /// Which calls to kill at: every one, or every `step`th from a seeded start.
    private func calls(_ target: Target, random: inout SeededRandom) -> [Int] {
        guard target.step > 1 else { return Array(1...target.limit) }
        return Array(stride(from: Int.random(in: 1...target.step, using: &random), through: target.limit, by: target.step))
    }

    private func injection(_ call: String, _ when: Int) -> [String] {
        [Self.strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=\(call)", "-e", "inject=\(call):signal=KILL:when=\(when)"]
    }
}
