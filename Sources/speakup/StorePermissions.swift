import Foundation
import Glibc

/// The store must be closed to everyone but its owner and group: an installed
/// store's folder is 2770 root:speakup and its files 0660, a personal store's
/// files 0600. A store anyone else could open is refused before it is read.
enum StorePermissions {
    static func check(_ path: String, folderToo: Bool) throws(Failure) {
        if folderToo {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var info = stat()
            if stat(folder, &info) == 0, info.st_mode & 0o007 != 0 {
                throw Failure(
                    "SpeakUp will not start: the store's folder \(folder) is open to everyone (mode \(Deployment.octal(info.st_mode))), so anyone could read the reports in it. Please ask IT to run: chmod 2770 \(folder)",
                    code: 78)
            }
        }
        // A file that is not a database at all gets the store's own sentence ("not a SpeakUp store").
        guard isDatabase(path) else { return }
        for file in [path, path + "-wal", path + "-shm"] {
            var info = stat()
            guard stat(file, &info) == 0 else { continue }  // not there yet
            if info.st_mode & 0o007 != 0 {
                let fix = folderToo ? "chmod 660 \(file)" : "chmod 600 \(file)"
                throw Failure(
                    "SpeakUp will not start: the store file \(file) can be opened by everyone (mode \(Deployment.octal(info.st_mode))), so anyone could read the reports in it. Please run (or ask IT to run): \(fix)",
                    code: 78)
            }
        }
    }

    private static func isDatabase(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return true }  // let the store say why
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\u{0}".utf8)
    }
}
