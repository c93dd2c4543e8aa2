import Foundation

/// Every report, for `speakup export` and for copying a store.
public protocol ReportArchive: Sendable {
    /// Every report, oldest first.
    func allReports() throws(StoreError) -> [Report]
}
