import Foundation
import SpeakUpCore

/// Checks on a store's path that give a plain sentence before SQLite gives a code.
public enum StoreLocation {
    /// Why `path` cannot be a store because of what it is (a named pipe, a device, a socket), or nil.
    /// Asked before anything opens it: opening a named pipe waits for a writer that never comes, and
    /// SQLite would make its journal beside a device (`/dev/null-journal`).
    public static func notAFileProblem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }  // not there (yet): other checks say so
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        case S_IFIFO: kind = "a named pipe"
        case S_IFCHR, S_IFBLK: kind = "a device"
        case S_IFSOCK: kind = "a socket"
        default: kind = "not an ordinary file"
        }
        return "\(path) is \(kind), not a file, so it cannot be a SpeakUp store. Please give the path of a store file, such as ~/speakup.sqlite."
    }

    static func checkOpenable(_ path: String, createIfMissing: Bool) throws(StoreError) {
        if let problem = notAFileProblem(path) { throw StoreError(.cannotOpen, problem) }
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue {
                throw StoreError(.cannotOpen, "\(path) is a folder. Please give the path of a store file inside it, such as \(path)/speakup.sqlite.")
            }
            return
        }
        guard createIfMissing else {
            throw StoreError(.missing, "There is no SpeakUp store at \(path). Please check the path.")
        }
        let folder = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? ""
        let parent = folder.isEmpty ? "." : folder
        if !files.fileExists(atPath: parent, isDirectory: &isDirectory) {
            throw StoreError(.cannotOpen, "SpeakUp cannot create a store at \(path): the folder \(parent) does not exist.")
        }
        if !isDirectory.boolValue {
            throw StoreError(.cannotOpen, "SpeakUp cannot create a store at \(path): \(parent) is not a folder.")
        }
    }
}
