/// A seeded random number generator (SplitMix64): every choice the suite makes,
/// from a report's words to the moment a process is killed, comes from one, so a
/// run can be replayed with `--seed N`.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator of its own for one scenario, so `--only NAME` replays the same
    /// choices that scenario made in a whole run with the same seed.
    init(seed: UInt64, scenario: String) {
        // FNV-1a: a hash that is the same in every process (Swift's own hashValue is not).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in scenario.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        state = seed ^ hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A number in 0..<1.
    mutating func fraction() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A delay in seconds, evenly spread over `range`.
    mutating func seconds(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + fraction() * (range.upperBound - range.lowerBound)
    }
}
