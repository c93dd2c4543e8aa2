import Foundation
import SpeakUpCore

/// The database password, read from the secret file an address names with `passfile=`.
///
/// The file must be a regular file (not a link, which could be pointed at something else),
/// and nobody outside its owner and group may read or write it: on a shared host it is
/// root:speakup, mode 0640, so only the installed program (setgid speakup) and root read it.
/// The password is its first line.
public enum PostgresSecret {
    /// The password in the file at `path`, or a sentence saying what to fix.
    public static func password(from path: String) throws(StoreError) -> String {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            let problem = errno
            if problem == ENOENT || problem == ENOTDIR {
                throw StoreError(.cannotOpen, "The database password file \(path) (passfile= in the store's address) does not exist. Please create it, readable only by the speakup group, holding the password on its first line.")
            }
            throw unreadable(path, problem)
        }
        let kind = status.st_mode & S_IFMT
        if kind == S_IFLNK {
            throw StoreError(.cannotOpen, "The database password file \(path) is a symbolic link, which SpeakUp does not follow (it could be pointed at another file). Please name the file itself in passfile=.")
        }
        guard kind == S_IFREG else {
            throw StoreError(.cannotOpen, "The database password file \(path) is not an ordinary file (it is a folder, a device or a pipe). Please name the file holding the password in passfile=.")
        }
        if status.st_mode & 0o007 != 0 {
            throw StoreError(.cannotOpen, "The database password file \(path) can be read or written by everyone on this host (mode \(String(status.st_mode & 0o777, radix: 8))), so SpeakUp will not use it. Please make it readable only by its owner and the speakup group (chmod 640 \(path)), and change the password, which others may have read.")
        }
        // O_NOFOLLOW and the checks again on what was opened: the file cannot be swapped for a link in between.
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw unreadable(path, errno) }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_mode & 0o007 == 0 else {
            throw StoreError(.cannotOpen, "The database password file \(path) changed while SpeakUp was reading it. Please try again.")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65536 {
            let count = read(descriptor, &buffer, buffer.count)
            guard count >= 0 else { throw unreadable(path, errno) }
            if count == 0 { break }
            bytes += buffer[0..<count]
            if buffer[0..<count].contains(UInt8(ascii: "\n")) { break }
        }
        let firstLine = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        var line = Array(firstLine)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        guard !line.isEmpty else {
            throw StoreError(.cannotOpen, "The database password file \(path) is empty: its first line should hold the password of the store's database login.")
        }
        guard let password = String(validating: line, as: UTF8.self) else {
            throw StoreError(.cannotOpen, "The first line of the database password file \(path) is not text (UTF-8). Please write the password there as text.")
        }
        return password
    }

    private static func unreadable(_ path: String, _ code: Int32) -> StoreError {
        let reason = code == EACCES ? "this login is not allowed to read it" : String(cString: strerror(code))
        return StoreError(.cannotOpen, "SpeakUp cannot read the database password file \(path): \(reason). It should belong to the speakup group (mode 0640), which the installed program runs with.")
    }
}
