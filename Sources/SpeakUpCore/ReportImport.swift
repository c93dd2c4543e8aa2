import Foundation

/// Checking records of the export format before they become reports
/// (`speakup import`: concerns received by phone, letter or in person).
public enum ReportImport {
    /// Something wrong with one record, at a key path inside it.
    public struct Problem: Hashable, Sendable {
        /// Which record (from 0).
        public var record: Int
        /// The key inside the record, e.g. `["concerns"]` or `["events", "2", "at"]`; empty for the whole record.
        public var path: [String]
        public var sentence: String

        public init(record: Int, path: [String], sentence: String) {
            self.record = record
            self.path = path
            self.sentence = sentence
        }
    }

    /// Every problem with the records, in file order; empty when all can be imported.
    /// - Parameter taken: references already in the store, which may not be reused.
    public static func problems(_ records: [ReportJSON.Record], today: CalendarDay, taken: Set<String> = []) -> [Problem] {
        var found: [Problem] = []
        if records.isEmpty {
            return [Problem(record: 0, path: [], sentence: "The file holds no reports, so there is nothing to import.")]
        }
        var seen: [String: Int] = [:]
        for (index, record) in records.enumerated() {
            func problem(_ path: [String], _ sentence: String) { found.append(Problem(record: index, path: path, sentence: sentence)) }
            if !(1...ReportJSON.formatVersion).contains(record.formatVersion) {
                problem(["format_version"], "format_version \(record.formatVersion) is not one this SpeakUp reads (1 to \(ReportJSON.formatVersion)).")
            }
            if CaseReference(record.reference)?.text != record.reference {
                problem(["reference"], "\(record.reference.debugDescription) is not a case reference like SU-7KQ4-M2XD.")
            } else if taken.contains(record.reference) {
                problem(["reference"], "The store already has a report \(record.reference); it is never overwritten.")
            } else if let first = seen[record.reference] {
                problem(["reference"], "The reference \(record.reference) is used twice (records \(first + 1) and \(index + 1)).")
            } else {
                seen[record.reference] = index
            }
            if record.concerns.isEmpty { problem(["concerns"], "Each report needs at least one concern.") }
            if record.sealed == true {
                problem(["sealed"], "This report's words are sealed for its handlers, so it cannot be imported from a file; a whole store is moved with `speakup store copy`.")
            } else if record.account.isBlank { problem(["account"], "The account of what happened is empty.") }
            if let details = record.reporterDetails, details.name.isBlank {
                problem(["reporter_details", "name"], "The reporter's name is empty; give it, or set reporter_details to null.")
            }
            if let day = record.holdUntil, day < CalendarDay.earliest { problem(["hold_until"], "\(day) is before 1948.") }
            for (key, text, limit) in [("account", record.account, ReportLimits.accountCharacters),
                                       ("location", record.location, ReportLimits.shortText),
                                       ("subject_name", record.subjectName ?? "", ReportLimits.shortText),
                                       ("subject_role", record.subjectRole ?? "", ReportLimits.shortText),
                                       ("staff_impact", record.staffImpact ?? "", ReportLimits.longText),
                                       ("witnesses", record.witnesses ?? "", ReportLimits.longText)]
            where text.count > limit {
                problem([key], "\(key) is \(text.count.grouped) characters; at most \(limit.grouped) are kept.")
            }
            for (path, text) in Self.texts(of: record) where StorableText.holdsNul(text) {
                problem(path, "This text " + StorableText.nulAdvice)
            }
            switch SubmissionTime(text: record.submitted) {
            case nil:
                problem(["submitted"], "\(record.submitted.debugDescription) is not a time like 2026-11-27T08:21:46Z or a day like 2026-11-27.")
            case .instant where record.wayOfRaising == .anonymous:
                problem(["submitted"], "An anonymous report keeps only the day it was sent (like 2026-11-27), not the time.")
            case let time?:
                if let day = CalendarDay(typed: String(time.text.prefix(10))) { checkDay(day, ["submitted"], today, problem) }
            }
            if let day = record.occurredOn { checkDay(day, ["occurred_on"], today, problem) }
            if let time = record.occurredAt, Occurrence.time(typed: time) != time {
                problem(["occurred_at"], "\(time.debugDescription) is not a time of day like 14:30.")
            }
            if record.occurredAt != nil && record.occurredOn == nil {
                problem(["occurred_at"], "A time needs a day: occurred_on is missing.")
            }
            if record.wayOfRaising == .anonymous {
                if record.reporter != nil { problem(["reporter"], "An anonymous report cannot name its reporter; reporter must be null.") }
                if record.reporterDetails != nil {
                    problem(["reporter_details"], "An anonymous report cannot keep reporter details; reporter_details must be null.")
                }
            }
            if let station = record.station {
                if Station(kind: station.kind, location: station.location) == nil {
                    problem(["station", "kind"], "\(station.kind.debugDescription) is not a station; use personal, ward or kiosk.")
                } else if station.kind == "kiosk" && record.wayOfRaising != .anonymous {
                    problem(["way_of_raising"], "A kiosk takes anonymous reports only.")
                } else if station.kind != "personal" && record.reporter != nil {
                    problem(["reporter"], "A report from a shared terminal cannot name a login as its reporter; reporter must be null.")
                }
            }
            for (position, event) in record.events.enumerated() {
                let path = ["events", String(position)]
                if record.wayOfRaising == .anonymous, event.actor != nil,
                    ["received", "reporter-message", "speak-up-again"].contains(event.kind) {
                    problem(path + ["actor"], "An anonymous reporter is never named; actor must be null.")
                }
                if event.sequence != position + 1 {
                    problem(path + ["sequence"], "Events must be numbered 1, 2, 3… in order; this one is \(event.sequence).")
                }
                if CaseEvent.Kind(rawValue: event.kind) == nil {
                    problem(path + ["kind"], "\(event.kind.debugDescription) is not a kind of case event SpeakUp knows.")
                }
                if position == 0 && event.kind != CaseEvent.Kind.received.rawValue {
                    problem(path + ["kind"], "A case's first event must be \"received\".")
                }
                switch SubmissionTime(text: event.at) {
                case nil: problem(path + ["at"], "\(event.at.debugDescription) is not a time or a day.")
                case .instant where record.wayOfRaising == .anonymous:
                    problem(path + ["at"], "An anonymous case keeps only days, not times, for its events.")
                case let time?:
                    if let day = CalendarDay(typed: String(time.text.prefix(10))) { checkDay(day, path + ["at"], today, problem) }
                }
                if (event.kind == CaseEvent.Kind.handlerMessage.rawValue || event.kind == CaseEvent.Kind.reporterMessage.rawValue),
                    (event.text ?? "").isBlank {
                    problem(path + ["text"], "A message needs its words.")
                }
            }
        }
        return found
    }

    /// Every text a record holds, with its place in the record.
    private static func texts(of record: ReportJSON.Record) -> [([String], String)] {
        var texts: [([String], String?)] = [
            (["location"], record.location), (["account"], record.account), (["submitted"], record.submitted),
            (["subject_name"], record.subjectName), (["subject_role"], record.subjectRole), (["subject_id"], record.subjectID),
            (["occurred_at"], record.occurredAt), (["staff_impact"], record.staffImpact), (["witnesses"], record.witnesses),
            (["reporter", "user"], record.reporter?.user), (["reporter_details", "name"], record.reporterDetails?.name),
            (["reporter_details", "contact"], record.reporterDetails?.contact), (["station", "location"], record.station?.location),
        ]
        for (position, name) in (record.excludedHandlers ?? []).enumerated() { texts.append((["excluded_handlers", String(position)], name)) }
        for (position, event) in record.events.enumerated() {
            let path = ["events", String(position)]
            texts += [(path + ["kind"], event.kind), (path + ["at"], event.at), (path + ["text"], event.text), (path + ["actor"], event.actor)]
        }
        return texts.compactMap { path, text in text.map { (path, $0) } }
    }

    private static func checkDay(_ day: CalendarDay, _ path: [String], _ today: CalendarDay, _ problem: ([String], String) -> Void) {
        if day > today { problem(path, "\(day) is in the future.") }
        if day < CalendarDay.earliest { problem(path, "\(day) is before 1948.") }
    }

    /// The report and timeline a checked record stands for.
    public static func report(from record: ReportJSON.Record) -> (Report, [CaseEvent]) {
        let reference = CaseReference(record.reference)!
        let submitted = SubmissionTime(text: record.submitted)!
        let report = Report(
            reference: reference, wayOfRaising: record.wayOfRaising, concerns: record.concerns,
            subject: Subject(name: record.subjectName, role: record.subjectRole ?? "", seniority: record.subjectSeniority,
                             directoryID: record.subjectID),
            occurred: record.occurredOn.map { Occurrence(day: $0, time: record.occurredAt) },
            location: record.location, harm: record.patientHarm ?? .unknown, staffImpact: record.staffImpact ?? "",
            account: record.account, witnesses: record.witnesses ?? "", desiredOutcome: record.desiredOutcome,
            hold: record.holdUntil.map(MatchingHold.init(until:)),
            excludedHandlers: (record.excludedHandlers ?? []).filter { !$0.isBlank },
            reporter: record.reporter.map { Reporter(userName: $0.user, uid: $0.uid) },
            reporterDetails: record.reporterDetails.map {
                ReporterDetails(name: $0.name, contact: $0.contact, professionalGroup: $0.professionalGroup)
            },
            submitted: submitted,
            station: record.station.flatMap { Station(kind: $0.kind, location: $0.location) } ?? .personal)
        let events = record.events.isEmpty
            ? [CaseEvent(reference: reference, sequence: 1, kind: .received, at: submitted)]
            : record.events.map {
                CaseEvent(reference: reference, sequence: $0.sequence, kind: CaseEvent.Kind(rawValue: $0.kind)!,
                          at: SubmissionTime(text: $0.at)!, text: $0.text, actor: $0.actor)
            }
        return (report, events)
    }
}
