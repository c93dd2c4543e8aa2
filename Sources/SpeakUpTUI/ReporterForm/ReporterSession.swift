import Foundation
import Synchronization
import SpeakUpCore

/// Runs the reporter form on a terminal until the reporter finishes, leaves, or
/// the terminal hangs up: keys in, state updated, effects carried out, canvas drawn.
public struct ReporterSession {
    /// How a session ended.
    public enum Outcome: Hashable, Sendable {
        /// The report is on disk; the reporter saw its reference.
        case submitted(Report)
        /// The reporter left without sending.
        case left
        /// The terminal went away mid-form (an open or confidential draft is kept).
        case hungUp
        /// The reporter left from the offer to resume, keeping their draft.
        case keptDraft
    }

    let store: any ReportingStore
    let reporter: Reporter?
    let reporterName: String
    let clock: any Clock
    let router: (any CaseRouter)?
    let station: Station
    let gate: SubmissionGate?
    /// Housekeeping once the confirmation is on screen (the SQLite store copies its log back
    /// into the file here, rather than inside the reporter's submit).
    let afterSaved: @Sendable () -> Void
    let references: @Sendable () -> CaseReference

    /// - Parameters:
    ///   - reporter: the person at the terminal (from the real uid); kept only
    ///     with open and confidential reports, and the owner of their drafts.
    ///   - reporterName: the name to offer on the "about you" page.
    ///   - router: decides who sees each report, inside the transaction that stores it.
    ///   - station: where the form runs; at a shared terminal no login is kept and no draft written.
    ///   - gate: may hold a report back (a kiosk's hourly limit), saying why.
    ///   - afterSaved: the store's housekeeping, run after the confirmation is drawn.
    ///   - references: the reference a report is made with (random; a sealing form's gives the one its
    ///     sealing was prepared for while the reporter wrote, `SealingWarmUp.reference`).
    public init(store: any ReportingStore, reporter: Reporter?, reporterName: String = "", clock: any Clock, router: (any CaseRouter)? = nil,
                station: Station = .personal, gate: SubmissionGate? = nil, afterSaved: @escaping @Sendable () -> Void = {},
                references: @escaping @Sendable () -> CaseReference = { .random() }) {
        self.afterSaved = afterSaved
        self.references = references
        self.router = router
        self.station = station
        self.gate = gate
        self.store = store
        self.reporter = reporter
        self.reporterName = reporterName
        self.clock = clock
    }

    public func run(on terminal: some Terminal) -> Outcome {
        let today = clock.today()
        var resumable: ReportDraft? = nil
        var unreadable: String? = nil
        if !station.isShared, let reporter {
            do { resumable = try store.draft(owner: reporter) } catch { unreadable = error.sentence }
        }
        var state = ReporterFormState(size: terminal.size, today: today, reporterName: reporterName, resumable: resumable, station: station)
        if let unreadable {
            // The earlier draft is left exactly as it is: this form keeps no draft, so nothing overwrites it.
            state.keepsDrafts = false
            state.notice = .problem("\(unreadable) It is left as it was. This report will not be kept as a draft, so please send it when you are ready, and tell IT.")
        }
        var submitted: Report? = nil
        draw(state, on: terminal)
        while let keys = terminal.nextKeys() {
            keys: for key in keys {
                for effect in ReporterForm.update(&state, key) {
                    switch effect {
                    case .saveDraft(let draft):
                        keepDraft(draft, &state)
                    case .discardDraft:
                        forgetDraft(&state)
                    case .loadDirectory where station.isKiosk:
                        // Never at a kiosk: a passer-by must not be able to list staff by typing letters.
                        break
                    case .loadDirectory:
                        // Only for offering names as the reporter types: without it the name is simply typed,
                        // and routing reads the directory again (and fails closed) when the report is sent.
                        do { state.directory = StaffDirectory.reusing(try store.staff()) } catch { state.directory = StaffDirectory([]) }
                    case .submit(let draft):
                        draw(state, on: terminal)  // "Saving your report…"
                        if let report = submit(draft, today: today, &state, on: terminal) {
                            submitted = report
                            // Keys typed before the answer (a second Enter) must not skip past the
                            // confirmation or the receipt code; keys pressed once it shows are the
                            // reporter's answer to it, kept even while the housekeeping runs.
                            terminal.discardTypeahead()
                            draw(state, on: terminal)  // the confirmation first, then the housekeeping
                            afterSaved()
                            break keys
                        }
                    case .finish:
                        return submitted.map(Outcome.submitted) ?? (state.keptDraft ? .keptDraft : .left)
                    }
                }
            }
            draw(state, on: terminal)
        }
        // The terminal went away: keep everything typed so far, this page included
        // (open and confidential reports only; the store refuses anonymous drafts).
        if submitted == nil, !station.isShared, state.hasStarted, case .asking = state.phase,
            state.draft.wayOfRaising?.keepsIdentity == true {
            keepDraft(state.draftToKeep, &state)
        }
        return submitted.map(Outcome.submitted) ?? .hungUp
    }

    private func keepDraft(_ draft: ReportDraft, _ state: inout ReporterFormState) {
        // A shared terminal writes no draft: the next person must never meet the last one's words.
        guard let reporter, !station.isShared, state.keepsDrafts else { return }
        do {
            try store.saveDraft(draft, owner: reporter, at: clock.now())
        } catch {
            // Not fatal: the form still has every answer, and can still be sent.
            state.notice = .problem("Your answers could not be kept as a draft (\(error.sentence)) You can still send the report.")
        }
    }

    private func forgetDraft(_ state: inout ReporterFormState) {
        guard let reporter, !station.isShared, state.keepsDrafts else { return }
        do {
            try store.discardDraft(owner: reporter)
        } catch {
            state.notice = .problem("An earlier draft of this report could not be deleted (\(error.sentence)) Please tell IT.")
        }
    }

    private func submit(_ draft: ReportDraft, today: CalendarDay, _ state: inout ReporterFormState, on terminal: some Terminal) -> Report? {
        let now = clock.now()
        if let refusal = gate?.refusal(at: now) {
            ReporterForm.saveFailed(&state, refusal)
            return nil
        }
        switch draft.report(reference: references(), reporter: reporter, at: now, today: today, station: station) {
        case .failure(let problem):
            ReporterForm.saveFailed(&state, problem.sentence)
            return nil
        case .success(var made):
            // Only where the page was asked: never at a kiosk or for an anonymous report (the store checks again).
            if state.steps.contains(.characteristics) { made.characteristics = state.characteristics }
            let report = made
            // A receipt is the way back wherever no login leads to the report; in a store that seals, a named
            // reporter is given one too, as the code that opens the replies (none when that cannot be told:
            // their messages then stay readable, and they are told nothing untrue).
            let receipt = report.reporter == nil || (try? store.sealsReports()) == true ? ReceiptCode.random() : nil
            let owner = station.isShared || !state.keepsDrafts ? nil : reporter
            let (store, router) = (store, router)
            let outcome = WaitingForStore.run(store.writeWait, on: terminal, showWaiting: { waited in
                state.waitingForStore = waited
                draw(state, on: terminal)
            }) { () -> Result<Report, StoreError> in
                do throws(StoreError) {
                    return .success(try store.submit(report, receipt: receipt, discardingDraftOf: owner, router: router))
                } catch {
                    return .failure(error)
                }
            }
            state.waitingForStore = nil
            do {
                let stored = try outcome.get()
                gate?.took(at: now)
                ReporterForm.saved(&state, stored, receipt: receipt)
                do {
                    state.routing = try store.routing(for: stored.reference)
                } catch {
                    // Saved all the same: say so, and where to see who has it, rather than guess.
                    state.routingUnknown = true
                }
                return stored
            } catch {
                ReporterForm.saveFailed(&state, error.sentence)
                return nil
            }
        }
    }

    private func draw(_ state: ReporterFormState, on terminal: some Terminal) {
        var canvas = Canvas(size: state.size)
        ReporterFormView.render(state, into: &canvas)
        terminal.draw(canvas)
    }
}

/// Something that may hold a report back before it is sent, saying why (a kiosk's hourly limit).
public protocol SubmissionGate: AnyObject, Sendable {
    /// Why a report may not be sent at `now`, or nil if it may.
    func refusal(at now: Date) -> String?
    /// Counts a report sent at `now`.
    func took(at now: Date)
}

/// A kiosk's hourly limit, shared by every form the kiosk shows.
public final class KioskLimit: SubmissionGate {
    private let limit: Mutex<SubmissionLimit>
    private let clearedAfter: Int?

    /// `earlierToday`, `start`: see `SubmissionLimit.init`. `clearedAfter`: the kiosk's idle wipe, in
    /// seconds, so the refusal says truly how long the words stay on screen.
    public init(perHour: Int, earlierToday: Int = 0, start: Date = .distantPast, clearedAfter: Int? = nil) {
        limit = Mutex(SubmissionLimit(perHour: perHour, earlierToday: earlierToday, start: start))
        self.clearedAfter = clearedAfter
    }

    public func refusal(at now: Date) -> String? { limit.withLock { $0.sentence(at: now, clearedAfter: clearedAfter) } }
    public func took(at now: Date) { limit.withLock { $0.took(at: now) } }
}
