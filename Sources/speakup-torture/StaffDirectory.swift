import Foundation
import SpeakUpCore

/// A staff directory to import (`speakup directory import FILE`), and the rows
/// it must leave in the store's `staff` table.
struct StaffList {
    /// One person, as the store keeps them (the `staff` table's columns).
    struct Person: Codable, Hashable {
        var id: String
        var name: String
        var unixUser: String?
        var role: String
        var seniority: String
        var managerID: String?
        var ward: String?
        var knownAs: String?

        enum CodingKeys: String, CodingKey {
            case id, name, unixUser = "unix_user", role, seniority, managerID = "manager_id", ward, knownAs = "known_as"
        }
    }

    let people: [Person]

    /// `count` people in one management chain tree, every id starting with `tag`, so
    /// the store's table shows at a glance which directory it holds.
    static func make(_ count: Int, tag: String, random: inout SeededRandom) -> StaffList {
        let first = ["Zoë", "Ángel", "王芳", "Siobhán", "Jürgen", "Ada", "Omar", "Mary-Jane", "Åsa", "Kwame", "Priya", "O'Neil"]
        let last = ["Smith", "Núñez", "Okafor", "Ní Bhriain", "Weiß", "Quill", "Al-Farsi", "Lindqvist", "Mensah", "Shah", "Li, Jr."]
        let roles = ["Chief Executive", "Director of Nursing", "Ward Manager", "Staff Nurse", "Consultant", "Porter", "Student Nurse"]
        var people: [Person] = []
        for index in 0..<count {
            let name = "\(first[Int.random(in: 0..<first.count, using: &random)]) \(last[Int.random(in: 0..<last.count, using: &random)]) \(index)"
            people.append(Person(
                id: "\(tag)-\(index)",
                name: name,
                unixUser: random.fraction() < 0.5 ? "\(tag.lowercased())u\(index)" : nil,
                role: index == 0 ? "Chief Executive" : roles[Int.random(in: 1..<roles.count, using: &random)],
                seniority: index == 0 ? "chief-executive" : Seniority.allCases[Int.random(in: 0..<(Seniority.allCases.count - 1), using: &random)].rawValue,
                managerID: index == 0 ? nil : "\(tag)-\(Int.random(in: 0..<index, using: &random))",
                ward: random.fraction() < 0.7 ? "Ward \(Int.random(in: 1...30, using: &random))" : "",
                knownAs: random.fraction() < 0.2 ? "\(name.split(separator: " ")[0])ie; Doc \(index)" : ""))
        }
        return StaffList(people: people)
    }

    /// The CSV file: a header row, then one row per person, quoted where needed.
    var csv: Data {
        var lines = ["staff_id,name,unix_user,role,seniority,manager_id,ward,known_as"]
        for person in people {
            lines.append([person.id, person.name, person.unixUser ?? "", person.role, person.seniority, person.managerID ?? "",
                          person.ward ?? "", person.knownAs ?? ""].map(Self.quoted).joined(separator: ","))
        }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Whether the store's rows are exactly these people (byte for byte).
    func isExactly(_ rows: [Person]) -> Bool {
        guard rows.count == people.count else { return false }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func bytes(_ list: [Person]) -> Data? { try? encoder.encode(list.sorted { Array($0.id.utf8).lexicographicallyPrecedes(Array($1.id.utf8)) }) }
        return bytes(rows) == bytes(people)
    }

    /// The store's `staff` table, read with sqlite3.
    static func stored(in db: String, sqlite: SQLiteShell) -> Result<[Person], TortureError> {
        switch sqlite.json(db, "SELECT id, name, unix_user, role, seniority, manager_id, ward, known_as FROM staff") {
        case .failure(let error): return .failure(error)
        case .success(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return .success([]) }
            do { return .success(try JSONDecoder().decode([Person].self, from: Data(trimmed.utf8))) } catch {
                return .failure(TortureError("sqlite3 -json gave rows this suite cannot read: \(error)"))
            }
        }
    }
}
