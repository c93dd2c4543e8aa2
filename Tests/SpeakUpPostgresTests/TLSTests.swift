import Foundation
import PostgresNIO
import Testing
import SpeakUpCore
@testable import SpeakUpPostgres

/// Over TCP the store is reached only through TLS: the server's certificate checked against the
/// authority the address names (`sslmode=verify-full`, the default), and refused when it does not hold.
@Suite("PostgreSQL over TLS: the server's certificate checked", .serialized)
struct TLSTests {
    /// A certificate authority and a server certificate for 127.0.0.1 and localhost, made with openssl,
    /// in `folder`; and a second authority that signed nothing.
    static func certificates(in folder: String) throws {
        let steps = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=SpeakUp test authority",
             "-keyout", "ca.key", "-out", "ca.crt"],
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Another authority",
             "-keyout", "other.key", "-out", "other.crt"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
             "-extfile", "san.ext", "-out", "server.crt"],
        ]
        try "subjectAltName = IP:127.0.0.1, DNS:localhost\n".write(toFile: folder + "/san.ext", atomically: true, encoding: .utf8)
        for step in steps {
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = step
            openssl.currentDirectoryURL = URL(fileURLWithPath: folder)
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            #expect(openssl.terminationStatus == 0, "openssl \(step.joined(separator: " "))")
        }
    }

    /// Switches TLS on in the test cluster (connections without TLS carry on as before).
    static func switchOn(_ database: TestDatabase, certificates folder: String) throws {
        let data = database.cluster.folder + "/data"
        for name in ["server.crt", "server.key"] {
            try? FileManager.default.removeItem(atPath: data + "/" + name)
            try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: data + "/" + name)
            if getuid() == 0 { try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: data + "/" + name) }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: data + "/" + name)
        }
        try database.cluster.sql("ALTER SYSTEM SET ssl_cert_file = '\(data)/server.crt'")
        try database.cluster.sql("ALTER SYSTEM SET ssl_key_file = '\(data)/server.key'")
        try database.cluster.sql("ALTER SYSTEM SET ssl = on")
        try database.cluster.sql("SELECT pg_reload_conf()")
        usleep(500_000)
    }

    @Test("verify-full with the right authority: a protected session; another authority: refused with a sentence; require: protected, unchecked")
    func serverCertificate() throws {
        let database = try TestDatabase()
        let folder = NSTemporaryDirectory() + "speakup-tls-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.certificates(in: folder)
        try Self.switchOn(database, certificates: folder)
        let base = "postgresql://\(database.cluster.passwordUser)@127.0.0.1:\(database.cluster.port)/\(database.name)"
        let checked = try PostgresAddress(base + "?sslrootcert=\(folder)/ca.crt")
        #expect(checked.tls == .verifyFull, "verify-full is the default over TCP")
        let session = try PostgresSession.connect(to: checked, password: database.cluster.password, deadline: 10)
        let protected = try session.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first?.decode(Bool.self)
        #expect(protected == true)
        session.close()
        let wrong = try PostgresAddress(base + "?sslrootcert=\(folder)/other.crt")
        let refused = #expect(throws: StoreError.self) {
            _ = try PostgresSession.connect(to: wrong, password: database.cluster.password, deadline: 10)
        }
        #expect(refused?.kind == .cannotOpen, "\(refused?.sentence ?? "")")
        #expect(refused?.sentence.contains("certificates named in the store's address") == true, "\(refused?.sentence ?? "")")
        let missing = try PostgresAddress(base + "?sslrootcert=\(folder)/nothing-here.crt")
        let unreadable = #expect(throws: StoreError.self) {
            _ = try PostgresSession.connect(to: missing, password: database.cluster.password, deadline: 10)
        }
        #expect(unreadable?.sentence.contains("nothing-here.crt") == true, "\(unreadable?.sentence ?? "")")
        let unchecked = try PostgresSession.connect(to: try PostgresAddress(base + "?sslmode=require"), password: database.cluster.password, deadline: 10)
        #expect(try unchecked.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first?.decode(Bool.self) == true)
        unchecked.close()
    }
}
