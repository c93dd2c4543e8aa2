import Foundation
import SpeakUpCore
import SpeakUpSealing

/// The workspace's desk on a sealing store: every call goes to the store's own (policed) desk; a
/// search also finds the words sealed in the handler's cases, opened in memory with their key, and
/// what a handler writes on a sealed case is sealed before it goes (`sealed(_:on:by:)`).
///
/// The sealed words of every case routed to the handler with a key wrapped for them are opened ahead,
/// when the workspace opens (`openAhead`), or at the first search, and kept in this process's memory
/// (locked where `SessionHardening` could, let go by `forget`); each search opens any case routed to the
/// handler since (reading which cases are theirs at most every `recheck` seconds), and matches them all as
/// the full-text index would (`SearchTerms`). The cases
/// found either way are read back through the store's desk with `QueueQuery.only`, so the handler's
/// filters, the queue's order and the handler policy apply exactly as to any other page.
public final class SealedSearchDesk: CaseDesk, @unchecked Sendable {
    let inner: any CaseDesk
    let store: any SealingKeyKeeping
    let key: @Sendable () -> SealingKeyPair?
    private let lock = NSLock()
    /// Opened words by case, for one handler; nil until the first search.
    private var opened: (handler: String, words: [CaseReference: OpenedCase])?
    /// Counts `forget`s, so words opened across one are not kept.
    private var generation = 0
    /// Who the cases on pages shown so far are about, opened for the queue (`withAbout`), for one handler.
    private var abouts: (handler: String, names: [CaseReference: String]) = ("", [:])
    /// When which cases are the handler's was last read; read again only after `recheck` seconds.
    private var checked = Date.distantPast
    let recheck: TimeInterval

    /// The most cases a search's clear-text half reads before the two halves are joined.
    public static let clearMatchesRead = 100_000

    /// `recheck`: how often, at most, a search reads again which sealed cases are the handler's (reading it
    /// costs about as much as a search over 10,000 cases; docs/performance.md).
    public init(inner: any CaseDesk, store: any SealingKeyKeeping, recheck: TimeInterval = 30, key: @escaping @Sendable () -> SealingKeyPair?) {
        self.inner = inner
        self.recheck = recheck
        self.store = store
        self.key = key
    }

    /// One of the handler's sealed cases opened in memory: every word search may match, and who it
    /// is about as the reporter wrote it when that was sealed too.
    struct OpenedCase {
        var text: String
        var about: String?
    }

    public func queue(_ query: QueueQuery, for handler: String, now: Date) throws(StoreError) -> QueuePage {
        guard let terms = SearchTerms(query.search), CaseReference.typedPrefix(query.search) == nil, let pair = key() else {
            return withAbout(try inner.queue(query, for: handler, now: now), for: handler)
        }
        let words = try openedWords(for: handler, with: pair)
        var found = Set(words.compactMap { terms.matches($0.value.text) ? $0.key.text : nil })
        if found.isEmpty && words.isEmpty { return withAbout(try inner.queue(query, for: handler, now: now), for: handler) }
        // What the store finds in clear (the place, the subject as typed, notes), every page of it.
        var clear = query
        clear.offset = 0
        clear.limit = Self.clearMatchesRead
        for row in try inner.queue(clear, for: handler, now: now).rows { found.insert(row.reference.text) }
        guard !found.isEmpty else { return QueuePage(rows: [], fetched: 0) }
        var joined = query
        joined.search = ""
        joined.only = Array(found).sorted()
        return withAbout(try inner.queue(joined, for: handler, now: now), for: handler)
    }

    /// The page with who each case is about filled in where it was sealed: from the cases this process has
    /// opened already (`openAhead`), else by opening just the page's cases' words now (a page's worth of
    /// key agreements). A row whose words do not open for this handler keeps saying it is sealed (`aboutSealed`).
    func withAbout(_ page: QueuePage, for handler: String) -> QueuePage {
        guard page.rows.contains(where: \.aboutSealed) else { return page }
        var known = lock.withLock { () -> [CaseReference: String] in
            var known = (opened?.handler == handler ? opened?.words : nil)?.compactMapValues(\.about) ?? [:]
            if abouts.handler == handler { known.merge(abouts.names) { first, _ in first } }
            return known
        }
        let missing = page.rows.filter { $0.aboutSealed && known[$0.reference] == nil }.map(\.reference)
        if !missing.isEmpty, let pair = key(), let found = try? store.sealedWords(of: missing, heldBy: handler) {
            let generation = lock.withLock { self.generation }
            var fresh: [CaseReference: String] = [:]
            for sealed in found {
                guard let caseKey = try? CaseWordsKey(sealed.reference, wrapped: sealed.wrapped, with: pair),
                      let about = (try? ReportSeal.words(sealed.words, with: caseKey))?.subjectAsWritten else { continue }
                fresh[sealed.reference] = about
            }
            known.merge(fresh) { first, _ in first }
            lock.withLock {
                guard self.generation == generation else { return }
                if abouts.handler != handler { abouts = (handler, [:]) }
                abouts.names.merge(fresh) { _, new in new }
            }
        }
        var page = page
        for index in page.rows.indices where page.rows[index].aboutSealed {
            guard let about = known[page.rows[index].reference] else { continue }
            page.rows[index].about = about
            page.rows[index].aboutSealed = false
        }
        return page
    }

    /// The handler's cases' sealed words, opened in memory: those opened before are kept, a case routed to
    /// them since is opened now, and one no longer theirs is let go, so a search matches what they hold now.
    func openedWords(for handler: String, with pair: SealingKeyPair) throws(StoreError) -> [CaseReference: OpenedCase] {
        let (earlier, generation) = lock.withLock { () -> ([CaseReference: OpenedCase]?, Int) in
            (opened?.handler == handler ? opened?.words : nil, self.generation)
        }
        // Opened before: only which cases are theirs now is read again (no words); the words are read
        // again only when a case has come to them since.
        if let known = earlier {
            if lock.withLock({ Date().timeIntervalSince(checked) < recheck }) { return known }
            lock.withLock { checked = Date() }
            let now = try store.sealedReferences(heldBy: handler)
            if now.isSubset(of: known.keys) {
                let kept = known.filter { now.contains($0.key) }
                if kept.count != known.count { lock.withLock { if self.generation == generation { opened = (handler, kept) } } }
                return kept
            }
        }
        let known = earlier ?? [:]
        var words: [CaseReference: OpenedCase] = [:]
        for sealed in try store.sealedWords(heldBy: handler) {
            if let text = known[sealed.reference] {
                words[sealed.reference] = text
                continue
            }
            // A case whose words do not open is not found by its words; opening it says why. (Likewise a note.)
            guard let key = try? CaseWordsKey(sealed.reference, wrapped: sealed.wrapped, with: pair),
                  let open = try? ReportSeal.words(sealed.words, with: key) else { continue }
            let notes = sealed.notes.compactMap { try? key.openText($0) }
            let text = ([open.account, open.witnesses, open.staffImpact, open.reporterName ?? "", open.reporterContact ?? "",
                         open.subjectName ?? "", open.subjectRole ?? ""] + notes)
                .filter { !$0.isEmpty }.joined(separator: "\n")
            words[sealed.reference] = OpenedCase(text: text, about: open.subjectAsWritten)
        }
        // Kept only if nothing was forgotten meanwhile (the workspace locked while these were being opened).
        lock.withLock {
            if self.generation == generation { opened = (handler, words) }
            checked = Date()
        }
        return words
    }

    /// Opens the handler's sealed words on a thread of its own, so the first search does not wait for them.
    public func openAhead(for handler: String) {
        Thread.detachNewThread { [self] in
            guard let pair = key() else { return }
            _ = try? openedWords(for: handler, with: pair)
        }
    }

    /// Forgets the opened words (the workspace sat idle, or closed); words being opened just now are not kept.
    public func forget() {
        lock.withLock {
            opened = nil
            abouts = ("", [:])
            generation += 1
        }
    }

    public func openCase(_ reference: CaseReference, for handler: String, at moment: Date) throws(StoreError) -> CaseFile? {
        try inner.openCase(reference, for: handler, at: moment)
    }

    public func act(_ action: CaseAction, on reference: CaseReference, by handler: String, at moment: Date) throws(StoreError) {
        let sealing = try sealed(action, on: reference, by: handler)
        try inner.act(sealing, on: reference, by: handler, at: moment)
        // A note sealed here is found by the handler's next search at once (others' notes, at the next opening).
        if sealing != action, let note: String = switch action {
            case .note(let text): text
            case .close: action.learnedNote
            default: nil
        } {
            lock.withLock {
                if opened?.handler == handler, opened?.words[reference] != nil { opened?.words[reference]?.text += "\n" + note }
            }
        }
    }

    /// The action with its words sealed (`SealedEventText`) when the case is sealed: a note, what was
    /// learned at a closing, and a message when the reporter holds a key to read it (a message sealed away
    /// from the reporter would reach nobody). A sealed case the handler holds no key for takes no words:
    /// refused here, with nothing saved, rather than kept in clear.
    func sealed(_ action: CaseAction, on reference: CaseReference, by handler: String) throws(StoreError) -> CaseAction {
        switch action {
        case .note, .message, .close: break
        default: return action
        }
        let keys = try store.caseKeys(reference)
        guard !keys.isEmpty else { return action }
        if case .message = action, keys[SealedEventText.reporterRecipient] == nil { return action }
        guard let pair = key(), let wrapped = keys[handler] else {
            throw StoreError(.failed, "The words of case \(reference.text) are sealed and not for your key, so what you wrote could not be sealed, and nothing was saved. Please tell your IT team: `speakup recover` seals the case for your key.")
        }
        do {
            return try CaseWordsKey(reference, wrapped: wrapped, with: pair).sealing(action, by: handler)
        } catch {
            throw StoreError(.failed, error.sentence + " Nothing was saved.")
        }
    }

    public func reminders(for handler: String) throws(StoreError) -> [Reminder] { try inner.reminders(for: handler) }

    public func dismissReminders(for handler: String) throws(StoreError) { try inner.dismissReminders(for: handler) }

    public func caseFacts() throws(StoreError) -> [CaseFacts] { try inner.caseFacts() }

    public func unrouted() throws(StoreError) -> [UnroutedCase] { try inner.unrouted() }
}
