import Crypto
import Foundation
import SpeakUpCore

/// One key agreement between an ephemeral key and a recipient, with HKDF's extract step done: what is
/// left for a wrapping key is the expand step, bound to the case (`wrappingKey(for:)`). The result is
/// exactly `SharedSecret.hkdfDerivedSymmetricKey` with the same salt and info, which unwrapping uses.
struct WrappingAgreement {
    private let pseudoRandomKey: HashedAuthenticationCode<SHA256>

    init(_ shared: SharedSecret, ephemeral: [UInt8], recipient: [UInt8]) {
        pseudoRandomKey = shared.withUnsafeBytes { secret in
            HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: secret), salt: WrappedContentKey.salt(ephemeral: ephemeral, recipient: recipient))
        }
    }

    /// The wrapping key for one case.
    func wrappingKey(for reference: CaseReference) -> SymmetricKey {
        HKDF<SHA256>.expand(pseudoRandomKey: pseudoRandomKey, info: WrappedContentKey.sharedInfo(reference), outputByteCount: 32)
    }
}
