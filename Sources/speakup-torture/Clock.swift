import Glibc

/// Seconds on the monotonic clock: deadlines and durations never jump with the wall clock.
func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Sleeps for `seconds` (fractions allowed), through interruptions.
func pause(_ seconds: Double) {
    guard seconds > 0 else { return }
    var wanted = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var left = timespec()
    while nanosleep(&wanted, &left) != 0 && errno == EINTR { wanted = left }
}
