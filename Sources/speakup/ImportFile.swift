import Foundation
import SpeakUpCore

/// Reading an import file, with line numbers for every problem.
///
/// The text is walked once as strict JSON (`JSONPositions`), which gives the line and column where
/// it stops being JSON, or else every value's place; JSONDecoder then gives the values, and a
/// problem found in a record is pointed at in the file through those places.
enum ImportFile {
    static func records(in bytes: Data, named file: String) throws(Failure) -> [ReportJSON.Record] {
        if let offset = firstInvalidUTF8(bytes) {
            throw Failure("\(file):\(line(atByte: offset, in: bytes)): this is not UTF-8 text (byte 0x\(String(bytes[bytes.startIndex + offset], radix: 16))). Please save the file as UTF-8.")
        }
        if bytes.allSatisfy({ " \n\r\t".utf8.contains($0) }) {
            throw Failure("\(file): The file holds no reports, so there is nothing to import.")
        }
        if case .failure(let problem) = JSONPositions.of(Array(bytes)) {
            throw Failure("\(file): this is not valid JSON: \(problem.sentence). Nothing was imported.")
        }
        // JSONPositions read past a byte-order mark; the decoder is given the text after it too.
        let bytes = bytes.starts(with: JSONPositions.byteOrderMark) ? Data(bytes.dropFirst(JSONPositions.byteOrderMark.count)) : bytes
        let decoder = JSONDecoder()
        if let many = try? decoder.decode([ReportJSON.Record].self, from: bytes) {
            guard !many.isEmpty else { throw Failure("\(file): The file holds no reports, so there is nothing to import.") }
            return many
        }
        if let one = try? decoder.decode(ReportJSON.Record.self, from: bytes) { return [one] }
        // Neither shape fits: say why, at the right line.
        let isArray = Self.isArray(bytes)
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
        let positions = (try? JSONPositions.of(Array(bytes)).get()) ?? [:]
        let isArray = Self.isArray(bytes)
        return problems.map { problem in
            // The value the problem is about, else the nearest value holding it.
            var path = (isArray ? [String(problem.record)] : []) + problem.path
            var place = positions[path]
            while place == nil, !path.isEmpty {
                path.removeLast()
                place = positions[path]
            }
            return "\(place.map { "\(file):\($0.line)" } ?? file): record \(problem.record + 1): \(problem.sentence)"
        }
    }

    private static func isArray(_ bytes: Data) -> Bool {
        bytes.first(where: { !" \n\r\t".utf8.contains($0) && !JSONPositions.byteOrderMark.contains($0) }) == UInt8(ascii: "[")
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
                // The walk above found the text to be JSON; Foundation did not.
                return "\(file): this is not JSON that SpeakUp can read (\(context.debugDescription)). Nothing was imported."
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
