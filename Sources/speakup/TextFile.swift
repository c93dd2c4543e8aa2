import Foundation

/// Reading a text file a person named on the command line, with the sentence to
/// give when it cannot be read.
enum TextFile {
    /// `notText` is the exit code for a file that is not UTF-8, if it differs from `code`.
    static func read(_ path: String, code: Int32 = 1, notText: Int32? = nil, what: String = "file") throws(Failure) -> String {
        // Opened as the person, not with the installed group: they name only files they may read.
        guard let bytes = GroupPrivilege.withoutGroup({ FileManager.default.contents(atPath: path) }) else {
            throw Failure("SpeakUp cannot read \(path). Please check that it exists and that you may read it.", code: code)
        }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw Failure("\(path): this is not UTF-8 text. Please save the \(what) as UTF-8.", code: notText ?? code)
        }
        return text
    }
}
