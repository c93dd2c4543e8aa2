import Foundation
import SpeakUpCore

/// The next report's content key, made ahead while the reporter writes, with its wrappings for every
/// recipient whose key was known then, all bound to a case reference chosen then.
///
/// Wrapping a content key for ten handlers and the recovery key is most of what sealing adds to a
/// submit (measured: about 0.12 ms of the 0.28 ms a sealed submit took beyond an unsealed one,
/// docs/performance.md). None of it depends on the words: only on the key, the recipients and the
/// case reference. So the form's warm-up (`SealingWarmUp.prepare`) makes a kit, the form gives its
/// report the kit's reference (`SealingWarmUp.reference()`), and the submit (`ReportSeal`) takes the
/// kit for that reference, seals the words under its key and uses its wrappings, wrapping now only for
/// a recipient the kit has none for (a key made since). Everything else is as without it: the routing
/// still decides inside the transaction who the key is wrapped for, and a wrapping made ahead for
/// someone the rules leave out is dropped with the kit, never written.
///
/// Used once: taken under the sender key's lock, by the submit whose report has its reference, and
/// only for a report whose sender key may be shared (`linkable`: own login, not anonymous, not a shared
/// terminal, as the wrappings are made with this process's hourly ephemeral key). A kit not taken within
/// the hour is dropped. It holds no words: read from this process's memory it gives the key of a
/// report not yet written, which a reader of that memory would see written anyway.
struct SealingKit {
    let reference: CaseReference
    let content: ContentKey
    /// Wrappings by the recipient's public key bytes.
    let wrapped: [[UInt8]: WrappedContentKey]
    let made: Date

    /// A kit for a fresh reference and key, wrapped for each of `recipients` with this process's
    /// ephemeral key.
    static func make(for recipients: [SealingPublicKey], sender: SenderKey, now: Date = Date()) throws(SealingFailure) -> SealingKit {
        let reference = CaseReference.random()
        let content = ContentKey.fresh()
        let wrappings = try WrappedContentKey.wrap(content, for: recipients, case: reference, linkable: true, sender: sender)
        var wrapped: [[UInt8]: WrappedContentKey] = [:]
        for (recipient, wrapping) in zip(recipients, wrappings) { wrapped[recipient.bytes] = wrapping }
        return SealingKit(reference: reference, content: content, wrapped: wrapped, made: now)
    }

    func covers(_ recipients: [SealingPublicKey]) -> Bool {
        recipients.allSatisfy { wrapped[$0.bytes] != nil }
    }
}
