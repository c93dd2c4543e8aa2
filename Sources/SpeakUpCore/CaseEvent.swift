/// Something that happened to a case after it was submitted, appended and never edited.
public struct CaseEvent: Hashable, Sendable {
    /// What kind of thing happened.
    public enum Kind: String, Codable, Sendable {
        /// The report was received and stored.
        case received
    }

    /// The case this belongs to.
    public var reference: CaseReference
    /// Position in the case's own timeline, from 1.
    public var sequence: Int
    public var kind: Kind
    /// When it happened (coarsened like the report for anonymous cases).
    public var at: SubmissionTime

    public init(reference: CaseReference, sequence: Int, kind: Kind, at: SubmissionTime) {
        self.reference = reference
        self.sequence = sequence
        self.kind = kind
        self.at = at
    }
}
