/// How costly it is to try one passphrase: scrypt's parameters, kept beside each locked key.
///
/// The cost is deliberate (about a tenth to a fifth of a second and 48 MiB on the machines SpeakUp runs
/// on) so that a stolen store cannot be tried against a dictionary quickly. It is kept with the key so
/// that it can be raised later without locking anyone out; what is read back is checked against bounds,
/// so a changed store cannot make unlocking take hours or all the memory.
public struct UnlockingCost: Equatable, Sendable {
    /// log2 of scrypt's N (its rounds).
    public let log2Rounds: UInt8
    /// scrypt's r.
    public let blockSize: UInt8
    /// scrypt's p.
    public let parallelism: UInt8

    /// What new keys are locked with: N = 2^16, r = 6, p = 1 (48 MiB), about 150 ms on the 2-core
    /// machine of docs/performance.md, the middle of the "about 100-200 ms". Until session 17
    /// it was r = 8 (64 MiB), which measured 186-272 ms there: keys locked then keep that cost, as the
    /// cost is read from each key, until their holder changes the passphrase.
    public static let standard = UnlockingCost(checked: 16, 6, 1)
    /// For tests only: cheap, so that a test suite can unlock many keys quickly.
    public static let forTestsOnly = UnlockingCost(checked: 10, 8, 1)

    init(checked log2Rounds: UInt8, _ blockSize: UInt8, _ parallelism: UInt8) {
        self.log2Rounds = log2Rounds
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    /// Reads a cost from the store, refusing one outside the bounds this version accepts.
    public init(log2Rounds: UInt8, blockSize: UInt8, parallelism: UInt8) throws(SealingFailure) {
        guard (10...20).contains(log2Rounds) else { throw .unacceptableCost("N = 2^\(log2Rounds)") }
        guard (1...16).contains(blockSize) else { throw .unacceptableCost("r = \(blockSize)") }
        guard (1...4).contains(parallelism) else { throw .unacceptableCost("p = \(parallelism)") }
        let memory = 128 * (1 << Int(log2Rounds)) * Int(blockSize)
        guard memory <= 256 << 20 else { throw .unacceptableCost("\(memory >> 20) MiB") }
        self.init(checked: log2Rounds, blockSize, parallelism)
    }

    var rounds: Int { 1 << Int(log2Rounds) }
}
