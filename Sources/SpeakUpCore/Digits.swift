/// Numbers as fixed-width text without Foundation's `String(format:)`, whose first use
/// starts CoreFoundation and its locale data: about 6 MiB of a form's memory, measured.
extension Int {
    /// `10000.grouped` is "10,000", whatever the locale: SpeakUp's words are British English
    /// wherever it runs (Foundation's `formatted()` follows the locale, so "10.000" in Germany).
    public var grouped: String {
        let digits = Array(String(Swift.abs(self)))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return self < 0 ? "-" + text : text
    }

    /// A count with its noun, singular for one: `1.counted("report")` is "1 report",
    /// `3.counted("person", "people")` is "3 people", `1200.counted("row")` "1,200 rows".
    public func counted(_ singular: String, _ plural: String? = nil) -> String {
        "\(grouped) \(self == 1 ? singular : plural ?? singular + "s")"
    }

    /// `5.zeroPadded(2)` is "05".
    public func zeroPadded(_ width: Int) -> String {
        let digits = String(Swift.abs(self))
        let padded = String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
        return self < 0 ? "-" + padded : padded
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex, two digits a byte.
    /// (Written as bytes, not characters: digests are turned to hex for every event an erasure or
    /// a check touches, and appending characters one by one was most of an erasure's digest work.)
    public var hex: String {
        var digits: [UInt8] = []
        digits.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            digits.append(Self.hexDigit(byte >> 4))
            digits.append(Self.hexDigit(byte & 0x0F))
        }
        return String(decoding: digits, as: UTF8.self)
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? 0x30 + value : 0x57 + value  // "0"..."9", "a"..."f"
    }
}

extension String {
    /// Right-aligned in `width` columns (for figures in a table).
    public func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
