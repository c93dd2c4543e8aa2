import Foundation
import Glibc
import Testing
import SpeakUpCore
@testable import SpeakUpStore

@Suite("SQLite's shared index read without SQLite: a first look at a store whose index is not in order waits in the writers' turn")
struct SharedIndexHeaderTests {
    @Test("in order while a terminal has the store open; out of order when missing, short, half rebuilt or of another version")
    func header() throws {
        let folder = TemporaryFolder()
        let path = folder.file()
        let store = try SQLiteReportStore(path: path, receiptRounds: 1 << 10)
        _ = try store.submit(RoutingStoreTests.report(.open))
        let shm = path + "-shm"
        #expect(SharedIndexHeader.isInOrder(shm))
        let good = try #require(FileManager.default.contents(atPath: shm))
        let copy = folder.path + "/copy-shm"
        func with(_ bytes: Data) -> Bool {
            FileManager.default.createFile(atPath: copy, contents: bytes)
            return SharedIndexHeader.isInOrder(copy)
        }
        #expect(with(good))
        #expect(!SharedIndexHeader.isInOrder(folder.path + "/no-such-shm"))
        #expect(!with(good.prefix(60)))
        var halfway = good
        halfway[48 + 8] ^= 0xFF  // the second copy not yet written
        #expect(!with(halfway))
        var uninitialised = good
        uninitialised[12] = 0
        uninitialised[48 + 12] = 0
        #expect(!with(uninitialised))
        var other = good
        other[0] ^= 1
        other[48] ^= 1
        #expect(!with(other))
    }

    @Test("a store whose index is out of order is still opened, read and written as ever (its first look taken in the turn)")
    func opensThroughTheTurn() throws {
        let folder = TemporaryFolder()
        let path = folder.file()
        do {
            let store = try SQLiteReportStore(path: path, receiptRounds: 1 << 10)
            _ = try store.submit(RoutingStoreTests.report(.open))
        }
        // Every terminal gone: the index is rebuilt by the next to look.
        if FileManager.default.fileExists(atPath: path + "-shm") {
            let handle = try #require(FileHandle(forWritingAtPath: path + "-shm"))
            try handle.write(contentsOf: Data(repeating: 0, count: 96))
            try handle.close()
        }
        #expect(!SharedIndexHeader.isInOrder(path + "-shm"))
        let again = try SQLiteReportStore(path: path, receiptRounds: 1 << 10)
        #expect(try again.allReports().count == 1)
        _ = try again.submit(RoutingStoreTests.report(.open))
        #expect(try again.allReports().count == 2)
        #expect(SharedIndexHeader.isInOrder(path + "-shm"))
    }
}
