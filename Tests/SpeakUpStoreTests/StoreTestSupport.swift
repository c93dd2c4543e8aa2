import Foundation
import SpeakUpCore
@testable import SpeakUpStore

/// A fresh folder for one test's store files, removed when the test ends.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "speakup-store-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String = "speakup.sqlite") -> String { path + "/" + name }
}

enum Reports {
    static let moment = Date(timeIntervalSince1970: 1_795_770_106)

    static func make(_ way: WayOfRaising = .open, account: String = "Shouted at a patient in front of the family.") -> Report {
        Report(
            reference: .random(), wayOfRaising: way, concerns: [.rudeOrAggressive, .lackOfCompassion],
            subject: Subject(name: nil, role: "", seniority: .seniorClinician), location: "Ward 7", account: account,
            reporter: Reporter(userName: "asha", uid: 1001), submitted: .recorded(for: way, at: moment))
    }
}

extension SQLiteReportStore {
    func count(_ table: String) throws -> Int {
        try withDatabase { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! }
    }
}
