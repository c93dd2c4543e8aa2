import Foundation

/// The staff directory: who manages whom decides who may see a case.
public protocol StaffDirectoryKeeping: Sendable {
    /// The staff directory (empty until one is imported).
    func staff() throws(StoreError) -> [StaffMember]

    /// Replaces the directory in one transaction, with an audit record naming `actor` when given.
    func replaceStaff(_ members: [StaffMember], by actor: String?, at moment: Date?) throws(StoreError)
}

extension StaffDirectoryKeeping {
    public func replaceStaff(_ members: [StaffMember]) throws(StoreError) {
        try replaceStaff(members, by: nil, at: nil)
    }
}
