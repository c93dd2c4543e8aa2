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

    public init(level: PyramidLevel, roles: [String], handlers: [String], acknowledgeBy: Date, feedBackBy: Date,
                explanation: [String], held: Bool = false) {
        self.level = level
        self.roles = roles
        self.handlers = handlers
        self.acknowledgeBy = acknowledgeBy
        self.feedBackBy = feedBackBy
        self.explanation = explanation
        self.held = held
    }

    enum CodingKeys: String, CodingKey {
        case level, roles, handlers, acknowledgeBy = "acknowledge_by", feedBackBy = "feed_back_by", explanation, held
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
    func route(_ report: Report, history: any ReportHistory, from: Date) -> CaseRouting
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
