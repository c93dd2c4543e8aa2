import Foundation
import Glibc

/// The locks a process holds on a store, as the kernel lists them in /proc/locks:
/// SpeakUp's writer turn (an exclusive `flock` on the store's folder) and SQLite's
/// write lock (a POSIX lock on byte 120 of the `-shm` file).
struct HeldLocks {
    /// The /proc/locks lines held (not waited for) by `pid` on the store's folder or its -shm file.
    let lines: [String]
    let holdsWriterTurn: Bool
    let holdsSQLiteWriteLock: Bool

    var holdsAny: Bool { holdsWriterTurn || holdsSQLiteWriteLock }

    init(pid: pid_t, store: String) {
        let folder = Self.identity(of: URL(fileURLWithPath: store).deletingLastPathComponent().path)
        let shm = Self.identity(of: store + "-shm")
        let table = (try? String(contentsOfFile: "/proc/locks", encoding: .utf8)) ?? ""
        var lines: [String] = []
        var turn = false
        var write = false
        for line in table.split(separator: "\n") where !line.contains("->") {
            // "1: FLOCK  ADVISORY  WRITE 1234 fd:00:131 0 EOF"
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 8, fields[4] == "\(pid)" else { continue }
            let file = String(fields[5])
            if let folder, file == folder, fields[1] == "FLOCK", fields[3] == "WRITE" {
                turn = true
                lines.append(String(line))
            } else if let shm, file == shm, fields[1] == "POSIX", fields[3] == "WRITE" {
                if fields[6] == "120" { write = true }
                lines.append(String(line))
            }
        }
        self.lines = lines
        holdsWriterTurn = turn
        holdsSQLiteWriteLock = write
    }

    /// A file's device and inode as /proc/locks writes them: "MAJOR:MINOR:INODE", the first two in hex.
    static func identity(of path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let device = UInt64(info.st_dev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        return String(format: "%02llx:%02llx:%llu", major, minor, UInt64(info.st_ino))
    }
}
