import Foundation

/// What the conflict rules need to know about who a report is about, worked out when it was
/// routed, in a form that is not the name: what a store that seals the subject's name as typed
/// keeps readable instead (docs/security.md), so that the handler policy, escalation and
/// re-routing keep the case from the right people without reading the name.
///
/// Worked out once, against the directory and the handlers as they were then: a handler added
/// since was never checked against the name, so while the name is sealed they are kept from the
/// case (fail closed), and the candidates do not change when the directory does.
public struct SubjectFacts: Hashable, Sendable, Codable {
    /// How sure SpeakUp was of who it is about.
    public var certainty: SubjectResolution.Certainty
    /// The staff ids of everyone it may be about, all of them (never cut short).
    public var candidates: [String]
    /// Whether a name was given (then handlers' own names and logins were checked against it).
    public var nameGiven: Bool
    /// Whether a role was given.
    public var roleGiven: Bool
    /// The handlers whose names and logins were checked against the name given.
    public var checked: [String]
    /// Those of `checked` whose own name or login fits it: kept from the case.
    public var fitting: [String]

    public init(certainty: SubjectResolution.Certainty, candidates: [String], nameGiven: Bool, roleGiven: Bool,
                checked: [String], fitting: [String]) {
        self.certainty = certainty
        self.candidates = candidates
        self.nameGiven = nameGiven
        self.roleGiven = roleGiven
        self.checked = checked
        self.fitting = fitting
    }

    /// As kept in a store's column: JSON, keys sorted (written directly: it is made on every submit of a
    /// sealing store, and `JSONEncoder` cost more than the rest of it; read back with `JSONDecoder`).
    public var stored: String {
        func text(_ value: String) -> String {
            var out = "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        func list(_ values: [String]) -> String { "[" + values.map(text).joined(separator: ",") + "]" }
        return "{\"candidates\":\(list(candidates)),\"certainty\":\(text(certainty.rawValue)),\"checked\":\(list(checked)),"
            + "\"fitting\":\(list(fitting)),\"nameGiven\":\(nameGiven),\"roleGiven\":\(roleGiven)}"
    }

    /// Read back from a store's column; nil when it does not read (the caller treats that as damage).
    public init?(stored: String) {
        guard let facts = try? JSONDecoder().decode(SubjectFacts.self, from: Data(stored.utf8)) else { return nil }
        self = facts
    }
}

extension SubjectResolution.Certainty: Codable {}
