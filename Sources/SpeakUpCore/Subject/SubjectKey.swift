import Foundation

/// How reports about one person are recognised as the same person: their
/// directory id, or their name and role written the same way.
public enum SubjectKey: Hashable, Sendable {
    case directory(String)
    case nameAndRole(String)
    /// A key as a store keeps it for a sealed name (`SubjectKeyDigest`): matched as it is.
    case kept(String)

    /// The key for a report's subject, if it names anyone.
    public static func of(_ subject: Subject, directoryID: String?) -> SubjectKey? {
        if let directoryID { return .directory(directoryID) }
        if subject.isSealedAway { return subject.keptKey.map(SubjectKey.kept) }
        guard let name = subject.name, !name.isBlank else { return nil }
        return .nameAndRole(normalise(name) + "|" + normaliseRole(subject.role))
    }

    /// A role in lower case with single spaces and no full stops (titles are kept: "Nurse" is a role).
    public static func normaliseRole(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: ".", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Lower case, single spaces, no titles or full stops: "Dr. John  SMITH" and "john smith" match.
    public static func normalise(_ text: String) -> String {
        let words = text.lowercased().replacingOccurrences(of: ".", with: " ").split(whereSeparator: \.isWhitespace)
        let titles: Set<Substring> = ["dr", "mr", "mrs", "ms", "miss", "prof", "professor", "sister", "nurse"]
        return words.filter { !titles.contains($0) }.joined(separator: " ")
    }
}


/// How many earlier reports name the same person: the store answers, counting
/// anonymous reports too, inside the transaction that stores the new one. A read
/// that fails throws: a count of 0 on an error would skip patterns and holds.
public protocol ReportHistory {
    func reportsAbout(_ subject: SubjectKey, since day: CalendarDay) throws -> Int
    /// The same, leaving out reports raised (openly or confidentially) by `reporter`:
    /// "someone else reports the same person" must be someone else.
    func reportsAbout(_ subject: SubjectKey, since day: CalendarDay, notBy reporter: Reporter?) throws -> Int
}

extension ReportHistory {
    /// Histories that cannot tell reporters apart count every report.
    public func reportsAbout(_ subject: SubjectKey, since day: CalendarDay, notBy reporter: Reporter?) throws -> Int {
        try reportsAbout(subject, since: day)
    }
}

/// Turns a same-person key made from a name into a keyed digest (HMAC under a secret kept outside
/// the store), so that a store sealing the subject's name keeps no form of it a guess could be
/// checked against, while reports about the same person still share a key.
public protocol SubjectKeyDigest: Sendable {
    /// The key as kept for a sealed name; a directory key is kept as it is.
    func digest(_ key: SubjectKey) -> SubjectKey
}
