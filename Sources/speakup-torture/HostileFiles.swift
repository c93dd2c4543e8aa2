import Foundation
import Glibc

/// Scenario 6: hostile files. Each import must either be refused (non-zero exit,
/// a sentence, the store unchanged: the same export, byte for byte, and an audit
/// trail that verifies) or be accepted exactly (every report in it stored byte
/// for byte as sent). Paths that are not files must be refused at once.
struct HostileFiles: Scenario {
    let name = "hostile-files"
    let summary = "invalid UTF-8, 50 MB, deep nesting, NUL, symlink/FIFO/folder/device as --db, a huge line"

    /// One hostile import.
    struct Case {
        let name: String
        let file: String
        let db: String
        /// The reports it carries: if the import is accepted, each must be stored exactly.
        var carries: [ReportRecord] = []
        var seconds: Double = 60
        /// An exit status the refusal must have (64 for a path that is not a file).
        var mustExit: Int32? = nil
    }

    func run(_ context: Context, _ scratch: Scratch, _ tally: inout Tally) throws {
        var factory = ReportFactory(random: context.random(for: name + "/reports"))
        let db = scratch.path + "/store.sqlite"
        var ledger = Ledger()
        let first = factory.reports(20)
        _ = try ImportRound(speakup: context.speakup, scratch: scratch, db: db).importWhole(first, ledger: &ledger, tally: &tally)
        let check = StoreCheck(speakup: context.speakup, folder: scratch.path)
        var accepted: [String] = []
        for hostile in try cases(scratch, db: db, taken: first[0].reference, factory: &factory, short: context.short) {
            guard let before = check.exportBytes(db) else {
                tally.fail("\(hostile.name): the store could not be exported before the import")
                continue
            }
            let ending = try context.speakup.run(["import", hostile.file, "--db", hostile.db], in: scratch.path, name: hostile.name, seconds: hostile.seconds)
            if ending.stalled {
                tally.countStall(ending, doing: "\(hostile.name): speakup import", deadline: hostile.seconds)
            } else if ending.succeeded {
                guard !hostile.carries.isEmpty else {
                    tally.fail("\(hostile.name): the import exited 0, but the file holds no report to accept.")
                    continue
                }
                ledger.send(hostile.carries)
                if SpeakUp.acknowledges(ending, hostile.carries.map(\.reference)) { ledger.acknowledge(hostile.carries) }
                accepted.append(hostile.name)
            } else {
                tally.countError(ending, doing: "\(hostile.name): speakup import")
                if let code = hostile.mustExit, ending.exitCode != code {
                    tally.fail("\(hostile.name): refused with \(ending.said), not exit \(code).")
                }
                if check.exportBytes(db) != before {
                    tally.fail("\(hostile.name): the import was refused, yet the store changed.")
                }
                if let problem = check.auditProblem(db) { tally.fail("\(hostile.name): \(problem)") }
            }
            say("\(hostile.name): \(ending.stalled ? "STALLED" : ending.said) in \(format(ending.seconds)) s\(ending.succeeded ? " (accepted)" : ": \(ErrorKind.firstSentence(of: ending.error))")")
        }
        if !accepted.isEmpty { tally.note("Accepted, and checked byte for byte: \(accepted.joined(separator: ", ")).") }
        for leftover in ["/dev/null-journal", "/dev/null-wal", "/dev/null-shm"] where FileManager.default.fileExists(atPath: leftover) {
            tally.fail("\(leftover) was made by an import given /dev/null as its store.")
        }
        check.verify(db, ledger, into: &tally)
    }

    private func cases(_ scratch: Scratch, db: String, taken reference: String, factory: inout ReportFactory, short: Bool) throws -> [Case] {
        var list: [Case] = []
        func file(_ data: Data, _ name: String) throws -> String { try scratch.write(data, name: name) }

        var latin = ReportRecord.file([factory.report()])
        latin.replaceSubrange(latin.range(of: Data("\"account\":\"".utf8))!.upperBound..<latin.range(of: Data("\"account\":\"".utf8))!.upperBound,
                              with: Data([0x57, 0xFF, 0xFE, 0x20]))
        list.append(Case(name: "invalid-utf8", file: try file(latin, "latin"), db: db))

        var big = factory.report()
        big.account = String(repeating: "word ", count: 50 * 1_048_576 / 5)
        list.append(Case(name: "50-MB-file", file: try file(ReportRecord.file([big]), "big"), db: db, carries: [big], seconds: 180))

        let depth = 100_000
        list.append(Case(name: "deep-nesting", file: try file(Data((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8), "deep"), db: db))
        let nestedText = String(decoding: ReportRecord.file([factory.report()]), as: UTF8.self)
            .replacing(/"concerns":\[[^\]]*\]/, with: "\"concerns\":" + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000))
        list.append(Case(name: "deep-nesting-in-a-field", file: try file(Data(nestedText.utf8), "deep-field"), db: db))

        var withNUL = factory.report()
        withNUL.account = "Before the NUL \u{0000} after the NUL"
        withNUL.location = "Ward\u{0000}7"
        list.append(Case(name: "NUL-in-text", file: try file(ReportRecord.file([withNUL]), "nul"), db: db, carries: [withNUL]))
        var rawNUL = ReportRecord.file([factory.report()])
        rawNUL.replaceSubrange(rawNUL.range(of: Data("\"account\":\"".utf8))!.upperBound..<rawNUL.range(of: Data("\"account\":\"".utf8))!.upperBound,
                               with: Data([0x41, 0x00, 0x42]))
        list.append(Case(name: "raw-NUL-byte", file: try file(rawNUL, "raw-nul"), db: db))

        let bom = factory.report()
        list.append(Case(name: "byte-order-mark", file: try file(Data([0xEF, 0xBB, 0xBF]) + ReportRecord.file([bom]), "bom"), db: db, carries: [bom]))
        list.append(Case(name: "empty-file", file: try file(Data(), "empty"), db: db))
        list.append(Case(name: "just-null", file: try file(Data("null".utf8), "null"), db: db))

        let elsewhere = try scratch.folder("elsewhere")
        let link = elsewhere + "/link.sqlite"
        guard symlink(db, link) == 0 else { throw TortureError("could not make a symlink at \(link)") }
        let linked = factory.report()
        list.append(Case(name: "symlink-as-db", file: try file(ReportRecord.file([linked]), "linked"), db: link, carries: [linked]))

        let fifo = scratch.path + "/fifo.sqlite"
        guard mkfifo(fifo, 0o600) == 0 else { throw TortureError("could not make a FIFO at \(fifo)") }
        list.append(Case(name: "FIFO-as-db", file: try file(ReportRecord.file([factory.report()]), "fifo"), db: fifo, seconds: 5, mustExit: 64))
        list.append(Case(name: "device-as-db", file: try file(ReportRecord.file([factory.report()]), "device"), db: "/dev/null", seconds: 5, mustExit: 64))
        let folder = try scratch.folder("a-folder")
        list.append(Case(name: "folder-as-db", file: try file(ReportRecord.file([factory.report()]), "folder"), db: folder, seconds: 10))
        list.append(Case(name: "folder-as-file", file: folder, db: db, seconds: 10))

        // A huge single line: many reports, one line, accepted whole; then the same with a mistake at its very end.
        let many = factory.reports(short ? 400 : 1_500, accountLength: 200...1_500)
        list.append(Case(name: "huge-single-line", file: try file(ReportRecord.file(many), "line"), db: db, carries: many, seconds: 300))
        let more = factory.reports(short ? 400 : 1_500, accountLength: 200...1_500)
        var broken = String(decoding: ReportRecord.file(more), as: UTF8.self)
        if let last = broken.range(of: "\"concerns\":[", options: .backwards) {
            broken.replaceSubrange(last, with: "\"concerns\":[\"not-a-concern\",")
        }
        list.append(Case(name: "huge-line-mistake-at-end", file: try file(Data(broken.utf8), "line-broken"), db: db, seconds: 300))
        // All or nothing: 300 good reports, then one whose reference the store already has.
        var taken = factory.reports(300, accountLength: 20...200)
        taken[taken.count - 1].reference = reference
        list.append(Case(name: "taken-reference-at-end", file: try file(ReportRecord.file(taken), "taken"), db: db, seconds: 120))
        return list
    }
}
