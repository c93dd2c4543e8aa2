import Glibc

/// The `speakup` group privilege of an installed, setgid binary.
///
/// The store's folder belongs to that group, so the program can reach the store
/// while the person running it cannot. Everything else (reading a file they
/// name, a rules file to try out) is done with the group dropped, so the
/// program never opens on their behalf a file they could not open themselves.
enum GroupPrivilege {
    /// True when the program runs with a group it was given by its setgid bit.
    static var isElevated: Bool { getegid() != getgid() }

    /// The group the program was started with by its setgid bit, if any. Read
    /// once, first thing in `main` (see `remember`), before anything sets it aside.
    nonisolated(unsafe) private static var installedGroup: gid_t? = nil

    /// Notes the group the setgid bit gave; call once at start.
    static func remember() {
        installedGroup = getegid() != getgid() ? getegid() : nil
    }

    /// Runs `body` with the group privilege set aside, then takes it back.
    static func withoutGroup<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        guard let group = installedGroup, getegid() == group else { return try body() }
        guard setegid(getgid()) == 0 else {
            // Could not set it aside: refuse rather than act with it.
            Failure("SpeakUp could not set aside its group privilege to open your file. Please tell IT.").exit()
        }
        defer { _ = setegid(group) }
        return try body()
    }

    /// Gives the group privilege up for the rest of the run (for example when the
    /// person names their own store with --db).
    static func dropForGood() {
        guard let group = installedGroup else { return }
        let real = getgid()
        // Setting the real group as well makes the saved group the real one too; then
        // taking the group back must fail (root may always take any group, so is not asked).
        guard setregid(real, real) == 0, getegid() == real, getuid() == 0 || setegid(group) != 0 else {
            Failure("SpeakUp could not give up its group privilege. Please tell IT.").exit()
        }
        installedGroup = nil
        // Files made from now on are the person's own: readable by them only.
        umask(0o077)
    }
}
