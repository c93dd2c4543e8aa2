import CNCurses
import Foundation
import Glibc
import SpeakUpCore

/// The one place SpeakUp calls ncurses: starting and restoring the terminal,
/// decoding keys, and painting a canvas.
public final class CursesTerminal: Terminal {
    /// Why the terminal could not be used, in a sentence a person can act on.
    public struct StartError: Error, Sendable {
        public let sentence: String
    }

    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let colours: Bool
    /// True for a terminal that is not UTF-8: no byte above 0x7F is sent (see `PlainCharacters`).
    public let plain: Bool
    /// A window change that arrived in the middle of a paste, delivered after it.
    private var resizedDuringPaste = false
    /// A key that ended a paste (Ctrl-C), delivered after it.
    private var pendingAfterPaste: [Key] = []
    private static let pasteStart = Int32(KEY_MAX) + 1
    private static let pasteEnd = Int32(KEY_MAX) + 2

    /// Takes over the terminal. `colour` is false when `NO_COLOR` is set; `plain` asks for
    /// ASCII and the terminal's own line drawing (`--ascii`, or a ward's settings), which a
    /// locale that is not UTF-8 also brings.
    public static func start(colour wanted: Bool, plain plainAsked: Bool = false) throws(StartError) -> CursesTerminal {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw StartError(sentence: "The SpeakUp form needs a terminal to type in. To read reports out, use `speakup export json`.")
        }
        let plain = TerminalLocale.choose(plainAsked: plainAsked, environment: ProcessInfo.processInfo.environment)
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        guard !term.isEmpty else {
            throw StartError(sentence: "SpeakUp cannot tell what kind of terminal this is, because TERM is not set. Try: TERM=xterm-256color speakup")
        }
        switch speakup_setupterm_status(nil) {
        case 1: break
        case 2:
            throw StartError(sentence: "The terminal type \"\(term)\" cannot move the cursor, which the SpeakUp form needs. Try: TERM=vt100 speakup")
        case -1:
            throw StartError(sentence: "No terminal descriptions (terminfo) were found on this system. Please ask IT to install ncurses-base.")
        default:
            throw StartError(sentence: "SpeakUp does not know the terminal type \"\(term)\". Try: TERM=xterm-256color speakup (or TERM=vt100).")
        }
        TerminalRestore.noteSettings()
        guard let screen = speakup_newterm() else {
            throw StartError(sentence: "SpeakUp could not start the terminal \"\(term)\". Try: TERM=vt100 speakup")
        }
        set_term(screen)
        TerminalRestore.prepare()
        let terminal = CursesTerminal(screen: screen, window: speakup_stdscr(), colours: wanted && has_colors(), plain: plain)
        TerminalRestore.install()
        return terminal
    }

    private init(screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, colours: Bool, plain: Bool) {
        self.screen = screen
        self.window = window
        self.colours = colours
        self.plain = plain
        raw()  // Ctrl-C and Ctrl-Z arrive as keys, so the form can ask before anything is lost.
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        if colours {
            start_color()
            use_default_colors()
            init_pair(1, Int16(COLOR_CYAN), -1)
            init_pair(2, Int16(COLOR_RED), -1)
            init_pair(3, Int16(COLOR_GREEN), -1)
        }
        define_key("\u{1B}[200~", CursesTerminal.pasteStart)
        define_key("\u{1B}[201~", CursesTerminal.pasteEnd)
        // People often run with a TERM that does not match their terminal (xterm's
        // name inside tmux or screen, say). Teaching ncurses every common spelling
        // of these keys keeps Home, End and the arrows working anyway.
        for (sequence, code) in KeySequences.commonSpellings { define_key(sequence, code) }
        TerminalRestore.write(TerminalRestore.bracketedPasteOn)
    }

    /// True once the terminal has hung up (SIGHUP): no more keys will come.
    public var hungUp: Bool { TerminalRestore.hungUp != 0 }

    /// Throws away keys typed ahead, e.g. a second Enter after "send", so they
    /// cannot act on the screen that follows.
    public func discardTypeahead() {
        flushinp()
    }

    /// Gives the terminal back as it was. Safe to call more than once.
    public func stop() {
        TerminalRestore.restore()
        delscreen(screen)
    }

    public var size: Size {
        Size(columns: Int(speakup_getmaxx(window)), rows: Int(speakup_getmaxy(window)))
    }

    // MARK: Keys

    public func nextKeys() -> [Key]? {
        var refused = 0
        while !hungUp {
            wtimeout(window, -1)
            if let first = readKey() {
                return hungUp ? nil : keys(after: first)
            }
            // ncurses also says "nothing" for bytes that are not UTF-8 (a meta key, a stray
            // 0xFF): only a hang-up or input that has really closed ends the session.
            refused += 1
            if inputClosed() || refused > 100_000 { return nil }  // input that is gone without a hang-up
        }
        return nil
    }

    public func nextKeys(waitingAtMost seconds: Double) -> [Key]? {
        guard !hungUp else { return nil }
        let started = Date()
        var refused = 0
        while !hungUp {
            let left = seconds - Date().timeIntervalSince(started)
            if left <= 0 { return [] }
            wtimeout(window, Int32(max(0.001, min(left, 3600)) * 1000))
            if let first = readKey() {
                return hungUp ? nil : keys(after: first)
            }
            // Nothing: the time ran out, input closed, or bytes that are not UTF-8 were refused.
            refused += 1
            if inputClosed() || refused > 100_000 { return nil }  // input that is gone without a hang-up
        }
        return nil
    }

    /// True when standard input has hung up or closed (not merely gone quiet).
    private func inputClosed() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) >= 0 else { return true }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    private func keys(after first: Key?) -> [Key] {
        var keys = [first]
        wtimeout(window, 0)
        while keys.count < 4096, pendingAfterPaste.isEmpty, let key = readKey() { keys.append(key) }
        keys += pendingAfterPaste.map(Optional.some)
        pendingAfterPaste = []
        if resizedDuringPaste {
            resizedDuringPaste = false
            keys.append(.resize(size))
        }
        return KeySequences.droppingUnknownSequences(keys.compactMap { $0 })
    }

    /// Reads one event. `nil` when nothing is waiting (or input closed);
    /// `.some(nil)` for a byte that means nothing to the form.
    private func readKey() -> Key?? {
        var value: wint_t = 0
        let result = wget_wch(window, &value)
        if result == ERR { return nil }
        if result == speakup_key_code_yes() {
            if Int32(value) == CursesTerminal.pasteStart { return .some(readPaste()) }
            return .some(Self.decode(code: Int32(value), size: size))
        }
        return .some(Self.decode(character: UInt32(value)))
    }

    /// Collects a bracketed paste into one event, every character kept as pasted.
    ///
    /// ncurses' key decoding is switched off for the paste, so a pasted `ESC [ H` stays
    /// those three characters (decoded, it would become the Home key and come back as
    /// terminfo's spelling of it). A paste whose end never comes must not swallow the
    /// keyboard: it ends at the end marker, after `PasteRules.quiet` seconds without a
    /// byte, after `PasteRules.longest` seconds in all, or at a Ctrl-C, which then acts.
    private func readPaste() -> Key {
        var collector = PasteCollector()
        keypad(window, false)
        defer {
            keypad(window, true)
            wtimeout(window, 0)
        }
        let started = Date()
        while true {
            let left = PasteRules.longest - Date().timeIntervalSince(started)
            if left <= 0 { break }
            wtimeout(window, Int32(min(PasteRules.quiet, left) * 1000))
            var value: wint_t = 0
            let result = wget_wch(window, &value)
            if result == ERR { break }  // quiet for too long (or input closed): the paste is over
            if result == speakup_key_code_yes() {
                if Int32(value) == speakup_key_resize() { resizedDuringPaste = true }
                continue
            }
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            switch collector.take(scalar) {
            case .more: continue
            case .ended: break
            case .interrupted:
                pendingAfterPaste.append(.control("c"))
            }
            break
        }
        return .paste(collector.text)
    }

    static func decode(character value: UInt32) -> Key? {
        switch value {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x1B: return .escape
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(value + 0x60)!))
        case 0x00...0x1F: return nil  // other control keys do nothing in the form
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    static func decode(code: Int32, size: Size) -> Key? {
        switch code {
        case speakup_key_resize(): return .resize(size)
        case speakup_key_up(): return .up
        case speakup_key_down(): return .down
        case speakup_key_left(): return .left
        case speakup_key_right(): return .right
        case speakup_key_home(): return .home
        case speakup_key_end(): return .end
        case speakup_key_ppage(): return .pageUp
        case speakup_key_npage(): return .pageDown
        case speakup_key_backspace(): return .backspace
        case speakup_key_dc(): return .delete
        case speakup_key_enter(): return .enter
        case speakup_key_btab(): return .backTab
        case KeySequences.wordLeftCode: return .wordLeft
        case KeySequences.wordRightCode: return .wordRight
        default:
            for number in 1...12 where code == speakup_key_f(Int32(number)) { return .function(number) }
            return nil
        }
    }


    // MARK: Painting

    public func draw(_ canvas: Canvas) {
        let rows = min(canvas.size.rows, size.rows)
        let columns = min(canvas.size.columns, size.columns)
        werase(window)
        var characters = [wchar_t](repeating: 0, count: Int(CCHARW_MAX) + 1)
        var cell = cchar_t()
        for row in 0..<rows {
            for column in 0..<columns {
                let source = canvas[row, column]
                let (attributes, pair) = cursesStyle(source.style)
                switch source.glyph {
                case .continuation:
                    continue
                case .line(let piece) where plain:
                    mvwaddch(window, Int32(row), Int32(column), Self.plainLineCharacter(piece) | chtype(attributes))
                    continue
                case .line(let piece):
                    var line = Self.lineCharacter(piece).pointee
                    line.attr |= attributes
                    mvwadd_wch(window, Int32(row), Int32(column), &line)
                    continue
                case .text(let character) where plain && !character.isASCII:
                    let standIn = PlainCharacters.standIn(for: character, cells: CellWidth.of(character))
                    for (offset, scalar) in standIn.unicodeScalars.enumerated() where column + offset < columns {
                        characters[0] = wchar_t(bitPattern: scalar.value)
                        characters[1] = 0
                        setcchar(&cell, characters, attributes, pair, nil)
                        mvwadd_wch(window, Int32(row), Int32(column + offset), &cell)
                    }
                    continue
                case .text(let character):
                    var count = 0
                    for scalar in character.unicodeScalars where count < Int(CCHARW_MAX) {
                        characters[count] = wchar_t(bitPattern: scalar.value)
                        count += 1
                    }
                    characters[count] = 0
                }
                setcchar(&cell, characters, attributes, pair, nil)
                mvwadd_wch(window, Int32(row), Int32(column), &cell)
            }
        }
        if let cursor = canvas.cursor, cursor.row < rows, cursor.column < columns {
            curs_set(1)
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wrefresh(window)
    }

    private func cursesStyle(_ style: Style) -> (attr_t, Int16) {
        var attributes = speakup_a_normal()
        if style.attributes.contains(.bold) { attributes |= speakup_a_bold() }
        if style.attributes.contains(.reverse) { attributes |= speakup_a_reverse() }
        if style.attributes.contains(.underline) { attributes |= speakup_a_underline() }
        if style.attributes.contains(.dim) { attributes |= speakup_a_dim() }
        guard colours else { return (attributes, 0) }
        switch style.tint {
        case .none: return (attributes, 0)
        case .accent: return (attributes, 1)
        case .attention: return (attributes, 2)
        case .good: return (attributes, 3)
        }
    }

    private static func plainLineCharacter(_ piece: Canvas.Line) -> chtype {
        switch piece {
        case .horizontal: speakup_acs_hline()
        case .vertical: speakup_acs_vline()
        case .topLeft: speakup_acs_ulcorner()
        case .topRight: speakup_acs_urcorner()
        case .bottomLeft: speakup_acs_llcorner()
        case .bottomRight: speakup_acs_lrcorner()
        }
    }

    private static func lineCharacter(_ piece: Canvas.Line) -> UnsafePointer<cchar_t> {
        switch piece {
        case .horizontal: speakup_wacs_hline()
        case .vertical: speakup_wacs_vline()
        case .topLeft: speakup_wacs_ulcorner()
        case .topRight: speakup_wacs_urcorner()
        case .bottomLeft: speakup_wacs_llcorner()
        case .bottomRight: speakup_wacs_lrcorner()
        }
    }
}
