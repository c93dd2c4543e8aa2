import Foundation
import SpeakUpCore
import SpeakUpSealing

/// Whom a sealing store seals a new report for: the trust recovery key, and every handler who may
/// ever hold the case and has a key (docs/security.md). A store seals once it has a recovery key;
/// one without (a personal store, or before the trust made one) keeps words as it always did.
public struct SealingRecipients: Sendable {
    public let recovery: SealingPublicKey
    public let handlers: [String: SealingPublicKey]

    /// From the keys as kept; a key that does not read stops the submit (nothing is sealed for a
    /// guess, and nothing is saved: the form keeps every word).
    public init(recovery: TrustRecoveryKey, handlers: [HandlerSealingKey]) throws(StoreError) {
        do {
            self.recovery = try SealingPublicKey(stored: recovery.publicKey)
            var keys: [String: SealingPublicKey] = [:]
            for handler in handlers { keys[handler.handler] = try SealingPublicKey(stored: handler.publicKey) }
            self.handlers = keys
        } catch {
            throw StoreError(.damaged, "A sealing key in the store does not read (\(error.sentence)), so nothing could be sealed or saved. Please tell IT.")
        }
    }

    /// The report emptied of its words, with them sealed, and the content key wrapped for each of
    /// `mayHold` who has a key, for the recovery key, and, given the reply secret of the report's
    /// receipt code, for the reporter's key (`ReporterKey`), so that they can read the replies.
    /// Given `subject` (`subjectSealing`), the subject's name and role as typed are sealed too, and
    /// the facts and same-person key kept in their place.
    public func seal(_ report: Report, mayHold: [String], reporter replySecret: [UInt8]? = nil,
                     subject: SubjectSealing? = nil) throws(StoreError)
        -> (report: Report, keys: [ReportSeal.Wrapped]) {
        var recipients: [(name: String, key: SealingPublicKey)] = []
        for handler in Set(mayHold).sorted() { if let key = handlers[handler] { recipients.append((handler, key)) } }
        recipients.append((SealedWords.recoveryRecipient, recovery))
        do {
            if let replySecret { recipients.append((SealedEventText.reporterRecipient, try ReporterKey.pair(replySecret: replySecret).publicKey)) }
            let (words, keys) = try ReportSeal.seal(report, for: recipients, subject: subject != nil)
            return (ReportWords.emptied(report, sealed: words, subject: subject), keys)
        } catch {
            throw StoreError(.failed, "The report could not be sealed (\(error.sentence)).")
        }
    }

    /// What stands in for the subject's name and role once sealed: the routing's facts and the name's
    /// same-person key as the installation's digest keeps it. Nil (the name stays in clear, as
    /// `speakup check` says) without either: without the facts no check could run on a sealed name, and
    /// without the digest the key would be the name itself.
    public static func subjectSealing(_ report: Report, routing: CaseRouting?, digest: (any SubjectKeyDigest)?) -> SubjectSealing? {
        guard let facts = routing?.subjectFacts, let digest, !report.subject.isSealedAway else { return nil }
        return SubjectSealing(facts: facts, key: SubjectKey.of(report.subject, directoryID: nil).map { StoredForm.subjectKey(digest.digest($0)) })
    }

    /// Who may hold a case by its routing: as the router worked it out, else those it was routed to.
    public static func mayHold(_ routing: CaseRouting?) -> [String] {
        routing?.mayHold ?? routing?.handlers ?? []
    }
}
