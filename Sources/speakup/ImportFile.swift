import Foundation
import SpeakUpCore
import Yams

/// Reading an import file, with line numbers for every problem.
///
/// JSONDecoder gives the values; the same text composed as YAML (of which JSON
/// is a subset) gives each value's line, so a problem found in a record can be
/// pointed at in the file.
enum ImportFile {
    static func records(in bytes: Data, named file: String) throws(Failure) -> [ReportJSON.Record] {
        if let offset = firstInvalidUTF8(bytes) {
            throw Failure("\(file):\(line(atByte: offset, in: bytes)): this is not UTF-8 text (byte 0x\(String(bytes[bytes.startIndex + offset], radix: 16))). Please save the file as UTF-8.")
        }
        let decoder = JSONDecoder()
        if let many = try? decoder.decode([ReportJSON.Record].self, from: bytes) { return many }
        if let one = try? decoder.decode(ReportJSON.Record.self, from: bytes) { return [one] }
        // Neither shape fits: say why, at the right line.
        let isArray = bytes.first(where: { !" \n\r\t".utf8.contains($0) }) == UInt8(ascii: "[")
        do {
            if isArray { _ = try decoder.decode([ReportJSON.Record].self, from: bytes) } else { _ = try decoder.decode(ReportJSON.Record.self, from: bytes) }
        } catch let error as DecodingError {
            throw Failure(describe(error, isArray: isArray, in: bytes, named: file))
        } catch {
            throw Failure("\(file): \(error.localizedDescription)")
        }
        throw Failure("\(file): this is not a SpeakUp export (a report, or an array of reports).")
    }

    /// "FILE:LINE: sentence" for each problem.
    static func lines(for problems: [ReportImport.Problem], in bytes: Data, named file: String) -> [String] {
        let root = try? Yams.compose(yaml: String(decoding: bytes, as: UTF8.self))
        let isArray = root?.sequence != nil
        return problems.map { problem in
            let node = locate(root, record: problem.record, path: problem.path, isArray: isArray)
            let place = node?.mark.map { "\(file):\($0.line)" } ?? "\(file)"
            return "\(place): record \(problem.record + 1): \(problem.sentence)"
        }
    }

    /// What a value of the wrong type should have been, in words.
    private static func expected(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, _), .valueNotFound(let type, _):
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list in brackets, [ … ]" }
            if name.contains("Int") { return "a whole number" }
            if name.contains("String") { return "text in quotes" }
            if name.contains("Dictionary") || name.contains("Record") { return "an object in braces, { … }" }
            return "a value of another kind (see docs/export-format.md)"
        default:
            return "a value of another kind (see docs/export-format.md)"
        }
    }

    private static func describe(_ error: DecodingError, isArray: Bool, in bytes: Data, named file: String) -> String {
        let (path, sentence): ([CodingKey], String)
        switch error {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                // JSONSerialization says where the text stops being JSON.
                var place = ""
                do { _ = try JSONSerialization.jsonObject(with: bytes) } catch {
                    let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
                    if let offset = detail.firstMatch(of: /character (\d+)/).flatMap({ Int($0.output.1) }) {
                        place = ":\(line(atByte: min(offset, bytes.count), in: bytes))"
                    }
                }
                return "\(file)\(place): this is not valid JSON here (a missing comma, quote or bracket?). Nothing was imported."
            }
            (path, sentence) = (context.codingPath, context.debugDescription)
        case .keyNotFound(let key, let context):
            (path, sentence) = (context.codingPath, "\(key.stringValue) is missing.")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let keys = context.codingPath.filter { $0.intValue == nil }
            if keys.isEmpty {
                // The record itself is not an object (null, a number, a list): Foundation's own words would not help.
                return "\(file): \(isArray ? "record \((context.codingPath.first?.intValue ?? 0) + 1) is" : "this is") not a report (an object in braces, { … }). Nothing was imported."
            }
            (path, sentence) = (context.codingPath, "\(keys.last?.stringValue ?? "a value") has the wrong type: it should be \(Self.expected(error)).")
        @unknown default:
            return "\(file): \(error)"
        }
        var keys = path.map { $0.intValue.map(String.init) ?? $0.stringValue }
        var record = 0
        if isArray, let first = keys.first, let index = Int(first) {
            record = index
            keys.removeFirst()
        }
        let field = keys.last { Int($0) == nil } ?? "a value"
        let value = sentence.firstMatch(of: /invalid String value (.*)$/).map { "\"\($0.output.1)\" " } ?? ""
        let message = sentence.contains("Cannot initialize")
            ? "\(field): \(value)is not a value SpeakUp knows. The values are listed in docs/export-format.md."
            : sentence
        return lines(for: [ReportImport.Problem(record: record, path: keys, sentence: message)], in: bytes, named: file)[0]
            + "\nNothing was imported."
    }

    private static func locate(_ root: Node?, record: Int, path: [String], isArray: Bool) -> Node? {
        var node = isArray ? root?.sequence.flatMap { record < $0.count ? $0[record] : nil } : root
        for key in path {
            guard let current = node else { break }
            if let sequence = current.sequence, let index = Int(key) {
                node = index < sequence.count ? sequence[index] : current
            } else if let mapping = current.mapping {
                node = mapping.first { $0.key.string == key }?.value ?? current
            }
        }
        return node
    }

    private static func firstInvalidUTF8(_ bytes: Data) -> Int? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    private static func line(atByte offset: Int, in bytes: Data) -> Int {
        bytes.prefix(offset).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}
