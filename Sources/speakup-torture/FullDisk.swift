import Foundation
import Glibc

/// Scenario 5: a full disk. As root, a 2 MB tmpfs is mounted and the store made
/// on it beside 512 KB of ballast; imports go on until the disk is full, and a
/// filler file takes what is left. Every import that exited 0 must be kept; every
/// one that failed must have said so (non-zero, with a sentence). With the filler
/// and the ballast gone, the store must open, verify, and take reports again. The tmpfs is unmounted in every case.
struct FullDisk: Scenario {
    let name = "full-disk"
    let summary = "imports into a 2 MB tmpfs until it is full (root only)"

    func run(_ context: Context, _ scratch: Scratch, _ tally: inout Tally) throws {
        guard getuid() == 0 else {
            emit("  SKIPPED full disk: needs root (mount)")
            tally.skipped.append("full disk: needs root (mount)")
            return
        }
        let disk = try scratch.folder("disk")
        let mount = try Self.command(["/usr/bin/mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", disk], in: scratch)
        guard mount.succeeded else {
            emit("  SKIPPED full disk: mount -t tmpfs failed (\(ErrorKind.firstSentence(of: mount.error)))")
            tally.skipped.append("full disk: mount -t tmpfs failed here: \(ErrorKind.firstSentence(of: mount.error))")
            return
        }
        defer { Self.unmount(disk, in: scratch, tally: &tally) }
        try fill(disk, context, scratch, &tally)
    }

    private func fill(_ disk: String, _ context: Context, _ scratch: Scratch, _ tally: inout Tally) throws {
        var factory = ReportFactory(random: context.random(for: name + "/reports"))
        var sizes = context.random(for: name)
        let db = disk + "/store.sqlite"
        let round = ImportRound(speakup: context.speakup, scratch: scratch, db: db)
        var ledger = Ledger()
        // Half a megabyte set aside, given back at the end as IT would free space: the store itself
        // fills the rest (its log is checkpointed only at 1,000 pages, more than this disk holds).
        let ballast = disk + "/ballast"
        _ = try Self.command(["/usr/bin/dd", "if=/dev/zero", "of=\(ballast)", "bs=4096", "count=128"], in: scratch)
        var refusals = 0
        var imports = 0
        // Until the disk has refused three imports in a row.
        var inARow = 0
        while inARow < 3 && imports < 400 {
            let batch = factory.reports(Int.random(in: 1...20, using: &sizes), accountLength: 200...3_000)
            let child = try round.start(batch, ledger: &ledger)
            let ending = ImportRound.finish(child, batch, killed: false, deadline: 60, ledger: &ledger, tally: &tally)
            imports += 1
            if ending.succeeded { inARow = 0 } else if !ending.stalled { inARow += 1; refusals += 1 }
        }
        // Take whatever the store left, then try small imports on a disk with nothing free.
        let filler = disk + "/filler"
        _ = try Self.command(["/usr/bin/dd", "if=/dev/zero", "of=\(filler)", "bs=4096"], in: scratch)
        for _ in 0..<3 {
            let batch = [factory.report(accountLength: 20...100)]
            let child = try round.start(batch, ledger: &ledger)
            let ending = ImportRound.finish(child, batch, killed: false, deadline: 60, ledger: &ledger, tally: &tally)
            imports += 1
            if !ending.succeeded && !ending.stalled { refusals += 1 }
        }
        say("\(imports) imports, \(refusals) refused by the full disk, \(ledger.acknowledged.count) reports acknowledged")
        if refusals == 0 { tally.fail("The disk never filled: no import was refused, so nothing was tested.") }
        // The audit check writes (it seals waiting records), so on a full disk it may only say why it cannot.
        let check = StoreCheck(speakup: context.speakup, folder: scratch.path)
        if let problem = check.auditProblem(db) { tally.note("With the disk full: \(problem)") }
        if case .failure(let error) = check.export(db) { tally.note("With the disk full, reading the store failed: \(error)") }
        try? FileManager.default.removeItem(atPath: filler)
        try? FileManager.default.removeItem(atPath: ballast)
        // Space again: the store must take a report, and hold everything acknowledged.
        do { _ = try round.importWhole([factory.report()], ledger: &ledger, tally: &tally) } catch {
            tally.fail("With space again, the store on the once-full disk would not take a report: \(error)")
        }
        check.verify(db, ledger, into: &tally)
    }

    static func command(_ arguments: [String], in scratch: Scratch) throws -> Child.Ending {
        let child = try Child(arguments, in: scratch.path, name: URL(fileURLWithPath: arguments[0]).lastPathComponent,
                              environment: Child.environment(home: scratch.path))
        return child.wait(until: monotonicSeconds() + 60)
    }

    /// Unmounts the tmpfs, lazily if something still has it open.
    static func unmount(_ disk: String, in scratch: Scratch, tally: inout Tally) {
        if let plain = try? command(["/usr/bin/umount", disk], in: scratch), plain.succeeded { return }
        if let lazy = try? command(["/usr/bin/umount", "-l", disk], in: scratch), lazy.succeeded {
            tally.note("The tmpfs at \(disk) was busy and was unmounted lazily.")
            return
        }
        tally.fail("The tmpfs at \(disk) could not be unmounted; please run: umount -l \(disk)")
    }
}
