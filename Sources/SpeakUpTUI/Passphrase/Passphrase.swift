import SpeakUpCore

/// What the passphrase screen asks its session to do.
public enum PassphraseEffect: Hashable, Sendable {
    /// Make the handler's key, locked under `passphrase` (typed twice).
    case choose(passphrase: String, again: String)
    /// Unlock the handler's key.
    case unlock(passphrase: String)
    /// Make a new key under a new passphrase, in place of one whose passphrase is forgotten.
    case replace(passphrase: String, again: String)
    /// Lock the handler's key under a new passphrase.
    case change(current: String, new: String, again: String)
    /// The handler left.
    case leave
}

/// The passphrase screen's keys: a pure function from state and key to state and effects.
public enum Passphrase {
    public static func update(_ state: inout PassphraseState, _ key: Key) -> [PassphraseEffect] {
        if case .resize(let size) = key {
            state.size = size
            return []
        }
        guard case .typing(let step) = state.phase else { return [] }
        switch key {
        case .control("c"):
            state.phase = .left
            return [.leave]
        case .escape:
            guard let index = state.steps.firstIndex(of: step), index > 0 else {
                state.phase = .left
                return [.leave]
            }
            // Back one step, with nothing typed kept.
            state.phase = .typing(state.steps[index - 1])
            state.field.setText("")
            state.notice = nil
            return []
        case .enter:
            let typed = state.field.text
            guard !typed.isEmpty else {
                state.notice = .problem(step == .again ? "Please type the same passphrase again." : "Please type your passphrase, then press Enter.")
                return []
            }
            // A new passphrase that could not be chosen is said at once, before it is typed again.
            if step == .new, let problem = PassphraseRule.problem(with: typed, login: state.login) {
                state.field.setText("")
                state.notice = .problem(problem)
                return []
            }
            state.field.setText("")
            state.notice = nil
            switch step {
            case .current: state.current = typed
            case .new: state.new = typed
            case .again: break
            }
            if let index = state.steps.firstIndex(of: step), index + 1 < state.steps.count {
                state.phase = .typing(state.steps[index + 1])
                return []
            }
            state.phase = .checking
            switch state.purpose {
            case .choose: return [.choose(passphrase: state.new, again: typed)]
            case .replace: return [.replace(passphrase: state.new, again: typed)]
            case .unlock: return [.unlock(passphrase: state.current)]
            case .change: return [.change(current: state.current, new: state.new, again: typed)]
            }
        default:
            _ = state.field.handle(key)
            return []
        }
    }

    /// The attempt worked.
    public static func finished(_ state: inout PassphraseState) {
        state.phase = .finished
        state.forget()
    }

    /// The attempt was refused: the sentence is shown and the handler starts again at the first
    /// step, with nothing they typed kept.
    public static func refused(_ state: inout PassphraseState, _ sentence: String) {
        state.forget()
        state.phase = .typing(state.steps[0])
        state.notice = .problem(sentence)
    }
}

extension PassphraseState {
    /// Lets go of every passphrase typed.
    mutating func forget() {
        current = ""
        new = ""
        field.setText("")
    }
}
