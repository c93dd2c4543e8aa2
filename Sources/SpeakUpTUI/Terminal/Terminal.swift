/// What a screen loop needs from a terminal: its size, keys, and a way to show a canvas.
///
/// `CursesTerminal` is the real one; `TestTerminal` plays keys from a script.
public protocol Terminal: AnyObject {
    /// The current size in cells.
    var size: Size { get }
    /// Waits for at least one key, then returns it with any others already
    /// waiting, so a burst of typing is drawn once. `nil` means the input has
    /// closed (the terminal hung up).
    func nextKeys() -> [Key]?
    /// As `nextKeys`, but gives up after `seconds` with no key and returns an empty list.
    func nextKeys(waitingAtMost seconds: Double) -> [Key]?
    /// Shows the canvas.
    func draw(_ canvas: Canvas)
    /// Throws away keys already typed but not yet read.
    func discardTypeahead()
}

/// A terminal with no screen: it plays keys from a script and keeps every
/// frame drawn, for tests and benchmarks of whole sessions.
public final class TestTerminal: Terminal {
    public var size: Size
    private var batches: [[Key]]
    /// Every canvas drawn, oldest first.
    public private(set) var frames: [Canvas] = []

    /// The batches (counted from the end of `batches`, as they are popped) typed ahead of the screen.
    private let typedAhead: Set<Int>

    /// `batches` are the key groups `nextKeys` returns, in order; after the last, input closes.
    /// `typedAhead` marks batches (by index in `batches`) as typed before the screen they meet was
    /// drawn: a `discardTypeahead` just before one drops it.
    public init(size: Size = .minimum, batches: [[Key]], typedAhead: Set<Int> = []) {
        self.size = size
        self.batches = batches.reversed()
        self.typedAhead = Set(typedAhead.map { batches.count - 1 - $0 })
    }

    /// One key a batch.
    public convenience init(size: Size = .minimum, keys: [Key]) {
        self.init(size: size, batches: keys.map { [$0] })
    }

    public func nextKeys() -> [Key]? {
        guard let batch = batches.popLast() else { return nil }
        for case .resize(let newSize) in batch { size = newSize }
        return batch
    }

    /// An empty batch in the script stands for a wait that ended with no key.
    public func nextKeys(waitingAtMost seconds: Double) -> [Key]? {
        waits.append(seconds)
        return nextKeys()
    }

    /// How long each timed wait was allowed to last, in order.
    public private(set) var waits: [Double] = []

    public func draw(_ canvas: Canvas) { frames.append(canvas) }

    /// Counts the call; if the next scripted batch was marked as typed ahead, drops it, as a real
    /// terminal drops keys typed before the screen they would act on was drawn.
    public func discardTypeahead() {
        discarded += 1
        if typedAhead.contains(batches.count - 1), let batch = batches.popLast() { dropped.append(batch) }
    }

    /// The scripted batches thrown away as typed-ahead keys, in order.
    public private(set) var dropped: [[Key]] = []

    /// How many times typed-ahead keys were thrown away.
    public private(set) var discarded = 0

    /// The screen as text after the last draw.
    public var screen: String { frames.last?.text ?? "" }
}
