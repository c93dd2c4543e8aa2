import Foundation

/// What a reporter is told about where their report went: roles, never names (so the
/// same words whichever way it was raised), and by when; or that it waits for a handler,
/// or is held as they asked. Every screen a reporter reads takes its words from here.
public enum RoutingForReporter {
    /// A sentence about who will see it and by when; nil when it was not routed (no router).
    public static func sentence(_ routing: CaseRouting?, report: Report) -> String? {
        guard let routing else { return nil }
        if routing.held {
            return report.hold.map { "It is held, as you asked, until someone else reports the same person, or until \(ScreenDate.day($0.until)). Until then nobody reads it." }
                ?? "It is held, as you asked: nobody reads it until it is released."
        }
        if routing.isUnrouted {
            return "Nobody on this system is set up to receive it yet, so nobody can read it for now. It is kept safely; handlers and administrators are shown that a report is waiting, and it is passed on as soon as someone can take it."
        }
        let roles = routing.roles.map { $0.replacingOccurrences(of: "-", with: " ") }
        let team = roles.count == 1 ? "the \(roles[0]) team" : "the " + roles.dropLast().joined(separator: ", ") + " and \(roles.last!) teams"
        let by = "You should hear that it has been picked up by \(ScreenDate.day(CalendarDay.local(routing.acknowledgeBy)))."
        if routing.noHandlerHoldsKey {
            return "Who will see it: \(team). Your words are sealed so that only the people handling it can read them, and nobody in that team has set up their key yet, so nobody can read it until IT gives one of them access; SpeakUp's checks show IT that it is waiting. " + by
        }
        return "Who will see it: \(team). " + by
    }

    /// The follow-up timeline's words for a "routed" event, from the routing it recorded.
    public static func timelineLine(forRoutedEventText text: String?) -> String {
        let text = text ?? ""
        if text.contains("NO HANDLER:") { return "It waits for a handler: nobody here could take it yet." }
        if text.hasPrefix("Held:") || text.contains("\nHeld:") { return "It was held, as you asked." }
        return "It was passed to the people who will handle it."
    }
}
