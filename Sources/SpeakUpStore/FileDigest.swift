import Crypto
import Foundation

/// The SHA-256 of a file's bytes as written, so a record of it (a subject access disclosure's, in the
/// audit trail) can be checked against the file with `sha256sum`.
public enum FileDigest {
    public static func sha256(_ bytes: Data) -> Data { Data(SHA256.hash(data: bytes)) }

    /// Lower-case hex, as `sha256sum` prints it.
    public static func hex(_ digest: Data) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
