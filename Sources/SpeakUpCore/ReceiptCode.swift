/// The code an anonymous reporter keeps to come back to their case: 16 digits
/// in groups of four, from the system's secure random source. Shown once; the
/// store keeps only a slow salted hash of it.
public struct ReceiptCode: Hashable, Sendable, CustomStringConvertible {
    /// The 16 digits, without spaces.
    public let digits: String

    /// A new code from the system's secure generator (getrandom on Linux).
    public static func random() -> ReceiptCode {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> ReceiptCode {
        ReceiptCode(checked: String((0..<16).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) }))
    }

    /// Reads a code as a person types it: spaces and dashes are forgiven.
    public init?(typed: String) {
        let kept = typed.filter { $0 != " " && $0 != "-" }
        guard kept.count == 16, kept.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        digits = kept
    }

    private init(checked: String) { digits = checked }

    /// `1234 5678 9012 3456`.
    public var description: String {
        stride(from: 0, to: 16, by: 4).map { start in
            let from = digits.index(digits.startIndex, offsetBy: start)
            return String(digits[from..<digits.index(from, offsetBy: 4)])
        }.joined(separator: " ")
    }
}
