import Synchronization
import SpeakUpCore

/// The handler policy the program gives the store: a handler never sees or acts on a
/// case they may be the subject of, or whose possible subject manages them, or that the
/// reporter kept from them; judged against the directory as it is now (so a change to
/// the directory since the case was routed counts).
public final class SubjectChainPolicy: HandlerPolicy {
    let directory: StaffDirectory
    let names: any HandlerNames
    /// Each report's conflicts, worked out once per session.
    private let known = Mutex<[CaseReference: SubjectConflicts]>([:])

    public init(directory: StaffDirectory, names: any HandlerNames = NoHandlerNames()) {
        self.directory = directory
        self.names = names
    }

    public func refusal(of handler: String, for report: Report) -> String? {
        let conflicts = known.withLock { cache in
            if let found = cache[report.reference] { return found }
            let made = SubjectConflicts(report: report, directory: directory, names: names)
            if cache.count > 10_000 { cache.removeAll() }
            cache[report.reference] = made
            return made
        }
        guard let reason = conflicts.reason(against: handler) else { return nil }
        return "Case \(report.reference) is not one \(handler) may see or act on: \(handler) is \(reason). Please ask an administrator to make sure someone else has it."
    }
}
