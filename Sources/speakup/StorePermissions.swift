import Foundation
import Glibc
import SpeakUpStore

/// The store must be closed to everyone but its owner and group: an installed
/// store's folder is 2770 root:speakup and its files 0660, a personal store's
/// files 0600. A store anyone else could open is refused before it is read.
enum StorePermissions {
    static func check(_ path: String, folderToo: Bool) throws(Failure) {
        // Before anything opens it: a named pipe would hold the program forever.
        if let problem = StoreLocation.notAFileProblem(path) { throw Failure(problem, code: 64) }
        if folderToo {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var info = stat()
            if stat(folder, &info) == 0, let group = installedGroup, info.st_uid != 0 || info.st_gid != group {
                throw Failure(
                    "SpeakUp will not start: the store's folder \(folder) should belong to root and the \(groupName(group)) group, so that only the program reaches it. Please ask IT to run: chown root:\(groupName(group)) \(folder) && chmod 2770 \(folder)",
                    code: 78)
            }
            if stat(folder, &info) == 0, info.st_mode & 0o007 != 0 {
                throw Failure(
                    "SpeakUp will not start: the store's folder \(folder) is open to everyone (mode \(Deployment.octal(info.st_mode))), so anyone could read the reports in it. Please ask IT to run: chmod 2770 \(folder)",
                    code: 78)
            }
        }
        // A file that is not a database at all gets the store's own sentence ("not a SpeakUp store").
        guard isDatabase(path) else { return }
        // A shared store's files are for its group; a personal store's for its owner alone.
        let closedBits: mode_t = folderToo ? 0o007 : 0o077
        for file in [path, path + "-wal", path + "-shm"] {
            var info = stat()
            guard stat(file, &info) == 0 else { continue }  // not there yet
            if folderToo, let group = installedGroup, info.st_gid != group {
                throw Failure(
                    "SpeakUp will not start: the store file \(file) belongs to another group than the program's, so it cannot be trusted to be closed to staff. Please ask IT to run: chgrp \(groupName(group)) \(file)",
                    code: 78)
            }
            if info.st_mode & closedBits != 0 {
                let fix = folderToo ? "chmod 660 \(file)" : "chmod 600 \(file)"
                throw Failure(
                    "SpeakUp will not start: the store file \(file) can be opened by \(folderToo ? "everyone" : "people other than you") (mode \(Deployment.octal(info.st_mode))), so they could read the reports in it. Please run (or ask IT to run): \(fix)",
                    code: 78)
            }
        }
    }

    /// The group the installed binary runs with (its setgid group), or, for root, the `speakup` group.
    private static var installedGroup: gid_t? {
        if GroupPrivilege.isElevated { return getegid() }
        return getgrnam("speakup").map { $0.pointee.gr_gid }
    }

    private static func groupName(_ group: gid_t) -> String {
        getgrgid(group).map { String(cString: $0.pointee.gr_name) } ?? String(group)
    }

    private static func isDatabase(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return true }  // let the store say why
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\u{0}".utf8)
    }
}
