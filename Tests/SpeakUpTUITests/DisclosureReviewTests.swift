import Testing
@testable import SpeakUpTUI

@Suite("The subject access review: read to the end, then approve or decline; nothing is approved by accident")
struct DisclosureReviewTests {
    /// A draft of `count` numbered lines, the last saying it is the last.
    static func draft(_ count: Int) -> String {
        (1...count).map { $0 == count ? "The last line of the draft." : "Line number \($0) of what SpeakUp holds." }.joined(separator: "\n")
    }

    static func render(_ state: DisclosureReviewState) -> String {
        var canvas = Canvas(size: state.size)
        DisclosureReviewView.render(state, into: &canvas)
        return canvas.text
    }

    static func fresh(_ lines: Int = 60, size: Size = .minimum) -> DisclosureReviewState {
        DisclosureReviewState(size: size, staffID: "S1", file: "/home/gita/sar-S1.txt", draft: draft(lines))
    }

    @Test("approving waits for the end to have been read; then A asks, and only Y approves")
    func approveAfterReading() {
        var state = Self.fresh()
        #expect(!state.readToEnd)
        #expect(DisclosureReview.update(&state, .character("a")).isEmpty)
        #expect(state.phase == .reading)
        #expect(Self.render(state).contains("Please read the draft to the end before approving it"))
        // Page by page to the end.
        while !state.readToEnd { #expect(DisclosureReview.update(&state, .pageDown).isEmpty) }
        #expect(Self.render(state).contains("the end of the draft"))
        #expect(Self.render(state).contains("The last line of the draft."))
        #expect(DisclosureReview.update(&state, .character("A")).isEmpty)
        #expect(state.phase == .asking(.approve))
        let asked = Self.render(state)
        #expect(asked.contains("Approve this disclosure and write it to"))
        #expect(asked.contains("Y approve and write"))
        // Any other key leaves the question up; N goes back to the draft.
        #expect(DisclosureReview.update(&state, .enter).isEmpty)
        #expect(state.phase == .asking(.approve))
        #expect(DisclosureReview.update(&state, .character("n")).isEmpty)
        #expect(state.phase == .reading)
        _ = DisclosureReview.update(&state, .character("a"))
        #expect(DisclosureReview.update(&state, .character("y")) == [.approve])
        #expect(state.phase == .decided(.approve))
        // Decided: nothing more happens, Ctrl-C included.
        #expect(DisclosureReview.update(&state, .control("c")).isEmpty)
    }

    @Test("a draft that fits the window is read at once and can be approved straight away")
    func shortDraft() {
        var state = Self.fresh(5)
        #expect(state.readToEnd)
        _ = DisclosureReview.update(&state, .character("a"))
        #expect(state.phase == .asking(.approve))
    }

    @Test("D and Esc ask before declining; Ctrl-C declines at once; Y to a decline declines")
    func decline() {
        var state = Self.fresh()
        _ = DisclosureReview.update(&state, .escape)
        #expect(state.phase == .asking(.decline))
        #expect(Self.render(state).contains("Decline this disclosure? Nothing is written"))
        _ = DisclosureReview.update(&state, .escape)
        #expect(state.phase == .reading)
        _ = DisclosureReview.update(&state, .character("d"))
        #expect(DisclosureReview.update(&state, .character("Y")) == [.decline])
        var other = Self.fresh()
        #expect(DisclosureReview.update(&other, .control("c")) == [.decline])
        var asking = Self.fresh(5)
        _ = DisclosureReview.update(&asking, .character("a"))
        #expect(DisclosureReview.update(&asking, .control("c")) == [.decline], "Ctrl-C declines even at the approval question")
    }

    @Test("scrolling stays within the draft: Home, End, up from the top, down from the bottom; a resize keeps it in range")
    func scrolling() {
        var state = Self.fresh(100)
        _ = DisclosureReview.update(&state, .up)
        #expect(state.top == 0)
        _ = DisclosureReview.update(&state, .end)
        #expect(state.top == state.lines.count - state.room && state.readToEnd)
        _ = DisclosureReview.update(&state, .down)
        #expect(state.top == state.lines.count - state.room)
        _ = DisclosureReview.update(&state, .home)
        #expect(state.top == 0)
        #expect(Self.render(state).contains("Lines 1–19 of 100. ↓ more below."))
        _ = DisclosureReview.update(&state, .end)
        _ = DisclosureReview.update(&state, .resize(Size(columns: 120, rows: 60)))
        #expect(state.top == 100 - 55)
        #expect(state.readToEnd, "once read, the end stays read")
    }

    @Test("long lines wrap to the window, and nothing from the draft reaches the terminal raw")
    func wrapsAndSanitises() {
        let long = String(repeating: "word ", count: 40) + "end"
        var state = DisclosureReviewState(size: .minimum, staffID: "S1", file: "/tmp/x", draft: "\u{1B}[31mred\u{202E}txt\n" + long)
        #expect(state.lines.count == 4)
        let screen = Self.render(state)
        #expect(!screen.contains("\u{1B}") && !screen.contains("\u{202E}"))
        #expect(screen.contains("red"))
        _ = DisclosureReview.update(&state, .resize(Size(columns: 40, rows: 10)))
        #expect(Self.render(state).contains("SpeakUp needs a window"))
        #expect(Self.render(state).contains("Please make it larger"))
    }

    @Test("the session: read, approve, yes; a hang-up declines")
    func session() {
        let approved = DisclosureReviewSession.run(
            on: TestTerminal(keys: [.end, .character("a"), .character("y")]), staffID: "S1", file: "/tmp/x", draft: Self.draft(60))
        #expect(approved)
        let terminal = TestTerminal(keys: [.end, .character("a")])
        #expect(!DisclosureReviewSession.run(on: terminal, staffID: "S1", file: "/tmp/x", draft: Self.draft(60)))
        #expect(terminal.screen.contains("Approve this disclosure"))
    }
}
