import Foundation
import SpeakUpCore
import SpeakUpSealing

/// The forms' part in sealing: while the reporter writes, the key agreements a submit will need
/// are worked out on a thread of their own (`SealingWarmUp`), so the send does not wait on them. A
/// store that does not seal, or keys that cannot be read, leave nothing to do: the submit reads the
/// keys itself, in its transaction, and fails closed there.
enum SealingKeys {
    static func warmUp(_ store: any SealingKeyKeeping) {
        Thread.detachNewThread {
            guard let recovery = try? store.recoveryKey(), let keys = try? store.sealingKeys() else { return }
            SealingWarmUp.prepare(for: [recovery.publicKey] + keys.map(\.publicKey))
        }
    }
}
