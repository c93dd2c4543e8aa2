/// How a cell is drawn. Meaning never rests on colour alone: every tint comes
/// with words or marks on screen, so `NO_COLOR` and monochrome terminals lose nothing.
public struct Style: Hashable, Sendable {
    /// Terminal attributes that every terminal, vt100 included, can show.
    public struct Attributes: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let bold = Attributes(rawValue: 1)
        public static let reverse = Attributes(rawValue: 2)
        public static let underline = Attributes(rawValue: 4)
        public static let dim = Attributes(rawValue: 8)
    }

    /// A colour role, shown only where colour is available and wanted.
    public enum Tint: UInt8, Hashable, Sendable, CaseIterable {
        case none, accent, attention, good
    }

    public var attributes: Attributes
    public var tint: Tint

    public init(_ attributes: Attributes = [], tint: Tint = .none) {
        self.attributes = attributes
        self.tint = tint
    }

    public static let plain = Style()
    public static let bold = Style(.bold)
    public static let bar = Style(.reverse)
    public static let selected = Style(.reverse)
    public static let heading = Style(.bold, tint: .accent)
    public static let attention = Style(.bold, tint: .attention)
    public static let good = Style(.bold, tint: .good)
    public static let quiet = Style(.dim)
}
