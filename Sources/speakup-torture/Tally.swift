/// One scenario's figures, as the summary table shows them.
struct Tally {
    let scenario: String
    /// Processes killed by the suite on purpose (kill -9, strace's injected SIGKILL), at a moment they were running.
    var kills = 0
    /// Reports (and escalations, directories, drafts) SpeakUp said it kept.
    var acknowledged = 0
    /// Of those, found afterwards exactly as acknowledged.
    var found = 0
    /// Acknowledged, then missing.
    var lost = 0
    /// Found, but not exactly as sent; or found that nobody sent.
    var altered = 0
    /// All-or-nothing imports found in part.
    var torn = 0
    /// Imports that acknowledged nothing (killed, or refused) whose reports were nonetheless all
    /// stored (the kill came after the commit), and those that left nothing: both must be seen for
    /// the kills to have landed on both sides of a commit.
    var unacknowledgedKept = 0
    var unacknowledgedAbsent = 0
    /// Processes that passed their deadline and were killed by the suite.
    var stalls = 0
    /// Non-zero exits with their sentences, counted by kind.
    var errors: [String: Int] = [:]
    /// One example sentence for each kind of error.
    var examples: [String: String] = [:]
    /// Parts not run, and why.
    var skipped: [String] = []
    /// Everything that makes the scenario fail, each in a sentence.
    var failures: [String] = []
    /// What was seen that is worth reading but is not a failure.
    var notes: [String] = []

    init(scenario: String) { self.scenario = scenario }

    var failed: Bool { lost > 0 || altered > 0 || torn > 0 || stalls > 0 || !failures.isEmpty }

    var errorCount: Int { errors.values.reduce(0, +) }

    /// Counts a non-zero exit by the kind of its sentence; one without a sentence, or a crash, is a failure too.
    mutating func countError(_ ending: Child.Ending, doing what: String) {
        let kind = ErrorKind.of(ending)
        errors[kind.name, default: 0] += 1
        if examples[kind.name] == nil { examples[kind.name] = ErrorKind.firstSentence(of: ending.error) }
        if !kind.isClear {
            fail("\(what) ended with \(ending.said) and \(kind.name): \(ErrorKind.firstSentence(of: ending.error + ending.output))")
        }
    }

    /// Counts a child the suite had to kill at its deadline.
    mutating func countStall(_ ending: Child.Ending, doing what: String, deadline: Double) {
        stalls += 1
        failures.append("\(what) was still running after \(format(deadline)) s and was killed (a stall).")
    }

    mutating func fail(_ sentence: String) { failures.append(sentence) }

    /// Sentences with how often each was said, in the order first said.
    static func grouped(_ sentences: [String]) -> [(String, Int)] {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for sentence in sentences {
            if counts[sentence] == nil { order.append(sentence) }
            counts[sentence, default: 0] += 1
        }
        return order.map { ($0, counts[$0]!) }
    }

    mutating func note(_ sentence: String) { notes.append(sentence) }
}

func format(_ seconds: Double) -> String { String(format: "%.1f", seconds) }
