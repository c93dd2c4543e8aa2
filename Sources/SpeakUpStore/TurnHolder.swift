import Foundation
import Glibc

/// Who holds the store, for `speakup check` and an administrator looking for a stuck terminal.
///
/// Each writer notes itself in the turn record (`<store>-turn`, beside the store: its
/// process and since when) as it takes the turn, and wipes the record as it lets go. The record alone could be stale, so
/// what counts is the kernel's own list of locks (/proc/locks): a holder is a process
/// that holds the turn (an flock on the store's folder) or SQLite's write lock (on the
/// store's -shm file) right now; the record adds since when, if it names that process.
public struct TurnHolder: Hashable, Sendable {
    /// What the process holds.
    public enum Hold: String, Hashable, Sendable {
        /// SpeakUp's turn to write (the folder lock).
        case turn
        /// SQLite's own write lock: while it is held, no terminal can save.
        case sqliteWrite
    }

    public var hold: Hold
    public var pid: Int32
    /// The process's real user, as the kernel has it.
    public var uid: UInt32?
    /// When it took the turn, from the turn record (only when the record names this process).
    public var since: Date?
    /// Whether the process is stopped (SIGSTOP, or a debugger): it will not let go by itself.
    public var stopped: Bool

    /// The turn record's path for a store.
    public static func recordPath(forStore store: String) -> String { store + "-turn" }

    /// Every process holding the store at `storePath` now, turn holders first.
    public static func current(storePath given: String) -> [TurnHolder] {
        // Where the writers lock: the real file's folder, links followed (see WriterTurn).
        let storePath = URL(fileURLWithPath: given).resolvingSymlinksInPath().path
        let folder = URL(fileURLWithPath: storePath).deletingLastPathComponent().path
        guard let locks = Self.readWhole("/proc/locks") else { return [] }
        let record = TurnRecord.read(path: recordPath(forStore: storePath))
        var holders: [TurnHolder] = []
        for line in locks.split(separator: "\n") {
            guard let lock = KernelLock(line) else { continue }
            let hold: Hold
            if lock.kind == "FLOCK", lock.write, Self.identity(folder).map(lock.isOn) == true {
                hold = .turn
            } else if lock.kind == "POSIX", lock.write, lock.start == 120, Self.identity(storePath + "-shm").map(lock.isOn) == true {
                // SQLite's WAL write lock is the first lock byte of the -shm file (offset 120).
                hold = .sqliteWrite
            } else {
                continue
            }
            let since = record?.pid == lock.pid ? record?.since : nil
            holders.append(TurnHolder(hold: hold, pid: lock.pid, uid: Self.owner(of: lock.pid), since: since, stopped: Self.isStopped(lock.pid)))
        }
        return holders.sorted { ($0.hold == .turn ? 0 : 1, $0.pid) < ($1.hold == .turn ? 0 : 1, $1.pid) }
    }

    /// A file of /proc read to its end: its size says 0, and a single read can stop at a page.
    static func readWhole(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private static func identity(_ path: String) -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    private static func owner(of pid: Int32) -> UInt32? {
        guard let status = readWhole("/proc/\(pid)/status"),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") })
        else { return nil }
        return line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap { UInt32($0) }
    }

    private static func isStopped(_ pid: Int32) -> Bool {
        guard let stat = readWhole("/proc/\(pid)/stat"),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state == "T" || state == "t"
    }
}

/// One line of /proc/locks, such as `1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF`.
struct KernelLock {
    var kind: Substring
    var write: Bool
    var pid: Int32
    var major: UInt64
    var minor: UInt64
    var inode: UInt64
    var start: UInt64

    init?(_ line: Substring) {
        var fields = line.split(separator: " ", omittingEmptySubsequences: true)
        if fields.first?.hasSuffix(":") == true { fields.removeFirst() }
        // A waiter's line starts "->": it does not hold the lock.
        guard fields.count >= 7, fields[0] != "->" else { return nil }
        let device = fields[4].split(separator: ":")
        guard let pid = Int32(fields[3]), device.count == 3,
            let major = UInt64(device[0], radix: 16), let minor = UInt64(device[1], radix: 16), let inode = UInt64(device[2]),
            let start = UInt64(fields[5])
        else { return nil }
        kind = fields[0]
        write = fields[2] == "WRITE"
        self.pid = pid
        self.major = major
        self.minor = minor
        self.inode = inode
        self.start = start
    }

    /// Whether the lock is on the file with this device and inode.
    func isOn(_ file: (device: UInt64, inode: UInt64)) -> Bool {
        // glibc's encoding of a dev_t: the minor's low byte, then the major, then the minor's rest.
        let major = ((file.device >> 8) & 0xfff) | ((file.device >> 32) & 0xffff_f000)
        let minor = (file.device & 0xff) | ((file.device >> 12) & 0xffff_ff00)
        return file.inode == inode && major == self.major && minor == self.minor
    }
}

/// The turn record: who last took the turn, as that writer wrote it.
struct TurnRecord: Equatable {
    var pid: Int32
    var since: Date

    /// Fixed length, so a new record always covers the old one whole.
    static let length = 64

    var line: String {
        let text = "pid=\(pid) since=\(Int64(since.timeIntervalSince1970))"
        return text.padding(toLength: Self.length - 1, withPad: " ", startingAt: 0) + "\n"
    }

    init(pid: Int32, since: Date) {
        self.pid = pid
        self.since = since
    }

    init?(line: String) {
        var values: [String: Int64] = [:]
        for field in line.split(whereSeparator: \.isWhitespace) {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Int64(parts[1]) { values[String(parts[0])] = value }
        }
        guard let pid = values["pid"].flatMap(Int32.init(exactly:)),
            let since = values["since"]
        else { return nil }
        self.init(pid: pid, since: Date(timeIntervalSince1970: TimeInterval(since)))
    }

    static func read(path: String) -> TurnRecord? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: length), let text = String(data: data, encoding: .utf8) else { return nil }
        return TurnRecord(line: text)
    }
}
