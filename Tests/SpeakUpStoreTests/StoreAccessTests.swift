import Foundation
import Glibc
import Testing
@testable import SpeakUpStore

/// The probe asked through a made-up file system, so the sentences are tested whoever runs the
/// tests (root ignores permission bits; CI runs as root).
@Suite("Store access: each reason a store cannot be read or written, in a sentence")
struct StoreAccessTests {
    /// A pretend file system: paths with their facts, what alice may do to each, free bytes.
    struct Disk {
        var files: [String: StoreAccess.FileFacts] = [
            "/x": .init(isFolder: true, owner: "root", group: "speakup", mode: 0o2770),
            "/x/speakup.sqlite": .init(isFolder: false, owner: "root", group: "speakup", mode: 0o660),
        ]
        /// path -> the modes refused there (R_OK, W_OK, X_OK bits), with the errno given.
        var refused: [String: (Int32, Int32)] = [:]
        var free: UInt64 = 10_000_000
        var denied: Set<String> = []

        var access: StoreAccess {
            let files = files, refused = refused, free = free, denied = denied
            return StoreAccess(system: .init(
                look: { path in
                    if denied.contains(path) { return .denied }
                    return files[path].map { .found($0) } ?? .missing
                },
                allows: { path, mode in
                    guard let (bits, error) = refused[path], bits & mode != 0 else { return 0 }
                    return error
                },
                freeBytes: { _ in free },
                login: { "alice" }))
        }
    }

    @Test("a store anyone in its group may use has no problem, to read or to write")
    func fine() {
        let access = Disk().access
        #expect(access.problem(at: "/x/speakup.sqlite", need: .read) == nil)
        #expect(access.problem(at: "/x/speakup.sqlite", need: .write) == nil)
    }

    @Test("an unreadable store names the login, the permission, whose file it is, and what to do")
    func unreadable() {
        var disk = Disk()
        disk.refused["/x/speakup.sqlite"] = (R_OK | W_OK, EACCES)
        let problem = disk.access.problem(at: "/x/speakup.sqlite", need: .read)
        #expect(problem?.kind == .noPermission)
        #expect(problem?.sentence == "SpeakUp cannot read the store at /x/speakup.sqlite: your login (alice) has no permission to read it (owner root, group speakup, mode 0660). Ask whoever looks after SpeakUp to add you to its group (speakup), or use --db for a store of your own.")
    }

    @Test("a store that can be read but not written is fine for reading, and refused for writing with a sentence")
    func unwritableFile() {
        var disk = Disk()
        disk.files["/x/speakup.sqlite"]?.mode = 0o440
        disk.refused["/x/speakup.sqlite"] = (W_OK, EACCES)
        #expect(disk.access.problem(at: "/x/speakup.sqlite", need: .read) == nil)
        let problem = disk.access.problem(at: "/x/speakup.sqlite", need: .write)
        #expect(problem?.kind == .noPermission)
        #expect(problem?.sentence.hasPrefix("SpeakUp can read the store at /x/speakup.sqlite but not write to it: your login (alice) has no permission to write to it (owner root, group speakup, mode 0440)") == true)
    }

    @Test("a folder that cannot be written stops a write (SQLite keeps its journal there), and a read with no index file yet")
    func unwritableFolder() {
        var disk = Disk()
        disk.files["/x"]?.mode = 0o555
        disk.refused["/x"] = (W_OK, EACCES)
        let write = disk.access.problem(at: "/x/speakup.sqlite", need: .write)
        #expect(write?.kind == .noPermission)
        #expect(write?.sentence.contains("no permission to write in its folder /x (owner root, group speakup, mode 0555), where SQLite keeps the store's journal") == true)
        let read = disk.access.problem(at: "/x/speakup.sqlite", need: .read)
        #expect(read?.sentence.hasPrefix("SpeakUp cannot read the store at /x/speakup.sqlite: your login (alice) has no permission to write in its folder /x") == true)
        // With the index already there (another terminal has the store open), reading works.
        disk.files["/x/speakup.sqlite-shm"] = .init(isFolder: false, owner: "root", group: "speakup", mode: 0o660)
        #expect(disk.access.problem(at: "/x/speakup.sqlite", need: .read) == nil)
    }

    @Test("a write-ahead log left unwritable stops a write")
    func unwritableLog() {
        var disk = Disk()
        disk.files["/x/speakup.sqlite-wal"] = .init(isFolder: false, owner: "bob", group: "bob", mode: 0o400)
        disk.refused["/x/speakup.sqlite-wal"] = (R_OK | W_OK, EACCES)
        #expect(disk.access.problem(at: "/x/speakup.sqlite", need: .write)?.sentence.contains("no permission to write to /x/speakup.sqlite-wal, its write-ahead log (owner bob, group bob, mode 0400)") == true)
    }

    @Test("your own file gets the chmod that mends it, not a request to IT")
    func yourOwn() {
        var disk = Disk()
        disk.files["/x/speakup.sqlite"] = .init(isFolder: false, owner: "alice", group: "alice", mode: 0o400)
        disk.refused["/x/speakup.sqlite"] = (W_OK, EACCES)
        #expect(disk.access.problem(at: "/x/speakup.sqlite", need: .write)?.sentence.hasSuffix("It is yours: `chmod u+rw` on it gives you the permission back, or use --db for another store.") == true)
    }

    @Test("a full disk is named, for a write only")
    func fullDisk() {
        var disk = Disk()
        disk.free = 4096
        #expect(disk.access.problem(at: "/x/speakup.sqlite", need: .read) == nil)
        let problem = disk.access.problem(at: "/x/speakup.sqlite", need: .write)
        #expect(problem?.kind == .diskFull)
        #expect(problem?.sentence == "The disk holding /x is full, so nothing can be saved there. Please free some space on it, or tell IT.")
        // A new store on a full disk too.
        #expect(disk.access.problem(at: "/x/new.sqlite", need: .write, createIfMissing: true)?.kind == .diskFull)
    }

    @Test("a disk mounted read-only is not called a permission")
    func readOnlyDisk() {
        var disk = Disk()
        disk.refused["/x/speakup.sqlite"] = (W_OK, EROFS)
        #expect(disk.access.problem(at: "/x/speakup.sqlite", need: .write)?.sentence == "The disk holding /x is mounted read-only, so nothing can be saved there. Please tell IT.")
    }

    @Test("a missing store, a missing folder, and a folder that will not take a new store")
    func missing() {
        var disk = Disk()
        #expect(disk.access.problem(at: "/x/other.sqlite", need: .read)?.sentence == "There is no SpeakUp store at /x/other.sqlite. Please check the path.")
        #expect(disk.access.problem(at: "/nope/s.sqlite", need: .read)?.sentence == "There is no SpeakUp store at /nope/s.sqlite: the folder /nope does not exist. Please check the path.")
        #expect(disk.access.problem(at: "/nope/s.sqlite", need: .write, createIfMissing: true)?.sentence == "SpeakUp cannot create a store at /nope/s.sqlite: the folder /nope does not exist.")
        #expect(disk.access.problem(at: "/x/other.sqlite", need: .write, createIfMissing: true) == nil)
        disk.refused["/x"] = (W_OK, EACCES)
        let problem = disk.access.problem(at: "/x/other.sqlite", need: .write, createIfMissing: true)
        #expect(problem?.kind == .noPermission)
        #expect(problem?.sentence.hasPrefix("SpeakUp cannot create a store at /x/other.sqlite: your login (alice) has no permission to write in the folder /x (owner root, group speakup, mode 2770).") == true)
    }

    @Test("a folder on the way that cannot be opened is named")
    func unreachable() {
        var disk = Disk()
        disk.files["/x"]?.mode = 0o2770
        disk.refused["/x"] = (X_OK | R_OK | W_OK, EACCES)
        disk.denied = ["/x/speakup.sqlite"]
        #expect(disk.access.problem(at: "/x/speakup.sqlite", need: .read)?.sentence.hasPrefix("SpeakUp cannot reach the store at /x/speakup.sqlite: your login (alice) has no permission to open the folder /x (owner root, group speakup, mode 2770).") == true)
    }

    @Test("the real probe asks with the effective ids: a file this process made is readable and writable, and the login is the real uid's")
    func realProbe() throws {
        let folder = TemporaryFolder()
        let path = folder.file()
        _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        #expect(StoreAccess().problem(at: path, need: .write) == nil)
        let name = getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) }
        #expect(StoreAccess.System.current.login() == name)
        setenv("USER", "mallory", 1)
        #expect(StoreAccess.System.current.login() == name)
    }
}
