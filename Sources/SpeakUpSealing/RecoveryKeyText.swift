import Crypto
import Foundation
import SpeakUpCore

/// The trust recovery key's private half as printed once at install, for safe keeping offline.
///
/// 32 key bytes and a 2-byte check (the start of their SHA-256) in Crockford's base 32: 55 characters
/// in eleven groups of five, after the words "SPEAKUP RECOVERY". Reading it back forgives case, spaces,
/// dashes, the words at the front, and the letters people confuse (O for 0, I and L for 1); a mistyped
/// character is caught by the check, which says so rather than opening nothing in silence.
public enum RecoveryKeyText {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let prefix = "SPEAKUP RECOVERY"
    static let characters = 55

    /// The text to print for a key pair.
    public static func text(for pair: SealingKeyPair) -> String {
        let key = pair.privateBytes
        let payload = key + Array(SHA256.hash(data: key).prefix(2))
        let symbols = encode(payload)
        let groups = stride(from: 0, to: symbols.count, by: 5).map { String(symbols[$0..<min($0 + 5, symbols.count)]) }
        return prefix + " " + groups.joined(separator: "-")
    }

    /// Reads a recovery key as typed back.
    public static func keyPair(from typed: String) throws(SealingFailure) -> SealingKeyPair {
        var body = typed.uppercased()
        for word in ["SPEAKUP", "RECOVERY"] { body = body.replacingOccurrences(of: word, with: "") }
        var symbols: [Character] = []
        for character in body where !(character == "-" || character.isWhitespace) {
            let read: Character = switch character {
            case "O": "0"
            case "I", "L": "1"
            default: character
            }
            guard alphabet.contains(read) else {
                let position = symbols.count
                throw .recoveryKeyMistyped("“\(SafeText.displayable(String(character)))” in group \(position / 5 + 1) is not a character recovery keys use.")
            }
            symbols.append(read)
        }
        guard symbols.count == characters else {
            throw .recoveryKeyMistyped("it has \(symbols.count) characters, and a recovery key has \(characters).")
        }
        let payload = decode(symbols)
        let key = Array(payload[0..<32])
        guard Array(payload[32..<34]) == Array(SHA256.hash(data: key).prefix(2)) else {
            throw .recoveryKeyMistyped("a character is mistyped or two are swapped.")
        }
        return try SealingKeyPair(privateBytes: key)
    }

    /// Reads a recovery key and checks it is the trust's: its public half must be the one the store keeps.
    public static func keyPair(from typed: String, matching trustKey: SealingPublicKey) throws(SealingFailure) -> SealingKeyPair {
        let pair = try keyPair(from: typed)
        guard pair.publicKey == trustKey else { throw .recoveryKeyDoesNotMatch }
        return pair
    }

    static func encode(_ bytes: [UInt8]) -> [Character] {
        var symbols: [Character] = []
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                symbols.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { symbols.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return symbols
    }

    static func decode(_ symbols: [Character]) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = 0, bits = 0
        for symbol in symbols {
            buffer = (buffer << 5) | alphabet.firstIndex(of: symbol)!
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
            buffer &= (1 << bits) - 1
        }
        return bytes
    }
}
