#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SpeakUpSealing

@Suite("A process holding an unlocked key refuses core dumps and debuggers")
struct SessionHardeningTests {
    /// Runs in a forked child, so the test runner itself stays as it was.
    @Test("After hardening: no core file, not dumpable (so no ptrace attach by the same user)")
    func hardened() throws {
        #if os(Linux)
        let child = fork()
        #expect(child >= 0)
        if child == 0 {
            let before = SessionHardening.isDumpable
            let outcome = SessionHardening.harden(lockMemory: false)
            let ok = before && outcome.coreDumpsRefused && outcome.notDumpable
                && !SessionHardening.isDumpable && SessionHardening.coreLimit == 0
            _exit(ok ? 0 : 1)
        }
        var status: Int32 = 0
        waitpid(child, &status, 0)
        #expect((status >> 8) & 0xFF == 0, "the child reported a hardening step that did not hold")
        #expect(status & 0x7F == 0, "the child was killed by a signal")
        #endif
    }
}
