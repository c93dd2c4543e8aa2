import ArgumentParser
import Foundation
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore

/// `speakup escalate tick`: for cron or a systemd timer.
struct EscalateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalate",
        abstract: "Apply passed deadlines (run regularly from cron or a systemd timer).",
        subcommands: [Tick.self]
    )

    struct Tick: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tick",
            abstract: "Escalate every case whose acknowledge or feed-back deadline has passed. Running it twice changes nothing the second time."
        )

        @Option(help: ArgumentHelp("Act as if it were this moment (ISO 8601, e.g. 2026-12-05T09:00:00Z).", valueName: "time"))
        var now: String?

        @OptionGroup var rulesOptions: RulesOptions

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let moment: Date
            if let now {
                guard SubmissionTime.instantIsReal(now), let parsed = try? Date(now, strategy: Date.ISO8601FormatStyle(timeZone: .gmt)),
                    (CalendarDay.earliest.deadlineStart...CalendarDay(year: 9999, month: 12, day: 31)!.deadlineStart).contains(parsed)
                else {
                    Failure("--now needs a moment from 1948 to 9999 like 2026-12-05T09:00:00Z; \(now) is not one.", code: 64).exit()
                }
                moment = parsed
            } else {
                moment = Date()
            }
            do {
                try Roles.require(.administrator, toDo: "run the escalation tick")
                let rulesPath = try rulesOptions.chosen()
                let (store, _) = try storeOptions.open(.write, createIfMissing: false)
                let router = try Routing.router(store: store, rulesPath: rulesPath, owner: RealIdentity.current()?.reporter.userName)
                for line in router.preface where line.contains("could not be") { Diagnostics.say("Warning: " + line) }
                let escalated: [DeadlineTick.Escalated]
                let released: [CaseReference]
                let routedNow: [CaseReference]
                do {
                    let tick = DeadlineTick(router: router)
                    routedNow = try store.routeWaitingCases(at: moment, router: router)
                    released = try tick.releaseHolds(on: store, now: moment)
                    escalated = try tick.run(on: store, now: moment)
                } catch {
                    throw Failure(error)
                }
                let reminders: [Reminder]
                do {
                    try store.sealAudit(today: CalendarDay.local(moment))
                    try store.indexPendingWords()
                    reminders = try store.makeReminders(at: moment)
                } catch {
                    throw Failure(error)
                }
                for reference in routedNow { print("\(reference): it had waited with nobody to handle it, and now reaches a handler.") }
                for reference in released { print("\(reference): its hold ended, released to its handlers.") }
                let stillWaiting: [UnroutedCase]
                do { stillWaiting = try store.unroutedCases() } catch { throw Failure(error) }
                for item in stillWaiting {
                    Diagnostics.say("\(item.reference): still waiting with nobody to handle it (since \(ScreenDate.day(item.since))). Run `speakup check` to see what is missing.")
                }
                for reminder in reminders {
                    print("\(reminder.reference): reminder for \(reminder.handler): \(reminder.deadline == .acknowledge ? "acknowledge" : "feed back") \(reminder.stage == .passed ? "was due" : "is due") by \(ScreenDate.moment(reminder.due)).")
                    Notifier.send(reminder)
                }
                if escalated.isEmpty && released.isEmpty && reminders.isEmpty && routedNow.isEmpty {
                    print("Nothing to escalate.")
                } else {
                    for item in escalated {
                        print("\(item.reference): \(item.deadline == .acknowledge ? "not acknowledged in time" : "no feedback in time"), escalated.")
                    }
                }
            } catch let failure as Failure {
                failure.exit()
            }
        }
    }
}
