/// Runs the passphrase screen on a terminal until the key is unlocked (made, changed) or the
/// handler leaves. `attempt` carries out each effect and gives a refusal's sentence, or nil when it
/// worked; the screen draws "Checking…" before it, since each try costs a deliberate moment.
public enum PassphraseSession {
    /// True when the attempt worked; false when the handler left or the terminal closed.
    public static func run(on terminal: some Terminal, purpose: PassphraseState.Purpose, login: String, notice: String? = nil,
                           attempt: (PassphraseEffect) -> String?) -> Bool {
        var state = PassphraseState(size: terminal.size, purpose: purpose, login: login, notice: notice.map { .problem($0) })
        draw(state, on: terminal)
        while let keys = terminal.nextKeys() {
            keys: for key in keys {
                for effect in Passphrase.update(&state, key) {
                    if effect == .leave { return false }
                    draw(state, on: terminal)
                    if let refusal = attempt(effect) {
                        Passphrase.refused(&state, refusal)
                        // Keys typed while the try was checked belong to no field: they are dropped.
                        terminal.discardTypeahead()
                        break keys
                    }
                    Passphrase.finished(&state)
                    return true
                }
            }
            draw(state, on: terminal)
        }
        return false
    }

    static func draw(_ state: PassphraseState, on terminal: some Terminal) {
        var canvas = Canvas(size: state.size)
        PassphraseView.render(state, into: &canvas)
        terminal.draw(canvas)
    }
}
