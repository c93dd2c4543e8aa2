/// Who raised an open or confidential concern, as the operating system knows them.
///
/// Built from the real uid and its passwd entry, never from `$USER` or `$LOGNAME`.
/// An anonymous report never carries one.
public struct Reporter: Hashable, Codable, Sendable {
    /// The login name of the real uid.
    public var userName: String
    /// The real uid.
    public var uid: UInt32

    public init(userName: String, uid: UInt32) {
        self.userName = userName
        self.uid = uid
    }
}
