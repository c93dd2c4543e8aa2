import Foundation
import SpeakUpCore

/// Where a PostgreSQL store is, read from a `postgresql://` (or `postgres://`) address in the
/// libpq style:
///
///     postgresql://speakup_app@db1.trust.nhs.uk:5432,db2.trust.nhs.uk/speakup?passfile=/etc/speakup/db-secret
///     postgresql:///speakup?host=/var/run/postgresql&passfile=/etc/speakup/db-secret
///
/// One or more hosts are tried in order (port 5432 unless given); `host=` with a folder instead
/// reaches the server through its Unix socket in that folder (the port then names the socket
/// file, `.s.PGSQL.<port>`). A password never goes in the address: it is read from the secret
/// file `passfile=` names (`PostgresSecret`), or a client certificate (`sslcert`, `sslkey`) is used.
/// Every mistake is refused with its own sentence.
public struct PostgresAddress: Hashable, Sendable, CustomStringConvertible {
    /// One place a server may answer.
    public enum Endpoint: Hashable, Sendable, CustomStringConvertible {
        /// A host name or IP address, and a TCP port.
        case tcp(host: String, port: Int)
        /// The server's Unix socket in `folder`, the file `.s.PGSQL.<port>`.
        case socket(folder: String, port: Int)

        /// The socket file's path, for a Unix socket.
        public var socketPath: String? {
            guard case .socket(let folder, let port) = self else { return nil }
            return (folder.hasSuffix("/") ? folder : folder + "/") + ".s.PGSQL.\(port)"
        }

        /// `host:port` (IPv6 in brackets), or the socket file's path.
        public var description: String {
            switch self {
            case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            case .socket: socketPath ?? ""
            }
        }
    }

    /// How a TCP connection is protected (`sslmode`).
    public enum TLSMode: String, Hashable, Sendable, CaseIterable {
        /// No TLS: allowed only to this machine (127.0.0.1, ::1, localhost).
        case disable
        /// TLS, without checking who the server is.
        case require
        /// TLS, with the server's certificate checked against its host name (the default).
        case verifyFull = "verify-full"
    }

    /// Which server of several is wanted (`target_session_attrs`).
    public enum SessionAttributes: String, Hashable, Sendable, CaseIterable {
        /// The first that accepts writes: not a standby, not read-only (the default).
        case readWrite = "read-write"
        /// The first that answers.
        case any
    }

    /// The login SpeakUp uses when the address names none.
    public static let defaultUser = "speakup_app"
    /// The port when none is given.
    public static let defaultPort = 5432
    /// Seconds each host is given to answer when `connect_timeout` is not given.
    public static let defaultConnectTimeout = 5.0

    /// The database login.
    public var user: String
    /// Where to look for the server, in the order to try.
    public var endpoints: [Endpoint]
    /// The database's name.
    public var database: String
    /// TLS for TCP; nil for a Unix socket, which never uses it.
    public var tls: TLSMode?
    /// The certificate authorities to trust for the server's certificate (`sslrootcert`); nil: the system's.
    public var rootCertificate: String?
    /// A client certificate and its key (`sslcert`, `sslkey`), to log in with instead of a password.
    public var clientCertificate: String?
    public var clientKey: String?
    /// The secret file holding the password (`passfile`).
    public var passfile: String?
    /// Seconds each host is given to answer (`connect_timeout`).
    public var connectTimeout: Double
    /// Which server is wanted when several are named.
    public var sessionAttributes: SessionAttributes

    /// The parameters an address may carry after `?`.
    public static let parameters = ["host", "sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "connect_timeout", "target_session_attrs"]

    /// Whether `text` is a PostgreSQL address rather than the path of an SQLite store.
    public static func looksLikeURL(_ text: String) -> Bool {
        let lowered = text.prefix(13).lowercased()
        return lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://")
    }

    /// Reads an address, refusing it with a sentence that says what to change.
    public init(_ text: String) throws(StoreError) {
        guard Self.looksLikeURL(text) else {
            throw Self.refused(text, "it does not start with postgresql://. A PostgreSQL store's address looks like postgresql://speakup_app@db.example.nhs.uk/speakup?passfile=/etc/speakup/db-secret.")
        }
        let afterScheme = text[text.range(of: "://")!.upperBound...]
        if afterScheme.contains("#") {
            throw Self.refused(text, "it holds a #, which has no meaning in a store's address. Please remove it and what follows it.")
        }
        let (main, query) = afterScheme.firstIndex(of: "?").map { (afterScheme[..<$0], afterScheme[afterScheme.index(after: $0)...]) }
            ?? (afterScheme[...], nil)
        guard let slash = main.firstIndex(of: "/") else {
            throw Self.refused(text, "it names no database. Put the database's name after the host, as in postgresql://db.example.nhs.uk/speakup.")
        }
        var authority = main[..<slash]
        let path = main[main.index(after: slash)...]

        var user = Self.defaultUser
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if userInfo.contains(":") { throw Self.passwordRefused }
            guard let decoded = String(userInfo).removingPercentEncoding, !decoded.isEmpty else {
                throw Self.refused(text, "the login before @ is empty or badly written. Write it as postgresql://speakup_app@host/database, or leave out the @ for speakup_app.")
            }
            user = decoded
        }

        guard let database = String(path).removingPercentEncoding, !database.isEmpty else {
            throw Self.refused(text, "it names no database. Put the database's name after the host, as in postgresql://db.example.nhs.uk/speakup.")
        }
        guard !database.contains("/") else {
            throw Self.refused(text, "the database's name (\(database)) holds a /. A database is named by one word after the host, as in postgresql://db.example.nhs.uk/speakup.")
        }

        var values: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "=") else {
                throw Self.refused(text, "the parameter \(pair) has no value. Parameters are written name=value, joined by &.")
            }
            let name = String(pair[..<equals])
            if name == "password" { throw Self.passwordRefused }
            guard Self.parameters.contains(name) else {
                throw Self.refused(text, "SpeakUp does not know the parameter \(name). It knows \(Self.parameters.joined(separator: ", ")).")
            }
            guard values[name] == nil else {
                throw Self.refused(text, "the parameter \(name) is given twice. Please give it once.")
            }
            guard let value = String(pair[pair.index(after: equals)...]).removingPercentEncoding, !value.isEmpty else {
                throw Self.refused(text, "the parameter \(name) is empty or badly written. Please give it a value, or leave it out.")
            }
            values[name] = value
        }

        let hosts = authority.split(separator: ",", omittingEmptySubsequences: false)
        var endpoints: [Endpoint] = []
        if let folder = values["host"] {
            guard folder.hasPrefix("/") else {
                throw Self.refused(text, "host=\(folder) is not a full path. host= names the folder holding the server's Unix socket, such as host=/var/run/postgresql.")
            }
            guard hosts.count == 1 else {
                throw Self.refused(text, "it names both hosts and a socket folder (host=\(folder)). Use one: hosts after postgresql://, or the socket's folder in host=.")
            }
            let (name, port) = try Self.hostAndPort(hosts[0], in: text)
            guard name.isEmpty else {
                throw Self.refused(text, "it names both a host (\(name)) and a socket folder (host=\(folder)). Use one: the host after postgresql://, or the socket's folder in host=.")
            }
            endpoints = [.socket(folder: folder, port: port)]
        } else {
            for host in hosts {
                let (name, port) = try Self.hostAndPort(host, in: text)
                guard !name.isEmpty else {
                    throw Self.refused(text, hosts.count == 1
                        ? "it names no host. Put the server's name after postgresql://, or the folder of its Unix socket in host=/path/to/folder."
                        : "one of its hosts is empty. Hosts are separated by single commas, as in postgresql://db1:5432,db2:5432/speakup.")
                }
                endpoints.append(.tcp(host: name, port: port))
            }
        }
        let overSocket = values["host"] != nil

        var tls: TLSMode? = overSocket ? nil : .verifyFull
        if let mode = values["sslmode"] {
            guard let chosen = TLSMode(rawValue: mode) else {
                throw Self.refused(text, "sslmode=\(mode) is not one SpeakUp knows. Use verify-full (the default), require, or disable (only to this machine).")
            }
            if overSocket {
                guard chosen == .disable else {
                    throw Self.refused(text, "sslmode=\(mode) was given for a Unix socket, which never uses TLS. Leave sslmode out when host= names a socket folder.")
                }
            } else {
                tls = chosen
            }
        }
        if tls == .disable {
            let remote = endpoints.compactMap { endpoint -> String? in
                guard case .tcp(let host, _) = endpoint, !["127.0.0.1", "::1", "localhost"].contains(host.lowercased()) else { return nil }
                return host
            }
            if !remote.isEmpty {
                throw Self.refused(text, "sslmode=disable would send reports unprotected across the network to \(remote.joined(separator: ", ")). It is allowed only to this machine (127.0.0.1, ::1, localhost); use verify-full for another host.")
            }
        }
        if (values["sslcert"] == nil) != (values["sslkey"] == nil) {
            throw Self.refused(text, values["sslcert"] == nil
                ? "it gives sslkey without sslcert. A client certificate needs both: sslcert=the certificate file and sslkey=its key file."
                : "it gives sslcert without sslkey. A client certificate needs both: sslcert=the certificate file and sslkey=its key file.")
        }
        if overSocket, let name = ["sslrootcert", "sslcert"].first(where: { values[$0] != nil }) {
            throw Self.refused(text, "\(name) was given for a Unix socket, which never uses TLS. Leave it out when host= names a socket folder.")
        }
        for name in ["sslrootcert", "sslcert", "sslkey", "passfile"] {
            if let file = values[name], !file.hasPrefix("/") {
                throw Self.refused(text, "\(name)=\(file) is not a full path. Please give the file's full path, starting with /.")
            }
        }

        var connectTimeout = Self.defaultConnectTimeout
        if let seconds = values["connect_timeout"] {
            guard let number = Double(seconds), number.isFinite, number >= 1, number <= 600 else {
                throw Self.refused(text, "connect_timeout=\(seconds) is not a number of seconds from 1 to 600. It is how long each host is given to answer (5 unless given).")
            }
            connectTimeout = number
        }
        var sessionAttributes = SessionAttributes.readWrite
        if let attributes = values["target_session_attrs"] {
            guard let chosen = SessionAttributes(rawValue: attributes) else {
                throw Self.refused(text, "target_session_attrs=\(attributes) is not one SpeakUp knows. Use read-write (the default: the server that accepts writes) or any.")
            }
            sessionAttributes = chosen
        }

        self.user = user
        self.endpoints = endpoints
        self.database = database
        self.tls = tls
        self.rootCertificate = values["sslrootcert"]
        self.clientCertificate = values["sslcert"]
        self.clientKey = values["sslkey"]
        self.passfile = values["passfile"]
        self.connectTimeout = connectTimeout
        self.sessionAttributes = sessionAttributes
    }

    /// The database and where it is, for sentences: `speakup on db1:5432, db2:5432`.
    public var description: String {
        "\(database) on \(endpoints.map(\.description).joined(separator: ", "))"
    }

    /// A password written into the address itself.
    private static let passwordRefused = StoreError(.cannotOpen, "Passwords never go in the store's address, where anyone who can read the settings or see the command would read it. Remove it, put it in a secret file readable only by the speakup group and name it with passfile=… (docs/store.md).")

    /// A host (a name, an IPv4 address or an IPv6 one in brackets) and its port.
    private static func hostAndPort(_ text: Substring, in address: String) throws(StoreError) -> (String, Int) {
        var host = text
        var portText: Substring? = nil
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                throw refused(address, "the IPv6 address \(text) has no closing ]. Write it as [2001:db8::1]:5432.")
            }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else {
                    throw refused(address, "\(text) has something after its IPv6 address other than :port. Write it as [2001:db8::1]:5432.")
                }
                portText = rest.dropFirst()
            }
        } else if let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        var port = defaultPort
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw refused(address, "the port \(portText.isEmpty ? "(empty)" : String(portText)) after \(host.isEmpty ? "the host" : String(host)) is not a number from 1 to 65535. PostgreSQL usually listens on 5432.")
            }
            port = number
        }
        guard let decoded = String(host).removingPercentEncoding else {
            throw refused(address, "the host \(host) is badly written. Please write the server's name or address as it is.")
        }
        return (decoded, port)
    }

    /// An address SpeakUp cannot use, with what is wrong. The address is shown without its
    /// query, which may name secret files.
    private static func refused(_ text: String, _ problem: String) -> StoreError {
        let shown = text.split(separator: "?", maxSplits: 1).first.map(String.init) ?? text
        return StoreError(.cannotOpen, "SpeakUp cannot use the store address \(shown): \(problem)")
    }
}
