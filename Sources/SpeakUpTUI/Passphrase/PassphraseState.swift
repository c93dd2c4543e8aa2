/// The passphrase screen's state: what the handler is doing (choosing a passphrase the first time,
/// unlocking their key, changing the passphrase), which of its steps they are on, and what they
/// have typed so far (never drawn: the field shows one star a character).
import SpeakUpCore

public struct PassphraseState: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable {
        case choose, unlock, change
        /// A new key under a new passphrase, the old one forgotten.
        case replace
    }

    public enum Step: Hashable, Sendable {
        /// The passphrase in use now (unlocking, or before a change).
        case current
        /// A new passphrase.
        case new
        /// The new passphrase again.
        case again
    }

    public enum Phase: Hashable, Sendable {
        case typing(Step)
        /// The passphrase is being tried (a deliberate fraction of a second).
        case checking
        /// Done: the key is unlocked, made or changed.
        case finished
        /// The handler left without finishing.
        case left
    }

    public var size: Size
    public let purpose: Purpose
    /// The handler's login: a new passphrase may not contain it (`PassphraseRule`).
    public let login: String
    public var phase: Phase
    public var field = TextField(limit: 256)
    var current = ""
    var new = ""
    public var notice: ReporterFormState.Notice?

    public init(size: Size, purpose: Purpose, login: String, notice: ReporterFormState.Notice? = nil) {
        self.size = size
        self.purpose = purpose
        self.login = login
        self.phase = .typing(purpose == .choose || purpose == .replace ? .new : .current)
        self.notice = notice
    }

    /// The steps of this purpose, in order.
    var steps: [Step] {
        switch purpose {
        case .choose, .replace: [.new, .again]
        case .unlock: [.current]
        case .change: [.current, .new, .again]
        }
    }
}
