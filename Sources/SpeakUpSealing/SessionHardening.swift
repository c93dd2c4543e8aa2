import CProcessHardening
#if canImport(Glibc)
import Glibc
#endif

/// What a process holding an unlocked handler key does to itself so the key does not leave it.
///
/// - No core dumps: `RLIMIT_CORE` set to 0, so a crash (or a SIGQUIT sent by someone else) writes no
///   memory image to disk.
/// - Not dumpable: `prctl(PR_SET_DUMPABLE, 0)`, which on Linux also stops another process of the same
///   user attaching with ptrace (a debugger, `gcore`) and makes /proc/PID/mem unreadable to it.
/// - Locked memory: `mlockall(MCL_CURRENT | MCL_FUTURE)` keeps the process's pages, the key among them,
///   out of swap. It is only tried when the locked-memory limit is unlimited (or for root): under a
///   finite limit, MCL_FUTURE would make the process's later allocations fail once it is reached. Where
///   it is not tried, the session says so and carries on: the other two still hold, and an encrypted or
///   absent swap (usual on a ward terminal) keeps the key off disk anyway.
///
/// Wiping the key when the session ends or sits idle is the session's own job (it drops the key,
/// whose storage swift-crypto zeroes when freed).
public enum SessionHardening {
    /// What could and could not be done, for the session to say and the tests to check.
    public struct Outcome: Equatable, Sendable {
        public var coreDumpsRefused: Bool
        public var notDumpable: Bool
        public var memoryLocked: Bool
    }

    /// Hardens the calling process; call once, before the passphrase is asked for.
    public static func harden(lockMemory: Bool = true) -> Outcome {
        var outcome = Outcome(coreDumpsRefused: false, notDumpable: false, memoryLocked: false)
        #if os(Linux)
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        outcome.coreDumpsRefused = setrlimit(Int32(RLIMIT_CORE.rawValue), &none) == 0
        outcome.notDumpable = speakup_set_not_dumpable() == 0
        if lockMemory, speakup_memory_lock_unlimited() == 1 || geteuid() == 0 {
            outcome.memoryLocked = mlockall(Int32(MCL_CURRENT | MCL_FUTURE)) == 0
        }
        #endif
        return outcome
    }

    /// Whether the process is now marked not dumpable (read back from the kernel).
    public static var isDumpable: Bool {
        #if os(Linux)
        return speakup_is_dumpable() != 0
        #else
        return true
        #endif
    }

    /// The core-dump limit now in force, in bytes.
    public static var coreLimit: UInt64 {
        var limit = rlimit()
        #if os(Linux)
        guard getrlimit(Int32(RLIMIT_CORE.rawValue), &limit) == 0 else { return .max }
        #endif
        return UInt64(limit.rlim_cur)
    }
}
