import PostgresNIO
import SpeakUpCore

/// The TLS a TCP connection uses, from the address's `sslmode`, `sslrootcert`, `sslcert` and
/// `sslkey`, through swift-nio-ssl as postgres-nio takes it.
enum PostgresTLS {
    /// `.disable` for a Unix socket or `sslmode=disable`; otherwise TLS required, with the
    /// server's certificate checked against its host name for `verify-full`.
    static func configuration(for address: PostgresAddress) throws(StoreError) -> PostgresConnection.Configuration.TLS {
        guard let mode = address.tls, mode != .disable else { return .disable }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = mode == .verifyFull ? .fullVerification : .none
        do {
            if let root = address.rootCertificate {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(root))
            }
            if let certificate = address.clientCertificate, let key = address.clientKey {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
            return .require(try NIOSSLContext(configuration: tls))
        } catch {
            let files = [address.rootCertificate, address.clientCertificate, address.clientKey].compactMap { $0 }
            throw StoreError(.cannotOpen, files.isEmpty
                ? "SpeakUp could not set up TLS for the store (\(error)). Please tell IT."
                : "SpeakUp could not read the TLS files named in the store's address (\(files.joined(separator: ", "))): \(error). Please check that they exist, are PEM files and can be read by the speakup group.")
        }
    }
}
