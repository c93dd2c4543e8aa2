/// The reference a reporter and a handler use to talk about one case, e.g. `SU-7KQ4-M2XD`.
///
/// References are random rather than sequential: a running number would tell
/// anyone who sees two references which report came first, and that alone can
/// narrow down who sent an anonymous one.
public struct CaseReference: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The text form, e.g. `SU-7KQ4-M2XD`.
    public let text: String

    /// Crockford's base-32 alphabet: no I, L, O or U, so nothing is misread aloud.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// Makes a new random reference (40 bits from the system's secure generator).
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> CaseReference {
        var symbols: [Character] = []
        for _ in 0..<8 { symbols.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]) }
        return CaseReference(checkedText: "SU-\(String(symbols[0..<4]))-\(String(symbols[4..<8]))")
    }

    /// Makes a new random reference from the system's secure generator.
    public static func random() -> CaseReference {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// Reads a reference typed by a person; lower case and missing dashes are forgiven.
    public init?(_ typed: String) {
        let symbols = typed.uppercased().filter { $0 != "-" && $0 != " " }
        guard symbols.hasPrefix("SU") else { return nil }
        let body = Array(symbols.dropFirst(2))
        guard body.count == 8, body.allSatisfy(CaseReference.alphabet.contains) else { return nil }
        self.text = "SU-\(String(body[0..<4]))-\(String(body[4..<8]))"
    }

    /// The start of a reference, as a person types one into a search box ("SU CF00", "su-cf00-1",
    /// "SUCF001"), written the way references are stored ("SU-CF00", "SU-CF00-1"); nil unless the
    /// text is "SU" and one to eight symbols of a reference. Spaces, dashes and case are forgiven,
    /// and the letters Crockford's alphabet leaves out are read as what they look like (O as 0, I
    /// and L as 1). A word such as "such" or "surgeon" is not a reference: after "SU" there must
    /// be a space or a dash, or a digit among the symbols.
    public static func typedPrefix(_ typed: String) -> String? {
        let trimmed = typed.trimmingCharacters(in: .whitespaces).uppercased()
        guard trimmed.hasPrefix("SU") else { return nil }
        let afterSU = trimmed.dropFirst(2)
        guard afterSU.first == "-" || afterSU.first?.isWhitespace == true || afterSU.contains(where: \.isNumber) else { return nil }
        let symbols = trimmed.filter { $0 != "-" && !$0.isWhitespace }
        let body = symbols.dropFirst(2).map { symbol -> Character in
            switch symbol {
            case "O": "0"
            case "I", "L": "1"
            default: symbol
            }
        }
        guard (1...8).contains(body.count), body.allSatisfy(alphabet.contains) else { return nil }
        let first = String(body.prefix(4))
        return body.count > 4 ? "SU-\(first)-\(String(body.dropFirst(4)))" : "SU-\(first)"
    }

    private init(checkedText: String) { self.text = checkedText }

    public var description: String { text }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let reference = CaseReference(raw) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\(raw.debugDescription) is not a case reference like SU-7KQ4-M2XD")
        }
        self = reference
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
