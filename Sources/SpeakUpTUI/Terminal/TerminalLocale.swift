import CNCurses
import Glibc

/// Makes sure ncurses runs in a UTF-8 locale.
///
/// Many hosts (and this project's CI) have no LANG set, which leaves the C
/// locale: boxes then draw as `lqqk` and non-ASCII input breaks. When the
/// user's locale is not UTF-8, C.UTF-8 is used instead.
enum TerminalLocale {
    static func chooseUTF8() {
        setlocale(LC_ALL, "")
        if speakup_locale_is_utf8() == 1 { return }
        if setlocale(LC_ALL, "C.UTF-8") == nil {
            setlocale(LC_ALL, "C.utf8")
        }
    }
}
