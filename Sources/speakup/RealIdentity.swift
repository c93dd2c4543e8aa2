import Glibc
import SpeakUpCore

/// Who is at the terminal, as the operating system says: the real uid and its
/// passwd entry. `$USER`, `$LOGNAME` and `$HOME` are never consulted, since
/// anyone can set them.
struct RealIdentity {
    let reporter: Reporter
    let home: String
    /// The full name from the passwd entry's comment field, if it has one.
    let fullName: String
    /// The passwd entry's group.
    let group: gid_t

    static func current() -> RealIdentity? { of(uid: getuid()) }

    /// The account with this uid, from the system's user list.
    static func of(uid: uid_t) -> RealIdentity? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil,
            let name = entry.pw_name, let dir = entry.pw_dir
        else { return nil }
        let gecos = entry.pw_gecos.map { String(cString: $0) } ?? ""
        let fullName = String(gecos.split(separator: ",", omittingEmptySubsequences: false).first ?? "")
        return RealIdentity(reporter: Reporter(userName: String(cString: name), uid: uid), home: String(cString: dir), fullName: fullName,
                            group: entry.pw_gid)
    }
}
