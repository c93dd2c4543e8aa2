import Foundation
import PostgresNIO
import SpeakUpCore

/// Turns what postgres-nio reports into `StoreError`s with sentences a reporter or an
/// administrator can act on. A lost connection, a server shutting down, a deadlock or a
/// query past its deadline are `.busy`: the caller may try again (on a new session).
enum PostgresFailure {
    /// Why one host of an address could not be used while connecting.
    struct HostFailure: Error {
        var endpoint: PostgresAddress.Endpoint
        /// Whether a server answered there (it refused the login, has no such database, is read-only…).
        var answered: Bool
        var error: StoreError
    }

    /// A failure while connecting to `endpoint`.
    static func connecting(_ error: any Error, to endpoint: PostgresAddress.Endpoint, as address: PostgresAddress) -> HostFailure {
        if let unreachable = noAnswer(error, at: endpoint, timeout: address.connectTimeout) {
            return HostFailure(endpoint: endpoint, answered: false, error: unreachable)
        }
        if let psql = error as? PSQLError, address.tls != nil, address.tls != .disable, isTLSFailure(psql.underlying) {
            // The server's certificate did not hold (not signed by the authority named, or not for this host):
            // SpeakUp sends nothing to a server it cannot be sure of, and trying again would not help.
            return HostFailure(endpoint: endpoint, answered: true, error: StoreError(.cannotOpen,
                "SpeakUp could not set up a protected connection with the PostgreSQL server at \(endpoint): its certificate could not be checked against the certificates named in the store's address (sslrootcert=…), so nothing was sent to it. Please check that the address names the right authority and host, or tell IT."))
        }
        if let psql = error as? PSQLError {
            switch psql.code {
            case .authMechanismRequiresPassword:
                return HostFailure(endpoint: endpoint, answered: true, error: StoreError(.cannotOpen,
                    "The PostgreSQL server at \(endpoint) asks for a password for the login \(address.user), but the store's address names no password file. Please add passfile=… (a file readable only by the speakup group), or use a client certificate."))
            case .sslUnsupported:
                return HostFailure(endpoint: endpoint, answered: true, error: StoreError(.cannotOpen,
                    "The PostgreSQL server at \(endpoint) does not offer TLS, and SpeakUp sends reports across the network only over TLS. Please ask the database team to switch TLS on (ssl = on)."))
            case .failedToAddSSLHandler, .saslError, .unsupportedAuthMechanism:
                return HostFailure(endpoint: endpoint, answered: true, error: StoreError(.cannotOpen,
                    "SpeakUp could not set up a protected login with the PostgreSQL server at \(endpoint) (\(psql.underlying.map { String(describing: $0) } ?? psql.code.description)). Please check the certificates named in the store's address, or tell IT."))
            default:
                break
            }
            if let state = psql.serverInfo?[.sqlState] {
                let message = psql.serverInfo?[.message] ?? ""
                switch state {
                case "28P01":
                    return HostFailure(endpoint: endpoint, answered: true, error: StoreError(.cannotOpen,
                        "The PostgreSQL server at \(endpoint) refused the login \(address.user): the password is wrong. Please check the password file (passfile= in the store's address) against the login's password on the server."))
                case "28000":
                    return HostFailure(endpoint: endpoint, answered: true, error: StoreError(.cannotOpen,
                        "The PostgreSQL server at \(endpoint) does not let the login \(address.user) in from here (\(message)). Please ask the database team to allow it in pg_hba.conf (docs/store.md)."))
                case "3D000":
                    return HostFailure(endpoint: endpoint, answered: true, error: StoreError(.missing,
                        "The PostgreSQL server at \(endpoint) has no database named \(address.database). Please check the name in the store's address, or ask the database team to create it (docs/store.md)."))
                default:
                    break
                }
            }
        }
        return HostFailure(endpoint: endpoint, answered: true, error: failed(error, at: endpoint, doing: "connecting"))
    }

    /// A failure while running a query on an open session.
    static func failed(_ error: any Error, at endpoint: PostgresAddress.Endpoint, doing activity: String = "working") -> StoreError {
        if let error = error as? StoreError { return error }
        let tryAgain = "Please try again in a moment; if it keeps happening, please tell IT."
        if let psql = error as? PSQLError {
            if let state = psql.serverInfo?[.sqlState] {
                let message = psql.serverInfo?[.message] ?? ""
                switch state {
                case "25006":
                    return StoreError(.readOnly, "The PostgreSQL server at \(endpoint) accepts no writes (it is a standby, or read-only), so nothing was written. SpeakUp looks for the server that accepts writes when it connects again. \(tryAgain)")
                case "57P01", "57P02", "57P03":
                    return StoreError(.busy, "The PostgreSQL server at \(endpoint) is shutting down or starting up (\(message)), so what SpeakUp was doing did not finish. \(tryAgain)")
                case "40001", "40P01", "55P03", "57014":
                    return StoreError(.busy, "The PostgreSQL server at \(endpoint) was kept busy by other work (\(message)), so nothing was written. \(tryAgain)")
                case "53300":
                    return StoreError(.busy, "The PostgreSQL server at \(endpoint) has no room for another connection just now. \(tryAgain)")
                case "53100":
                    return StoreError(.diskFull, "The disk of the PostgreSQL server at \(endpoint) is full, so nothing was written. Please tell IT.")
                case "42501":
                    return StoreError(.readOnly, "The PostgreSQL server at \(endpoint) does not allow SpeakUp's login to do this (\(message)), so nothing was written. Please tell IT: the login's privileges are in docs/store.md.")
                case _ where state.hasPrefix("08"):
                    return lost(at: endpoint, why: message)
                default:
                    return StoreError(.failed, "The PostgreSQL server at \(endpoint) refused what SpeakUp asked while \(activity): \(message) (SQLSTATE \(state)). Nothing was written. Please tell IT.")
                }
            }
            switch psql.code {
            case .serverClosedConnection, .uncleanShutdown, .connectionError:
                return lost(at: endpoint, why: "the server closed it")
            case .clientClosedConnection:
                return lost(at: endpoint, why: "it had been closed")
            case .queryCancelled:
                return StoreError(.busy, "What SpeakUp asked the PostgreSQL server at \(endpoint) was cancelled. \(tryAgain)")
            default:
                break
            }
        }
        if error is ChannelError || error is IOError {
            return lost(at: endpoint, why: String(describing: error))
        }
        return StoreError(.failed, "Something went wrong while SpeakUp was \(activity) with the PostgreSQL server at \(endpoint): \(error). Please tell IT.")
    }

    /// Whether a connection failed in its TLS handshake (a certificate that did not hold).
    static func isTLSFailure(_ underlying: (any Error)?) -> Bool {
        guard let underlying else { return false }
        if underlying is NIOSSLError || underlying is BoringSSLError { return true }
        if let psql = underlying as? PSQLError { return isTLSFailure(psql.underlying) }
        return false
    }

    /// The connection went away: the caller connects again and tries again.
    static func lost(at endpoint: PostgresAddress.Endpoint, why: String) -> StoreError {
        StoreError(.busy, "The connection to the PostgreSQL server at \(endpoint) was lost (\(why)), so what SpeakUp was doing did not finish. Please try again in a moment; if it keeps happening, please tell IT.")
    }

    /// A query that outlived its deadline; its connection has been closed.
    static func timedOut(at endpoint: PostgresAddress.Endpoint, after seconds: Double) -> StoreError {
        StoreError(.busy, "The PostgreSQL server at \(endpoint) did not answer within \(seconds.formatted(.number.precision(.fractionLength(0...1)))) seconds, so SpeakUp stopped waiting and closed its connection. Please try again in a moment; if it keeps happening, please tell IT.")
    }

    /// A server older than SpeakUp supports.
    static func tooOld(version: Int, at endpoint: PostgresAddress.Endpoint) -> StoreError {
        StoreError(.cannotOpen, "SpeakUp needs PostgreSQL 13 or later; the server at \(endpoint) runs \(version / 10000).x. Please ask the database team to upgrade it.")
    }

    /// Every host answered, and none accepts writes.
    static func noneAcceptsWrites(_ endpoints: [PostgresAddress.Endpoint]) -> StoreError {
        let named = endpoints.map(\.description).joined(separator: ", ")
        return StoreError(.readOnly, endpoints.count == 1
            ? "The PostgreSQL server at \(named) answered, but it accepts no writes (it is a standby, or read-only). Please check the store's address names the primary, or tell IT."
            : "The PostgreSQL servers at \(named) answered, but none of them accepts writes (each is a standby, or read-only). Please tell IT: the primary may be down and no standby promoted yet.")
    }

    /// Nothing answered at any host.
    static func nobodyAnswered(_ failures: [HostFailure]) -> StoreError {
        if failures.count == 1 { return failures[0].error }
        let named = failures.map(\.endpoint.description).joined(separator: ", ")
        return StoreError(.cannotOpen, "No PostgreSQL server answered at \(named). Please check that the servers are running and that the store's address in the settings is right; if it is, please tell IT.")
    }

    /// The sentence for a host where nothing answered, or nil when something did.
    private static func noAnswer(_ error: any Error, at endpoint: PostgresAddress.Endpoint, timeout: Double) -> StoreError? {
        var underlying: any Error = error
        if let psql = error as? PSQLError {
            guard psql.code == .connectionError, let inner = psql.underlying else { return nil }
            underlying = inner
        }
        let why: String
        if let connection = underlying as? NIOConnectionError {
            if connection.connectionErrors.isEmpty {
                why = "no such host name"
            } else {
                why = connection.connectionErrors.map { reason(for: $0.error) }.first ?? "no answer"
            }
        } else if let channel = underlying as? ChannelError, case .connectTimeout = channel {
            why = "no answer within \(timeout.formatted(.number.precision(.fractionLength(0...1)))) seconds"
        } else if underlying is IOError || underlying is SocketAddressError {
            why = reason(for: underlying)
        } else {
            return nil
        }
        let check = endpoint.socketPath != nil
            ? "Please check that the server is running and that host= names the folder of its socket."
            : "Please check that the server is running and that the store's address in the settings is right; if it is, please tell IT."
        return StoreError(.cannotOpen, "No PostgreSQL server answered at \(endpoint) (\(why)). \(check)")
    }

    private static func reason(for error: any Error) -> String {
        guard let io = error as? IOError else { return String(describing: error) }
        switch io.errnoCode {
        case ECONNREFUSED: return "connection refused"
        case ENOENT: return "no socket there"
        case EHOSTUNREACH, ENETUNREACH: return "no route to it"
        case ETIMEDOUT: return "no answer"
        case EACCES: return "not allowed to reach the socket"
        default: return String(cString: strerror(io.errnoCode))
        }
    }
}
