import Foundation
import SpeakUpCore

/// The parts of the store the screens never call (import, dry runs, replacing the directory),
/// for the screens' test stores: each refuses, so a screen that started calling one would fail.
protocol ScreensNeverCall: ReportIntake, StaffDirectoryKeeping {}

extension ScreensNeverCall {
    var location: String { "a store kept in memory for a test" }
    func reportCount(at station: Station, on day: CalendarDay) throws(StoreError) -> Int { 0 }
    func takenReferences(_ references: [String]) throws(StoreError) -> Set<String> {
        throw StoreError(.failed, "The screens never check references; this test store refuses.")
    }
    func importReports(_ items: [(Report, [CaseEvent])], router: (any CaseRouter)?, by importer: String?, at moment: Date?) throws(StoreError) {
        throw StoreError(.failed, "The screens never import; this test store refuses.")
    }
    func dryRoute(_ report: Report, router: any CaseRouter) throws(StoreError) -> CaseRouting {
        throw StoreError(.failed, "The screens never route without saving; this test store refuses.")
    }
    func replaceStaff(_ members: [StaffMember], by actor: String?, at moment: Date?) throws(StoreError) {
        throw StoreError(.failed, "The screens never replace the directory; this test store refuses.")
    }
}
