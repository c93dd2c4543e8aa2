import Foundation

/// Every report, for `speakup export` and for copying a store.
public protocol ReportArchive: Sendable {
    /// Every report, oldest first.
    func allReports() throws(StoreError) -> [Report]

    /// The timelines of many cases at once, each in order (an export and a copy's check read every
    /// one, a thousand at a time); a case with no events, or not in the store, is left out.
    func timelines(of references: [CaseReference]) throws(StoreError) -> [CaseReference: [CaseEvent]]
}
