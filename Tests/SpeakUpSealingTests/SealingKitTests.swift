import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpSealing

/// The next report's content key and wrappings made ahead while the reporter writes (`SealingKit`),
/// each test with a sender key of its own (the process's is shared by tests running at once).
@Suite("Sealing: a report's key and wrappings made ahead, used once, only by the report they were made for")
struct SealingKitTests {
    static func report(_ reference: CaseReference, _ way: WayOfRaising = .confidential, account: String = "Shouted at a porter.") -> Report {
        Report(reference: reference, wayOfRaising: way, concerns: [.rudeOrAggressive],
               subject: Subject(name: "Dr Smith", role: "consultant", seniority: .seniorClinician), location: "Ward 7", harm: .none,
               account: account, reporter: way == .anonymous ? nil : Reporter(userName: "ben", uid: 1002),
               reporterDetails: ReporterDetails(name: way == .anonymous ? "" : "Ben", contact: "", professionalGroup: .nursing),
               submitted: .recorded(for: way, at: Date(timeIntervalSince1970: 1_795_770_106)))
    }

    @Test("A report made with the kit's reference is sealed under the kit's key: it opens for every recipient, one whose key came after the kit included, and the kit is gone")
    func usedOnce() throws {
        let sender = SenderKey()
        let (asha, gita, recovery, newcomer) = (SealingKeyPair.generate(), SealingKeyPair.generate(), SealingKeyPair.generate(), SealingKeyPair.generate())
        try sender.prepareKit(for: [asha.publicKey, gita.publicKey, recovery.publicKey])
        let reference = try #require(sender.kitReference())
        let recipients = [("asha", asha.publicKey), ("gita", gita.publicKey), ("newcomer", newcomer.publicKey), (SealedWords.recoveryRecipient, recovery.publicKey)]
        let (words, keys, key) = try ReportSeal.sealKeepingKey(Self.report(reference), for: recipients, subject: true, sender: sender)
        #expect(sender.kitReference() == nil, "the kit is taken by the report it was made for")
        #expect(keys.map(\.recipient) == ["asha", "gita", "newcomer", SealedWords.recoveryRecipient])
        let sealed = Self.report(reference, account: "")
        for (pair, wrapped) in zip([asha, gita, newcomer, recovery], keys) {
            var withWords = sealed
            withWords.sealed = words
            #expect(try ReportSeal.open(withWords, wrapped: wrapped.bytes, with: pair).account == "Shouted at a porter.")
        }
        #expect(try ReportSeal.words(words, with: key).account == "Shouted at a porter.")
        // A second report given the same reference (the store would refuse it as taken) gets a fresh key.
        let (again, _, otherKey) = try ReportSeal.sealKeepingKey(Self.report(reference), for: recipients, subject: true, sender: sender)
        #expect(throws: SealingFailure.self) { try ReportSeal.words(again, with: key) }
        #expect(try ReportSeal.words(again, with: otherKey).account == "Shouted at a porter.")
    }

    @Test("The kit is only for the report with its reference, and never for one that must not share this process's key (anonymous, a shared terminal)")
    func onlyItsOwnReport() throws {
        let sender = SenderKey()
        let asha = SealingKeyPair.generate()
        try sender.prepareKit(for: [asha.publicKey])
        let reference = try #require(sender.kitReference())
        // Another reference: sealed without the kit, which keeps waiting.
        let other = CaseReference.random()
        _ = try ReportSeal.sealKeepingKey(Self.report(other), for: [("asha", asha.publicKey)], subject: false, sender: sender)
        #expect(sender.kitReference() == reference)
        // An anonymous report, even with the kit's reference: its own one-off key, not the kit's wrappings.
        let (_, anonymous, _) = try ReportSeal.sealKeepingKey(Self.report(reference, .anonymous), for: [("asha", asha.publicKey)], subject: false, sender: sender)
        #expect(sender.kitReference() == reference, "an unlinkable report leaves the kit")
        let (_, linked, _) = try ReportSeal.sealKeepingKey(Self.report(reference), for: [("asha", asha.publicKey)], subject: false, sender: sender)
        #expect(sender.kitReference() == nil)
        let ephemeral = { (bytes: [UInt8]) in Array(bytes[1..<33]) }
        #expect(ephemeral(anonymous[0].bytes) != ephemeral(linked[0].bytes))
        _ = try asha.unwrap(try WrappedContentKey(stored: anonymous[0].bytes), for: reference)
        _ = try asha.unwrap(try WrappedContentKey(stored: linked[0].bytes), for: reference)
    }

    @Test("A kit is made again only when the one waiting does not cover the recipients; the form's reference is the waiting kit's, else random")
    func madeWhenNeeded() throws {
        let sender = SenderKey()
        let (asha, gita) = (SealingKeyPair.generate(), SealingKeyPair.generate())
        #expect(sender.kitReference() == nil)
        try sender.prepareKit(for: [asha.publicKey])
        let first = try #require(sender.kitReference())
        try sender.prepareKit(for: [asha.publicKey])
        #expect(sender.kitReference() == first, "a kit that covers them is kept")
        try sender.prepareKit(for: [asha.publicKey, gita.publicKey])
        #expect(sender.kitReference() != first, "a key it lacks makes a new one")
    }
}
