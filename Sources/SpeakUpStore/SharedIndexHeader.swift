import Foundation

/// Whether SQLite's shared index of the store's log (the `-shm` file) is in order, read from its
/// header without SQLite.
///
/// The first terminal to look at a store after every terminal has closed it (or after one was killed
/// mid-write) rebuilds that index, holding SQLite's write lock while it does. Stopped there (SIGSTOP), it
/// would leave every other terminal in SQLite's own retries, which keep no deadline and end, after some
/// ten seconds, in "locking protocol" (`make torture`, stopped-holder). So a store whose index is not in
/// order is first looked at in the writers' turn (`SQLiteReportStore.init`), whose waits keep their
/// deadline and whose holder `speakup check` names.
enum SharedIndexHeader {
    /// The two copies of SQLite's wal-index header at the start of the file (48 bytes each) are the same,
    /// marked initialised (byte 12) and of the version SQLite writes (3007000). A missing or short file is
    /// not in order. (SQLite checks the header's checksum too; equal copies marked initialised are what a
    /// rebuild leaves last, so a rebuild stopped half-way is seen as out of order.)
    static func isInOrder(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let bytes = try? handle.read(upToCount: 96), bytes.count == 96 else { return false }
        let header = [UInt8](bytes)
        let first = header[0..<48]
        let second = header[48..<96]
        let version = UInt32(header[0]) | UInt32(header[1]) << 8 | UInt32(header[2]) << 16 | UInt32(header[3]) << 24
        return first.elementsEqual(second) && header[12] == 1 && version == 3_007_000
    }
}
