import Foundation
import SpeakUpCore

/// What the PostgreSQL store was doing when something failed, and the sentence for it: the same
/// promises as on SQLite ("Your report has not been saved, and nothing on this screen is lost"),
/// never a raw server message shown to a person.
enum StoreActivity {
    case save, saveDraft, saveMessage, importing, escalation, audit, action, directory, read, erase, key

    /// What SpeakUp was doing, for a sentence.
    var words: String {
        switch self {
        case .save: "saving your report"
        case .saveDraft: "keeping a draft of your report"
        case .saveMessage: "saving your message"
        case .importing: "importing reports (nothing was imported)"
        case .escalation: "escalating a case"
        case .audit: "writing or checking the audit trail"
        case .action: "saving your action on the case"
        case .directory: "importing the staff directory (the old one is kept)"
        case .read: "reading the store"
        case .erase: "erasing under the retention policy"
        case .key: "keeping your sealing key"
        }
    }

    /// What a write that gave up left as it was.
    var unchanged: String {
        switch self {
        case .save: " Your report has not been saved, and nothing on this screen is lost."
        case .importing: " Nothing was imported."
        case .directory: " The old directory is kept."
        case .read: ""
        default: " Nothing was written."
        }
    }
}

/// A text that cannot be kept exactly (it holds a NUL): nothing of the write is stored.
struct RefusedText: Error {
    /// What holds it, as the start of a sentence ("The report's account").
    var what: String

    /// Refuses the write if any of `texts` holds a NUL.
    static func check(_ texts: [String?], what: String) throws(RefusedText) {
        if texts.contains(where: { $0.map(StorableText.holdsNul) == true }) { throw RefusedText(what: what) }
    }
}

enum PostgresStoreFailure {
    /// The sentence for `error`, met while doing `activity` on the store at `location`.
    static func translate(_ error: any Error, at location: String, doing activity: StoreActivity) -> StoreError {
        if let refused = error as? RefusedText {
            return StoreError(.failed, "\(refused.what) \(StorableText.nulAdvice)\(activity.unchanged)")
        }
        if let failure = error as? RoutingFailure {
            return StoreError(.failed, failure.sentence + (activity == .save ? activity.unchanged : ""))
        }
        guard let error = error as? StoreError else {
            return StoreError(.failed, "Something went wrong while SpeakUp was \(activity.words) in the PostgreSQL store at \(location): \(error.localizedDescription).\(activity.unchanged) Please tell IT.")
        }
        // The server's own words (a constraint's name, a trigger's message) are for IT, in the server's log, not for the person at the screen.
        if error.kind == .failed && error.sentence.contains("SQLSTATE") {
            return StoreError(.failed, "The PostgreSQL store at \(location) refused what SpeakUp asked while it was \(activity.words).\(activity.unchanged) Please tell IT.")
        }
        if activity == .save && !error.sentence.contains("nothing on this screen is lost") && error.kind != .damaged {
            return StoreError(error.kind, error.sentence + activity.unchanged)
        }
        return error
    }
}
