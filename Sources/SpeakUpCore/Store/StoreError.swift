import Foundation

/// A store failure, with a sentence a person can act on. Every call of the store contract
/// throws only this, whichever engine is behind it.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of failure a person can meet.
    public enum Kind: String, Hashable, Sendable {
        case missing, cannotOpen, notAStore, newerVersion, readOnly, diskFull, busy, damaged, failed
    }

    public var kind: Kind
    /// What happened and what to do, in plain words.
    public var sentence: String

    public init(_ kind: Kind, _ sentence: String) {
        self.kind = kind
        self.sentence = sentence
    }

    public var description: String { sentence }
}
