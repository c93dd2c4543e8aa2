import Crypto
import Foundation
import SpeakUpCore

/// The installation's secret for same-person keys of sealed names (`SubjectKeyDigest`): a
/// report about "Dr J Smith, consultant" is kept under HMAC-SHA256 of its key under this secret,
/// so reports about one person still share a key, while someone holding only the store (a database
/// administrator, a stolen backup) cannot check a guessed name against it.
///
/// Kept outside the store, in the settings folder (`subject-key`, 64 hexadecimal digits, readable
/// by root and group speakup only), and the same on every host of a PostgreSQL store
/// (docs/security.md). Made by `speakup store subject-key`.
public struct SubjectNameSecret: SubjectKeyDigest {
    let key: SymmetricKey
    /// HMAC set up with the key once: each digest starts from a copy (setting the key up is half the cost).
    let keyed: HMAC<SHA256>

    /// The bytes of a new secret.
    public static func fresh() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    public init(bytes: [UInt8]) throws(SealingFailure) {
        guard bytes.count == 32 else { throw .unreadable("the subject-key secret (it must be 32 bytes)") }
        key = SymmetricKey(data: bytes)
        keyed = HMAC<SHA256>(key: key)
    }

    /// As kept in its file: 64 hexadecimal digits and a newline.
    public static func text(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined() + "\n"
    }

    /// Read from its file's text; nil when it is not 64 hexadecimal digits (with or without a newline).
    public init?(text: String) {
        let digits = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        guard let secret = try? SubjectNameSecret(bytes: bytes) else { return nil }
        self = secret
    }

    public func digest(_ key: SubjectKey) -> SubjectKey {
        guard case .nameAndRole(let text) = key else { return key }
        var hmac = keyed
        hmac.update(data: Data(("speakup subject key v1\n" + text).utf8))
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in hmac.finalize() { hex += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return .kept("sealed:" + String(decoding: hex, as: UTF8.self))
    }
}
