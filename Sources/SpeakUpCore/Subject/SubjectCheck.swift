import Foundation

/// A handler checked against a sealed name after the report was routed: by someone who could open the
/// name (`speakup recover` with the trust's recovery key), for a handler who was not a handler then.
/// Kept apart from the report (appended, never changed), and added to the facts kept in the name's
/// place (`SubjectFacts.adding`), so that the conflict rules no longer keep the handler from the case
/// for want of a check, or keep them from it because the name fits them.
public struct SubjectCheck: Hashable, Sendable {
    public var reference: CaseReference
    public var handler: String
    /// Whether the name as typed fits the handler's own name or login.
    public var fits: Bool

    public init(reference: CaseReference, handler: String, fits: Bool) {
        self.reference = reference
        self.handler = handler
        self.fits = fits
    }

    /// The audit trail's action for a check kept.
    public static let auditAction = "subject-checked"

    /// The audit record's detail: whom, and what was found (never the name).
    public var auditDetail: String {
        "for \(handler): the name as typed \(fits ? "fits them, so they are kept from the case" : "does not fit them")"
    }

    /// The checks of one case as a store's query lists them: `login=1` (fits) or `login=0`, separated
    /// by spaces (logins have neither). Nil when one does not read: the caller treats that as damage.
    public static func listed(_ text: String) -> [(handler: String, fits: Bool)]? {
        var checks: [(handler: String, fits: Bool)] = []
        for item in text.split(separator: " ") {
            let parts = item.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1] == "0" || parts[1] == "1" else { return nil }
            checks.append((String(parts[0]), parts[1] == "1"))
        }
        return checks
    }
}

extension SubjectFacts {
    /// The facts with later checks added: each handler counted as checked, and kept from the case when
    /// the name fits them. A check never takes anyone off `fitting`.
    public func adding(_ checks: [(handler: String, fits: Bool)]) -> SubjectFacts {
        var facts = self
        facts.checked = Array(Set(checked + checks.map(\.handler))).sorted()
        facts.fitting = Array(Set(fitting + checks.filter(\.fits).map(\.handler))).sorted()
        return facts
    }
}
