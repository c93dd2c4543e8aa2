import Foundation
import SpeakUpCore
import SpeakUpStore

/// The engines every behaviour in this suite is held to. Each test runs once per engine.
enum Engine: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite

    var description: String { rawValue }

    /// A fresh, empty store on this engine, kept until the returned value goes away.
    func freshStore() throws -> StoreUnderTest {
        switch self {
        case .sqlite:
            let folder = NSTemporaryDirectory() + "speakup-conformance-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let store = try SQLiteReportStore(path: folder + "/speakup.sqlite", receiptRounds: 1 << 10)
            return StoreUnderTest(store: store, transfer: store, raw: { sql in try store.withDatabase { db in try db.execute(sql: sql) } },
                                  cleanUp: { try? FileManager.default.removeItem(atPath: folder) })
        }
    }
}

/// A store made for one test, with a way past the program to its database (to show what the
/// database itself refuses), removed when the test lets it go.
final class StoreUnderTest: @unchecked Sendable {
    let store: any OpenedStore
    /// The same store, for copying whole.
    let transfer: any StoreCopy.Side
    /// Runs one SQL statement on the store's database directly, as a hostile insider with the
    /// program's own access would.
    let raw: (String) throws -> Void
    private let cleanUp: () -> Void

    init(store: any OpenedStore, transfer: any StoreCopy.Side, raw: @escaping (String) throws -> Void, cleanUp: @escaping () -> Void) {
        self.store = store
        self.transfer = transfer
        self.raw = raw
        self.cleanUp = cleanUp
    }

    deinit { cleanUp() }
}
