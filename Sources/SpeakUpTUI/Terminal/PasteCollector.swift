/// How long a bracketed paste may keep the keyboard.
enum PasteRules {
    /// Seconds without a byte that end a paste whose end marker never came. A real paste
    /// arrives as a burst; a person pressing keys to get a response is slower than this.
    static let quiet = 0.5
    /// Seconds a paste may last in all, however fast the bytes keep coming.
    static let longest = 10.0
}

/// Gathers the characters of a bracketed paste, exactly as they came, until the end
/// marker (`ESC [ 2 0 1 ~`) or a Ctrl-C, which no paste needs and which must always act.
struct PasteCollector {
    enum Step: Equatable {
        case more, ended, interrupted
    }

    private(set) var scalars = String.UnicodeScalarView()
    private static let endMarker = Array("\u{1B}[201~".unicodeScalars)

    var text: String { String(scalars) }

    mutating func take(_ scalar: Unicode.Scalar) -> Step {
        if scalar == "\u{03}" { return .interrupted }
        scalars.append(scalar)
        if scalar == "~", scalars.count >= Self.endMarker.count, scalars.suffix(Self.endMarker.count).elementsEqual(Self.endMarker) {
            scalars.removeLast(Self.endMarker.count)
            return .ended
        }
        return .more
    }
}
