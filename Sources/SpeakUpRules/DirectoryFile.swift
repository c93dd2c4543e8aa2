import Foundation
import CSV
import SpeakUpCore

/// Reading `speakup directory import FILE.csv`: checked whole before anything is kept.
///
/// Columns (a header row, in any order): staff_id, name, unix_user, role,
/// seniority, manager_id, ward, and optionally known_as (other names the person
/// goes by, separated by semicolons: "Bill; Billy"). Line numbers count records from the header
/// (line 1); they match the file's lines unless a quoted field holds a line break.
public enum DirectoryFile {
    public static let columns = ["staff_id", "name", "unix_user", "role", "seniority", "manager_id", "ward"]
    /// Columns a file may have, or not.
    public static let optionalColumns = ["known_as"]

    /// The names in a `known_as` field: separated by semicolons, blanks dropped.
    public static func knownAs(_ field: String) -> [String] {
        field.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// One problem in the file.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var sentence: String
        public var description: String { "\(line): \(sentence)" }
    }

    public static func members(from text: String) -> Result<[StaffMember], DirectoryProblems> {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            return .failure(DirectoryProblems(all: [Problem(line: 1, sentence: text.isBlank
                ? "The file is empty; it needs a header row (\(columns.joined(separator: ", "))) and a row for each person."
                : "This is not a CSV file SpeakUp can read (\(error)).")]))
        }
        let header = (reader.headerRow ?? []).map { $0.lowercased() }
        let missing = columns.filter { !header.contains($0) }
        if !missing.isEmpty {
            return .failure(DirectoryProblems(all: [Problem(line: 1, sentence: "The header row needs the columns \(columns.joined(separator: ", ")); missing: \(missing.joined(separator: ", ")).")]))
        }
        var problems: [Problem] = []
        var members: [StaffMember] = []
        var lineOf: [String: Int] = [:]
        var loginLine: [String: Int] = [:]
        var line = 1
        while let row = reader.next() {
            line += 1
            func field(_ name: String) -> String {
                guard let index = header.firstIndex(of: name), index < row.count else { return "" }
                return row[index]
            }
            if row.count != header.count {
                problems.append(Problem(line: line, sentence: "This row has \(row.count.counted("field")); the header has \(header.count)."))
                continue
            }
            let id = field("staff_id")
            if id.isEmpty { problems.append(Problem(line: line, sentence: "staff_id is empty.")) }
            if field("name").isBlank { problems.append(Problem(line: line, sentence: "name is empty.")) }
            let seniorityText = field("seniority")
            let seniority = Seniority(rawValue: seniorityText)
            if seniority == nil {
                problems.append(Problem(line: line, sentence: "\"\(seniorityText)\" is not a seniority (student, staff, practitioner, senior-practitioner, manager, senior-clinician, director, executive, chief-executive, board, unknown)."))
            }
            if let earlier = lineOf[id], !id.isEmpty {
                problems.append(Problem(line: line, sentence: "The staff id \(id) is already on line \(earlier)."))
                continue
            }
            lineOf[id] = line
            let login = field("unix_user")
            if !login.isEmpty, let other = loginLine[login] {
                problems.append(Problem(line: line, sentence: "The login \(login) is already given to someone on line \(other); each login belongs to one person."))
            } else if !login.isEmpty {
                loginLine[login] = line
            }
            members.append(StaffMember(
                id: id, name: field("name"), unixUser: field("unix_user").isEmpty ? nil : field("unix_user"), role: field("role"),
                seniority: seniority ?? .unknown, managerID: field("manager_id").isEmpty ? nil : field("manager_id"), ward: field("ward"),
                knownAs: knownAs(field("known_as"))))
        }
        if let error = reader.error {
            problems.append(Problem(line: line + 1, sentence: "The CSV breaks here: \(error)."))
        }
        for (id, sentence) in StaffDirectory.problems(in: members) where !sentence.contains("appears more than once") {
            problems.append(Problem(line: lineOf[id] ?? 1, sentence: sentence))
        }
        if members.isEmpty && problems.isEmpty {
            problems.append(Problem(line: 1, sentence: "The file lists no staff."))
        }
        return problems.isEmpty ? .success(members) : .failure(DirectoryProblems(all: problems.sorted { $0.line < $1.line }))
    }
}

/// Every problem found in a directory file.
public struct DirectoryProblems: Error, Hashable, Sendable {
    public var all: [DirectoryFile.Problem]
}
