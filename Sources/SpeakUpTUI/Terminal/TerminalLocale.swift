import CNCurses
import Glibc

/// Chooses the locale ncurses runs in, and whether the screen must be drawn in
/// plain characters (ASCII and the terminal's own line drawing) for a terminal
/// that is not UTF-8.
///
/// Many hosts (and this project's CI) have no LANG set, or C or POSIX, which is
/// the common case over SSH: C.UTF-8 is used then, as nearly every terminal today
/// is UTF-8. A locale that names another character set (`en_GB.ISO-8859-1`, or
/// plain `en_GB`, which is Latin-1) says the terminal is not UTF-8: the screen is
/// then drawn plain, as it is when `--ascii` or a ward's settings ask for it.
enum TerminalLocale {
    /// What the environment says about the terminal's characters.
    enum Reading: Equatable {
        /// No locale, C or POSIX: UTF-8 is assumed.
        case unset
        /// A UTF-8 locale.
        case utf8
        /// A locale naming another character set.
        case other(String)
    }

    /// The locale the environment asks for, in the order the C library reads it.
    static func reading(_ environment: [String: String]) -> Reading {
        let asked = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        if asked.isEmpty || asked == "C" || asked == "POSIX" { return .unset }
        let codeset = asked.split(separator: "@").first.map { $0.split(separator: ".").dropFirst().first.map(String.init) ?? "" } ?? ""
        let folded = codeset.lowercased().filter { $0 != "-" && $0 != "_" }
        return folded == "utf8" ? .utf8 : .other(asked)
    }

    /// Sets the locale; returns true when the screen must be drawn in plain characters.
    static func choose(plainAsked: Bool, environment: [String: String]) -> Bool {
        let reading = reading(environment)
        var plain = plainAsked
        if setlocale(LC_ALL, "") != nil, speakup_locale_is_utf8() == 1 {
            // A UTF-8 locale that exists: used as it is.
        } else if case .other = reading {
            // Not UTF-8: its own locale if it is installed, so what is typed is read in its
            // character set. If it is not installed, C.UTF-8 reads what is typed (a terminal
            // left with a wrong LANG is most often UTF-8 after all). Either way the screen is
            // drawn plain.
            plain = true
            if setlocale(LC_ALL, "") == nil, setlocale(LC_ALL, "C.UTF-8") == nil { setlocale(LC_ALL, "C.utf8") }
        } else if setlocale(LC_ALL, "C.UTF-8") == nil {
            setlocale(LC_ALL, "C.utf8")
        }
        if plain {
            // Boxes are then drawn with ncurses' narrow ACS characters, which in a UTF-8 locale it
            // sends as Unicode when this says 1 (as PuTTY users often set); 0 keeps the terminal's
            // own 7-bit line-drawing set (terminfo acsc).
            setenv("NCURSES_NO_UTF8_ACS", "0", 1)
        }
        return plain
    }
}
