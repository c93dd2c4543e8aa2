import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpTUI

@Suite("The passphrase screen: choosing, unlocking and changing, typed but never drawn")
struct PassphraseScreenTests {
    static func type(_ text: String, into state: inout PassphraseState) -> [PassphraseEffect] {
        var effects: [PassphraseEffect] = []
        for character in text { effects += Passphrase.update(&state, .character(character)) }
        return effects + Passphrase.update(&state, .enter)
    }

    static func render(_ state: PassphraseState) -> Canvas {
        var canvas = Canvas(size: state.size)
        PassphraseView.render(state, into: &canvas)
        return canvas
    }

    @Test("choosing: the passphrase, then the same again, then one effect with both; nothing typed is drawn")
    func choose() {
        var state = PassphraseState(size: .minimum, purpose: .choose, login: "gita")
        #expect(Self.type("blue kettle morning", into: &state).isEmpty)
        #expect(state.phase == .typing(.again))
        for character in "blue kettle morning" { _ = Passphrase.update(&state, .character(character)) }
        let screen = Self.render(state).text
        #expect(!screen.contains("kettle"))
        #expect(screen.contains(String(repeating: "*", count: 19)))
        #expect(Passphrase.update(&state, .enter) == [.choose(passphrase: "blue kettle morning", again: "blue kettle morning")])
        #expect(state.phase == .checking)
        #expect(Self.render(state).text.contains("Checking…"))
        Passphrase.finished(&state)
        #expect(state.phase == .finished)
        #expect(state.new.isEmpty && state.field.text.isEmpty, "nothing typed is kept once done")
    }

    @Test("a passphrase that cannot be chosen is said at once, before it is typed again")
    func weakAtOnce() {
        var state = PassphraseState(size: .minimum, purpose: .choose, login: "gita")
        #expect(Self.type("kettle", into: &state).isEmpty)
        #expect(state.phase == .typing(.new))
        #expect(state.notice?.text.contains("at least 12 characters") == true)
        #expect(Self.type("", into: &state).isEmpty)
        #expect(state.notice?.text.contains("Please type your passphrase") == true)
    }

    @Test("unlocking is one step; a refusal says why, starts again and keeps nothing typed")
    func unlockRefused() {
        var state = PassphraseState(size: .minimum, purpose: .unlock, login: "gita")
        #expect(Self.type("blue kettle evening", into: &state) == [.unlock(passphrase: "blue kettle evening")])
        Passphrase.refused(&state, "That passphrase does not open your key. Check Caps Lock and try again.")
        #expect(state.phase == .typing(.current))
        #expect(state.current.isEmpty && state.field.text.isEmpty)
        #expect(Self.render(state).text.contains("does not open your key"))
    }

    @Test("changing: now, new, again; Esc goes back a step, and from the first step leaves, as Ctrl-C does at any step")
    func change() {
        var state = PassphraseState(size: .minimum, purpose: .change, login: "gita")
        #expect(Self.type("blue kettle morning", into: &state).isEmpty)
        #expect(Self.type("green teapot evening", into: &state).isEmpty)
        #expect(state.phase == .typing(.again))
        #expect(Passphrase.update(&state, .escape).isEmpty)
        #expect(state.phase == .typing(.new))
        #expect(Self.type("green teapot evening", into: &state).isEmpty)
        #expect(Self.type("green teapot evening", into: &state)
            == [.change(current: "blue kettle morning", new: "green teapot evening", again: "green teapot evening")])
        var leaving = PassphraseState(size: .minimum, purpose: .change, login: "gita")
        #expect(Passphrase.update(&leaving, .escape) == [.leave])
        var stopping = PassphraseState(size: .minimum, purpose: .choose, login: "gita")
        _ = Self.type("blue kettle morning", into: &stopping)
        #expect(Passphrase.update(&stopping, .control("c")) == [.leave])
    }

    @Test func snapshots() {
        var state = PassphraseState(size: .minimum, purpose: .choose, login: "gita")
        for character in "blue kettle" { _ = Passphrase.update(&state, .character(character)) }
        assertSnapshot(Self.render(state), named: "passphrase-1-choose")
        assertPlainSnapshot(Self.render(state), named: "passphrase-1-choose-plain")
        var unlock = PassphraseState(size: .minimum, purpose: .unlock, login: "gita")
        _ = Self.type("blue kettle evening", into: &unlock)
        Passphrase.refused(&unlock, "That passphrase does not open your key (4 wrong in a row, which is recorded). Please wait 5 seconds before trying again; if you have forgotten it, your IT team can give you access again with the trust's recovery key.")
        assertSnapshot(Self.render(unlock), named: "passphrase-2-unlock-refused")
    }

    @Test("the session: a refusal drops keys typed while checking, and a right passphrase ends it")
    func session() {
        let keys: [[Key]] = [Array("blue kettle evening").map { .character($0) } + [.enter], [.character("x")],
                             Array("blue kettle morning").map { .character($0) } + [.enter]]
        let terminal = TestTerminal(batches: keys, typedAhead: [1])
        var tried: [PassphraseEffect] = []
        let done = PassphraseSession.run(on: terminal, purpose: .unlock, login: "gita") { effect in
            tried.append(effect)
            return effect == .unlock(passphrase: "blue kettle morning") ? nil : "That passphrase does not open your key."
        }
        #expect(done)
        #expect(tried == [.unlock(passphrase: "blue kettle evening"), .unlock(passphrase: "blue kettle morning")])
        #expect(terminal.dropped == [[.character("x")]])
        let left = TestTerminal(keys: [.escape])
        #expect(!PassphraseSession.run(on: left, purpose: .unlock, login: "gita") { _ in nil })
    }
}
