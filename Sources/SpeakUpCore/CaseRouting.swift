import Foundation

/// Where a report was sent and why: decided inside the transaction that stores
/// it, and kept with the case as its "routed" event.
public struct CaseRouting: Hashable, Sendable, Codable {
    public var level: PyramidLevel
    /// The handler roles that will see it, e.g. "guardian".
    public var roles: [String]
    /// The Unix logins that will see it.
    public var handlers: [String]
    public var acknowledgeBy: Date
    public var feedBackBy: Date
    /// Which rule matched on which facts, who was left out and why.
    public var explanation: [String]
    /// Held for a match: nobody sees it until another report names the same
    /// person or the hold ends (then it is routed again).
    public var held: Bool
    /// The staff ids of everyone the report may be about (all of them are kept from it).
    public var candidates: [String]
    /// Every handler the rules could ever give the case to (any role's eligible handlers: routing
    /// reaches every role when nobody else can take it, and a case may be passed to any of them),
    /// minus everyone the conflict rules and the reporter keep from it: whom a sealing store wraps
    /// the case's key for. Nil from a router that does not work it out (then only `handlers`).
    /// Not kept in the routing's stored detail.
    public var mayHold: [String]?
    /// What the conflict rules found about who it is about, in a form that is not the name
    /// (`SubjectFacts`): what a store sealing the subject's name keeps in its place. Nil from a
    /// router that does not work it out (then the name is never sealed). Not kept in the routing's detail.
    public var subjectFacts: SubjectFacts?
    /// Set by a store reading the routing back (never kept): the case's words are sealed and none of
    /// those it was routed to holds a wrapping of its key, so nobody handling it can read it until an
    /// administrator seals it for one of them (`speakup check` names it). What the reporter is told says so.
    public var noHandlerHoldsKey = false

    /// Two routings are the same decision whatever `mayHold` says (it is not kept with the case).
    public static func == (a: CaseRouting, b: CaseRouting) -> Bool {
        a.level == b.level && a.roles == b.roles && a.handlers == b.handlers && a.acknowledgeBy == b.acknowledgeBy
            && a.feedBackBy == b.feedBackBy && a.explanation == b.explanation && a.held == b.held && a.candidates == b.candidates
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(level)
        hasher.combine(handlers)
        hasher.combine(explanation)
    }

    /// Stored with nobody to handle it: no eligible handler existed when it was routed.
    /// It waits for one (`escalate tick` routes it as soon as someone can take it).
    public var isUnrouted: Bool { handlers.isEmpty && !held }

    public init(level: PyramidLevel, roles: [String], handlers: [String], acknowledgeBy: Date, feedBackBy: Date,
                explanation: [String], held: Bool = false, candidates: [String] = []) {
        self.candidates = candidates
        self.level = level
        self.roles = roles
        self.handlers = handlers
        self.acknowledgeBy = acknowledgeBy
        self.feedBackBy = feedBackBy
        self.explanation = explanation
        self.held = held
    }

    enum CodingKeys: String, CodingKey {
        case level, roles, handlers, acknowledgeBy = "acknowledge_by", feedBackBy = "feed_back_by", explanation, held, candidates
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        level = try container.decode(PyramidLevel.self, forKey: .level)
        roles = try container.decode([String].self, forKey: .roles)
        handlers = try container.decode([String].self, forKey: .handlers)
        acknowledgeBy = try container.decode(Date.self, forKey: .acknowledgeBy)
        feedBackBy = try container.decode(Date.self, forKey: .feedBackBy)
        explanation = try container.decode([String].self, forKey: .explanation)
        held = try container.decodeIfPresent(Bool.self, forKey: .held) ?? false
        candidates = try container.decodeIfPresent([String].self, forKey: .candidates) ?? []
    }
}

/// The two promises a case's handlers make to its reporter.
public enum CaseDeadline: String, Codable, Sendable, CaseIterable {
    /// Acknowledge the report.
    case acknowledge
    /// Feed back to the reporter (a message, or closing the case).
    case feedBack = "feed-back"

    /// Whether the case's timeline shows this promise kept by `due` (a late
    /// acknowledgement does not undo a missed deadline).
    public func isMet(by events: [CaseEvent], due: Date) -> Bool {
        let inTime = events.filter { $0.at.moment <= due }
        switch self {
        case .acknowledge: return inTime.contains { [.acknowledged, .handlerMessage, .closed].contains($0.kind) }
        case .feedBack: return inTime.contains { [.handlerMessage, .closed].contains($0.kind) }
        }
    }

    /// Whether it was already escalated for this promise.
    public func wasEscalated(in events: [CaseEvent]) -> Bool {
        events.contains { $0.kind == .escalated && $0.text?.hasPrefix(escalationHeading) == true }
    }

    /// The first line of an escalation's explanation, which also marks which promise it was for.
    public var escalationHeading: String {
        switch self {
        case .acknowledge: "Not acknowledged in time."
        case .feedBack: "No feedback in time."
        }
    }
}

/// Decides where a report goes (the rules engine, wired in by the program).
///
/// The store calls it inside its write transaction: a router must ask only the
/// `history` it is given, never the store itself (which would wait on itself).
public protocol CaseRouter: Sendable {
    /// - Parameter from: when the clock starts for deadlines: the moment sent, or,
    ///   for an anonymous report, the start of its day (an exact deadline would
    ///   give away the exact time it was sent).
    /// - Throws: when it cannot route safely (the history or the directory could not be
    ///   read); the store then stores nothing, and the reporter keeps their words.
    func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting

    /// The router to use for one write, made before the store's transaction starts (a
    /// router may read the staff directory here). Throws when it cannot route safely.
    func prepared() throws -> any CaseRouter

    /// The keyed digest a store sealing subjects' names keeps same-person keys as; nil when the
    /// installation has no secret for it (then names are not sealed: docs/security.md).
    var subjectKeyDigest: (any SubjectKeyDigest)? { get }
}

extension CaseRouter {
    public func prepared() throws -> any CaseRouter { self }
    public var subjectKeyDigest: (any SubjectKeyDigest)? { nil }
}

extension Report {
    /// When deadlines start: the instant for open and confidential reports, midnight UTC of the kept day for anonymous ones.
    public var deadlineStart: Date {
        switch submitted {
        case .instant(let date): return date
        case .day(let text):
            return (try? Date(text + "T00:00:00Z", strategy: Date.ISO8601FormatStyle(timeZone: .gmt))) ?? Date(timeIntervalSince1970: 0)
        }
    }
}

/// Why a report could not be routed safely (the directory or the rules could not be
/// read): the store then keeps nothing of it, and the reporter keeps their words.
public struct RoutingFailure: Error, Hashable, Sendable {
    public var sentence: String
    public init(_ sentence: String) { self.sentence = sentence }
}

/// A personal store (not installed for a shared host): its owner handles every case.
public enum PersonalStore {
    /// The name the owner is recorded under as a handler: never their login, so that an
    /// anonymous report they file in their own store names nobody.
    public static let handler = "store-owner"
}
