import Foundation
import SpeakUpCore

/// Checks on a store's path that give a plain sentence before SQLite gives a code.
enum StoreLocation {
    static func checkOpenable(_ path: String, createIfMissing: Bool) throws(StoreError) {
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
