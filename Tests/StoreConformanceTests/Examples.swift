import Foundation
import SpeakUpCore

/// Reports and routers the conformance tests share.
enum Examples {
    static let moment = Date(timeIntervalSince1970: 1_795_770_106)
    static let day: TimeInterval = 86_400
    static let ben = Reporter(userName: "ben", uid: 1002)

    static func report(_ way: WayOfRaising = .confidential, about name: String? = "Dr Smith", account: String = "Shouted at a patient in front of the family.",
                       concerns: [ConcernCategory] = [.rudeOrAggressive], location: String = "Ward 7", harm: PatientHarm = .none,
                       at moment: Date = Examples.moment) -> Report {
        Report(reference: .random(), wayOfRaising: way, concerns: concerns,
               subject: Subject(name: name, role: "consultant", seniority: .seniorClinician), location: location, harm: harm,
               account: account, reporter: way == .anonymous ? nil : ben,
               reporterDetails: ReporterDetails(name: way == .anonymous ? "" : "Ben", contact: "", professionalGroup: .nursing),
               submitted: .recorded(for: way, at: moment))
    }
}

/// Sends every report to the same handlers, and notes how many earlier reports about the
/// same person the store's history counted inside the transaction.
final class CountingRouter: CaseRouter, @unchecked Sendable {
    let handlers: [String]
    private let lock = NSLock()
    private var counts: [Int] = []

    init(handlers: [String] = ["asha", "gita"]) { self.handlers = handlers }

    var seen: [Int] { lock.withLock { counts } }

    func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
        if let key = SubjectKey.of(report.subject, directoryID: nil) {
            let earlier = try history.reportsAbout(key, since: CalendarDay(from.addingTimeInterval(-365 * Examples.day), in: .gmt))
            lock.withLock { counts.append(earlier) }
        }
        let urgent = report.harm == .severe
        return CaseRouting(level: urgent ? .urgent : .informal, roles: ["guardian"], handlers: handlers,
                           acknowledgeBy: from.addingTimeInterval(urgent ? Examples.day : 7 * Examples.day),
                           feedBackBy: from.addingTimeInterval(90 * Examples.day), explanation: ["Routed for the conformance suite."])
    }
}

/// A router that cannot route safely (as when the directory cannot be read).
struct FailingRouter: CaseRouter {
    func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
        throw RoutingFailure("The staff directory could not be read.")
    }
}

/// Lets every handler see every case routed to them.
struct EveryoneMay: HandlerPolicy {
    func refusal(of handler: String, for report: CaseSubject) -> String? { nil }
}

/// Keeps every case from `kept`, with a reason.
struct KeepFrom: HandlerPolicy {
    let kept: String
    func refusal(of handler: String, for report: CaseSubject) -> String? {
        handler == kept ? "\(kept) is managed by the person the report is about." : nil
    }
}

/// Holds a report that asks for a hold until someone else reports the same person (then routes
/// it to `handlers`), as the rules' matching holds do.
struct HoldingRouter: CaseRouter {
    var handlers = ["asha", "gita"]

    func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
        var routing = try CountingRouter(handlers: handlers).route(report, history: history, from: from)
        if report.hold != nil, let key = SubjectKey.of(report.subject, directoryID: nil),
            try history.reportsAbout(key, since: CalendarDay(from.addingTimeInterval(-365 * Examples.day), in: .gmt), notBy: report.reporter) == 0,
            let until = report.hold?.until, CalendarDay(from, in: .gmt) <= until {
            routing.handlers = []
            routing.held = true
            routing.explanation = ["Held until someone else reports the same person."]
        }
        return routing
    }
}
