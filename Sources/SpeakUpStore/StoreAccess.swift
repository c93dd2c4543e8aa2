import Foundation
import Glibc
import SpeakUpCore

/// Whether this process, with the privileges it runs with, can read the store at a path, or read and
/// write it, asked before anything opens it, and the answer in a sentence naming what is wrong: the
/// missing folder or file, the permission and whose it is, a disk that is full or mounted read-only.
///
/// SQLite writes a journal beside the store while it saves, so writing needs the folder to be
/// writable as well as the file. Permissions are asked with the *effective* ids (`faccessat` with
/// `AT_EACCESS`), which are what an installed, setgid SpeakUp opens the store with; `access(2)`
/// would ask about the real ids. The login named is the real uid's, never `$USER`.
public struct StoreAccess: Sendable {
    /// What a command will do with the store.
    public enum Need: Sendable {
        /// Only read it: export, statistics, checks.
        case read
        /// Save into it: a form, an import, a tick.
        case write
    }

    /// What stands in the way, as a value with its sentence.
    public struct Problem: Hashable, Sendable, Error, CustomStringConvertible {
        public enum Kind: Hashable, Sendable {
            /// The file, or a folder on its path, is not there.
            case missing
            /// The permissions keep this login out.
            case noPermission
            /// The disk has no room, or is mounted read-only.
            case diskFull
        }

        public var kind: Kind
        public var sentence: String
        public var description: String { sentence }
    }

    /// One file's facts, as `stat` gives them, with the owner and group by name.
    public struct FileFacts: Hashable, Sendable {
        public var isFolder: Bool
        public var owner: String
        public var group: String
        public var mode: mode_t

        public init(isFolder: Bool, owner: String, group: String, mode: mode_t) {
            self.isFolder = isFolder
            self.owner = owner
            self.group = group
            self.mode = mode
        }
    }

    /// What `stat` found at a path.
    public enum Look: Hashable, Sendable {
        case found(FileFacts)
        case missing
        /// A folder on the way cannot be searched.
        case denied
    }

    /// The questions asked of the system; tests give their own answers.
    public struct System: Sendable {
        public var look: @Sendable (String) -> Look
        /// 0 when this process may (R_OK, W_OK, X_OK, with its effective ids), else the errno.
        public var allows: @Sendable (String, Int32) -> Int32
        /// Bytes free for this process on the disk holding the path, if known.
        public var freeBytes: @Sendable (String) -> UInt64?
        /// The real uid's login name.
        public var login: @Sendable () -> String

        public init(
            look: @escaping @Sendable (String) -> Look, allows: @escaping @Sendable (String, Int32) -> Int32,
            freeBytes: @escaping @Sendable (String) -> UInt64?, login: @escaping @Sendable () -> String
        ) {
            self.look = look
            self.allows = allows
            self.freeBytes = freeBytes
            self.login = login
        }

        /// The running process's own answers.
        public static let current = System(
            look: { path in
                var info = stat()
                guard stat(path, &info) == 0 else { return errno == EACCES ? .denied : .missing }
                let owner = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(info.st_uid)"
                let group = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) } ?? "gid \(info.st_gid)"
                return .found(FileFacts(isFolder: info.st_mode & S_IFMT == S_IFDIR, owner: owner, group: group, mode: info.st_mode))
            },
            allows: { path, mode in faccessat(AT_FDCWD, path, mode, AT_EACCESS) == 0 ? 0 : errno },
            freeBytes: { path in
                var disk = statvfs()
                guard statvfs(path, &disk) == 0 else { return nil }
                return UInt64(disk.f_bavail) * UInt64(disk.f_frsize)
            },
            login: { getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(getuid())" })
    }

    /// Below this much free space a save is refused before it starts: a report, its events, the
    /// audit record and the write-ahead log's frames take a few pages each.
    public static let minimumFreeBytes: UInt64 = 256 * 1024

    public let system: System

    public init(system: System = .current) {
        self.system = system
    }

    /// Why the store at `path` cannot be used for `need`, or nil when nothing is in the way.
    /// `createIfMissing`: a missing file is made, so its folder must take it.
    /// A path that is a folder, a pipe or a device is left to `StoreLocation`'s sentences.
    public func problem(at path: String, need: Need, createIfMissing: Bool = false) -> Problem? {
        let folder = Self.folder(of: path)
        switch system.look(path) {
        case .denied:
            return unreachable(path)
        case .missing:
            switch system.look(folder) {
            case .denied:
                return unreachable(path)
            case .missing:
                return createIfMissing
                    ? Problem(kind: .missing, sentence: "SpeakUp cannot create a store at \(path): the folder \(folder) does not exist.")
                    : Problem(kind: .missing, sentence: "There is no SpeakUp store at \(path): the folder \(folder) does not exist. Please check the path.")
            case .found(let facts) where !facts.isFolder:
                return Problem(kind: .missing, sentence: "SpeakUp cannot use a store at \(path): \(folder) is not a folder.")
            case .found(let facts):
                guard createIfMissing else {
                    return Problem(kind: .missing, sentence: "There is no SpeakUp store at \(path). Please check the path.")
                }
                if let refused = refusal(folder, W_OK | X_OK) {
                    if refused == EROFS { return readOnlyDisk(folder) }
                    return Problem(kind: .noPermission, sentence:
                        "SpeakUp cannot create a store at \(path): your login (\(system.login())) has no permission to write in the folder \(folder) (\(Self.describe(facts))). \(advice(facts))")
                }
                return fullDisk(folder)
            }
        case .found(let facts):
            if facts.isFolder { return nil }
            if refusal(path, R_OK) != nil {
                return Problem(kind: .noPermission, sentence:
                    "SpeakUp cannot read the store at \(path): your login (\(system.login())) has no permission to read it (\(Self.describe(facts))). \(advice(facts))")
            }
            guard need == .write else {
                // SQLite keeps a shared index beside a store in WAL mode even to read it (path-shm); with none
                // there yet, it must be able to make one.
                if case .missing = system.look(path + "-shm"), case .found(let folderFacts) = system.look(folder),
                    refusal(folder, W_OK | X_OK) != nil {
                    return Problem(kind: .noPermission, sentence:
                        "SpeakUp cannot read the store at \(path): your login (\(system.login())) has no permission to write in its folder \(folder) (\(Self.describe(folderFacts))), and SQLite must keep a small index file beside the store (\(path)-shm) even to read it. \(advice(folderFacts))")
                }
                return nil
            }
            if let refused = refusal(path, W_OK) {
                if refused == EROFS { return readOnlyDisk(folder) }
                return Problem(kind: .noPermission, sentence:
                    "SpeakUp can read the store at \(path) but not write to it: your login (\(system.login())) has no permission to write to it (\(Self.describe(facts))), so nothing could be saved. \(advice(facts))")
            }
            if case .found(let folderFacts) = system.look(folder), let refused = refusal(folder, W_OK | X_OK) {
                if refused == EROFS { return readOnlyDisk(folder) }
                return Problem(kind: .noPermission, sentence:
                    "SpeakUp can read the store at \(path) but not save into it: your login (\(system.login())) has no permission to write in its folder \(folder) (\(Self.describe(folderFacts))), where SQLite keeps the store's journal while it saves, so nothing could be saved. \(advice(folderFacts))")
            }
            // The write-ahead log and its index, when left by an earlier run, are written too.
            for companion in [path + "-wal", path + "-shm"] {
                guard case .found(let companionFacts) = system.look(companion), refusal(companion, R_OK | W_OK) != nil else { continue }
                return Problem(kind: .noPermission, sentence:
                    "SpeakUp can read the store at \(path) but not save into it: your login (\(system.login())) has no permission to write to \(companion), its write-ahead log (\(Self.describe(companionFacts))), so nothing could be saved. \(advice(companionFacts))")
            }
            return fullDisk(folder)
        }
    }

    /// The folder holding `path` ("." for a bare name).
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// "owner alice, group speakup, mode 0640".
    static func describe(_ facts: FileFacts) -> String {
        let octal = String(facts.mode & 0o7777, radix: 8)
        return "owner \(facts.owner), group \(facts.group), mode \(String(repeating: "0", count: max(0, 4 - octal.count)) + octal)"
    }

    private func refusal(_ path: String, _ mode: Int32) -> Int32? {
        let answer = system.allows(path, mode)
        return answer == 0 ? nil : answer
    }

    /// What to do: your own file you can mend; anyone else's, its group can let you in.
    private func advice(_ facts: FileFacts) -> String {
        facts.owner == system.login()
            ? "It is yours: `chmod \(facts.isFolder ? "u+rwx" : "u+rw")` on it gives you the permission back, or use --db for another store."
            : "Ask whoever looks after SpeakUp to add you to its group (\(facts.group)), or use --db for a store of your own."
    }

    /// The first folder on the way to `path` that this login may not open.
    private func unreachable(_ path: String) -> Problem {
        var folder = Self.folder(of: path)
        var blocked = folder
        while true {
            if case .found = system.look(folder), refusal(folder, X_OK) != nil { blocked = folder }
            guard folder != "/" && folder != "." else { break }
            folder = Self.folder(of: folder)
        }
        let facts: String = if case .found(let found) = system.look(blocked) { " (\(Self.describe(found)))" } else { "" }
        return Problem(kind: .noPermission, sentence:
            "SpeakUp cannot reach the store at \(path): your login (\(system.login())) has no permission to open the folder \(blocked)\(facts). Ask whoever looks after SpeakUp for access, or use --db for a store of your own.")
    }

    private func fullDisk(_ folder: String) -> Problem? {
        guard let free = system.freeBytes(folder), free < Self.minimumFreeBytes else { return nil }
        return Problem(kind: .diskFull, sentence: "The disk holding \(folder) is full, so nothing can be saved there. Please free some space on it, or tell IT.")
    }

    private func readOnlyDisk(_ folder: String) -> Problem {
        Problem(kind: .diskFull, sentence: "The disk holding \(folder) is mounted read-only, so nothing can be saved there. Please tell IT.")
    }
}
