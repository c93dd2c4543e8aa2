import Foundation
import SpeakUpCore

/// What a store engine does for the handlers' workspace without looking at the handler policy:
/// `PolicedCaseDesk` adds the policy, and is the only way in. Its calls are engine plumbing, kept
/// out of the stores' ordinary interface (`@_spi(StoreEngines)`): nothing but an engine and the
/// desk names them.
@_spi(StoreEngines)
public protocol CaseDeskEngine: Workspace {
    /// The queue's rows for `handler`, before the policy leaves any out.
    func deskQueue(_ query: QueueQuery, for handler: String, now: Date) throws(StoreError) -> [QueueRow]
    /// Opens a case unless `refusal` (checked before anything is written, the audit record
    /// included) gives a reason this handler must not see it (thrown).
    func deskOpenCase(_ reference: CaseReference, for handler: String, at moment: Date, refusal: @escaping (Report) -> String?) throws(StoreError) -> CaseFile?
    /// Carries out an action, refused when `refusal` gives a reason for the handler (or the one it is passed to).
    func deskAct(_ action: CaseAction, on reference: CaseReference, by handler: String, at moment: Date,
                 refusal: @escaping (String, Report) -> String?) throws(StoreError)
    /// The handler's reminders not yet seen, before the policy leaves any out.
    func deskReminders(for handler: String) throws(StoreError) -> [Reminder]
    func deskDismissReminders(for handler: String) throws(StoreError)
    /// Who each report is about, for the policy.
    func deskCaseSubjects(_ references: [CaseReference]) throws(StoreError) -> [CaseSubject]
}

@_spi(StoreEngines)
extension CaseDeskEngine {
    /// Open cases none of whose handlers (`holders`: each case's, by reference) `policy` lets see
    /// them now: the directory changed since they were routed. Without routing them again they would
    /// be hidden from everyone who has them.
    public func withheldCases(holders: [String: [String]], policy: any HandlerPolicy) throws(StoreError) -> [CaseReference] {
        var stranded: [CaseReference] = []
        let references = holders.keys.sorted()
        for chunk in stride(from: 0, to: references.count, by: 500).map({ Array(references[$0..<min($0 + 500, references.count)]) }) {
            for subject in try deskCaseSubjects(chunk.compactMap(CaseReference.init)) {
                let handlers = holders[subject.reference.text] ?? []
                if !handlers.isEmpty && handlers.allSatisfy({ policy.refusal(of: $0, for: subject) != nil }) { stranded.append(subject.reference) }
            }
        }
        return stranded
    }
}

/// The handlers' workspace on any engine, with the handler policy enforced in every call: the
/// queue, opening a case, acting on it (and whom it may be passed to) and reminders. There is
/// no way to the workspace's data without a policy.
@_spi(StoreEngines)
public struct PolicedCaseDesk: CaseDesk {
    public let engine: any CaseDeskEngine
    public let policy: any HandlerPolicy

    public init(engine: any CaseDeskEngine, policy: any HandlerPolicy) {
        self.engine = engine
        self.policy = policy
    }

    public func queue(_ query: QueueQuery, for handler: String, now: Date) throws(StoreError) -> QueuePage {
        let rows = try engine.deskQueue(query, for: handler, now: now)
        let shown = try allowed(rows.map(\.reference), for: handler)
        return QueuePage(rows: rows.filter { shown.contains($0.reference) }, fetched: rows.count)
    }

    public func openCase(_ reference: CaseReference, for handler: String, at moment: Date) throws(StoreError) -> CaseFile? {
        guard var file = try engine.deskOpenCase(reference, for: handler, at: moment, refusal: { policy.refusal(of: handler, for: $0.caseSubject) })
        else { return nil }
        // The other cases about the same person are queue rows (with who each is about): only those the policy lets them see.
        let shown = try allowed(file.linked.map(\.reference), for: handler)
        file.linked = file.linked.filter { shown.contains($0.reference) }
        return file
    }

    public func act(_ action: CaseAction, on reference: CaseReference, by handler: String, at moment: Date) throws(StoreError) {
        var action = action
        if case .recuse(let to) = action, let report = try engine.report(reference) {
            // Stepping away never hands the case to someone the policy keeps from it.
            action = .recuse(to: to.filter { policy.refusal(of: $0, for: report.caseSubject) == nil })
        }
        try engine.deskAct(action, on: reference, by: handler, at: moment, refusal: { policy.refusal(of: $0, for: $1.caseSubject) })
    }

    public func reminders(for handler: String) throws(StoreError) -> [Reminder] {
        let all = try engine.deskReminders(for: handler)
        let shown = try allowed(all.map(\.reference), for: handler)
        return all.filter { shown.contains($0.reference) }
    }

    public func dismissReminders(for handler: String) throws(StoreError) {
        try engine.deskDismissReminders(for: handler)
    }

    public func caseFacts() throws(StoreError) -> [CaseFacts] {
        try engine.caseFacts(now: nil)
    }

    public func unrouted() throws(StoreError) -> [UnroutedCase] {
        try engine.unroutedCases()
    }

    /// The cases among `references` that the policy lets `handler` see: only those checked and
    /// passed (a case that could not be checked is not shown). A read that fails throws.
    private func allowed(_ references: [CaseReference], for handler: String) throws(StoreError) -> Set<CaseReference> {
        guard !references.isEmpty else { return [] }
        return Set(try engine.deskCaseSubjects(references).filter { policy.refusal(of: handler, for: $0) == nil }.map(\.reference))
    }
}
