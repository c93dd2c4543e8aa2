import CNCurses
import Glibc

/// Gives the terminal back on every way out: a normal exit, SIGTERM, SIGHUP (after the session has kept its draft),
/// SIGINT, and crashes (SIGSEGV, SIGABRT, SIGILL, SIGTRAP, SIGBUS, SIGFPE),
/// after which the crash signal is raised again so the exit status tells the truth.
enum TerminalRestore {
    static let bracketedPasteOn = "\u{1B}[?2004h"
    static let bracketedPasteOff = "\u{1B}[?2004l"

    /// Written only before signal handlers could run, read inside them.
    nonisolated(unsafe) static var active = false

    /// Set by SIGHUP: the terminal has gone away.
    nonisolated(unsafe) static var hungUp: sig_atomic_t = 0

    /// What a signal handler may do without ncurses (which is not safe inside one): the bytes
    /// that clear the screen, leave the alternate screen, show the cursor and end bracketed
    /// paste, worked out before any handler can run, and the terminal's settings from before.
    nonisolated(unsafe) private static var farewell: UnsafeMutablePointer<UInt8>? = nil
    nonisolated(unsafe) private static var farewellCount = 0
    nonisolated(unsafe) private static var original: UnsafeMutablePointer<termios>? = nil

    /// Notes the terminal's settings as they were; call before newterm.
    static func noteSettings() {
        let settings = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        if tcgetattr(STDIN_FILENO, settings) == 0 { original = settings }
    }

    /// Works out the farewell bytes from the terminal's description; call after newterm.
    static func prepare() {
        var bytes: [UInt8] = []
        for capability in ["sgr0", "clear", "rmcup", "cnorm"] {
            if let value = tigetstr(capability), Int(bitPattern: value) > 0 {
                bytes += Array(String(cString: value).utf8)
            }
        }
        bytes += Array(bracketedPasteOff.utf8)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        farewell = buffer
        farewellCount = bytes.count
    }

    /// The terminal given back from inside a signal handler: only write(2) and tcsetattr(3).
    static func restoreFromSignal() {
        guard active else { return }
        active = false
        if let farewell { _ = Glibc.write(STDOUT_FILENO, farewell, farewellCount) }
        if let original { _ = tcsetattr(STDIN_FILENO, TCSANOW, original) }
    }

    static func install() {
        active = true
        // A parent may have started us with signals blocked; resizing and
        // restoring depend on seeing these.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for signal in [SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGABRT, SIGILL, SIGTRAP, SIGBUS, SIGFPE] {
            sigaddset(&wanted, signal)
        }
        pthread_sigmask(SIG_UNBLOCK, &wanted, nil)
        for signal in [SIGTERM, SIGINT, SIGQUIT] {
            Glibc.signal(signal, restoreAndExit)
        }
        // A hang-up (a dropped SSH connection, a closed window) only raises a flag and
        // interrupts the read (no SA_RESTART): the session then keeps the reporter's
        // draft, answers and all, before the program ends.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = noteHangUp
        action.sa_flags = 0
        sigemptyset(&action.sa_mask)
        sigaction(SIGHUP, &action, nil)
        for signal in [SIGSEGV, SIGABRT, SIGILL, SIGTRAP, SIGBUS, SIGFPE] {
            Glibc.signal(signal, restoreAndReraise)
        }
    }

    /// Wipes the screen, then leaves curses mode and bracketed paste. Safe to call more than once.
    static func restore() {
        guard active else { return }
        active = false
        // Terminals without an alternate screen (vt100, serial lines) would keep
        // the last frame, perhaps a reference or a receipt code, for the next
        // person to read: wipe it first.
        erase()
        refresh()
        write(bracketedPasteOff)
        endwin()
    }

    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = Glibc.write(STDOUT_FILENO, &bytes, bytes.count)
    }
}

private func noteHangUp(_ signal: Int32) {
    TerminalRestore.hungUp = 1
}

private func restoreAndExit(_ signal: Int32) {
    TerminalRestore.restoreFromSignal()
    _exit(128 + signal)
}

private func restoreAndReraise(_ signal: Int32) {
    TerminalRestore.restoreFromSignal()
    Glibc.signal(signal, SIG_DFL)
    raise(signal)
}
