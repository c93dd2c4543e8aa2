import GRDB
import SpeakUpCore

/// Turns SQLite's result codes into sentences a reporter or an administrator can act on.
enum StoreErrors {
    static func translate(_ error: any Error, path: String, doing action: String) -> StoreError {
        if let error = error as? StoreError { return error }
        let activity = switch action {
        case "save": "saving your report"
        case "save-draft": "keeping a draft of your report"
        case "save-message": "saving your message"
        case "import": "importing reports (nothing was imported)"
        case "save-escalation": "escalating a case"
        case "audit": "writing or checking the audit trail"
        case "save-action": "saving your action on the case"
        case "import-directory": "importing the staff directory (the old one is kept)"
        case "erase": "erasing under the retention policy"
        case "save-key": "keeping your sealing key"
        case "open": "opening the store at \(path)"
        default: "reading the store at \(path)"
        }
        let nothingSaved = action == "save" ? " Your report has not been saved, and nothing on this screen is lost." : ""
        // What a write that gave up left as it was, in the words of the thing being done.
        let unchanged = switch action {
        case "save": nothingSaved
        case "import": " Nothing was imported."
        case "import-directory": " The old directory is kept."
        case "open": ""
        default: " Nothing was written."
        }
        if let ended = error as? StoreWaitEnded {
            return ended.cancelled
                ? StoreError(.busy, "You stopped waiting for the store, so nothing was written.\(nothingSaved)")
                : busy(unchanged)
        }
        if let refused = error as? TextRefused {
            return StoreError(.failed, "\(refused.what) \(StorableText.nulAdvice)\(unchanged)")
        }
        if let error = error as? RoutingFailure {
            return StoreError(.failed, error.sentence + nothingSaved)
        }
        guard let error = error as? DatabaseError else {
            return StoreError(.failed, "Something went wrong while SpeakUp was \(activity): \(error.localizedDescription).\(nothingSaved)")
        }
        switch error.resultCode {
        case .SQLITE_FULL:
            return StoreError(.diskFull, "The disk holding the store is full.\(nothingSaved) Please tell IT.")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            // Which permission, or a disk mounted read-only, when the probe can tell.
            if let problem = StoreAccess().problem(at: path, need: .write) {
                return StoreError(problem.kind == .diskFull ? .diskFull : .readOnly, problem.sentence + nothingSaved)
            }
            return StoreError(.readOnly, "SpeakUp is not allowed to write to the store at \(path).\(nothingSaved) Please tell IT.")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return busy(unchanged)
        case .SQLITE_NOTADB:
            return StoreError(.notAStore, "\(path) is not a SpeakUp store (it is not an SQLite database). Please check the path; SpeakUp will not change it.")
        case .SQLITE_CORRUPT:
            return StoreError(.damaged, "The store at \(path) is damaged.\(nothingSaved) Please tell IT.")
        case .SQLITE_CANTOPEN:
            if let problem = StoreAccess().problem(at: path, need: action == "open" ? .read : .write) {
                return StoreError(problem.kind == .missing ? .missing : .cannotOpen, problem.sentence + nothingSaved)
            }
            return StoreError(.cannotOpen, "SpeakUp cannot open the store at \(path). Please check that the path and its folder exist and can be written.")
        case .SQLITE_IOERR:
            return StoreError(.failed, "The disk reported an error while SpeakUp was \(activity).\(nothingSaved) Please tell IT.")
        default:
            return StoreError(.failed, "Something went wrong while SpeakUp was \(activity) (\(error.resultCode)).\(nothingSaved) Please tell IT.")
        }
    }

    /// Another terminal kept the store for longer than this write could wait. Who it was is not
    /// said here (it would tell one member of staff that another is using SpeakUp right now):
    /// `speakup check` shows an administrator.
    private static func busy(_ unchanged: String) -> StoreError {
        StoreError(.busy, "Another terminal kept the store busy for longer than SpeakUp waits.\(unchanged) Please try again in a moment; if it keeps happening, please tell IT.")
    }
}
