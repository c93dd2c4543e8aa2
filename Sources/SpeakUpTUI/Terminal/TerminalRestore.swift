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
    TerminalRestore.restore()
    _exit(128 + signal)
}

private func restoreAndReraise(_ signal: Int32) {
    TerminalRestore.restore()
    Glibc.signal(signal, SIG_DFL)
    raise(signal)
}
