/// The one key model every SpeakUp screen follows: the reporter form, follow-up, the
/// handlers' workspace, and the ward and kiosk welcome.
///
/// Key bars and help take their words from here, so a key means the same thing on
/// every screen and the bar cannot promise what the key does not do.
public enum KeyModel {
    /// A key and what it does, as the key bar shows it.
    public struct Binding: Hashable, Sendable {
        public let keys: String
        public let action: String

        public init(_ keys: String, _ action: String) {
            self.keys = keys
            self.action = action
        }

        /// The same key, said differently for one screen ("choose" → "open").
        public func saying(_ action: String) -> Binding { Binding(keys, action) }
    }

    /// ↑↓ move the highlight in a list.
    public static let move = Binding("↑↓", "move")
    /// ↑↓ scroll a page that is longer than the window.
    public static let scroll = Binding("↑↓", "scroll")
    /// Enter chooses what is highlighted (or opens it).
    public static let choose = Binding("Enter", "choose")
    /// Enter in a one-line box goes to the next answer.
    public static let nextFromLine = Binding("Enter", "next")
    /// Enter in a writing box starts a new line.
    public static let newLine = Binding("Enter", "new line")
    /// Tab goes to the next answer (and past the last one, to the next page).
    public static let next = Binding("Tab", "next")
    /// Tab leaves a writing box for what can be done with the words.
    public static let doneWriting = Binding("Tab", "done")
    /// Space ticks a box or an item in a list that takes several.
    public static let tick = Binding("Space", "tick")
    /// S sends, only on a page that shows everything being sent.
    public static let send = Binding("S", "send")
    /// Esc goes back one level; where something could be lost, it asks first.
    public static let back = Binding("Esc", "back")
    /// Ctrl-C leaves; it asks first if anything would be lost.
    public static let leave = Binding("Ctrl-C", "leave")
    /// ? opens help (F1 where ? would be typed).
    public static let help = Binding("?", "help")
    public static let helpWhileTyping = Binding("F1", "help")

    /// The whole model in words, for help screens and docs/reporting.md.
    public static let table: [(keys: String, meaning: String)] = [
        ("↑ ↓", "move through a list, or scroll a long page"),
        ("Enter", "choose what is highlighted, or open it; in a one-line box, go to the next answer; in a writing box, start a new line"),
        ("Space", "tick or untick (a box, or a list that takes several answers)"),
        ("Tab  Shift-Tab", "next or previous answer; past the last answer, the next page; Tab also finishes a writing box"),
        ("S", "send, on the page that shows everything that will be sent"),
        ("Esc", "back one level: a page, a case, a list; SpeakUp asks before anything could be lost or before it ends"),
        ("Ctrl-C", "leave SpeakUp; it asks first if anything would be lost"),
        ("?  F1", "help (F1 while typing)"),
        ("Ctrl-A Ctrl-E", "in a one-line box: to the start or the end"),
        ("Ctrl-U Ctrl-K Ctrl-W", "in a one-line box: clear before the cursor, after it, or the word before it"),
    ]
}
