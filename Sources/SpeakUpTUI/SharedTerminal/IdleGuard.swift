import Foundation
import SpeakUpCore

/// A terminal that goes quiet after a while without a key: what a shared
/// terminal's form runs on, so that a form left half-written is cleared for the
/// next person. In the last `warning` seconds a countdown is drawn over the
/// screen; the key that stops it does nothing else (a stray Enter must not
/// send a report). When the time is up, it reports the input as closed, so the
/// session ends exactly as if the terminal had gone away.
public final class IdleGuard<Inner: Terminal>: Terminal {
    private let inner: Inner
    private let timeout: Double
    private let warning: Double
    private let clock: any Clock
    private var lastKey: TimeInterval
    private var lastCanvas: Canvas? = nil
    /// The seconds the countdown shows, while it is on screen.
    private var countdown: Int? = nil
    /// True once the time ran out (rather than the terminal closing).
    public private(set) var expired = false
    /// What the countdown says, given the seconds left.
    private let notice: (Int) -> String

    public init(_ inner: Inner, timeout: Double, warning: Double = 20, clock: any Clock, notice: @escaping (Int) -> String = IdleCountdown.clearing) {
        self.inner = inner
        self.notice = notice
        self.timeout = timeout
        // A short timeout (tried out, or set low) warns for its last third only, so keys still reach the form.
        self.warning = min(warning, timeout / 3)
        self.clock = clock
        self.lastKey = clock.elapsed()
    }

    public var size: Size { inner.size }

    public func nextKeys() -> [Key]? { keys(waitingAtMost: nil) }

    /// As `nextKeys`, but returns an empty list after `seconds` with no key; the idle time and the
    /// countdown run on all the same, so a wait (a save held up by another terminal) still ends.
    public func nextKeys(waitingAtMost seconds: Double) -> [Key]? { keys(waitingAtMost: seconds) }

    private func keys(waitingAtMost seconds: Double?) -> [Key]? {
        let giveUp = seconds.map { clock.elapsed() + max(0, $0) }
        while true {
            let left = timeout - (clock.elapsed() - lastKey)
            if left <= 0 {
                expired = true
                return nil
            }
            if left <= warning {
                let shown = Int(left.rounded(.up))
                if shown != countdown {
                    countdown = shown
                    redraw()
                }
            }
            // Wake when the countdown should start, then once a second while it runs (or when the caller gives up).
            var wait = left > warning ? left - warning : min(1, left)
            if let giveUp { wait = min(wait, max(0, giveUp - clock.elapsed())) }
            guard let keys = inner.nextKeys(waitingAtMost: wait) else { return nil }
            if keys.isEmpty {
                if let giveUp, clock.elapsed() >= giveUp { return [] }
                continue
            }
            lastKey = clock.elapsed()
            if countdown != nil {
                countdown = nil
                let resizes = keys.filter { if case .resize = $0 { true } else { false } }
                if resizes.isEmpty {
                    redraw()
                    continue
                }
                return resizes
            }
            return keys
        }
    }

    public func draw(_ canvas: Canvas) {
        lastCanvas = canvas
        redraw()
    }

    public func discardTypeahead() { inner.discardTypeahead() }

    private func redraw() {
        guard var canvas = lastCanvas else { return }
        if let countdown { IdleCountdown.render(notice(countdown), into: &canvas) }
        inner.draw(canvas)
    }
}

/// The warning drawn over a screen before it is cleared (a shared terminal's form) or locked (the
/// cases workspace).
public enum IdleCountdown {
    /// A shared terminal's form, about to be cleared.
    public static func clearing(_ secondsLeft: Int) -> String {
        "No key has been pressed for a while. To keep it private, this screen will be cleared in \(secondsLeft) second\(secondsLeft == 1 ? "" : "s"), and nothing on it will be sent. Press any key to carry on."
    }

    /// The cases workspace, about to lock.
    public static func locking(_ secondsLeft: Int) -> String {
        "No key has been pressed for a while. To keep your cases private, the workspace will lock in \(secondsLeft) second\(secondsLeft == 1 ? "" : "s"): your key is put away and your passphrase asked for again, and anything not yet saved is lost. Press any key to carry on."
    }

    public static func render(secondsLeft: Int, into canvas: inout Canvas) {
        render(clearing(secondsLeft), into: &canvas)
    }

    public static func render(_ text: String, into canvas: inout Canvas) {
        let size = canvas.size
        guard size.rows >= 7, size.columns >= 40 else { return }
        let width = min(size.columns - 4, 64)
        let left = (size.columns - width) / 2
        let top = size.rows / 2 - 3
        let lines = Wrap.lines(text, width: width - 4)
        canvas.clear(top: top, left: left, bottom: top + lines.count + 1, right: left + width - 1)
        canvas.box(top: top, left: left, bottom: top + lines.count + 1, right: left + width - 1, style: .bold)
        for (offset, line) in lines.enumerated() {
            canvas.put(line, row: top + 1 + offset, column: left + 2, style: .attention)
        }
        canvas.cursor = nil
    }
}
