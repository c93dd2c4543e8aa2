import SpeakUpCore

/// The staff directory: who manages whom, so that no report reaches someone
/// whose career its subject controls.
public struct StaffDirectory: Hashable, Sendable {
    public typealias Member = StaffMember

    public private(set) var members: [String: Member] = [:]
    /// Looked up for every handler of every report, so kept as indexes.
    private var idByUnixUser: [String: String] = [:]
    private var idsByName: [String: [String]] = [:]

    /// A directory from members whose management chains were already checked
    /// (`problems(in:)` lists unknown managers and cycles).
    public init(_ members: [Member]) {
        for member in members {
            self.members[member.id] = member
            if let user = member.unixUser { idByUnixUser[user] = member.id }
            idsByName[SubjectKey.normalise(member.name), default: []].append(member.id)
        }
    }

    /// Members whose name, normalised, is this one.
    public func members(named normalisedName: String) -> [Member] {
        (idsByName[normalisedName] ?? []).compactMap { members[$0] }
    }

    /// Unknown managers and cycles in the management chain, as (member id, sentence).
    public static func problems(in members: [Member]) -> [(id: String, sentence: String)] {
        var found: [(String, String)] = []
        var byID: [String: Member] = [:]
        for member in members {
            if byID[member.id] != nil { found.append((member.id, "The staff id \(member.id) appears more than once.")) }
            byID[member.id] = member
        }
        for member in members {
            if let manager = member.managerID, byID[manager] == nil {
                found.append((member.id, "\(member.id)'s manager \(manager) is not in the directory."))
            }
            var seen: Set<String> = [member.id]
            var current = member.managerID
            while let id = current, let next = byID[id] {
                if !seen.insert(id).inserted {
                    found.append((member.id, "The management chain above \(member.id) goes round in a circle (through \(id))."))
                    break
                }
                current = next.managerID
            }
        }
        return found
    }

    /// The member with this Unix login, if any.
    public func member(unixUser: String) -> Member? {
        idByUnixUser[unixUser].flatMap { members[$0] }
    }

    /// True when `manager` manages `member`, directly or through others.
    public func manages(_ manager: String, _ member: String) -> Bool {
        var seen: Set<String> = []
        var current = members[member]?.managerID
        while let id = current, seen.insert(id).inserted {
            if id == manager { return true }
            current = members[id]?.managerID
        }
        return false
    }
}

