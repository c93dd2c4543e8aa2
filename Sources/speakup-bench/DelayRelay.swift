import Foundation
import Glibc

/// A TCP relay on 127.0.0.1 that holds every piece it reads for `delay` seconds before passing it
/// on, each way: loopback TCP made to look like a network between two hosts (a SpeakUp host and
/// its database server), so the bench shows what each round trip of a submit costs there. One
/// thread for each direction of each connection; a request and its answer cross it one after the
/// other, as a client and PostgreSQL talk, so holding each piece in turn delays each by `delay`.
final class DelayRelay: @unchecked Sendable {
    /// The port the relay listens on.
    let port: Int
    private let listener: Int32
    private let target: Int
    private let delay: Double

    init(to targetPort: Int, delay: Double) throws {
        target = targetPort
        self.delay = delay
        let made = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard made >= 0 else { throw BenchError("The relay could not make a socket (errno \(errno)).") }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(made, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(made, 64) == 0 else {
            close(made)
            throw BenchError("The relay could not listen on 127.0.0.1 (errno \(errno)).")
        }
        var found = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &found) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(made, $0, &length) }
        }
        listener = made
        port = Int(UInt16(bigEndian: found.sin_port))
        Thread.detachNewThread { [self] in accepting() }
    }

    /// Stops taking connections (those open end when either side closes).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func accepting() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                return
            }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: target)
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(client)
                close(server)
                continue
            }
            for socket in [client, server] { Self.sendAtOnce(socket) }
            let ends = Ends(client, server)
            Thread.detachNewThread { [self] in pump(from: client, to: server, ends: ends) }
            Thread.detachNewThread { [self] in pump(from: server, to: client, ends: ends) }
        }
    }

    /// Passes what `source` sends to `destination`, each piece held for the delay, until either closes.
    private func pump(from source: Int32, to destination: Int32, ends: Ends) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let pause = timespec(tv_sec: 0, tv_nsec: Int(delay * 1_000_000_000))
        defer {
            shutdown(destination, Int32(SHUT_WR))
            shutdown(source, Int32(SHUT_RD))
            ends.finished()
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            var asked = pause, left = timespec()
            while nanosleep(&asked, &left) == -1 && errno == EINTR { asked = left }
            var sent = 0
            while sent < count {
                let wrote = buffer.withUnsafeBytes { write(destination, $0.baseAddress! + sent, count - sent) }
                if wrote < 0 && errno == EINTR { continue }
                guard wrote > 0 else { return }
                sent += wrote
            }
        }
    }

    /// A connection's two sockets, closed once both directions have finished with them.
    private final class Ends: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 2
        private let sockets: [Int32]

        init(_ sockets: Int32...) {
            self.sockets = sockets
        }

        func finished() {
            let last = lock.withLock {
                running -= 1
                return running == 0
            }
            if last { for socket in sockets { close(socket) } }
        }
    }

    /// Small pieces go at once (no waiting to gather more, which would add its own delay).
    private static func sendAtOnce(_ socket: Int32) {
        var on: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
