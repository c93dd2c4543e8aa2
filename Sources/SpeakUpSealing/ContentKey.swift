import Crypto
import Foundation
import SpeakUpCore

/// The key one case's words are sealed with: fresh and random for every case, never stored in clear.
///
/// It is kept only wrapped (`WrappedContentKey`), once for each handler the rules could ever give the
/// case to and once for the trust's recovery key; a handler's session unwraps it to open the case.
public struct ContentKey: Sendable {
    let key: SymmetricKey

    init(key: SymmetricKey) { self.key = key }

    /// A new key from the system's secure random generator.
    public static func fresh() -> ContentKey { ContentKey(key: SymmetricKey(size: .bits256)) }

    /// Seals text for the store.
    public func seal(_ text: String, as context: SealingContext) throws(SealingFailure) -> SealedField {
        try seal(bytes: Array(text.utf8), as: context)
    }

    /// Seals bytes for the store.
    public func seal(bytes: [UInt8], as context: SealingContext) throws(SealingFailure) -> SealedField {
        do {
            let box = try ChaChaPoly.seal(bytes, using: key, authenticating: context.authenticatedData)
            return SealedField(box: box)
        } catch {
            throw .cryptography("sealing: \(error)")
        }
    }

    /// Opens a sealed field as text; a field that does not authenticate, or is not UTF-8, is refused
    /// with the case and field named.
    public func open(_ field: SealedField, as context: SealingContext) throws(SealingFailure) -> String {
        let bytes = try openBytes(field, as: context)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .tampered(context.caseReference, field: context.field)
        }
        return text
    }

    /// Opens a sealed field as bytes.
    public func openBytes(_ field: SealedField, as context: SealingContext) throws(SealingFailure) -> [UInt8] {
        guard let box = field.box,
              let opened = try? ChaChaPoly.open(box, using: key, authenticating: context.authenticatedData)
        else { throw .tampered(context.caseReference, field: context.field) }
        return Array(opened)
    }

    /// The raw key, only to be wrapped.
    var rawBytes: [UInt8] { key.withUnsafeBytes { Array($0) } }
}
