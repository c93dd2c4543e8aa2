import SpeakUpCore

/// The follow-up screen as a value: finding a case (by receipt code, or from
/// "my reports"), reading its timeline, replying, and answering the feedback question.
public struct FollowUpState: Hashable, Sendable {
    /// A case as the reporter may see it.
    public struct Case: Hashable, Sendable {
        public var report: Report
        public var events: [CaseEvent]
        /// Where it went (the latest routing), for the truthful words about who will see it.
        public var routing: CaseRouting?
        /// The detriment check-in due today (1, 3 or 6 months after closing), worked out when the
        /// case was loaded (`DetrimentCheckIn.due`); nil when none is.
        public var checkInDue: Int?
        /// The replies are sealed for the reporter's code and not opened yet (an open or confidential
        /// report, found by login, in a store that seals): K asks for the code.
        public var repliesLocked = false
        public var status: CaseStatus { CaseStatus(events: events) }
        /// True when the case is closed and the reporter has not yet answered the feedback question.
        public var awaitsFeedback: Bool {
            status == .closed && !events.contains { $0.kind == .speakUpAgain }
        }

        public init(report: Report, events: [CaseEvent], routing: CaseRouting? = nil, checkInDue: Int? = nil, repliesLocked: Bool = false) {
            self.report = report
            self.events = events
            self.routing = routing
            self.checkInDue = checkInDue
            self.repliesLocked = repliesLocked
        }
    }

    public enum Phase: Hashable, Sendable {
        /// An identified reporter's own reports, and a way to type a receipt code instead.
        case choosing
        case enteringCode
        /// Waiting for the (deliberately slow) receipt check.
        case checking
        case viewing(Case)
        /// The reply code is typed (in `code`) to open the sealed replies of a case found by login.
        case unlockingReplies(Case)
        case replying(Case)
        /// Tab was pressed in the reply box: the reply is shown as it will be sent; S sends it.
        case reviewing(Case)
        case askingFeedback(Case)
        /// "Since you spoke up, have you been treated worse by anyone because of it?"
        case askingCheckIn(Case)
        /// After yes: a few words for the new case, if the reporter wants (may be left empty).
        case checkInWords(Case)
        /// Tab was pressed: what the new case will say is shown, and S opens it.
        case checkInReview(Case)
        /// The new case is open: its reference, who will see it, and its receipt code when no
        /// login leads back to it (shown this once). Enter goes back to the first case.
        case checkInOpened(Case, CheckInAnswered, ReceiptCode?)
        case finished
    }

    public var size: Size
    public var phase: Phase
    public var notice: ReporterFormState.Notice? = nil
    /// The reporter's own open and confidential reports (empty when anonymous or none).
    public var myReports: [Report]
    /// The highlight in "choosing": 0..<myReports.count, then the receipt option.
    public var highlighted = 0
    public var code = TextField(limit: 40)
    public var reply = TextEditor(limit: ReportLimits.longText)
    public var feedback = ChoiceList(SpeakUpAgain.allCases, allowsMany: false)
    public var checkIn = ChoiceList(DetrimentCheckIn.Answer.allCases, allowsMany: false)
    /// What the reporter writes for the case a check-in's yes opens.
    public var checkInAccount = TextEditor(limit: DetrimentCheckIn.accountLimit)
    /// The first timeline line shown.
    public var top = 0
    /// Wrong codes in a row in this session; from the fifth, answers slow down.
    public var failures = 0
    /// The reply code is being asked for because R was pressed: once the replies open, the reply box does.
    public var replyAfterUnlocking = false
    /// A yes-or-no question over the screen.
    public enum Question: Hashable, Sendable {
        /// "Leave follow-up?"
        case leave
        /// "Throw away your reply?"
        case discard
    }

    public var question: Question? = nil

    /// A reply written and not yet sent (lost if the box is left without sending).
    public var unsentReply: Bool {
        switch phase {
        case .replying, .reviewing: !reply.text.allSatisfy(\.isWhitespace)
        case .checkInWords, .checkInReview: !checkInAccount.text.allSatisfy(\.isWhitespace)
        default: false
        }
    }

    public init(size: Size, myReports: [Report]) {
        self.size = size
        self.myReports = myReports
        phase = myReports.isEmpty ? .enteringCode : .choosing
        reply.resize(to: Size(columns: max(1, min(size.columns - 4, 96) - 4), rows: 5))
        checkInAccount.resize(to: Size(columns: max(1, min(size.columns - 4, 96) - 4), rows: 5))
    }
}
