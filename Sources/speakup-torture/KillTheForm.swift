import Foundation
import Glibc
import SpeakUpCore

/// Scenario 1d: the reporter form, driven on a pseudo-terminal (tmux), killed
/// with kill -9 at seeded random moments:
///
/// - while a confidential draft is being saved: once the next page is drawn, the
///   draft with the name typed is acknowledged (the form saves before it draws),
///   so after the kill the store must hold a readable draft with that name;
/// - around the submit: once the confirmation with its case reference is on the
///   screen, the report is acknowledged and must be stored exactly as typed; a
///   report killed before that may be stored or not, but never twice or changed.
struct KillTheForm: Scenario {
    let name = "kill-form"
    let summary = "kill -9 at random moments while the form saves a draft and submits"

    static let wayPage = "How would you like to raise this concern?"

    func run(_ context: Context, _ scratch: Scratch, _ tally: inout Tally) throws {
        guard FileManager.default.isExecutableFile(atPath: FormTerminal.tmux) else {
            tally.skipped.append("the form: tmux is not installed (make deps installs it)")
            say("SKIPPED: \(FormTerminal.tmux) is missing")
            return
        }
        var timing = context.random(for: name)
        let db = scratch.path + "/store.sqlite"
        let check = StoreCheck(speakup: context.speakup, folder: scratch.path)
        var typed: [(account: String, way: WayOfRaising, reference: String?)] = []
        let rounds = context.scale(short: 4, full: 30)
        var drafts = (acknowledged: 0, found: 0)
        for round in 0..<rounds {
            switch try draftRound(round, context, scratch, db: db, timing: &timing, tally: &tally) {
            case true?: drafts.acknowledged += 1; drafts.found += 1
            case false?: drafts.acknowledged += 1
            case nil: break
            }
            let way: WayOfRaising = timing.fraction() < 0.5 ? .anonymous : .confidential
            let account = "Round \(round + 1): Zoë said \"患者\" was fine — \(Int.random(in: 100_000...999_999, using: &timing)) café"
            let reference = try submitRound(context, scratch, db: db, way: way, account: account, timing: &timing, tally: &tally)
            typed.append((account, way, reference))
        }
        tally.acknowledged += drafts.acknowledged
        tally.found += drafts.found
        say("\(tally.kills) kills; \(drafts.found) of \(drafts.acknowledged) acknowledged drafts found; \(typed.filter { $0.reference != nil }.count) of \(rounds) submits acknowledged")

        // Every submit: acknowledged ones stored exactly; the others stored once, exactly, or not at all.
        switch check.export(db) {
        case .failure(let error):
            tally.fail("\(error)")
        case .success(let stored):
            var matched: Set<String> = []
            for (account, way, reference) in typed {
                let copies = stored.values.filter { Array($0.account.utf8) == Array(account.utf8) }
                matched.formUnion(copies.map(\.reference))
                if copies.count > 1 { tally.altered += 1; tally.fail("The report \"\(account)\" is stored \(copies.count) times.") }
                let sameWay = copies.allSatisfy { $0.wayOfRaising == way.rawValue }
                if !sameWay { tally.altered += 1; tally.fail("The report \"\(account)\" is stored with another way of raising.") }
                guard let reference else { continue }
                tally.acknowledged += 1
                if let kept = stored[reference] {
                    if Array(kept.account.utf8) == Array(account.utf8) && kept.wayOfRaising == way.rawValue {
                        tally.found += 1
                    } else {
                        tally.altered += 1
                        tally.fail("\(reference) was confirmed on the screen but its account or way of raising is not what was typed.")
                    }
                } else {
                    tally.lost += 1
                    tally.fail("\(reference) was confirmed on the screen, but it is not in the store.")
                }
            }
            // Everything else the store holds was typed here; the checks below find strangers and damage.
            check.verify(db, Ledger(), into: &tally, alsoExpected: matched)
        }
    }

    /// Types a name on a confidential form's second page and moves on (the draft is saved, then the next page
    /// drawn); moves on again and kills the form at a random moment. True if the acknowledged draft was found
    /// afterwards, false if it was lost or changed, nil if the form never got as far as acknowledging it.
    private func draftRound(_ round: Int, _ context: Context, _ scratch: Scratch, db: String, timing: inout SeededRandom,
                            tally: inout Tally) throws -> Bool? {
        let form = try FormTerminal([context.speakup.path, "--db", db], in: scratch.path, name: "draft-\(round)")
        defer { form.close() }
        let name = "Draft \(round + 1) Zoë Núñez-\(Int.random(in: 1_000...9_999, using: &timing))"
        try open(form, tally: &tally)
        try form.press("Down", "Down", "Enter")  // confidentially (lists start with nothing highlighted)
        guard try reach(form, "Who is the concern about?", tally: &tally) else { return nil }
        try form.type(name)
        try form.press("Tab", "Tab", "Tab")
        guard try reach(form, "How senior is the person involved?", tally: &tally) else { return nil }
        // Acknowledged: the page after the name is drawn, so the draft holding it is saved.
        try form.press("Down", "Enter")
        pause(timing.seconds(in: 0...0.05))
        form.kill9()
        tally.kills += 1
        switch check(draftIn: db, context, scratch) {
        case .failure(let error):
            tally.altered += 1
            tally.fail("After a kill during a draft save, the draft could not be read: \(error)")
            return false
        case .success(let draft):
            guard let draft else {
                tally.lost += 1
                tally.fail("The draft naming \"\(name)\" was acknowledged (the next page was drawn), but after a kill there is no draft.")
                return false
            }
            guard Array(draft.subjectName.utf8) == Array(name.utf8), draft.wayOfRaising == .confidential else {
                tally.altered += 1
                tally.fail("After a kill, the draft names \"\(draft.subjectName)\", not \"\(name)\".")
                return false
            }
            return true
        }
    }

    /// Fills in a whole report and sends it, killing the form at a random moment after S on the check page.
    /// The reference, if the confirmation was on the screen.
    private func submitRound(_ context: Context, _ scratch: Scratch, db: String, way: WayOfRaising, account: String,
                             timing: inout SeededRandom, tally: inout Tally) throws -> String? {
        let form = try FormTerminal([context.speakup.path, "--db", db], in: scratch.path, name: "submit")
        defer { form.close() }
        try open(form, tally: &tally)
        // Lists start with nothing highlighted: the first Down lands on the first answer.
        if way == .anonymous { try form.press("Down", "Down", "Down", "Enter") } else { try form.press("Down", "Down", "Enter") }
        guard try reach(form, "Who is the concern about?", tally: &tally) else { return nil }
        try form.press("Tab", "Tab", "Tab")
        guard try reach(form, "How senior is the person involved?", tally: &tally) else { return nil }
        try form.press("Down", "Enter")
        guard try reach(form, "What was it about?", tally: &tally) else { return nil }
        try form.press("Down", "Space", "Enter")
        guard try reach(form, "When and where did it happen?", tally: &tally) else { return nil }
        try form.press("Down", "Enter", "Enter", "Enter")
        guard try reach(form, "Was anyone harmed?", tally: &tally) else { return nil }
        try form.press("Down", "Enter", "Tab")
        guard try reach(form, "What happened?", tally: &tally) else { return nil }
        try form.type(account)
        try form.press("Tab", "Tab")
        guard try reach(form, "What would you like to happen?", tally: &tally) else { return nil }
        try form.press("Down", "Enter", "Enter", "Enter")
        if way != .anonymous {
            guard try reach(form, "About you", tally: &tally) else { return nil }
            try form.press("Enter", "Enter")
            guard try reach(form, "Your professional group", tally: &tally) else { return nil }
            try form.press("Tab")
            // One description for the figures, so a submit also writes its row apart from the report.
            guard try reach(form, "About you, for the figures", tally: &tally) else { return nil }
            try form.press("Right")
            for _ in 0..<7 { try form.press("Tab") }
        }
        guard try reach(form, "Please check your report", tally: &tally) else { return nil }
        try form.press("s")  // S sends; Enter on the check page never does
        // Anonymous reports hash their receipt first (about 110 ms), so their window is longer.
        pause(timing.seconds(in: 0...(way == .anonymous ? 0.3 : 0.04)))
        let shown = form.screen()
        form.kill9()
        tally.kills += 1
        // Confirmed only if the screen showed the reference before the kill.
        let after = form.screen()
        for screen in [shown, after] where screen.contains("Your case reference is") {
            if let match = screen.firstMatch(of: /SU-[0-9A-Z]{4}-[0-9A-Z]{4}/) { return String(match.output) }
        }
        return nil
    }

    /// Waits for the first page, declining any draft offered from an earlier round ("N: start a new report").
    private func open(_ form: FormTerminal, tally: inout Tally) throws {
        guard let first = form.waitFor([Self.wayPage, "Welcome back"]) else {
            throw TortureError("the form never drew its first page: \(ErrorKind.firstSentence(of: form.screen()))")
        }
        if first.contains("Welcome back") {
            try form.press("n")
            guard form.waitFor([Self.wayPage]) != nil else { throw TortureError("the form did not start afresh after N") }
        }
    }

    /// Waits for a page; a form that never draws it is counted as a stall.
    private func reach(_ form: FormTerminal, _ page: String, tally: inout Tally) throws -> Bool {
        if form.waitFor([page]) != nil { return true }
        tally.stalls += 1
        tally.fail("The form never drew \"\(page)\" within 20 s; the screen was: \(form.screen().split(separator: "\n").prefix(3).joined(separator: " / "))")
        return false
    }

    /// The draft kept for the user running the suite, read with sqlite3, or nil if there is none.
    private func check(draftIn db: String, _ context: Context, _ scratch: Scratch) -> Result<ReportDraft?, TortureError> {
        let sqlite = SQLiteShell(folder: scratch.path, home: context.speakup.home)
        switch sqlite.json(db, "SELECT body FROM draft WHERE owner_uid = \(getuid())") {
        case .failure(let error): return .failure(error)
        case .success(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return .success(nil) }
            struct Row: Decodable { let body: String }
            do {
                guard let row = try JSONDecoder().decode([Row].self, from: Data(trimmed.utf8)).first else { return .success(nil) }
                return .success(try JSONDecoder().decode(ReportDraft.self, from: Data(row.body.utf8)))
            } catch {
                return .failure(TortureError("the draft is not one SpeakUp can read back: \(error)"))
            }
        }
    }
}
