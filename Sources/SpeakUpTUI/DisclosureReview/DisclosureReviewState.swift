/// The subject access review's state (`speakup subject-access`): the redacted draft a handler reads
/// before anything leaves the store, how far they have read, and whether they are answering the
/// question that approves or declines it. Approving is offered only once the last line has been on
/// screen: a disclosure is read whole before it is sent.
public struct DisclosureReviewState: Hashable, Sendable {
    public enum Phase: Hashable, Sendable {
        case reading
        /// "Approve and write it?" or "Decline it?", waiting for Y or N.
        case asking(Decision)
        /// Answered: nothing more is drawn or read.
        case decided(Decision)
    }

    public enum Decision: Hashable, Sendable { case approve, decline }

    public var size: Size
    /// The staff id the request is about, as the directory has it (shown in the title).
    public let staffID: String
    /// Where an approved disclosure is written (shown in the question).
    public let file: String
    /// The draft's lines as the file will hold them.
    public let draft: [String]
    public var phase: Phase = .reading
    /// The first wrapped line on screen.
    public var top = 0
    /// True once the draft's last line has been on screen.
    public var readToEnd = false
    public var notice: String?

    public init(size: Size, staffID: String, file: String, draft: String) {
        self.size = size
        self.staffID = staffID
        self.file = file
        self.draft = draft.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        noteHowFarRead()
    }

    /// The columns the draft is wrapped to: the window less a margin each side, at most 100.
    var textWidth: Int { max(20, min(size.columns - 4, 100)) }

    /// Rows of draft on screen: all but the title, the line under it, the position line and the key bar.
    var room: Int { max(1, size.rows - 5) }

    /// The draft wrapped to the window, every line of it (an empty line stays one empty row; an
    /// indented line keeps its indent on every row it wraps to).
    public var lines: [String] {
        draft.flatMap { line -> [String] in
            let indent = String(line.prefix { $0 == " " }.prefix(textWidth / 2))
            let rest = line.dropFirst(indent.count)
            guard !rest.isEmpty else { return [""] }
            return Wrap.lines(String(rest), width: textWidth - indent.count).map { indent + $0 }
        }
    }

    /// The furthest the draft can scroll: its last line at the bottom of the window.
    var lastTop: Int { max(0, lines.count - room) }

    /// Keeps `top` in range for the window, and notes when the end has been seen.
    mutating func noteHowFarRead() {
        top = min(max(0, top), lastTop)
        if top + room >= lines.count { readToEnd = true }
    }
}
